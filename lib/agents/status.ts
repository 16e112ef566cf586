/**
 * Status vocabulary, derivation from marker files, and SASE's pure bucket function.
 * Rules: spec/runtime.md §a.5; seed 001 (`group_agent_statuses`); SASE `src/sase/agent/status_buckets.py`.
 */
import type { DoneMarker } from './types.js';

/** Statuses sase writes itself. SASE's wider vocabulary (PLAN…, QUESTION, MONITORING, …) is accepted on read. */
export const STATUSES = ['STARTING', 'RUNNING', 'WAITING', 'QUESTION', 'PLAN', 'DONE', 'FAILED', 'FAILED (timeout)', 'KILLED', 'STOPPED'] as const;

/** Buckets in SASE's display order. */
export const BUCKETS = ['Stopped', 'Failed', 'Running', 'Waiting', 'Done'] as const;
/** One of {@link BUCKETS}: the display group an agent status falls in (seed 001 `group_agent_statuses`). */
export type Bucket = (typeof BUCKETS)[number];

/** Glyph per bucket (SASE AGENT_STATUS_BUCKET_GLYPHS). */
export const BUCKET_GLYPHS: Readonly<Record<Bucket, string>> = { Stopped: '▲', Failed: '✗', Running: '▶', Waiting: '⏳', Done: '✓' };

const DONE_STATUSES = new Set(['DONE', 'PLAN DONE', 'TALE DONE', 'PLAN REJECTED', 'EPIC CREATED', 'EPIC APPROVED', 'PLAN COMMITTED']);
const STOPPED_STATUSES = new Set(['PLAN', 'QUESTION']);

/**
 * Maps a display status to its bucket (pure). SASE's rule: Done set → Done; PLAN/QUESTION → Stopped;
 * PLAN APPROVED/TALE APPROVED → Running; WAITING → Waiting; prefix `FAILED` → Failed; anything else → Running.
 * sase extensions (documented in docs/runs.md): `KILLED` (a terminal failure) → Failed, `STOPPED` (a repeat slot
 * finished by STOP, outcome completed) → Done.
 */
export function bucketOf(status: string | null | undefined): Bucket {
  const s = status ?? '';
  if (DONE_STATUSES.has(s)) return 'Done';
  if (STOPPED_STATUSES.has(s)) return 'Stopped';
  if (s === 'PLAN APPROVED' || s === 'TALE APPROVED') return 'Running';
  if (s === 'WAITING') return 'Waiting';
  if (s.startsWith('FAILED')) return 'Failed';
  if (s === 'KILLED') return 'Failed';
  if (s === 'STOPPED') return 'Done';
  return 'Running';
}

/** One bucket with its agents, in input order. */
export interface StatusGroup<T> {
  bucket: Bucket;
  agents: T[];
}

/**
 * SASE `group_agent_statuses`: groups agents by {@link bucketOf} in display order (Stopped, Failed, Running,
 * Waiting, Done), keeping input order inside a bucket and omitting empty buckets.
 */
export function groupAgentStatuses<T extends { status: string }>(agents: readonly T[]): StatusGroup<T>[] {
  const by = new Map<Bucket, T[]>();
  for (const a of agents) {
    const b = bucketOf(a.status);
    let list = by.get(b);
    if (!list) by.set(b, (list = []));
    list.push(a);
  }
  return BUCKETS.filter((b) => by.has(b)).map((b) => ({ bucket: b, agents: by.get(b)! }));
}

/** SASE `status_bucket_header`: e.g. `▶ Running (3)`. */
export function statusBucketHeader(bucket: Bucket, count: number): string {
  return `${BUCKET_GLYPHS[bucket]} ${bucket} (${count})`;
}

/** True for statuses that will not change any more. */
export function isTerminalStatus(status: string): boolean {
  const b = bucketOf(status);
  return b === 'Done' || b === 'Failed';
}

/** True when the outcome satisfies a `%wait` on the run (spec/runtime.md §a.3). */
export function outcomeSatisfiesWait(outcome: string | undefined): boolean {
  return outcome === 'completed' || outcome === 'noop' || outcome === 'epic_approved' || outcome === 'plan_committed';
}

/** The presence of each marker file that status derivation looks at. */
export interface MarkerState {
  done: Partial<DoneMarker> | null;
  /** done.json exists (even when unreadable: it still means terminal). */
  doneExists: boolean;
  pendingQuestion: boolean;
  plan: boolean;
  waiting: boolean;
  ready: boolean;
  running: boolean;
  /** Whether the runner pid is alive; only consulted when `running`. */
  runnerAlive: boolean;
}

/**
 * Derives the display status from markers (spec/runtime.md §a.5 derivation): done.json → terminal status
 * (`status_label` when present, else from the outcome); pending question → QUESTION; submitted plan → PLAN;
 * waiting without ready → WAITING; running.json → RUNNING (a dead runner is `STALE`, which callers terminalize);
 * nothing → STARTING.
 */
export function deriveStatus(m: MarkerState): string {
  if (m.doneExists) {
    const d = m.done;
    if (!d) return 'FAILED';
    if (d.status_label) return d.status_label;
    if (d.repeat_stopped) return 'STOPPED';
    if (d.outcome === 'completed' || d.outcome === 'noop') return 'DONE';
    if (d.outcome === 'killed') return 'KILLED';
    return 'FAILED';
  }
  if (m.pendingQuestion) return 'QUESTION';
  if (m.plan) return 'PLAN';
  if (m.waiting && !m.ready) return 'WAITING';
  if (m.running) return m.runnerAlive ? 'RUNNING' : 'STALE';
  return 'STARTING';
}
