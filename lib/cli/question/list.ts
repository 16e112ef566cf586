/** `sase question list [--all]`: open questions (with --all: answered ones too). */
import type { CommandModule } from '../command.js';
import { listQuestions, type QuestionEntry } from '../../questions/store.js';

/** Result of `sase question list`. */
export interface QuestionListResult {
  questions: Array<Pick<QuestionEntry, 'id' | 'status' | 'request' | 'response'>>;
}

export const command: CommandModule<{ all: boolean }, QuestionListResult> = {
  meta: { name: 'list', summary: 'List open questions' },
  define: (cmd) => cmd.option('-a, --all', 'include answered questions'),
  parse: (raw) => ({ all: raw.opts.all === true }),
  run: async (ctx, o) => ({
    questions: listQuestions(ctx.env)
      .filter((q) => o.all || q.status === 'open')
      .map(({ id, status, request, response }) => ({ id, status, request, response })),
  }),
  human: (r, out) => {
    if (r.questions.length === 0) return out.line('no questions');
    for (const q of r.questions) {
      const first = q.request?.questions[0];
      out.line(`${q.id}  ${q.status}  ${q.request?.asked_by ?? '-'}  ${first?.question ?? ''}`);
      for (const o of first?.options ?? []) out.line(`    - ${o.label}${o.description ? `: ${o.description}` : ''}`);
    }
  },
};
