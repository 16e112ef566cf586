/** `sase bead remove`: delete a bead and its descendants (the stream file stays as a tombstone). */
import type { CommandModule } from '../command.js';
import { removeBead } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'remove', summary: 'Remove a bead and its descendants' },
  define: (cmd) => {
    cmd.argument('<id>', 'bead id');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), id: String(args[0]) }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'remove', (m) => removeBead(m, o.id))),
  human: humanMutation('removed'),
};
