/** `sase agent`: List, inspect, follow, kill, retry and wait for agent runs. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase agent',
  summary: 'List, inspect, follow, kill, retry and wait for agent runs',
  defaultCommand: 'list',
  commands: [
    { name: 'list', summary: 'Runs grouped by status bucket (-a adds recent finished runs)', aliases: ['ls'], load: async () => (await import('./list.js')).command },
    { name: 'show', summary: 'Details of one run (name or id)', load: async () => (await import('./show.js')).command },
    { name: 'logs', summary: "A run's transcript (-f follows a live run)", load: async () => (await import('./logs.js')).command },
    { name: 'kill', summary: 'Stop a run (SIGTERM, then SIGKILL after the grace period)', load: async () => (await import('./kill.js')).command },
    { name: 'retry', summary: 'Launch the same prompt again as a new run (lineage recorded)', load: async () => (await import('./retry.js')).command },
    { name: 'wait', summary: 'Block until runs finish (exit 0 ok, 1 failed or parked, 3 waiting for a human, 4 timeout)', load: async () => (await import('./wait.js')).command },
    { name: 'diff', summary: 'The workspace changes a run made', load: async () => (await import('./diff.js')).command },
    { name: 'tick', summary: 'Release parked runs whose waits are satisfied (exit 5 if another tick runs)', load: async () => (await import('./tick.js')).command },
    { name: 'answer', summary: 'Answer a workflow HITL step: approve, reject or --feedback TEXT', load: async () => (await import('./answer.js')).command },
    { name: 'reindex', summary: 'Rebuild agents/index.jsonl from the record directories', load: async () => (await import('./reindex.js')).command },
  ],
};
