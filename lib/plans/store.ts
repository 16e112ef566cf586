/**
 * The plan-approval file contract (spec/runtime.md §d.1, runtime-vectors.md §8):
 * `$SASE_HOME/plan_approval/<id>/plan_request.json` = `{plan_file, session_id, timestamp, …}` (sase adds the
 * proposal's provenance), `plan.md` (the proposed text, kept for diffs), `plan_response.json` written exactly once
 * (O_EXCL) by the responder, and `plan_approved.marker` after an approval. "Handled" = the response exists or the
 * request file has disappeared (a poller consumed it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../errors/index.js';
import { readJsonSyncOrNull } from '../store/json.js';
import { saseHome, type Env } from '../store/paths.js';
import { listRequestIds, resolvePrefix } from './ids.js';

/** File names inside one request directory. */
export const PLAN_FILES = {
  request: 'plan_request.json',
  response: 'plan_response.json',
  plan: 'plan.md',
  approvedMarker: 'plan_approved.marker',
  outcome: 'plan_outcome.json',
  /** Written into the proposing run's artifact dir while the plan waits (the runs layer shows PLAN). */
  pendingInRun: 'pending_plan.json',
} as const;

/** `plan_request.json`. The first three keys are SASE's contract; the rest is sase provenance (all optional). */
export interface PlanRequest {
  plan_file: string;
  session_id: string;
  /** Seconds since the epoch (float), as SASE writes it. */
  timestamp: number;
  schema_version?: number;
  /** snake_case stem of the plan file; versions of the same plan share it. */
  plan_name?: string;
  title?: string | null;
  tier?: 'tale' | 'epic' | null;
  proposed_by?: string | null;
  parent_bead?: string | null;
  bead?: string | null;
  agent_name?: string | null;
  artifacts_dir?: string | null;
  /** Absolute path of the run's prompt snapshot (from the run's events), when known. */
  prompt_snapshot?: string | null;
  /** Absolute path of a file holding the prompt text, when known. */
  prompt_file?: string | null;
  /** Repository the plan was proposed from (for the SDD archive). */
  repo_root?: string | null;
  /** Id of the previous proposal of the same plan, when there is one. */
  previous_id?: string | null;
  /** 1-based version number among proposals of the same plan. */
  version?: number;
}

/** `plan_response.json` (runtime-vectors.md §8). */
export interface PlanResponse {
  action: 'approve' | 'reject' | 'epic' | 'legend';
  commit_plan?: boolean;
  run_coder?: boolean;
  coder_prompt?: string;
  coder_model?: string;
  feedback?: string;
  /** sase: which approval kind produced this (`approve`, `tale`, `epic`, `commit`). */
  kind?: string;
  /** sase: who answered (`user`, `auto`). */
  responder?: string;
}

/** Status of a request. */
export type PlanStatus = 'proposed' | 'approved' | 'rejected' | 'handled';

/** A request as listed. */
export interface PlanEntry {
  id: string;
  dir: string;
  status: PlanStatus;
  request: PlanRequest | null;
  response: PlanResponse | null;
}

/** `$SASE_HOME/plan_approval`. */
export function planApprovalRoot(env: Env): string {
  return join(saseHome(env), 'plan_approval');
}

/** Status from the files present (the §d.1 "handled" test). */
export function planStatusOf(request: PlanRequest | null, response: PlanResponse | null): PlanStatus {
  if (response) return response.action === 'reject' ? 'rejected' : 'approved';
  return request ? 'proposed' : 'handled';
}

/** Reads one request directory. */
export function readPlanEntry(root: string, id: string): PlanEntry {
  const dir = join(root, id);
  const request = readJsonSyncOrNull<PlanRequest>(join(dir, PLAN_FILES.request));
  const response = readJsonSyncOrNull<PlanResponse>(join(dir, PLAN_FILES.response));
  return { id, dir, status: planStatusOf(request, response), request, response };
}

/** Every request, oldest first (by request timestamp, then id). */
export function listPlanEntries(env: Env): PlanEntry[] {
  const root = planApprovalRoot(env);
  return listRequestIds(root)
    .map((id) => readPlanEntry(root, id))
    .sort((a, b) => (a.request?.timestamp ?? 0) - (b.request?.timestamp ?? 0) || (a.id < b.id ? -1 : 1));
}

/**
 * Finds a request by id prefix; with no prefix, the single pending one.
 * @throws NotFoundError / ConflictError (none or several match)
 */
export function findPlanEntry(env: Env, prefix: string | undefined): PlanEntry {
  const root = planApprovalRoot(env);
  if (prefix === undefined || prefix === '') {
    const pending = listPlanEntries(env).filter((e) => e.status === 'proposed');
    if (pending.length === 1) return pending[0]!;
    if (pending.length === 0) throw new NotFoundError('no pending plan', { hint: "run 'sase plan list --all'" });
    return readPlanEntry(root, resolvePrefix(pending.map((p) => p.id), '', 'plan'));
  }
  return readPlanEntry(root, resolvePrefix(listRequestIds(root), prefix, 'plan'));
}

/** The proposed text of a request (`plan.md`, else the current content of `plan_file`), or null. */
export function readProposedText(entry: PlanEntry): string | null {
  const p = join(entry.dir, PLAN_FILES.plan);
  if (existsSync(p)) return readFileSync(p, 'utf8');
  const f = entry.request?.plan_file;
  return f && existsSync(f) ? readFileSync(f, 'utf8') : null;
}
