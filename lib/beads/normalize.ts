/**
 * Reader defaults for issue snapshots (spec §B.5): missing/null strings → "", empty-string
 * `parent_id/closed_at/close_reason` → null, missing `is_ready_to_work` → false, absent collections → empty.
 */
import type { BeadIssue } from './types.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}
function nullableStr(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A copy of a snapshot collection (objects copied one level), or [] when collections are not kept. */
function arr<T>(v: unknown, keep: boolean): T[] {
  if (!keep || !Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'object' && x !== null ? { ...x } : x)) as T[];
}

/**
 * Builds a complete {@link BeadIssue} from a raw snapshot (an `issue_created` payload or a legacy
 * `issues.jsonl` row). Collections are copied; `keepCollections` false empties dependencies, refs, links,
 * plus_one_evidence and close_history (the `issue_created` replay rule, §B.6).
 */
export function normalizeIssue(raw: Record<string, unknown>, keepCollections: boolean): BeadIssue {
  const tf = raw.task_type_fields;
  return {
    id: str(raw.id),
    title: str(raw.title),
    status: (str(raw.status) || 'open') as BeadIssue['status'],
    issue_type: (str(raw.issue_type) || 'task') as BeadIssue['issue_type'],
    tier: nullableStr(raw.tier) as BeadIssue['tier'],
    parent_id: nullableStr(raw.parent_id),
    owner: str(raw.owner),
    assignee: str(raw.assignee),
    created_at: str(raw.created_at),
    created_by: str(raw.created_by),
    updated_at: str(raw.updated_at),
    closed_at: nullableStr(raw.closed_at),
    close_reason: nullableStr(raw.close_reason),
    resolution: nullableStr(raw.resolution) as BeadIssue['resolution'],
    close_history: arr(raw.close_history, keepCollections),
    description: str(raw.description),
    notes: str(raw.notes),
    design: str(raw.design),
    refs: arr<string>(raw.refs, keepCollections),
    links: arr(raw.links, keepCollections),
    plus_one_evidence: arr(raw.plus_one_evidence, keepCollections),
    snooze: raw.snooze && typeof raw.snooze === 'object' ? ({ ...(raw.snooze as object) } as BeadIssue['snooze']) : null,
    model: str(raw.model),
    size: nullableStr(raw.size) as BeadIssue['size'],
    task_type: nullableStr(raw.task_type),
    task_type_fields: tf && typeof tf === 'object' && !Array.isArray(tf) ? { ...(tf as Record<string, unknown>) } : {},
    is_ready_to_work: raw.is_ready_to_work === true,
    changespec_name: str(raw.changespec_name),
    changespec_bug_id: str(raw.changespec_bug_id),
    external_ref: str(raw.external_ref),
    dependencies: arr(raw.dependencies, keepCollections),
  };
}

/** A deep copy of an issue (fold results are mutated in place while replaying). */
export function cloneIssue(issue: BeadIssue): BeadIssue {
  return structuredClone(issue);
}
