/**
 * Replay (fold) of bead event streams into issues — SASE fold rule, spec/beads-sdd-changespecs.md §B.6.
 *
 * Streams are interleaved with a k-way merge of their heads by `(timestamp, priority, event_id, stream_index)`;
 * order inside a stream is always file order (never a global sort, pitfall 1).
 */
import { InvalidDataError } from '../errors/index.js';
import { normalizeIssue } from './normalize.js';
import type { BeadEvent, BeadIssue, BeadStream, CloseRecord, FoldOptions, ReopenVia } from './types.js';

/** Merge priority of an operation at equal timestamps (§B.6 step 2). */
export function operationPriority(op: string): number {
  switch (op) {
    case 'issue_created':
      return 0;
    case 'dependency_added':
      return 2;
    case 'dependency_removed':
      return 3;
    case 'reference_added':
      return 4;
    case 'reference_removed':
      return 5;
    case 'link_added':
      return 6;
    case 'link_removed':
      return 7;
    default:
      return 1;
  }
}

/** The head of one stream in the replay heap: its current event (never null while in the heap), priority, index. */
export interface ReplayHead {
  ev: BeadEvent | null;
  /** {@link operationPriority} of `ev`. */
  pri: number;
  /** Index of the stream (the final tie-break). */
  stream: number;
}

interface Head extends ReplayHead {
  ev: BeadEvent;
  pos: number;
}

/** Replay order of two heads (§B.6 step 2): timestamp, then operation priority, then event id, then stream index. */
function replayLess(a: ReplayHead, b: ReplayHead): boolean {
  const x = a.ev!;
  const y = b.ev!;
  if (x.timestamp !== y.timestamp) return x.timestamp < y.timestamp;
  if (a.pri !== b.pri) return a.pri < b.pri;
  if (x.event_id !== y.event_id) return x.event_id < y.event_id;
  return a.stream < b.stream;
}

/**
 * Restores replay order (a binary min-heap by {@link replayLess}) below index `i` of `heap` — the heap of stream
 * heads {@link forEachMerged} merges streams with. lazy-fold.ts keeps its own copy over its monomorphic cursors on
 * purpose: sharing this one (or a comparator parameter) makes the cold fold's hottest call site polymorphic.
 */
function siftDownReplay(heap: ReplayHead[], i: number): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < n && replayLess(heap[l]!, heap[m]!)) m = l;
    if (r < n && replayLess(heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    const tmp = heap[i]!;
    heap[i] = heap[m]!;
    heap[m] = tmp;
    i = m;
  }
}

/**
 * Interleaves streams (already sorted by stream id) into replay order with a binary heap over the stream heads,
 * calling `visit` for each event with the index of its stream.
 */
export function forEachMerged(streams: readonly Pick<BeadStream, 'events'>[], visit: (event: BeadEvent, stream: number) => void): void {
  const heap: Head[] = [];
  const sift = (i: number): void => siftDownReplay(heap, i);
  streams.forEach((s, i) => {
    const ev = s.events[0];
    if (ev) heap.push({ ev, pri: operationPriority(ev.operation), stream: i, pos: 0 });
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) sift(i);
  while (heap.length > 0) {
    const h = heap[0]!;
    visit(h.ev, h.stream);
    const next = streams[h.stream]!.events[h.pos + 1];
    if (next) {
      // Reuse the head object: replace the top and sift down.
      h.ev = next;
      h.pri = operationPriority(next.operation);
      h.pos++;
    } else {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    sift(0);
  }
}

/** Interleaves streams into replay order (see {@link forEachMerged}); returns each event with its stream index. */
export function mergeStreams(streams: readonly Pick<BeadStream, 'events'>[]): { event: BeadEvent; stream: number }[] {
  const out: { event: BeadEvent; stream: number }[] = [];
  forEachMerged(streams, (event, stream) => out.push({ event, stream }));
  return out;
}

/**
 * Per issue map: every id ever used as a dependency target → the issues that added a dependency on it (a superset
 * of the issues holding such an edge now: only `dependency_added` creates edges), so a removal visits just those
 * instead of scanning every issue.
 */
const dependents = new WeakMap<Map<string, BeadIssue>, Map<string, Set<BeadIssue>>>();

/**
 * Per issue: the notes string the last `note_appended` produced (it holds a non-space character and ends with one,
 * the trimmed entry, §B.3 note rule). While `issue.notes` is still that string, the next append skips the scans.
 */
const builtNotes = new WeakMap<BeadIssue, string>();

/** True for the characters of the RegExp class `\s` (ECMAScript WhiteSpace and LineTerminator; `trim` uses the same set). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;
}

/** `/\S/.test(s)` without the regex. */
function hasNonSpace(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (!isSpace(s.charCodeAt(k))) return true;
  return false;
}

/** §B.6 "archive close": push the current close into close_history, then clear closed_at/close_reason/resolution. */
function archiveClose(issue: BeadIssue, ts: string, via: ReopenVia, by?: string): void {
  if (issue.closed_at !== null) {
    const rec: CloseRecord = { closed_at: issue.closed_at } as CloseRecord;
    if (issue.close_reason !== null) rec.close_reason = issue.close_reason;
    if (issue.resolution !== null) rec.resolution = issue.resolution;
    rec.reopened_at = ts;
    rec.reopened_via = via;
    if (by !== undefined) rec.reopened_by = by;
    issue.close_history.push(rec);
  }
  issue.closed_at = null;
  issue.close_reason = null;
  issue.resolution = null;
}

function fail(ev: BeadEvent, message: string): never {
  throw new InvalidDataError(`bead replay failed at ${ev.event_id}: ${message}`, { data: { event_id: ev.event_id, issue_id: ev.issue_id } });
}

/**
 * Applies one event to the issue map in place (§B.6 step 3).
 * @throws InvalidDataError for a duplicate create or a dependency on a missing target (the whole replay fails)
 */
export function applyEvent(issues: Map<string, BeadIssue>, ev: BeadEvent, opts: FoldOptions = {}): void {
  const ts = ev.timestamp;
  const p = ev.payload;
  if (p.kind === 'issue_created') {
    if (issues.has(ev.issue_id)) fail(ev, `issue ${ev.issue_id} already exists`);
    issues.set(ev.issue_id, normalizeIssue(p.issue as Record<string, unknown>, false));
    return;
  }
  if (p.kind === 'issue_removed') {
    const gone = new Set([ev.issue_id, ...(p.cascade_removed_issue_ids ?? [])]);
    for (const id of gone) issues.delete(id);
    // Only the issues that ever added a dependency on a removed id can hold such an edge.
    const byTarget = dependents.get(issues);
    if (!byTarget) return;
    for (const id of gone) {
      for (const issue of byTarget.get(id) ?? []) {
        const deps = issue.dependencies;
        for (let k = 0; k < deps.length; k++) {
          if (gone.has(deps[k]!.depends_on_id)) {
            issue.dependencies = deps.filter((d) => !gone.has(d.depends_on_id));
            break;
          }
        }
      }
    }
    return;
  }
  const issue = issues.get(ev.issue_id);
  if (!issue) {
    // Events for an unknown (e.g. removed) issue are ignored, except a dependency_added which aborts (§B.6).
    if (p.kind === 'dependency_added') fail(ev, `unknown issue ${ev.issue_id}`);
    return;
  }
  switch (p.kind) {
    case 'issue_updated': {
      const f = p.fields;
      if (f.title != null) issue.title = f.title;
      if (f.status != null) issue.status = f.status;
      if (f.assignee != null) issue.assignee = f.assignee;
      if (f.description != null) issue.description = f.description;
      if (f.notes != null) issue.notes = f.notes;
      if (f.design != null) issue.design = f.design;
      if (f.model != null) issue.model = f.model;
      if (f.size != null) issue.size = f.size;
      if (f.closed_at != null) issue.closed_at = f.closed_at;
      if (f.close_reason != null) issue.close_reason = f.close_reason;
      if (f.changespec_name != null) issue.changespec_name = f.changespec_name;
      if (f.changespec_bug_id != null) issue.changespec_bug_id = f.changespec_bug_id;
      if (f.tier != null) issue.tier = f.tier;
      if (f.is_ready_to_work != null) issue.is_ready_to_work = f.is_ready_to_work;
      if ('resolution' in f) issue.resolution = f.resolution ?? null;
      if (f.external_ref != null) issue.external_ref = f.external_ref;
      if (f.task_type_fields != null) issue.task_type_fields = { ...f.task_type_fields };
      if (f.status != null) {
        issue.snooze = null;
        if (f.status !== 'closed') archiveClose(issue, ts, 'update');
      }
      issue.updated_at = ts;
      return;
    }
    case 'note_appended': {
      const entry = p.entry.trim();
      const line = `[${ts} \u00b7 ${ev.actor}] ${entry}`;
      const notes = issue.notes;
      // Notes this rule built last start with "[" and end with a trimmed entry: no need to read their characters
      // (reading a concatenated string flattens it — a full copy per append).
      if (builtNotes.get(issue) === notes) issue.notes = `${notes}\n\n${line}`;
      else if (!hasNonSpace(notes)) issue.notes = line;
      else issue.notes = `${isSpace(notes.charCodeAt(notes.length - 1)) ? notes.trimEnd() : notes}\n\n${line}`;
      if (entry !== '') builtNotes.set(issue, issue.notes);
      else builtNotes.delete(issue); // a blank entry (never valid, §B.2) leaves the notes ending with a space
      issue.updated_at = ts;
      return;
    }
    case 'issue_opened':
      issue.status = 'open';
      archiveClose(issue, ts, 'open');
      issue.snooze = null;
      issue.updated_at = ts;
      return;
    case 'issue_closed':
      if (issue.status !== 'closed' || issue.closed_at === null) {
        issue.status = 'closed';
        issue.closed_at = ts;
        issue.close_reason = p.close_reason ?? null;
        issue.resolution = p.resolution ?? null;
        issue.snooze = null;
        issue.updated_at = ts;
      }
      return;
    case 'dependency_added': {
      const target = p.dependency.depends_on_id;
      if (!issues.has(target)) fail(ev, `dependency target ${target} does not exist`);
      let byTarget = dependents.get(issues);
      if (!byTarget) dependents.set(issues, (byTarget = new Map()));
      const set = byTarget.get(target);
      if (set) set.add(issue);
      else byTarget.set(target, new Set([issue]));
      if (!issue.dependencies.some((d) => d.depends_on_id === target)) issue.dependencies.push({ ...p.dependency });
      return;
    }
    case 'dependency_removed':
      issue.dependencies = issue.dependencies.filter((d) => d.depends_on_id !== p.dependency.depends_on_id);
      return;
    case 'reference_added':
      if (!issue.refs.includes(p.reference)) issue.refs.push(p.reference);
      return;
    case 'reference_removed':
      issue.refs = issue.refs.filter((r) => r !== p.reference);
      return;
    case 'link_added': {
      const { kind: _k, ...link } = p;
      issue.links = issue.links.filter((l) => !(l.target_ref === p.target_ref && l.relation === p.relation));
      issue.links.push(link);
      return;
    }
    case 'link_removed':
      issue.links = issue.links.filter((l) => !(l.target_ref === p.target_ref && l.relation === p.relation));
      return;
    case 'ready_marked':
    case 'ready_unmarked':
      issue.is_ready_to_work = p.kind === 'ready_marked';
      issue.updated_at = ts;
      return;
    case 'epic_work_preclaimed':
      issue.status = 'in_progress';
      archiveClose(issue, ts, 'epic_preclaim');
      issue.snooze = null;
      issue.assignee = p.agent_name;
      issue.updated_at = ts;
      return;
    case 'task_plus_one_recorded': {
      if (issue.issue_type !== 'task') return;
      const ev1 = p.evidence;
      if (ev1.reporter === issue.created_by || issue.plus_one_evidence.some((e) => e.reporter === ev1.reporter)) return;
      issue.plus_one_evidence.push({ ...ev1 });
      for (const r of ev1.refs ?? []) if (!issue.refs.includes(r)) issue.refs.push(r);
      const wasClosed = issue.status === 'closed';
      let reopen = false;
      if (issue.status === 'open') reopen = true;
      else if (wasClosed) {
        reopen = !(ev1.observed_since && issue.closed_at && Date.parse(ev1.observed_since) <= Date.parse(issue.closed_at));
      }
      if (reopen) {
        issue.status = 'ready';
        archiveClose(issue, ts, 'plus_one', ev1.reporter);
        if (wasClosed && !opts.legacyPlusOne) issue.assignee = '';
      }
      issue.updated_at = ts;
      return;
    }
    case 'task_snoozed':
      issue.status = 'snoozed';
      issue.snooze = { ...p.snooze };
      issue.updated_at = ts;
      return;
    case 'task_snooze_canceled':
    case 'task_snooze_woken':
      issue.status = 'ready';
      issue.snooze = null;
      issue.updated_at = ts;
      return;
  }
}

/**
 * Folds streams (sorted by stream id) into the issue map (insertion order = replay order; callers sort).
 * @throws InvalidDataError when the replay fails (duplicate create, missing dependency target)
 */
export function foldStreams(streams: readonly Pick<BeadStream, 'events'>[], opts: FoldOptions = {}): Map<string, BeadIssue> {
  const issues = new Map<string, BeadIssue>();
  forEachMerged(streams, (event) => applyEvent(issues, event, opts));
  return issues;
}

/**
 * Final step of a fold (§B.6 step 4): sort by plain string id and collapse issues sharing a non-empty
 * `external_ref` (keep the earliest `created_at`, then the smaller id).
 */
export function finishIssues(issues: Iterable<BeadIssue>): BeadIssue[] {
  const list = [...issues].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const keep = new Map<string, BeadIssue>();
  for (const i of list) {
    if (i.external_ref === '') continue;
    const cur = keep.get(i.external_ref);
    if (!cur || i.created_at < cur.created_at || (i.created_at === cur.created_at && i.id < cur.id)) keep.set(i.external_ref, i);
  }
  if (keep.size === 0) return list;
  return list.filter((i) => i.external_ref === '' || keep.get(i.external_ref) === i);
}
