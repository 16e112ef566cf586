/** `sase plan show ID`: one plan request, its answer, and the diff against the previous version of the same plan. */
import type { CommandModule } from '../command.js';
import { findPlanEntry, readProposedText, type PlanEntry } from '../../plans/store.js';
import { planVersionDiff, type PlanDiff } from '../../plans/wait.js';

/** Result of `sase plan show`. */
export interface PlanShowResult {
  id: string;
  status: PlanEntry['status'];
  request: PlanEntry['request'];
  response: PlanEntry['response'];
  text: string | null;
  diff: PlanDiff;
}

export const command: CommandModule<{ id?: string; noText: boolean }, PlanShowResult> = {
  meta: { name: 'show', summary: 'Show a plan request, its answer and its diff against the previous version' },
  define: (cmd) => {
    cmd.argument('[id]', 'id prefix (default: the single pending plan)');
    cmd.option('--no-text', 'omit the plan text');
  },
  parse: (raw) => ({ id: typeof raw.args[0] === 'string' ? raw.args[0] : undefined, noText: raw.opts.text === false }),
  run: async (ctx, o) => {
    const e = findPlanEntry(ctx.env, o.id);
    return { id: e.id, status: e.status, request: e.request, response: e.response, text: o.noText ? null : readProposedText(e), diff: await planVersionDiff(ctx.env, e) };
  },
  human: (r, out) => {
    out.line(`${r.id}  ${r.status}  ${r.request?.plan_file ?? ''}`);
    if (r.request?.proposed_by) out.line(`proposed by ${r.request.proposed_by}`);
    if (r.response) out.line(`answer: ${JSON.stringify(r.response)}`);
    if (r.diff.previous_id) {
      out.line(`changes since ${r.diff.previous_id}: +${r.diff.added} -${r.diff.removed}`);
      if (r.diff.patch) out.write(r.diff.patch);
    }
    if (r.text !== null) {
      out.line('');
      out.write(r.text.endsWith('\n') ? r.text : r.text + '\n');
    }
  },
};
