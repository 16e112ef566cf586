/**
 * Building new events: the current event-id digest form, timestamps, stream assignment (spec §B.2, §B.4).
 */
import { createHash } from 'node:crypto';
import type { BeadEvent, BeadIssue, BeadPayload } from './types.js';

/** A UTC timestamp in SASE's event form `YYYY-MM-DDTHH:MM:SSZ` (second precision). */
export function eventTimestamp(d: Date): string {
  return d.toISOString().slice(0, 19) + 'Z';
}

/**
 * The event id in the current digest form `<stream_id>:<ordinal 6 digits>:<operation>:<issue_id>:<sha256>`,
 * digest = sha256 hex of the compact JSON of `[schema_version, timestamp, actor, operation, issue_id, payload]`.
 * §B.2. Event ids are opaque keys; the ordinal (1 + events already in the stream) is informational only.
 */
export function eventId(streamId: string, ordinal: number, ev: Omit<BeadEvent, 'event_id'>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([ev.schema_version, ev.timestamp, ev.actor, ev.operation, ev.issue_id, ev.payload]))
    .digest('hex');
  return `${streamId}:${String(ordinal).padStart(6, '0')}:${ev.operation}:${ev.issue_id}:${digest}`;
}

/** Assembles a full event (envelope key order of §B.2) for a stream whose file holds `ordinal - 1` events. */
export function buildEvent(streamId: string, ordinal: number, timestamp: string, actor: string, issueId: string, payload: BeadPayload): BeadEvent {
  const base = { schema_version: 1 as const, timestamp, actor, operation: payload.kind, issue_id: issueId, payload };
  return {
    schema_version: 1,
    event_id: eventId(streamId, ordinal, base),
    timestamp,
    actor,
    operation: payload.kind,
    issue_id: issueId,
    payload,
  };
}

/**
 * The stream that owns events about `issue` (§B.4): a plan or task → its own id; a phase → its parent id when
 * that parent exists, else its own id.
 */
export function owningStream(issue: Pick<BeadIssue, 'id' | 'issue_type' | 'parent_id'>, exists: (id: string) => boolean): string {
  if (issue.issue_type === 'phase' && issue.parent_id && exists(issue.parent_id)) return issue.parent_id;
  return issue.id;
}

/** The stream id encoded at the front of an event id (text before the first `:`). */
export function streamOfEventId(eventIdText: string): string {
  const i = eventIdText.indexOf(':');
  return i === -1 ? eventIdText : eventIdText.slice(0, i);
}

/** Serialises one event as its stream line (compact JSON + `\n`, non-ASCII raw). */
export function eventLine(ev: BeadEvent): string {
  return JSON.stringify(ev) + '\n';
}

/** A complete `issue_updated` fields object with every field null except `set` (§B.3 serialization). */
export function updateFields(set: Partial<import('./types.js').IssueUpdateFields>): import('./types.js').IssueUpdateFields {
  const f: import('./types.js').IssueUpdateFields = {
    title: null, status: null, assignee: null, description: null, notes: null, design: null, model: null, size: null,
    closed_at: null, close_reason: null, changespec_name: null, changespec_bug_id: null, tier: null, is_ready_to_work: null,
  };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) (f as unknown as Record<string, unknown>)[k] = v;
  return f;
}
