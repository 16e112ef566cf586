/** `sase bead claim`: compare-and-set a bead from open to claimed by an agent (spec §B.8). */
import type { CommandModule } from '../command.js';
import { claimBead } from '../../beads/mutations.js';
import { actorFor, defineWrite, humanMutation, mutationResult, parseWrite, runMutation, storeDir, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
  agent?: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'claim', summary: 'Claim an open bead for an agent (compare-and-set)' },
  define: (cmd) => {
    cmd.argument('<id>', 'bead id').option('-a, --agent <name>', 'claimant (default: the acting agent/user)');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), id: String(args[0]), agent: opts.agent as string | undefined }),
  run: async (ctx, o) => {
    const agent = o.agent ?? actorFor(ctx, storeDir(ctx, o));
    return mutationResult(await runMutation(ctx, o, 'claim', (m) => claimBead(m, o.id, agent)));
  },
  human: humanMutation('claimed'),
};
