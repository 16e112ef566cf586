/** `sase bead dep add A B`: A now depends on B (a duplicate edge is a no-op). */
import type { CommandModule } from '../command.js';
import { addDependency } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  from: string;
  to: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'add', summary: 'Add a dependency: A depends on B' },
  define: (cmd) => {
    cmd.argument('<id>', 'the dependent bead (A)').argument('<depends-on>', 'the bead it depends on (B)');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), from: String(args[0]), to: String(args[1]) }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'dep add', (m) => addDependency(m, o.from, o.to))),
  human: humanMutation('dependency added on'),
};
