/** `sase question answer ID [-s LABEL]… [-t TEXT] [--note NOTE]`: answer once (a second answer is CONFLICT, exit 4). */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { answerQuestion, type AnswerInput, type QuestionEntry } from '../../questions/store.js';

interface Opts {
  id: string;
  answers: AnswerInput[];
  note: string;
}

export const command: CommandModule<Opts, Pick<QuestionEntry, 'id' | 'status' | 'response'>> = {
  meta: { name: 'answer', summary: 'Answer a question once (choice labels and/or free text)' },
  define: (cmd) => {
    cmd.argument('<id>', 'question id prefix');
    cmd.argument('[choice]', 'an option label (same as -s)');
    cmd.option('-s, --select <label>', 'choose an option (repeatable)', (v: string, acc: string[] = []) => [...acc, v]);
    cmd.option('-t, --text <text>', 'free-text answer');
    cmd.option('--note <text>', 'global note', '');
    cmd.option('--answers <json>', 'one answer per question: [{"selected":[labels],"text":…}] (multi-question requests)');
  },
  parse: (raw) => {
    const note = String(raw.opts.note ?? '');
    if (typeof raw.opts.answers === 'string') {
      let v: unknown;
      try {
        v = JSON.parse(raw.opts.answers);
      } catch {
        throw new UsageError('--answers must be JSON');
      }
      if (!Array.isArray(v)) throw new UsageError('--answers must be a JSON list');
      const answers = v.map((a: { selected?: unknown; text?: unknown }) => ({
        selected: Array.isArray(a?.selected) ? a.selected.map(String) : [],
        text: typeof a?.text === 'string' ? a.text : null,
      }));
      return { id: String(raw.args[0]), answers, note };
    }
    const selected = [...((raw.opts.select as string[] | undefined) ?? [])];
    if (typeof raw.args[1] === 'string') selected.unshift(raw.args[1]);
    const text = typeof raw.opts.text === 'string' ? raw.opts.text : null;
    if (selected.length === 0 && text === null) throw new UsageError('give a choice (-s LABEL), a free-text answer (-t TEXT) or --answers');
    return { id: String(raw.args[0]), answers: [{ selected, text }], note };
  },
  run: async (ctx, o) => {
    const e = await answerQuestion(ctx.env, o.id, o.answers, o.note);
    const art = (e.request as { artifacts_dir?: string | null } | null)?.artifacts_dir;
    if (art) await (await import('../../plans/actions.js')).refreshRunIndex(ctx.env, art); // QUESTION → RUNNING
    return { id: e.id, status: e.status, response: e.response };
  },
  human: (r, out) => out.line(`answered ${r.id}`),
};
