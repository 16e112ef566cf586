/**
 * Workflow human-in-the-loop (spec/runtime.md §d.1 "Workflow HITL"): a `hitl: true` step, after running, writes
 * `<step_dir>/hitl_request.json` and marks the workflow's record with `pending_question.json` (status QUESTION, so
 * `sase agent wait` reports it human-blocked), then polls for the write-once `hitl_response.json`:
 * `{"action":"accept","approved":true}`, `{"action":"reject","approved":false}` or
 * `{"action":"feedback","approved":false,"feedback":"…"}`. Answered by `sase agent answer NAME …`.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, NotFoundError } from '../../errors/index.js';
import { writeJsonAtomic, writeOnce, stringifyJson } from '../../store/atomic.js';
import { readJsonOrNull, RECORD_FILES } from '../../agents/records.js';

/** A HITL answer as stored in `hitl_response.json`. */
export interface HitlResponse {
  action: 'accept' | 'reject' | 'feedback';
  approved: boolean;
  feedback?: string;
  answered_at?: string;
}

/** The pending marker (`pending_question.json`) of a workflow waiting for a HITL answer. */
export interface PendingHitl {
  kind: 'hitl';
  workflow: string;
  step: string;
  step_dir: string;
  request_path: string;
  requested_at: string;
}

/**
 * Asks for approval of a step's result and waits for the answer (polling every `pollMs`).
 * @returns the answer, or null when `signal` aborted first
 */
export async function awaitHitl(
  rootDir: string,
  stepDir: string,
  req: { workflow: string; step: string; output: unknown; now: Date },
  signal: AbortSignal,
  pollMs = 150,
): Promise<HitlResponse | null> {
  const requestPath = join(stepDir, 'hitl_request.json');
  const responsePath = join(stepDir, 'hitl_response.json');
  if (existsSync(responsePath)) unlinkSync(responsePath);
  await writeJsonAtomic(requestPath, { workflow: req.workflow, step: req.step, output: req.output, requested_at: req.now.toISOString() });
  const pending: PendingHitl = { kind: 'hitl', workflow: req.workflow, step: req.step, step_dir: stepDir, request_path: requestPath, requested_at: req.now.toISOString() };
  await writeJsonAtomic(join(rootDir, RECORD_FILES.pendingQuestion), pending);
  try {
    while (!signal.aborted) {
      const r = readJsonOrNull<HitlResponse>(responsePath);
      if (r) return r;
      await new Promise((res) => setTimeout(res, pollMs));
    }
    return null;
  } finally {
    try {
      unlinkSync(join(rootDir, RECORD_FILES.pendingQuestion));
    } catch {
      // already gone
    }
  }
}

/**
 * Answers the pending HITL request of a workflow run (write-once).
 * @throws NotFoundError when the run has no pending HITL step; ConflictError when it was already answered
 */
export async function answerHitl(rootDir: string, answer: { action: 'approve' | 'reject' | 'feedback'; feedback?: string }, now: Date): Promise<{ step: string; response: HitlResponse }> {
  const pending = readJsonOrNull<PendingHitl>(join(rootDir, RECORD_FILES.pendingQuestion));
  if (!pending || pending.kind !== 'hitl') throw new NotFoundError('this run has no pending HITL step', { hint: "'sase agent show NAME' shows its status" });
  const response: HitlResponse =
    answer.action === 'approve'
      ? { action: 'accept', approved: true }
      : answer.action === 'reject'
        ? { action: 'reject', approved: false }
        : { action: 'feedback', approved: false, feedback: answer.feedback ?? '' };
  response.answered_at = now.toISOString();
  try {
    await writeOnce(join(pending.step_dir, 'hitl_response.json'), stringifyJson(response));
  } catch (e) {
    if (e instanceof ConflictError) throw new ConflictError(`step '${pending.step}' was already answered`, { data: { step: pending.step } });
    throw e;
  }
  return { step: pending.step, response };
}
