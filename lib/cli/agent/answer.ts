/**
 * `sase agent answer NAME approve|reject` / `sase agent answer NAME --feedback TEXT`: answers the pending HITL step
 * of a workflow run (write-once `hitl_response.json`; spec/runtime.md §d.1). Exit 3 when the run has no pending
 * step, 4 when it was already answered.
 */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';

interface AnswerOpts {
  ref: string;
  action: 'approve' | 'reject' | 'feedback';
  feedback?: string;
}

export const command: CommandModule<AnswerOpts, { name: string; step: string; action: string; approved: boolean; feedback: string | null }> = {
  meta: { name: 'answer', summary: 'Answer a workflow HITL step: approve, reject or --feedback TEXT' },
  define(cmd) {
    cmd.argument('<name>', 'workflow run name or id').argument('[action]', 'approve | reject').option('--feedback <text>', 'send feedback: the step runs again with it');
  },
  parse(raw) {
    const ref = raw.args[0] as string | undefined;
    const action = raw.args[1] as string | undefined;
    const feedback = raw.opts.feedback as string | undefined;
    if (!ref) throw new UsageError('which run? give a name or id');
    if (feedback !== undefined) {
      if (action) throw new UsageError('give either approve|reject or --feedback, not both');
      return { ref, action: 'feedback', feedback };
    }
    if (action === 'approve' || action === 'accept') return { ref, action: 'approve' };
    if (action === 'reject') return { ref, action: 'reject' };
    throw new UsageError(`expected approve, reject or --feedback TEXT${action ? `, got '${action}'` : ''}`);
  },
  async run(ctx, o) {
    const { findAgentDir, readAgentView } = await import('../../agents/records.js');
    const { answerHitl } = await import('../../workflow/run/hitl.js');
    const dir = await findAgentDir(ctx.env, o.ref);
    const r = await answerHitl(dir, { action: o.action, feedback: o.feedback }, ctx.now());
    return { name: readAgentView(dir).name, step: r.step, action: r.response.action, approved: r.response.approved, feedback: r.response.feedback ?? null };
  },
  human: (r, out) => out.line(`${r.name}: step ${r.step} ${r.action === 'accept' ? 'approved' : r.action === 'reject' ? 'rejected' : 'sent feedback'}`),
};
