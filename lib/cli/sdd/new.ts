/** `sase sdd new tale|epic NAME`: a new plan from the templates, with its prompt snapshot, cross-linked. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { newPlan, type NewPlanInput, type NewPlanResult } from '../../sdd/templates.js';
import { defineRoot, sddRoot } from './common.js';

/** The plan fields of {@link NewPlanInput} the command takes (no phases; `now` comes from ctx), plus the SDD root. */
type Opts = Omit<NewPlanInput, 'now' | 'phases'> & { root: string };

export const command: CommandModule<Opts, NewPlanResult> = {
  meta: { name: 'new', summary: 'Create a tale or epic from the templates (plus its prompt snapshot)' },
  define: (cmd) => {
    defineRoot(cmd);
    cmd.argument('<kind>', 'tale or epic').argument('<name>', 'file name (snake-cased)');
    cmd.option('--title <title>', 'plan title (default: NAME)');
    cmd.option('--goal <goal>', 'plan goal');
    cmd.option('--size <size>', 'tale size: xsmall, small, medium');
    cmd.option('-m, --model <model>', 'model for the follow-up agent');
    cmd.option('--prompt <text>', 'prompt text saved as the snapshot');
  },
  parse: (raw, ctx) => {
    const kind = String(raw.args[0]);
    if (kind !== 'tale' && kind !== 'epic') throw new UsageError(`kind must be tale or epic, not ${JSON.stringify(kind)}`);
    const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    return {
      root: sddRoot(ctx, raw.opts.root),
      kind,
      name: String(raw.args[1]),
      title: s(raw.opts.title),
      goal: s(raw.opts.goal),
      size: s(raw.opts.size),
      model: s(raw.opts.model),
      prompt: s(raw.opts.prompt),
    };
  },
  run: (ctx, o) => newPlan(o.root, { ...o, now: ctx.now() }),
  human: (r, out) => {
    out.line(`created ${r.kind} ${r.plan}`);
    out.line(`prompt snapshot ${r.prompt}`);
  },
};
