/** `sase question ask QUESTION [-o LABEL[=DESCRIPTION]]… [--header H] [--wait [--timeout S]]`. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { askQuestion, parseQuestions, waitForAnswer, type AskResult, type Question, type QuestionResponse } from '../../questions/store.js';
import type { Ctx } from '../context.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

async function readQuestionsFile(ctx: Ctx, file: string): Promise<Question[]> {
  let text = '';
  if (file === '-') for await (const chunk of ctx.io.stdin) text += String(chunk);
  else text = await readFile(resolve(ctx.cwd, file), 'utf8');
  return parseQuestions(text, file === '-' ? '<stdin>' : file);
}

interface Opts {
  question: string | null;
  file?: string;
  header?: string;
  options: Array<{ label: string; description?: string }>;
  wait: boolean;
  timeoutMs?: number;
  pollMs?: number;
}

/** Result of `sase question ask`. */
export type AskCliResult = AskResult & { answer: QuestionResponse | null };

export const command: CommandModule<Opts, AskCliResult> = {
  meta: {
    name: 'ask',
    summary: 'Ask a question (choices or free text); --wait blocks until it is answered',
    description: 'Options: -o "Label" or -o "Label=description" (repeatable); none = free text. --wait exits 8 on --timeout.',
  },
  define: (cmd) => {
    cmd.argument('[question]', 'the question (or --file)');
    cmd.option('-F, --file <path>', 'questions as JSON: {questions:[{header?, question, options:[{label, description?}]}]} ("-" = stdin)');
    cmd.option('-o, --option <label>', 'a choice, "Label" or "Label=description" (repeatable)', (v: string, acc: string[] = []) => [...acc, v]);
    cmd.option('--header <text>', 'short header shown above the question');
    cmd.option('-w, --wait', 'wait for the answer and print it');
    cmd.option('--timeout <seconds>', 'with --wait: give up after this many seconds (exit 8)');
    cmd.option('--poll <ms>', 'with --wait: poll interval in ms (default 500)');
  },
  parse: (raw) => {
    const opts = (raw.opts.option as string[] | undefined) ?? [];
    const num = (v: unknown, name: string): number | undefined => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a non-negative number`);
      return n;
    };
    const t = num(raw.opts.timeout, '--timeout');
    const file = typeof raw.opts.file === 'string' ? raw.opts.file : undefined;
    if ((raw.args[0] === undefined) === (file === undefined)) throw new UsageError('give a QUESTION or --file, not both');
    return {
      question: typeof raw.args[0] === 'string' ? raw.args[0] : null,
      file,
      header: typeof raw.opts.header === 'string' ? raw.opts.header : undefined,
      options: opts.map((o) => {
        const i = o.indexOf('=');
        return i < 0 ? { label: o } : { label: o.slice(0, i), description: o.slice(i + 1) };
      }),
      wait: raw.opts.wait === true,
      timeoutMs: t === undefined ? undefined : Math.round(t * 1000),
      pollMs: num(raw.opts.poll, '--poll'),
    };
  },
  run: async (ctx, o) => {
    const questions = o.file !== undefined ? await readQuestionsFile(ctx, o.file) : [{ ...(o.header ? { header: o.header } : {}), question: o.question!, options: o.options }];
    const r = await askQuestion({ questions, env: ctx.env, cwd: ctx.cwd, now: ctx.now() });
    if (ctx.env.SASE_ARTIFACTS_DIR) await (await import('../../plans/actions.js')).refreshRunIndex(ctx.env, ctx.env.SASE_ARTIFACTS_DIR); // run shows QUESTION
    let answer = r.response;
    if (o.wait && !answer) {
      ctx.io.stderr.write(`waiting for an answer to question ${r.id} (sase question answer ${r.id.slice(0, 6)} …)\n`);
      answer = await waitForAnswer(ctx.env, r.id, { timeoutMs: o.timeoutMs, pollMs: o.pollMs });
      if (ctx.env.SASE_ARTIFACTS_DIR) await (await import('../../plans/actions.js')).refreshRunIndex(ctx.env, ctx.env.SASE_ARTIFACTS_DIR);
    }
    return { ...r, answer };
  },
  human: (r, out) => {
    if (!r.answer) return out.line(r.id);
    for (const a of r.answer.answers) out.line([...a.selected, ...(a.custom_feedback ? [a.custom_feedback] : [])].join(', '));
  },
};
