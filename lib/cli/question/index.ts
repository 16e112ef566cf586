/** `sase question`: Questions from agents: ask, list, answer. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase question',
  summary: 'Questions from agents: ask, list, answer',
  commands: [],
};
