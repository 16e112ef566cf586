/** `sase agent`: List, inspect, follow, kill, retry and wait for agent runs. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase agent',
  summary: 'List, inspect, follow, kill, retry and wait for agent runs',
  commands: [],
};
