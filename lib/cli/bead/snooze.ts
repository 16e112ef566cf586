/** `sase bead snooze`: snooze a task (open|ready) until a time, optionally waking on +1 reports. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { snoozeBead, type SnoozeArgs } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
  snooze: SnoozeArgs;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'snooze', summary: 'Snooze a task until a time' },
  define: (cmd) => {
    cmd
      .argument('<id>', 'task id')
      .requiredOption('--until <time>', 'RFC 3339 time with offset, e.g. 2026-08-14T10:39:28-04:00')
      .option('-r, --reason <text>', 'why', 'Snoozed.')
      .option('--plus-one-target <n>', 'wake after this many new +1 reports');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => {
    let target: number | undefined;
    if (opts.plusOneTarget !== undefined) {
      target = Number(opts.plusOneTarget);
      if (!Number.isInteger(target) || target < 1) throw new UsageError('--plus-one-target must be a positive integer');
    }
    return { ...parseWrite(opts), id: String(args[0]), snooze: { until: String(opts.until), reason: String(opts.reason), plusOneTarget: target } };
  },
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'snooze', (m) => snoozeBead(m, o.id, o.snooze))),
  human: humanMutation('snoozed'),
};
