/** `sase plan approve [ID] [--kind approve|tale|epic|commit] [--feedback …] [-m MODEL] [-p PROMPT]`. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { approvePlan, type ApprovalKind } from '../../plans/respond.js';
import { actOnAnswer, planRunDir } from '../../plans/actions.js';
import { printAnswer, type ActedAnswer } from './common.js';
import { isAbsolute, resolve } from 'node:path';

interface Opts {
  id?: string;
  kind?: ApprovalKind;
  feedback?: string;
  model?: string;
  prompt?: string;
  root?: string;
  launch: boolean;
}

const KINDS = ['approve', 'tale', 'epic', 'commit'];

export const command: CommandModule<Opts, ActedAnswer> = {
  meta: {
    name: 'approve',
    summary: 'Approve a plan (write-once answer; archives tales and epics)',
    description: 'Kinds: approve = run the coder; tale = archive under sdd/tales/ then run the coder; epic = archive under sdd/epics/ and start bead work; commit = archive only. Default: the plan\'s tier, else approve.',
  },
  define: (cmd) => {
    cmd.argument('[id]', 'id prefix (default: the single pending plan)');
    cmd.option('-k, --kind <kind>', KINDS.join(' | '));
    cmd.option('-f, --feedback <text>', 'notes for the coder');
    cmd.option('-m, --model <model>', 'model for the coder run');
    cmd.option('-p, --prompt <text>', 'extra coder prompt');
    cmd.option('-r, --root <dir>', 'SDD root for the archive (default: <repo of the plan>/sdd)');
    cmd.option('--no-launch', 'record the answer only; do not launch the coder / bead work');
  },
  parse: (raw, ctx) => {
    const kind = raw.opts.kind;
    if (kind !== undefined && !KINDS.includes(String(kind))) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
    const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const root = s(raw.opts.root);
    return {
      id: s(raw.args[0]),
      kind: kind as ApprovalKind | undefined,
      feedback: s(raw.opts.feedback),
      model: s(raw.opts.model),
      prompt: s(raw.opts.prompt),
      root: root === undefined ? undefined : isAbsolute(root) ? root : resolve(ctx.cwd, root),
      launch: raw.opts.launch !== false,
    };
  },
  run: async (ctx, o) => {
    const runDir = planRunDir(ctx.env, o.id);
    const r = await approvePlan(o.id, { env: ctx.env, now: ctx.now(), kind: o.kind, feedback: o.feedback, model: o.model, prompt: o.prompt, sddRoot: o.root });
    const actions = await actOnAnswer(o.launch ? r : { ...r, next: { action: 'none' } }, { env: ctx.env, cwd: ctx.cwd, now: () => ctx.now(), runDir });
    return { ...r, actions };
  },
  human: (r, out) => printAnswer(r, out),
};
