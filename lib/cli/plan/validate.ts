/** `sase plan validate FILE [--tier tale|epic] [--mode authoring|launch]`: the strict plan schema on one file. */
import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { CommandModule } from '../command.js';
import { NotFoundError, UsageError } from '../../errors/index.js';
import { validatePlan, type PlanMode, type PlanTier, type PlanValidation } from '../../sdd/plan-schema.js';

interface Opts {
  file: string;
  tier?: PlanTier;
  mode: PlanMode;
}

/** Result: SASE's validation wire plus the file and the tier used. */
export type PlanValidateResult = PlanValidation & { file: string; tier: PlanTier };

export const command: CommandModule<Opts, PlanValidateResult> = {
  meta: { name: 'validate', summary: 'Validate one plan file against the strict schema (exit 6 on errors)' },
  define: (cmd) => {
    cmd.argument('<file>', 'plan markdown file');
    cmd.option('-t, --tier <tier>', 'tale or epic (default: the file\'s own tier)');
    cmd.option('--mode <mode>', 'authoring (strict) or launch (legacy sizes warn)', 'authoring');
  },
  parse: (raw, ctx) => {
    const tier = raw.opts.tier;
    if (tier !== undefined && tier !== 'tale' && tier !== 'epic') throw new UsageError('--tier must be tale or epic');
    const mode = raw.opts.mode;
    if (mode !== 'authoring' && mode !== 'launch') throw new UsageError('--mode must be authoring or launch');
    const f = String(raw.args[0]);
    return { file: isAbsolute(f) ? f : resolve(ctx.cwd, f), tier: tier as PlanTier | undefined, mode };
  },
  run: async (_ctx, o) => {
    if (!existsSync(o.file)) throw new NotFoundError(`${o.file} does not exist`);
    const text = readFileSync(o.file, 'utf8');
    const own = /^tier:\s*(tale|epic)\s*$/m.exec(text.split(/\n---\s*\n/)[0] ?? '')?.[1] as PlanTier | undefined;
    const tier = o.tier ?? own ?? 'tale';
    return { file: o.file, tier, ...validatePlan(text, tier, o.mode) };
  },
  human: (r, out) => {
    for (const d of r.diagnostics) out.line(`${r.file}:${d.line ?? 1}: ${d.severity} ${d.code}${d.field_path ? ` [${d.field_path}]` : ''} ${d.message}`);
    out.line(r.ok ? `ok (${r.tier})` : `invalid ${r.tier} plan`);
  },
  exitCode: (r) => (r.ok ? 0 : 6),
};
