/** `sase bead wake`: cancel a task's snooze (status → ready). */
import type { CommandModule } from '../command.js';
import { wakeBead } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'wake', summary: 'Wake a snoozed task' },
  define: (cmd) => {
    cmd.argument('<id>', 'task id');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), id: String(args[0]) }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'wake', (m) => wakeBead(m, o.id))),
  human: humanMutation('woke'),
};
