/** `sase workspace`: numbered workspaces — list, path, open, cleanup, repair, migrate. Subcommands load lazily. */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase workspace',
  summary: 'Numbered workspaces: list, path, open, cleanup, repair, migrate',
  defaultCommand: 'list',
  commands: [
    { name: 'list', summary: 'List a project\'s workspaces, root policy and claims', load: async () => (await import('./list.js')).command },
    { name: 'path', summary: 'Print the checkout path of a workspace number (never clones)', load: async () => (await import('./path.js')).command },
    { name: 'open', summary: 'Prepare a numbered checkout and print its path', load: async () => (await import('./open.js')).command },
    { name: 'cleanup', summary: 'Remove stale unclaimed checkouts (never unpushed work)', load: async () => (await import('./cleanup.js')).command },
    { name: 'repair', summary: 'Reconcile the registry with the checkouts on disk', load: async () => (await import('./repair.js')).command },
    { name: 'migrate', summary: 'Move adjacent checkouts to the xdg-state root; finalize', load: async () => (await import('./migrate.js')).command },
  ],
};
