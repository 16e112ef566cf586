/**
 * Validation of events (spec §B.2) and of folded issues (§B.5 invariants, `IssueWire::validate`).
 */
import { InvalidDataError, type SourceLocation } from '../errors/index.js';
import {
  BEAD_ISSUE_TYPES, BEAD_OPERATIONS, BEAD_RESOLUTIONS, BEAD_SIZES, BEAD_STATUSES, BEAD_TIERS,
  type BeadEvent, type BeadIssue,
} from './types.js';

const ENVELOPE_STRINGS = ['event_id', 'issue_id', 'timestamp', 'actor', 'operation'] as const;
const OPERATION_SET: ReadonlySet<string> = new Set(BEAD_OPERATIONS);
const STATUS_SET: ReadonlySet<string> = new Set(BEAD_STATUSES);

/** The problems of a valid event (shared; frozen). */
const NO_PROBLEMS: readonly string[] = Object.freeze([]);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks one event against the envelope rules of §B.2 and returns a list of problems (empty = valid).
 * Rules: schema_version 1; non-empty event_id, issue_id, timestamp; known operation; payload.kind ==
 * operation; `issue_created.issue.id == issue_id`; `dependency_*.dependency.issue_id == issue_id`; note entry
 * non-blank; `epic_work_preclaimed.agent_name` non-empty; `issue_updated` carries ≥ 1 non-null field.
 * A valid event gets one shared, frozen empty list (no allocation per event on the fold's hot path).
 */
export function eventProblems(ev: unknown): readonly string[] {
  if (!isObj(ev)) return ['event is not a JSON object'];
  let out: string[] | null = null;
  if (ev.schema_version !== 1) (out ??= []).push(`unsupported schema_version: ${JSON.stringify(ev.schema_version)}`);
  if (typeof ev.event_id !== 'string' || typeof ev.issue_id !== 'string' || typeof ev.timestamp !== 'string' || typeof ev.actor !== 'string' || typeof ev.operation !== 'string') {
    for (const k of ENVELOPE_STRINGS) if (typeof ev[k] !== 'string') (out ??= []).push(`${k} must be a string`);
  }
  if (ev.event_id === '') (out ??= []).push('event_id is empty');
  if (ev.issue_id === '') (out ??= []).push('issue_id is empty');
  if (ev.timestamp === '') (out ??= []).push('timestamp is empty');
  if (out) return out;
  const op = ev.operation as string;
  if (!OPERATION_SET.has(op)) return [`unknown operation: ${op}`];
  const p = ev.payload;
  if (!isObj(p)) return ['payload must be an object'];
  if (p.kind !== op) return [`payload kind ${JSON.stringify(p.kind)} does not match operation ${op}`];
  const id = ev.issue_id as string;
  switch (op) {
    case 'issue_created':
      if (!isObj(p.issue)) (out ??= []).push('issue_created payload needs an issue');
      else if (p.issue.id !== id) (out ??= []).push(`issue_created payload id mismatch: ${String(p.issue.id)} != ${id}`);
      break;
    case 'issue_updated': {
      if (!isObj(p.fields)) {
        (out ??= []).push('issue_updated payload needs fields');
        break;
      }
      const f = p.fields;
      let any = 'resolution' in f;
      if (!any) {
        for (const k in f) {
          if (f[k] !== null && f[k] !== undefined) {
            any = true;
            break;
          }
        }
      }
      if (!any) (out ??= []).push('issue_updated must carry at least one non-null field');
      if (f.status != null && !STATUS_SET.has(f.status as string)) (out ??= []).push(`invalid status: ${String(f.status)}`);
      break;
    }
    case 'note_appended':
      if (typeof p.entry !== 'string' || p.entry.trim() === '') (out ??= []).push('note_appended entry cannot be empty or blank');
      break;
    case 'issue_closed':
      if (p.close_reason !== null && typeof p.close_reason !== 'string') (out ??= []).push('issue_closed close_reason must be a string or null');
      if (p.resolution !== undefined && !(BEAD_RESOLUTIONS as readonly unknown[]).includes(p.resolution)) (out ??= []).push(`invalid resolution: ${String(p.resolution)}`);
      break;
    case 'issue_removed':
      if (p.cascade_removed_issue_ids !== undefined && !Array.isArray(p.cascade_removed_issue_ids)) (out ??= []).push('cascade_removed_issue_ids must be a list');
      break;
    case 'dependency_added':
    case 'dependency_removed':
      if (!isObj(p.dependency) || typeof p.dependency.depends_on_id !== 'string') (out ??= []).push(`${op} payload needs a dependency`);
      else if (p.dependency.issue_id !== id) (out ??= []).push(`${op} payload issue_id mismatch: ${String(p.dependency.issue_id)} != ${id}`);
      break;
    case 'reference_added':
    case 'reference_removed':
      if (typeof p.reference !== 'string' || p.reference === '') (out ??= []).push(`${op} needs a reference`);
      break;
    case 'link_added':
    case 'link_removed':
      if (typeof p.target_ref !== 'string' || typeof p.relation !== 'string') (out ??= []).push(`${op} needs target_ref and relation`);
      break;
    case 'epic_work_preclaimed':
      if (typeof p.agent_name !== 'string' || p.agent_name === '') (out ??= []).push('epic_work_preclaimed agent_name is empty');
      break;
    case 'task_plus_one_recorded':
      if (!isObj(p.evidence) || typeof p.evidence.reporter !== 'string' || p.evidence.reporter.trim() === '') (out ??= []).push('task_plus_one_recorded needs evidence with a reporter');
      break;
    case 'task_snoozed':
      if (!isObj(p.snooze) || typeof p.snooze.until !== 'string') (out ??= []).push('task_snoozed needs a snooze with until');
      break;
  }
  return out ?? NO_PROBLEMS;
}

/**
 * Validates one event (§B.2).
 * @param where file/line used in the error location
 * @throws InvalidDataError naming the first problem
 */
export function validateEvent(ev: unknown, where: SourceLocation = {}): asserts ev is BeadEvent {
  const problems = eventProblems(ev);
  if (problems.length) throw new InvalidDataError(`invalid bead event: ${problems[0]}`, { location: where, details: [...problems] });
}

/** The §B.5 invariants broken by one issue (empty = valid). */
export function issueProblems(i: BeadIssue): string[] {
  const out: string[] = [];
  if (!(BEAD_STATUSES as readonly string[]).includes(i.status)) out.push(`invalid status ${i.status}`);
  if (!(BEAD_ISSUE_TYPES as readonly string[]).includes(i.issue_type)) out.push(`invalid issue_type ${i.issue_type}`);
  if (i.tier !== null && !(BEAD_TIERS as readonly string[]).includes(i.tier)) out.push(`invalid tier ${i.tier}`);
  if (i.size !== null && !(BEAD_SIZES as readonly string[]).includes(i.size)) out.push(`invalid size ${i.size}`);
  if (i.resolution !== null && !(BEAD_RESOLUTIONS as readonly string[]).includes(i.resolution)) out.push(`invalid resolution ${i.resolution}`);
  if (i.issue_type === 'phase' && (i.parent_id === null || i.tier !== null)) out.push('a phase needs parent_id and no tier');
  if (i.issue_type === 'task' && (i.parent_id !== null || i.tier !== null)) out.push('a task has no parent and no tier');
  if (i.issue_type !== 'task' && i.plus_one_evidence.length) out.push('only tasks carry plus_one_evidence');
  if (new Set(i.plus_one_evidence.map((e) => e.reporter)).size !== i.plus_one_evidence.length) out.push('plus_one_evidence reporters must be unique');
  if (i.issue_type !== 'plan' && i.is_ready_to_work) out.push('only plans may be is_ready_to_work');
  if (i.issue_type === 'plan' && i.size !== null) out.push('plans carry no size');
  if (i.issue_type !== 'task' && (i.task_type !== null || Object.keys(i.task_type_fields).length)) out.push('only tasks carry task_type');
  if (i.task_type !== null && !/^[a-z][a-z0-9_]{0,31}$/.test(i.task_type)) out.push('task_type must be a snake_case slug of at most 32 characters');
  if (i.issue_type !== 'plan' && (i.changespec_name !== '' || i.changespec_bug_id !== '')) out.push('only plans carry changespec fields');
  if (i.changespec_bug_id !== '' && i.changespec_name === '') out.push('changespec_bug_id requires changespec_name');
  if ((i.status === 'ready' || i.status === 'snoozed') && i.issue_type !== 'task') out.push(`status ${i.status} is only for tasks`);
  if ((i.snooze !== null) !== (i.status === 'snoozed')) out.push('snooze must be present exactly when status is snoozed');
  if (i.resolution !== null && i.status !== 'closed') out.push('resolution only when closed');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(i.model)) out.push('model contains control characters');
  return out;
}

/**
 * Validates a whole issue set: every §B.5 invariant, parents exist. Dependency targets may be missing (they
 * never block, §B.8).
 * @throws InvalidDataError listing every problem (`field` = the issue id of the first)
 */
export function validateIssues(issues: Iterable<BeadIssue>): void {
  const list = [...issues];
  const ids = new Set(list.map((i) => i.id));
  const problems: string[] = [];
  for (const i of list) {
    for (const p of issueProblems(i)) problems.push(`${i.id}: ${p}`);
    if (i.parent_id !== null && !ids.has(i.parent_id)) problems.push(`${i.id}: parent ${i.parent_id} does not exist`);
  }
  if (problems.length) throw new InvalidDataError(`invalid bead state: ${problems[0]}`, { details: problems, data: { problems } });
}
