/** `sase bead open` (alias `reopen`): reopen a closed bead and its closed ancestors (spec §B.8). */
import type { CommandModule } from '../command.js';
import { openBead } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'open', summary: 'Reopen a closed bead and its closed ancestors' },
  define: (cmd) => {
    cmd.argument('<id>', 'bead id');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), id: String(args[0]) }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'reopen', (m) => openBead(m, o.id))),
  human: humanMutation('reopened'),
};
