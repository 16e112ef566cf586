/** `sase workspace`: Numbered workspaces: list, path, open, cleanup, repair, migrate. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase workspace',
  summary: 'Numbered workspaces: list, path, open, cleanup, repair, migrate',
  commands: [],
};
