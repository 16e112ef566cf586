/** `sase question answer ID [-s LABEL]… [-t TEXT] [--note NOTE]`: answer once (a second answer is CONFLICT, exit 4). */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { answerQuestion, type QuestionEntry } from '../../questions/store.js';

interface Opts {
  id: string;
  selected: string[];
  text: string | null;
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
  },
  parse: (raw) => {
    const selected = [...((raw.opts.select as string[] | undefined) ?? [])];
    if (typeof raw.args[1] === 'string') selected.unshift(raw.args[1]);
    const text = typeof raw.opts.text === 'string' ? raw.opts.text : null;
    if (selected.length === 0 && text === null) throw new UsageError('give a choice (-s LABEL) or a free-text answer (-t TEXT)');
    return { id: String(raw.args[0]), selected, text, note: String(raw.opts.note ?? '') };
  },
  run: async (ctx, o) => {
    const e = await answerQuestion(ctx.env, o.id, [{ selected: o.selected, text: o.text }], o.note);
    return { id: e.id, status: e.status, response: e.response };
  },
  human: (r, out) => out.line(`answered ${r.id}`),
};
