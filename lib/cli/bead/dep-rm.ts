/** `sase bead dep rm A B`: A no longer depends on B. */
import type { CommandModule } from '../command.js';
import { removeDependency } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  from: string;
  to: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'rm', summary: 'Remove a dependency of A on B' },
  define: (cmd) => {
    cmd.argument('<id>', 'the dependent bead (A)').argument('<depends-on>', 'the bead it depends on (B)');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), from: String(args[0]), to: String(args[1]) }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'dep rm', (m) => removeDependency(m, o.from, o.to))),
  human: humanMutation('dependency removed on'),
};
