/** `sase xprompt`: List, explain, expand, graph and validate XPrompts. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase xprompt',
  summary: 'List, explain, expand, graph and validate XPrompts',
  commands: [],
};
