/** `sase bead +1`: record evidence that a task's problem recurred (reopens closed/open tasks, spec §B.6). */
import type { CommandModule } from '../command.js';
import { recordPlusOne, type PlusOneArgs } from '../../beads/mutations.js';
import { actorFor, collect, defineWrite, humanMutation, listOpt, mutationResult, parseWrite, runMutation, storeDir, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
  note: string;
  reporter?: string;
  observedSince?: string;
  refs?: string[];
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: '+1', summary: 'Record +1 evidence on a task' },
  define: (cmd) => {
    cmd
      .argument('<id>', 'task id')
      .argument('<note...>', 'what was observed')
      .option('--reporter <name>', 'reporter (default: the acting agent/user)')
      .option('--observed-since <time>', 'RFC 3339 time the problem was first seen again')
      .option('--ref <ref>', 'artifact reference (repeatable)', collect);
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({
    ...parseWrite(opts),
    id: String(args[0]),
    note: (args[1] as string[]).join(' '),
    reporter: opts.reporter as string | undefined,
    observedSince: opts.observedSince as string | undefined,
    refs: listOpt(opts.ref),
  }),
  run: async (ctx, o) => {
    const a: PlusOneArgs = { note: o.note, reporter: o.reporter ?? actorFor(ctx, storeDir(ctx, o)), observedSince: o.observedSince, refs: o.refs };
    return mutationResult(await runMutation(ctx, o, '+1', (m) => recordPlusOne(m, o.id, a)));
  },
  human: humanMutation('+1 recorded on'),
};
