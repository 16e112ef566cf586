/** `sase plan propose FILE [--wait [--timeout S]]`: submit a plan for approval (stamps provenance, writes the request). */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { autoApprovalSetting, proposePlan, type ProposeResult } from '../../plans/propose.js';
import { approvePlan, autoApprovalKind, type AnswerResult } from '../../plans/respond.js';
import { waitForPlanResponse } from '../../plans/wait.js';
import type { PlanResponse } from '../../plans/store.js';
import { timeoutMs } from './common.js';
import type { ActResult } from '../../plans/actions.js';

interface Opts {
  file: string;
  wait: boolean;
  timeoutMs?: number;
}

/** Result of `sase plan propose`. */
export type ProposeCliResult = ProposeResult & { auto: AnswerResult | null; response: PlanResponse | null; actions: ActResult | null };

export const command: CommandModule<Opts, ProposeCliResult> = {
  meta: {
    name: 'propose',
    summary: 'Propose a plan file for approval',
    description:
      'Inside a run, SASE_AGENT_NAME / SASE_BEAD_ID / SASE_PHASE_BEAD_ID / SASE_EPIC_BEAD_ID / SASE_ARTIFACTS_DIR are recorded.\n' +
      'With %auto (SASE_AUTO_APPROVE_PLAN or agent_meta.json approve:true) the plan is approved at once.\n' +
      '--wait polls for the answer (exit 8 on --timeout).',
  },
  define: (cmd) => {
    cmd.argument('<file>', 'plan markdown file');
    cmd.option('-w, --wait', 'wait for the answer');
    cmd.option('--timeout <seconds>', 'with --wait: give up after this many seconds (exit 8)');
  },
  parse: (raw) => {
    const t = timeoutMs(raw.opts.timeout);
    if (Number.isNaN(t)) throw new UsageError('--timeout must be a number of seconds');
    return { file: String(raw.args[0]), wait: raw.opts.wait === true, timeoutMs: t };
  },
  run: async (ctx, o) => {
    const r = await proposePlan({ file: o.file, cwd: ctx.cwd, env: ctx.env, now: ctx.now() });
    const { actOnAnswer, planRunDir, refreshRunIndex } = await import('../../plans/actions.js');
    const runDir = planRunDir(ctx.env, r.id);
    if (runDir) await refreshRunIndex(ctx.env, runDir); // the run now shows PLAN
    const autoSetting = autoApprovalSetting(ctx.env, ctx.cwd);
    let auto: AnswerResult | null = null;
    let actions: ActResult | null = null;
    if (autoSetting !== null) {
      auto = await approvePlan(r.id, { env: ctx.env, now: ctx.now(), kind: autoApprovalKind(autoSetting), responder: 'auto' });
      actions = await actOnAnswer(auto, { env: ctx.env, cwd: ctx.cwd, now: () => ctx.now(), runDir });
    }
    let response: PlanResponse | null = auto?.response ?? null;
    if (o.wait) response = await waitForPlanResponse(ctx.env, r.id, { timeoutMs: o.timeoutMs });
    return { ...r, auto, response, actions };
  },
  human: (r, out) => {
    out.line(`proposed ${r.id} (${r.request.plan_file}, version ${r.request.version})`);
    for (const w of r.warnings) out.warn(`warning: ${w.code}${w.field_path ? ` [${w.field_path}]` : ''} ${w.message}`);
    if (r.auto) out.line(`auto-approved (${r.auto.kind}) → next: ${r.auto.next.action}`);
    if (r.response) out.line(`answer: ${r.response.action}${r.response.feedback ? ` — ${r.response.feedback}` : ''}`);
  },
};
