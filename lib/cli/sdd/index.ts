/** `sase sdd`: Spec-driven development tree: init, list, validate, links. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase sdd',
  summary: 'Spec-driven development tree: init, list, validate, links',
  commands: [],
};
