/** `sase var`: agent output variables (`STOP` ends a `%repeat` chain). Subcommands load lazily. docs/orchestration.md. */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase var',
  summary: "Set and read an agent run's output variables (STOP ends a %repeat chain)",
  defaultCommand: 'list',
  commands: [
    { name: 'set', summary: 'Set NAME=VALUE on the current run ($SASE_ARTIFACTS_DIR) or --agent NAME', load: async () => (await import('./set.js')).command },
    { name: 'get', summary: 'Print one variable of a run', load: async () => (await import('./get.js')).command },
    { name: 'list', summary: "All variables of a run", aliases: ['ls'], load: async () => (await import('./list.js')).command },
  ],
};
