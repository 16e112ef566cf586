/** `sase plan`: Plan approval: propose, list, show, approve, reject. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase plan',
  summary: 'Plan approval: propose, list, show, approve, reject',
  commands: [],
};
