/**
 * The `issues.jsonl` projection: byte-exact serialization of folded issues (spec §B.5 key order and omit
 * rules, §B.6 step 5: compact JSON, non-ASCII raw, `\n`-terminated, sorted by plain string id).
 */
import type { BeadIssue } from './types.js';

/** The issue as an object in SASE's key order with the omit rules applied (§B.5). */
export function issueWire(i: BeadIssue): Record<string, unknown> {
  const o: Record<string, unknown> = { id: i.id, title: i.title, status: i.status, issue_type: i.issue_type };
  if (i.tier !== null) o.tier = i.tier;
  o.parent_id = i.parent_id;
  o.owner = i.owner;
  o.assignee = i.assignee;
  o.created_at = i.created_at;
  o.created_by = i.created_by;
  o.updated_at = i.updated_at;
  o.closed_at = i.closed_at;
  o.close_reason = i.close_reason;
  if (i.resolution !== null) o.resolution = i.resolution;
  if (i.close_history.length) o.close_history = i.close_history;
  o.description = i.description;
  o.notes = i.notes;
  o.design = i.design;
  if (i.refs.length) o.refs = i.refs;
  if (i.links.length) o.links = i.links;
  if (i.plus_one_evidence.length) o.plus_one_evidence = i.plus_one_evidence;
  if (i.snooze !== null) o.snooze = i.snooze;
  o.model = i.model;
  if (i.size !== null) o.size = i.size;
  if (i.task_type !== null) o.task_type = i.task_type;
  if (Object.keys(i.task_type_fields).length) o.task_type_fields = i.task_type_fields;
  o.is_ready_to_work = i.is_ready_to_work;
  o.changespec_name = i.changespec_name;
  o.changespec_bug_id = i.changespec_bug_id;
  if (i.external_ref !== '') o.external_ref = i.external_ref;
  o.dependencies = i.dependencies;
  return o;
}

/** One projection line (compact JSON + `\n`). */
export function serializeIssue(i: BeadIssue): string {
  return JSON.stringify(issueWire(i)) + '\n';
}

/** The whole `issues.jsonl` text for issues already sorted and collapsed (see finishIssues). */
export function renderProjection(issues: readonly BeadIssue[]): string {
  let s = '';
  for (const i of issues) s += serializeIssue(i);
  return s;
}
