/** `sase bead ref rm ID REF`: remove an artifact reference (ordered set). */
import type { CommandModule } from '../command.js';
import { changeReference } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
  ref: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'rm', summary: 'Remove a reference' },
  define: (cmd) => {
    cmd.argument('<id>', 'bead id').argument('<ref>', 'artifact reference');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), id: String(args[0]), ref: String(args[1]) }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'ref rm', (m) => changeReference(m, o.id, o.ref, false))),
  human: humanMutation('reference removed on'),
};
