/** `sase sdd`: Spec-driven development tree: init, list, validate, links. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase sdd',
  summary: 'Spec-driven development tree: init, list, validate, links',
  commands: [
    { name: 'init', summary: 'Create the SDD tree and its README files', load: async () => (await import('./init.js')).command },
    { name: 'list', summary: 'List SDD artifacts by kind and the layout in use', load: async () => (await import('./list.js')).command },
    { name: 'validate', summary: 'Validate links and plan frontmatter (strict schema)', load: async () => (await import('./validate.js')).command },
    { name: 'links', summary: 'Show prompt↔plan links and reverse-link health', load: async () => (await import('./links.js')).command },
    { name: 'repair-links', summary: 'Repair inferable links (dry run unless -w)', load: async () => (await import('./repair-links.js')).command },
    { name: 'new', summary: 'Create a tale or epic from the templates', load: async () => (await import('./new.js')).command },
    { name: 'path', summary: 'Print the SDD root and its layout', load: async () => (await import('./path.js')).command },
  ],
};
