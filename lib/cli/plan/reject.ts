/** `sase plan reject [ID] --feedback …`: reject a plan (write-once); feedback relaunches the planner. */
import type { CommandModule } from '../command.js';
import { rejectPlan, type AnswerResult } from '../../plans/respond.js';
import { printAnswer } from './common.js';

export const command: CommandModule<{ id?: string; feedback?: string }, AnswerResult> = {
  meta: { name: 'reject', summary: 'Reject a plan (write-once answer); --feedback asks for a new plan' },
  define: (cmd) => {
    cmd.argument('[id]', 'id prefix (default: the single pending plan)');
    cmd.option('-f, --feedback <text>', 'what to change (the planner is relaunched with it)');
  },
  parse: (raw) => ({ id: typeof raw.args[0] === 'string' ? raw.args[0] : undefined, feedback: typeof raw.opts.feedback === 'string' ? raw.opts.feedback : undefined }),
  run: (ctx, o) => rejectPlan(o.id, { env: ctx.env, now: ctx.now(), feedback: o.feedback }),
  human: (r, out) => printAnswer(r, out),
};
