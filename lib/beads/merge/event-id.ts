/**
 * Event-id minting and id remapping used when a merge relocates a duplicated bead.
 *
 * Rule source: spec/beads-sdd-changespecs.md §B.2 (current event-id form
 * `<stream_id>:<ordinal 6 digits>:<operation>:<issue_id>:<sha256-hex>`, digest over the compact JSON of
 * `[schema_version, timestamp, actor, operation, issue_id, payload]`) and §B.11 (relocated events are re-minted).
 */
import { eventId } from '../events.js';
import type { BeadEvent } from '../types.js';

/** A stream event as parsed from a line (kept loose: a merge must carry unknown keys through untouched). */
export interface RawEvent {
  schema_version: number;
  event_id: string;
  timestamp: string;
  actor: string;
  operation: string;
  issue_id: string;
  payload: Record<string, any>;
  [key: string]: unknown;
}

/**
 * Mints an event id in the current digest form (delegates to the store's own minting, events.ts).
 * @param ordinal 1-based position of the event in its stream (informational; uniqueness comes from the digest)
 */
export function mintEventId(streamId: string, ordinal: number, ev: Omit<RawEvent, 'event_id'>): string {
  return eventId(streamId, ordinal, ev as unknown as Omit<BeadEvent, 'event_id'>);
}

/** True when `id` is `root` or one of its dotted descendants (`root.1`, `root.1.2`). */
export function inSubtree(id: string, root: string): boolean {
  return id === root || id.startsWith(root + '.');
}

/** Maps `old` → `neu` and `old.<rest>` → `neu.<rest>`; any other id is returned unchanged. */
export function remapId(id: string, old: string, neu: string): string {
  if (id === old) return neu;
  if (id.startsWith(old + '.')) return neu + id.slice(old.length);
  return id;
}

/**
 * Returns a copy of `ev` with every bead id it carries remapped (`issue_id`, the created snapshot's
 * `id/parent_id/dependencies`, dependency payloads, forced/cascade id lists, `bead:` link targets) and a freshly
 * minted event id for `streamId`/`ordinal`. Key order of the event and its payload is preserved.
 */
export function remapEvent(ev: RawEvent, old: string, neu: string, streamId: string, ordinal: number): RawEvent {
  const r = (s: unknown): unknown => (typeof s === 'string' ? remapId(s, old, neu) : s);
  const payload: Record<string, any> = structuredClone(ev.payload);
  const remapDep = (d: any): void => {
    if (d && typeof d === 'object') {
      d.issue_id = r(d.issue_id);
      d.depends_on_id = r(d.depends_on_id);
    }
  };
  if (payload.issue && typeof payload.issue === 'object') {
    payload.issue.id = r(payload.issue.id);
    if (typeof payload.issue.parent_id === 'string') payload.issue.parent_id = r(payload.issue.parent_id);
    if (Array.isArray(payload.issue.dependencies)) payload.issue.dependencies.forEach(remapDep);
  }
  if (payload.dependency) remapDep(payload.dependency);
  for (const key of ['forced_descendant_ids', 'cascade_removed_issue_ids']) {
    if (Array.isArray(payload[key])) payload[key] = payload[key].map(r);
  }
  if (typeof payload.target_ref === 'string' && payload.target_ref.startsWith('bead:')) {
    payload.target_ref = 'bead:' + remapId(payload.target_ref.slice(5), old, neu);
  }
  const out: RawEvent = { ...ev, issue_id: remapId(ev.issue_id, old, neu), payload };
  out.event_id = mintEventId(streamId, ordinal, out);
  return out;
}
