/** `sase plan`: Plan approval: propose, list, show, approve, reject. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase plan',
  summary: 'Plan approval: propose, list, show, approve, reject',
  defaultCommand: 'list',
  commands: [
    { name: 'propose', summary: 'Propose a plan file for approval', load: async () => (await import('./propose.js')).command },
    { name: 'list', summary: 'List proposed plans', load: async () => (await import('./list.js')).command },
    { name: 'show', summary: 'Show a plan, its answer and its version diff', load: async () => (await import('./show.js')).command },
    { name: 'approve', summary: 'Approve a plan (approve | tale | epic | commit)', load: async () => (await import('./approve.js')).command },
    { name: 'validate', summary: 'Validate one plan file (strict schema)', load: async () => (await import('./validate.js')).command },
    { name: 'reject', summary: 'Reject a plan, optionally with feedback', load: async () => (await import('./reject.js')).command },
  ],
};
