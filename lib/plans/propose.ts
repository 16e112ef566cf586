/**
 * `sase plan propose FILE`: stamps the plan's frontmatter (`create_time`, `status: wip`, `proposed_by`,
 * `parent_bead`, `bead` from the run's environment), validates plans that declare a `tier` with the strict schema
 * (authoring mode), and writes the request directory. Sources: spec/beads-sdd-changespecs.md §A.5 step 1,
 * spec/runtime.md §d.1 steps 1–2, §b (run env: SASE_AGENT_NAME, SASE_ARTIFACTS_DIR, SASE_BEAD_ID, …).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { InvalidDataError, NotFoundError } from '../errors/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic.js';
import { findRepoRoot, saseHome, type Env } from '../store/paths.js';
import { splitDocument } from '../sdd/document.js';
import { formatCreateTime, snakeName } from '../sdd/naming.js';
import { setFrontmatterField } from '../sdd/links.js';
import { validatePlan, type PlanDiagnostic } from '../sdd/plan-schema.js';
import YAML from 'yaml';
import { newRequestId } from './ids.js';
import { listPlanEntries, planApprovalRoot, PLAN_FILES, type PlanRequest } from './store.js';

/** Input of {@link proposePlan}. */
export interface ProposeInput {
  /** Plan file (absolute, or relative to `cwd`). */
  file: string;
  cwd: string;
  env: Env;
  now: Date;
}

/** Result of {@link proposePlan}. */
export interface ProposeResult {
  id: string;
  dir: string;
  request: PlanRequest;
  /** Frontmatter fields sase stamped into the plan file. */
  stamped: Record<string, string>;
  /** Schema warnings (errors abort the proposal). */
  warnings: PlanDiagnostic[];
}

/** The parent bead of a proposal made from bead work: SASE_PHASE_BEAD_ID, SASE_EPIC_BEAD_ID, else SASE_BEAD_ID. */
export function parentBeadFromEnv(env: Env): string | null {
  return env.SASE_PHASE_BEAD_ID || env.SASE_EPIC_BEAD_ID || env.SASE_BEAD_ID || null;
}

/** Reads a run's prompt snapshot path from its `events.jsonl` (`prompt_snapshot` event), or null. */
export function promptSnapshotOfRun(artifactsDir: string): string | null {
  const p = join(artifactsDir, 'events.jsonl');
  if (!existsSync(p)) return null;
  let found: string | null = null;
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    try {
      const ev = JSON.parse(line) as { event?: string; detail?: { path?: unknown } };
      if (ev.event === 'prompt_snapshot' && typeof ev.detail?.path === 'string') found = ev.detail.path;
    } catch {
      // torn or foreign line
    }
  }
  return found;
}

function readData(text: string): Record<string, unknown> {
  const d = splitDocument(text);
  if (!d.opens || !d.closed) return {};
  try {
    const v = YAML.parse(d.yaml) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Proposes a plan.
 * @throws NotFoundError (no such file), InvalidDataError (a `tier:` plan fails the strict schema; diagnostics in
 *   `data.diagnostics`)
 */
export async function proposePlan(input: ProposeInput): Promise<ProposeResult> {
  const file = isAbsolute(input.file) ? input.file : resolve(input.cwd, input.file);
  if (!existsSync(file)) throw new NotFoundError(`plan file ${input.file} does not exist`);
  const env = input.env;
  let text = readFileSync(file, 'utf8');
  const before = readData(text);
  const stamped: Record<string, string> = {};
  const stamp = (field: string, value: string | null | undefined, overwrite: boolean): void => {
    if (!value || (!overwrite && before[field] !== undefined)) return;
    text = setFrontmatterField(text, field, value);
    stamped[field] = value;
  };
  stamp('create_time', formatCreateTime(input.now), false);
  stamp('status', 'wip', false);
  stamp('proposed_by', env.SASE_AGENT_NAME, true);
  const tier = before.tier === 'tale' || before.tier === 'epic' ? before.tier : null;
  const parentBead = parentBeadFromEnv(env);
  if (tier === 'epic') stamp('parent_bead', parentBead, true);
  stamp('bead', env.SASE_BEAD_ID, true);

  let warnings: PlanDiagnostic[] = [];
  if (tier) {
    const v = validatePlan(text, tier, 'authoring');
    if (!v.ok) {
      const errs = v.diagnostics.filter((d) => d.severity === 'error');
      throw new InvalidDataError(`${input.file} fails the strict ${tier} plan schema (${errs.length} error(s))`, {
        location: { file, line: errs[0]?.line ?? undefined, field: errs[0]?.field_path || undefined },
        details: errs.map((d) => `${file}:${d.line ?? 1}: ${d.code}${d.field_path ? ` [${d.field_path}]` : ''} ${d.message}`),
        data: { diagnostics: v.diagnostics },
        hint: "fix the plan and propose again ('sase sdd validate -p FILE --strict' shows the same diagnostics)",
      });
    }
    warnings = v.diagnostics;
  }
  if (Object.keys(stamped).length > 0) await writeFileAtomic(file, text);

  const planName = snakeName(basename(file));
  const earlier = listPlanEntries(env).filter((e) => e.request && (e.request.plan_file === file || e.request.plan_name === planName));
  const previous = earlier[earlier.length - 1];
  const id = newRequestId();
  const dir = join(planApprovalRoot(env), id);
  const artifactsDir = env.SASE_ARTIFACTS_DIR ? resolve(input.cwd, env.SASE_ARTIFACTS_DIR) : null;
  const promptFile = artifactsDir && existsSync(join(artifactsDir, 'expanded_prompt.md')) ? join(artifactsDir, 'expanded_prompt.md') : null;
  const request: PlanRequest = {
    plan_file: file,
    session_id: id,
    timestamp: input.now.getTime() / 1000,
    schema_version: 1,
    plan_name: planName,
    title: typeof before.title === 'string' ? before.title : null,
    tier,
    proposed_by: env.SASE_AGENT_NAME ?? null,
    parent_bead: parentBead,
    bead: env.SASE_BEAD_ID ?? null,
    agent_name: env.SASE_AGENT_NAME ?? null,
    artifacts_dir: artifactsDir,
    prompt_snapshot: artifactsDir ? promptSnapshotOfRun(artifactsDir) : null,
    prompt_file: promptFile,
    repo_root: findRepoRoot(file) ?? findRepoRoot(input.cwd),
    previous_id: previous?.id ?? null,
    version: earlier.length + 1,
  };
  await writeFileAtomic(join(dir, PLAN_FILES.plan), text);
  await writeJsonAtomic(join(dir, PLAN_FILES.request), request);
  if (artifactsDir) await writeJsonAtomic(join(artifactsDir, PLAN_FILES.pendingInRun), { id, request_path: join(dir, PLAN_FILES.request), plan_file: file });
  // ACE refresh pulse (§A.5 step 1): lets watchers notice the new PLAN state.
  await writeFileAtomic(join(saseHome(env), '.ace_refresh_pulse'), `${input.now.toISOString()}\n`);
  return { id, dir, request, stamped, warnings };
}

/**
 * The `%auto` approval kind in force for a proposal, or null: `$SASE_AUTO_APPROVE_PLAN` (`plan`|`tale`|`epic`),
 * else the run's `agent_meta.json` (`approve: true`, optional `auto_approve_plan_action`). Source: runtime.md §d.2.
 */
export function autoApprovalSetting(env: Env, cwd: string): string | null {
  const v = env.SASE_AUTO_APPROVE_PLAN;
  if (v !== undefined && v !== '' && v !== '0' && v !== 'false') return v;
  if (!env.SASE_ARTIFACTS_DIR) return null;
  const p = join(resolve(cwd, env.SASE_ARTIFACTS_DIR), 'agent_meta.json');
  if (!existsSync(p)) return null;
  try {
    const meta = JSON.parse(readFileSync(p, 'utf8')) as { approve?: unknown; auto_approve_plan_action?: unknown };
    if (meta.approve !== true) return null;
    return typeof meta.auto_approve_plan_action === 'string' ? meta.auto_approve_plan_action : 'plan';
  } catch {
    return null;
  }
}
