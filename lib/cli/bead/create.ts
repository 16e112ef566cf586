/** `sase bead create`: create a plan (tier epic|plan), a phase under a plan, or a task. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { createBead, type CreateArgs } from '../../beads/mutations.js';
import { BEAD_ISSUE_TYPES, BEAD_SIZES, type BeadTier } from '../../beads/types.js';
import { collect, defineWrite, enumOpt, humanMutation, listOpt, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  args: CreateArgs;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: {
    name: 'create',
    summary: 'Create a plan, a phase under a plan, or a task',
    description: 'Tier: epic (default for plans) or plan; "tale" is accepted as an alias of plan.\nExamples:\n  sase bead create "Fix flaky test"\n  sase bead create --type plan --tier epic "Split the parser"\n  sase bead create --type phase --parent sase-7 --size small "Lexer"',
  },
  define: (cmd) => {
    cmd
      .argument('<title>', 'title of the bead')
      .option('-t, --type <type>', 'plan | phase | task', 'task')
      .option('--tier <tier>', 'plan tier: epic | plan (alias tale)')
      .option('-p, --parent <id>', 'parent bead (a plan for phases; a plan or phase for child plans)')
      .option('-d, --description <text>', 'description')
      .option('--design <path>', 'design document (plan path)')
      .option('--dep <id>', 'a dependency (repeatable or comma-separated)', collect)
      .option('--deps <ids>', 'dependencies, comma-separated')
      .option('-m, --model <model>', 'model')
      .option('-s, --size <size>', `size: ${BEAD_SIZES.join(' | ')}`)
      .option('--assignee <name>', 'initial assignee');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => {
    const type = enumOpt('type', opts.type ?? 'task', BEAD_ISSUE_TYPES)!;
    let tier: BeadTier | undefined;
    if (opts.tier !== undefined) {
      const t = String(opts.tier);
      if (t === 'tale' || t === 'plan') tier = 'plan';
      else if (t === 'epic') tier = 'epic';
      else throw new UsageError(`invalid tier '${t}'`, { hint: 'use epic or plan (tale)' });
    }
    return {
      ...parseWrite(opts),
      args: {
        type,
        title: String(args[0]),
        tier,
        parent: opts.parent as string | undefined,
        description: opts.description as string | undefined,
        design: opts.design as string | undefined,
        model: opts.model as string | undefined,
        size: enumOpt('size', opts.size, BEAD_SIZES),
        deps: [...(listOpt(opts.dep) ?? []), ...(listOpt(opts.deps) ?? [])],
        assignee: opts.assignee as string | undefined,
      },
    };
  },
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'create', (m) => createBead(m, o.args))),
  human: humanMutation('created'),
};
