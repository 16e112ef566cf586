/** `sase project`: projects — list, show, activate, deactivate. Subcommands load lazily. */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase project',
  summary: 'Projects: list, show, activate, deactivate',
  defaultCommand: 'list',
  commands: [
    { name: 'list', summary: 'List projects (--state all shows hidden ones)', load: async () => (await import('./list.js')).command },
    { name: 'show', summary: 'Show a project record and its claims', load: async () => (await import('./show.js')).command },
    { name: 'activate', summary: 'Make a project active', load: async () => (await import('./activate.js')).command },
    { name: 'deactivate', summary: 'Make a project inactive', load: async () => (await import('./deactivate.js')).command },
  ],
};
