/**
 * Answering a plan: `approve` (kinds `approve` | `tale` | `epic` | `commit`) and `reject`. The response file is
 * written once (O_EXCL; a second answer is a CONFLICT); then the side effects run: the plan is copied to
 * `$SASE_HOME/plans/<YYYYMM>/<name>.md`, a tale is archived under `<sdd>/tales/<YYYYMM>/` and an epic under
 * `<sdd>/epics/<YYYYMM>/` with their prompt snapshot cross-linked, and `plan_approved.marker` is written.
 *
 * Launching the follow-up (coder run, `sase bead work`, replanner) is NOT done here: every answer returns a
 * {@link NextAction} describing what should happen next, for the run/bead integration to act on.
 * Sources: spec/beads-sdd-changespecs.md §A.5, spec/runtime.md §d.1 (steps 4–6), §d.2, runtime-vectors.md §8.
 */
import { mkdir, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { ConflictError, UsageError } from '../errors/index.js';
import { stringifyJson, writeFileAtomic, writeJsonAtomic, writeOnce } from '../store/atomic.js';
import { saseHome, type Env } from '../store/paths.js';
import { artifactDir, resolveSddRoot } from '../sdd/layout.js';
import { monthDir, snakeName } from '../sdd/naming.js';
import { setFrontmatterField } from '../sdd/links.js';
import { createUnique, writePromptSnapshot } from '../sdd/snapshot.js';
import { findPlanEntry, PLAN_FILES, readProposedText, type PlanEntry, type PlanResponse } from './store.js';

/** Approval kinds (§d.2): `approve` runs the coder without archiving; `tale` archives then runs the coder;
 * `epic` archives and starts bead work; `commit` only archives. */
export type ApprovalKind = 'approve' | 'tale' | 'epic' | 'commit';

/** What the integration should do after an answer. */
export type NextAction =
  | { action: 'launch_coder'; plan_file: string; prompt: string; model: string | null; name: string | null; cwd: string | null; env: Record<string, string> }
  | { action: 'bead_work'; plan_file: string; argv: string[]; cwd: string | null }
  | { action: 'relaunch_planner'; plan_file: string; feedback: string; agent_name: string | null; artifacts_dir: string | null }
  | { action: 'stop_planner'; agent_name: string | null }
  | { action: 'none' };

/** Result of {@link approvePlan} / {@link rejectPlan}. */
export interface AnswerResult {
  id: string;
  status: 'approved' | 'rejected';
  kind: ApprovalKind | 'reject';
  response: PlanResponse;
  /** Copy under `$SASE_HOME/plans/` (approvals only). */
  home_copy: string | null;
  /** Archived SDD plan (tale/epic/commit), absolute. */
  archived_plan: string | null;
  /** Its prompt snapshot, absolute. */
  archived_prompt: string | null;
  /** Agent status the planner should show (`PLAN APPROVED`, `TALE APPROVED`, `EPIC APPROVED`, `PLAN REJECTED`). */
  agent_status: string;
  next: NextAction;
}

/** Options of {@link approvePlan}. */
export interface ApproveOptions {
  env: Env;
  now: Date;
  /** Default: the plan's `tier` when it has one, else `approve`. */
  kind?: ApprovalKind;
  feedback?: string;
  /** Coder model (`-m`). */
  model?: string;
  /** Extra coder prompt (`-p`). */
  prompt?: string;
  /** SDD root override (default: `$SASE_SDD_DIR` or `<repo of the plan>/sdd`). */
  sddRoot?: string;
  /** `user` (default) or `auto` (%auto). */
  responder?: string;
}

/** Removes the proposing run's `pending_plan.json` (best effort). */
async function clearPendingInRun(entry: PlanEntry): Promise<void> {
  const art = entry.request?.artifacts_dir;
  if (art) await rm(join(art, PLAN_FILES.pendingInRun), { force: true }).catch(() => {});
}

function assertPending(entry: PlanEntry): void {
  if (entry.response) throw new ConflictError(`plan ${entry.id} was already answered (${entry.response.action})`, { data: { id: entry.id, response: entry.response } });
  if (!entry.request) throw new ConflictError(`plan request ${entry.id} was already consumed`, { data: { id: entry.id } });
}

function relTo(root: string, p: string): string {
  return relative(root, p).split(sep).join('/');
}

/** The response body for an approval kind (runtime-vectors.md §8). */
export function responseFor(kind: ApprovalKind, o: { feedback?: string; model?: string; prompt?: string; responder?: string }): PlanResponse {
  const r: PlanResponse =
    kind === 'epic'
      ? { action: 'epic' }
      : kind === 'commit'
        ? { action: 'approve', commit_plan: true, run_coder: false }
        : { action: 'approve', commit_plan: kind === 'tale', run_coder: true };
  if (o.prompt) r.coder_prompt = o.prompt;
  if (o.model) r.coder_model = o.model;
  if (o.feedback) r.feedback = o.feedback;
  r.kind = kind;
  r.responder = o.responder ?? 'user';
  return r;
}

/** Maps `%auto` / `%auto:tale` / `%auto:epic` (directive value, '' for bare) to an approval kind. @throws UsageError */
export function autoApprovalKind(value: string | undefined | null): ApprovalKind {
  const v = (value ?? '').trim();
  if (v === '' || v === 'plan' || v === 'approve' || v === 'true' || v === '1') return 'approve';
  if (v === 'tale' || v === 'epic' || v === 'commit') return v;
  throw new UsageError(`unknown %auto value ${JSON.stringify(value)}`, { hint: 'use %auto, %auto:tale or %auto:epic' });
}

/**
 * Approves a plan (id prefix; undefined = the single pending plan).
 * @throws NotFoundError, ConflictError (already answered — write-once), UsageError (tale/epic without an SDD root)
 */
export async function approvePlan(prefix: string | undefined, o: ApproveOptions): Promise<AnswerResult> {
  const entry = findPlanEntry(o.env, prefix);
  assertPending(entry);
  const req = entry.request!;
  const kind: ApprovalKind = o.kind ?? (req.tier === 'tale' || req.tier === 'epic' ? req.tier : 'approve');
  const archive = kind !== 'approve';
  const repo = req.repo_root ?? null;
  const sddRoot = o.sddRoot ?? (repo ? resolveSddRoot(repo, o.env) : null);
  if (archive && !sddRoot) throw new UsageError(`cannot archive plan ${entry.id}: it was not proposed inside a repository`, { hint: 'pass --root <sdd dir>' });
  const response = responseFor(kind, { ...o, responder: o.responder });
  await writeOnce(join(entry.dir, PLAN_FILES.response), stringifyJson(response));

  const text = readProposedText(entry) ?? '';
  const month = monthDir(o.now);
  const stem = snakeName(basename(req.plan_file));
  const homeDir = join(saseHome(o.env), 'plans', month);
  await mkdir(homeDir, { recursive: true });
  const homeCopy = join(homeDir, await createUnique(homeDir, stem, text));

  let archivedPlan: string | null = null;
  let archivedPrompt: string | null = null;
  if (archive && sddRoot) {
    const tier = kind === 'epic' ? 'epic' : 'tale';
    const dirRel = artifactDir(sddRoot, tier, month);
    const planName = await createUnique(join(sddRoot, dirRel), stem, '');
    const planRel = `${dirRel}/${planName}`;
    archivedPlan = join(sddRoot, planRel);
    // Prompt snapshot: reuse the run's snapshot when it lives in this SDD tree, else write one.
    let promptRel: string;
    const runSnap = req.prompt_snapshot;
    if (runSnap && existsSync(runSnap) && !relTo(sddRoot, runSnap).startsWith('..')) {
      promptRel = relTo(sddRoot, runSnap);
      await writeFileAtomic(runSnap, setFrontmatterField(readFileSync(runSnap, 'utf8'), 'plan', planRel));
      archivedPrompt = runSnap;
    } else {
      const promptText = req.prompt_file && existsSync(req.prompt_file) ? readFileSync(req.prompt_file, 'utf8') : `(prompt not recorded; plan proposed by ${req.proposed_by ?? 'a person'})\n`;
      const snap = await writePromptSnapshot(sddRoot, { sddRoot, prompt: promptText, name: planName, now: o.now, plan: planRel, extra: req.agent_name ? { agent: req.agent_name } : undefined });
      promptRel = snap.rel;
      archivedPrompt = snap.path;
    }
    let archived = text;
    archived = setFrontmatterField(archived, 'tier', tier);
    archived = setFrontmatterField(archived, 'prompt', promptRel);
    await writeFileAtomic(archivedPlan, archived);
  }
  await clearPendingInRun(entry);
  await writeJsonAtomic(join(entry.dir, PLAN_FILES.approvedMarker), { id: entry.id, kind, at: o.now.toISOString() });
  const planForWork = archivedPlan ?? homeCopy;
  const coderPrompt = [`Implement the approved plan in ${planForWork}.`, o.prompt, o.feedback ? `Reviewer notes: ${o.feedback}` : undefined].filter(Boolean).join('\n\n');
  const next: NextAction =
    kind === 'epic'
      ? { action: 'bead_work', plan_file: planForWork, argv: ['sase', 'bead', 'work', planForWork, '--yes-to-all'], cwd: repo }
      : kind === 'commit'
        ? { action: 'none' }
        : {
            action: 'launch_coder',
            plan_file: planForWork,
            prompt: coderPrompt,
            model: o.model ?? null,
            name: req.agent_name ? `${req.agent_name.replace(/--plan$/, '')}--code` : null,
            cwd: repo,
            env: { SASE_PLAN: planForWork },
          };
  const agentStatus = kind === 'epic' ? 'EPIC APPROVED' : kind === 'tale' ? 'TALE APPROVED' : kind === 'commit' ? 'PLAN COMMITTED' : 'PLAN APPROVED';
  const result: AnswerResult = { id: entry.id, status: 'approved', kind, response, home_copy: homeCopy, archived_plan: archivedPlan, archived_prompt: archivedPrompt, agent_status: agentStatus, next };
  await writeJsonAtomic(join(entry.dir, PLAN_FILES.outcome), result);
  return result;
}

/**
 * Rejects a plan; with feedback the planner should be relaunched with it (§A.5, runtime-vectors.md §8).
 * @throws NotFoundError, ConflictError (already answered)
 */
export async function rejectPlan(prefix: string | undefined, o: { env: Env; now: Date; feedback?: string; responder?: string }): Promise<AnswerResult> {
  const entry = findPlanEntry(o.env, prefix);
  assertPending(entry);
  const req = entry.request!;
  const response: PlanResponse = { action: 'reject' };
  if (o.feedback) response.feedback = o.feedback;
  response.kind = 'reject';
  response.responder = o.responder ?? 'user';
  await writeOnce(join(entry.dir, PLAN_FILES.response), stringifyJson(response));
  await clearPendingInRun(entry);
  const next: NextAction = o.feedback
    ? { action: 'relaunch_planner', plan_file: req.plan_file, feedback: o.feedback, agent_name: req.agent_name ?? null, artifacts_dir: req.artifacts_dir ?? null }
    : { action: 'stop_planner', agent_name: req.agent_name ?? null };
  const result: AnswerResult = { id: entry.id, status: 'rejected', kind: 'reject', response, home_copy: null, archived_plan: null, archived_prompt: null, agent_status: 'PLAN REJECTED', next };
  await writeJsonAtomic(join(entry.dir, PLAN_FILES.outcome), result);
  return result;
}
