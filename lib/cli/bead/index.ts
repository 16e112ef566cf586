/** `sase bead`: Dependency-aware work items (SASE bead store). Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase bead',
  summary: 'Dependency-aware work items (SASE bead store)',
  commands: [],
};
