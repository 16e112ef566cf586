/** `sase project`: Projects: list, show, activate, deactivate. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase project',
  summary: 'Projects: list, show, activate, deactivate',
  commands: [],
};
