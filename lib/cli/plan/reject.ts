/** `sase plan reject [ID] --feedback …`: reject a plan (write-once); feedback relaunches the planner. */
import type { CommandModule } from '../command.js';
import { rejectPlan } from '../../plans/respond.js';
import { actOnAnswer, planRunDir } from '../../plans/actions.js';
import { printAnswer, type ActedAnswer } from './common.js';

export const command: CommandModule<{ id?: string; feedback?: string; launch: boolean }, ActedAnswer> = {
  meta: { name: 'reject', summary: 'Reject a plan (write-once answer); --feedback asks for a new plan' },
  define: (cmd) => {
    cmd.argument('[id]', 'id prefix (default: the single pending plan)');
    cmd.option('-f, --feedback <text>', 'what to change (the planner is relaunched with it)');
    cmd.option('--no-launch', 'record the answer only; do not relaunch the planner');
  },
  parse: (raw) => ({ id: typeof raw.args[0] === 'string' ? raw.args[0] : undefined, feedback: typeof raw.opts.feedback === 'string' ? raw.opts.feedback : undefined, launch: raw.opts.launch !== false }),
  run: async (ctx, o) => {
    const runDir = planRunDir(ctx.env, o.id);
    const r = await rejectPlan(o.id, { env: ctx.env, now: ctx.now(), feedback: o.feedback });
    const actions = await actOnAnswer(o.launch ? r : { ...r, next: { action: 'none' } }, { env: ctx.env, cwd: ctx.cwd, now: () => ctx.now(), runDir });
    return { ...r, actions };
  },
  human: (r, out) => printAnswer(r, out),
};
