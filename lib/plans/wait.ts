/**
 * The proposer's side of §d.1: poll every 0.5 s for `plan_response.json`, then delete the request file (marking it
 * consumed) and return the response. Also the version diff shown by `sase plan show`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TimeoutError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import { findPlanEntry, planApprovalRoot, PLAN_FILES, readPlanEntry, readProposedText, type PlanEntry, type PlanResponse } from './store.js';

/** Options of {@link waitForPlanResponse}. */
export interface WaitOptions {
  /** Give up after this many ms (default: wait forever). */
  timeoutMs?: number;
  /** Poll interval in ms (default 500, §d.1 step 3). */
  pollMs?: number;
  /** Keep the request file instead of consuming it. */
  keepRequest?: boolean;
}

/**
 * Waits until the plan `id` is answered.
 * @throws TimeoutError (exit 8) when `timeoutMs` passes first
 */
export async function waitForPlanResponse(env: Env, id: string, o: WaitOptions = {}): Promise<PlanResponse> {
  const dir = join(planApprovalRoot(env), id);
  const resp = join(dir, PLAN_FILES.response);
  const deadline = o.timeoutMs === undefined ? Infinity : Date.now() + o.timeoutMs;
  for (;;) {
    if (existsSync(resp)) {
      let parsed: PlanResponse | null = null;
      try {
        parsed = JSON.parse(readFileSync(resp, 'utf8')) as PlanResponse;
      } catch {
        parsed = null; // still being written by a foreign (non-O_EXCL-fsync) writer; poll again
      }
      if (parsed) {
        if (!o.keepRequest) await rm(join(dir, PLAN_FILES.request), { force: true });
        return parsed;
      }
    }
    if (Date.now() >= deadline) throw new TimeoutError(`plan ${id} was not answered within ${o.timeoutMs} ms`, { data: { id } });
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
  }
}

/** Diff of a proposal against the previous proposal of the same plan. */
export interface PlanDiff {
  previous_id: string | null;
  /** Unified diff text ('' when there is no previous version or no change). */
  patch: string;
  added: number;
  removed: number;
}

/** Computes {@link PlanDiff} for `entry` (the `diff` package is imported lazily). */
export async function planVersionDiff(env: Env, entry: PlanEntry): Promise<PlanDiff> {
  const prevId = entry.request?.previous_id ?? null;
  if (!prevId || !existsSync(join(planApprovalRoot(env), prevId))) return { previous_id: null, patch: '', added: 0, removed: 0 };
  const prev = readPlanEntry(planApprovalRoot(env), prevId);
  const a = readProposedText(prev) ?? '';
  const b = readProposedText(entry) ?? '';
  const { createTwoFilesPatch } = await import('diff');
  const patch = a === b ? '' : createTwoFilesPatch(`${prevId}/plan.md`, `${entry.id}/plan.md`, a, b, '', '', { context: 3 });
  let added = 0;
  let removed = 0;
  for (const l of patch.split('\n').slice(2)) {
    if (l.startsWith('+') && !l.startsWith('+++')) added++;
    else if (l.startsWith('-') && !l.startsWith('---')) removed++;
  }
  return { previous_id: prevId, patch, added, removed };
}

/** Re-export for CLI convenience. */
export { findPlanEntry };
