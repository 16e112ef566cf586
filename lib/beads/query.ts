/**
 * Read-side rules over folded issues: active/blocked/ready (spec §B.8), list filters, relations for `show`.
 */
import { ACTIVE_STATUSES, type BeadCore, type BeadIssueType, type BeadStatus, type BeadTier } from './types.js';

/** True for the active statuses `open, claimed, ready, snoozed, in_progress` (§B.8). */
export function isActive(i: Pick<BeadCore, 'status'>): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(i.status);
}

/** Index of issues by id. */
export function indexIssues<T extends BeadCore>(issues: readonly T[]): Map<string, T> {
  return new Map(issues.map((i) => [i.id, i]));
}

/** The dependency targets of `i` that exist and are active (missing targets never block, §B.8). */
export function activeBlockers<T extends BeadCore>(i: BeadCore, byId: Map<string, T>): T[] {
  const out: T[] = [];
  for (const d of i.dependencies) {
    const t = byId.get(d.depends_on_id);
    if (t && isActive(t)) out.push(t);
  }
  return out;
}

/** Blocked ⇔ some dependency target exists and is active (§B.8). */
export function isBlocked(i: BeadCore, byId: Map<string, BeadCore>): boolean {
  return activeBlockers(i, byId).length > 0;
}

function byCreated(a: BeadCore, b: BeadCore): number {
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
}

/**
 * `sase bead ready` (§B.8). Current rule (sase-core `2e3ff72`, 2026-07-30): tasks with status `ready` that are not
 * blocked. Legacy rule (`legacy: true`): status `open` and (a phase or an epic-tier plan) and not blocked.
 * Sorted by `created_at` (stable, so ties keep id order).
 */
export function readyIssues<T extends BeadCore>(issues: readonly T[], opts: { legacy?: boolean } = {}): T[] {
  const byId = indexIssues(issues);
  const pick = opts.legacy
    ? (i: T) => i.status === 'open' && (i.issue_type === 'phase' || i.tier === 'epic')
    : (i: T) => i.issue_type === 'task' && i.status === 'ready';
  return issues.filter((i) => pick(i) && !isBlocked(i, byId)).sort(byCreated);
}

/** Active issues that are blocked, each with the ids blocking it; sorted by `created_at`. */
export function blockedIssues<T extends BeadCore>(issues: readonly T[]): { issue: T; blocked_by: string[] }[] {
  const byId = indexIssues(issues);
  return issues
    .filter((i) => isActive(i))
    .map((issue) => ({ issue, blocked_by: activeBlockers(issue, byId).map((b) => b.id) }))
    .filter((x) => x.blocked_by.length > 0)
    .sort((a, b) => byCreated(a.issue, b.issue));
}

/** Filters of `sase bead list`. Unset = any. */
export interface ListFilter {
  status?: BeadStatus[];
  type?: BeadIssueType[];
  tier?: BeadTier[];
  parent?: string;
  assignee?: string;
  /** Include closed beads (when no status filter is given). */
  all?: boolean;
  /** Cap on the number of closed beads shown when listing only closed ones (newest first). Default 20. */
  closedLimit?: number;
}

/**
 * `sase bead list`: default = active statuses (§B.8); `all` = everything; a status filter of only `closed`
 * shows the newest `closedLimit` (default 20) by `closed_at`/`updated_at`. Otherwise sorted by id.
 */
export function listIssues<T extends BeadCore>(issues: readonly T[], f: ListFilter = {}): T[] {
  let out = issues.filter((i) => {
    if (f.status && f.status.length) {
      if (!f.status.includes(i.status)) return false;
    } else if (!f.all && !isActive(i)) return false;
    if (f.type && f.type.length && !f.type.includes(i.issue_type)) return false;
    if (f.tier && f.tier.length && (i.tier === null || !f.tier.includes(i.tier))) return false;
    if (f.parent !== undefined && i.parent_id !== f.parent) return false;
    if (f.assignee !== undefined && i.assignee !== f.assignee) return false;
    return true;
  });
  if (f.status && f.status.length === 1 && f.status[0] === 'closed' && !f.all) {
    const key = (i: T) => i.closed_at ?? i.updated_at;
    out = [...out].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0)).slice(0, f.closedLimit ?? 20);
  }
  return out;
}

/** Direct children (`parent_id == id`), sorted by id. */
export function childrenOf<T extends BeadCore>(id: string, issues: readonly T[]): T[] {
  return issues.filter((i) => i.parent_id === id);
}

/** Every descendant through `parent_id` (depth-first, parents before children). */
export function descendantsOf<T extends BeadCore>(id: string, issues: readonly T[]): T[] {
  const kids = new Map<string, T[]>();
  for (const i of issues) if (i.parent_id !== null) kids.set(i.parent_id, [...(kids.get(i.parent_id) ?? []), i]);
  const out: T[] = [];
  const walk = (p: string): void => {
    for (const c of kids.get(p) ?? []) {
      out.push(c);
      walk(c.id);
    }
  };
  walk(id);
  return out;
}

/** Ancestors through `parent_id`, nearest first. */
export function ancestorsOf<T extends BeadCore>(id: string, byId: Map<string, T>): T[] {
  const out: T[] = [];
  const seen = new Set<string>([id]);
  let cur = byId.get(id)?.parent_id ?? null;
  while (cur !== null && !seen.has(cur)) {
    seen.add(cur);
    const p = byId.get(cur);
    if (!p) break;
    out.push(p);
    cur = p.parent_id;
  }
  return out;
}

/** Issues that depend on `id`. */
export function dependentsOf<T extends BeadCore>(id: string, issues: readonly T[]): T[] {
  return issues.filter((i) => i.dependencies.some((d) => d.depends_on_id === id));
}
