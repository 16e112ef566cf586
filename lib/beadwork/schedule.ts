/**
 * Kahn waves over an epic's phases (spec/beads-sdd-changespecs.md §A.6 step 6, sase-core `bead/work.rs`):
 * - only non-closed phases of the epic are scheduled; a phase with a non-closed child plan is *delegated* (skipped);
 * - a dependency on a closed bead (inside or outside the epic) is satisfied;
 * - a dependency on a non-closed bead outside the epic is an error (`cross_epic_blocker`);
 * - a dependency on a missing bead is a warning (`dangling_dependency`) and treated as satisfied;
 * - a dependency on a delegated phase waits for nothing (the phase closes when its child epic lands) but keeps its
 *   order: dependents are scheduled after it would have been;
 * - inside a wave phases are ordered by `(created_at, id)`; whatever cannot be ordered is a `cycle` error.
 * Pure: no I/O.
 */
import type { BeadCore } from '../beads/types.js';

/** One finding of the scheduler. */
export interface ScheduleIssue {
  code: 'cross_epic_blocker' | 'dangling_dependency' | 'cycle';
  severity: 'error' | 'warning';
  bead: string;
  /** The dependency at fault (cycle: the members). */
  depends_on: string[];
  message: string;
}

/** A scheduled phase with the in-epic blockers it must wait for. */
export interface ScheduledPhase {
  id: string;
  wave: number;
  /** Non-closed, non-delegated phases of this epic whose runs this phase waits on (direct dependencies; `%wait`). */
  blockers: string[];
  /** Every non-closed in-epic dependency, delegated ones included: closure waits (`%wait(bead=<id>)`). */
  bead_waits: string[];
}

/** Result of {@link scheduleEpic}. */
export interface EpicSchedule {
  epic: string;
  waves: string[][];
  phases: ScheduledPhase[];
  delegated: string[];
  closed: string[];
  issues: ScheduleIssue[];
  /** True when any issue is an error (nothing may be launched). */
  blocked: boolean;
}

function order(a: BeadCore, b: BeadCore): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Schedules the phases of `epicId` over `issues` (all beads of the store). */
export function scheduleEpic(epicId: string, issues: readonly BeadCore[]): EpicSchedule {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const phases = issues.filter((i) => i.parent_id === epicId && i.issue_type === 'phase').sort(order);
  const closed = phases.filter((p) => p.status === 'closed').map((p) => p.id);
  const delegated = phases
    .filter((p) => p.status !== 'closed' && issues.some((c) => c.parent_id === p.id && c.issue_type === 'plan' && c.status !== 'closed'))
    .map((p) => p.id);
  const inEpic = new Set(phases.map((p) => p.id));
  const pending = phases.filter((p) => p.status !== 'closed');
  const issuesOut: ScheduleIssue[] = [];
  const edges = new Map<string, string[]>();
  for (const p of pending) {
    const deps: string[] = [];
    for (const d of p.dependencies) {
      const t = byId.get(d.depends_on_id);
      if (!t) {
        issuesOut.push({ code: 'dangling_dependency', severity: 'warning', bead: p.id, depends_on: [d.depends_on_id], message: `${p.id} depends on missing bead ${d.depends_on_id}; treated as satisfied` });
        continue;
      }
      if (t.status === 'closed') continue;
      if (!inEpic.has(t.id)) {
        issuesOut.push({ code: 'cross_epic_blocker', severity: 'error', bead: p.id, depends_on: [t.id], message: `${p.id} depends on ${t.id}, which is outside epic ${epicId} and not closed` });
        continue;
      }
      if (!deps.includes(t.id)) deps.push(t.id);
    }
    edges.set(p.id, deps);
  }
  const waves: string[][] = [];
  const placed = new Map<string, number>();
  let rest = pending.slice();
  while (rest.length > 0) {
    const wave = rest.filter((p) => (edges.get(p.id) ?? []).every((d) => placed.has(d)));
    if (wave.length === 0) break;
    const n = waves.length;
    for (const p of wave) placed.set(p.id, n);
    waves.push(wave.map((p) => p.id));
    rest = rest.filter((p) => !placed.has(p.id));
  }
  if (rest.length > 0) {
    const ids = rest.map((p) => p.id);
    issuesOut.push({ code: 'cycle', severity: 'error', bead: epicId, depends_on: ids, message: `dependency cycle among ${ids.join(', ')}` });
  }
  const skip = new Set(delegated);
  const out: ScheduledPhase[] = [];
  for (const [w, ids] of waves.entries()) {
    for (const id of ids) if (!skip.has(id)) out.push({ id, wave: w, blockers: (edges.get(id) ?? []).filter((d) => !skip.has(d)), bead_waits: [...(edges.get(id) ?? [])] });
  }
  const wavesOut = waves.map((ids) => ids.filter((id) => !skip.has(id))).filter((ids) => ids.length > 0);
  return { epic: epicId, waves: wavesOut, phases: out, delegated, closed, issues: issuesOut, blocked: issuesOut.some((i) => i.severity === 'error') };
}
