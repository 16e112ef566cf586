/**
 * Import of a steveyegge/beads (`bd`) JSONL export into a SASE bead store, as events (never a projection).
 *
 * Mapping (spec/beads-sdd-changespecs.md §D "Import bd → SASE"): epic → plan (tier epic; a `sase:tier-plan` label
 * → tier plan); a child via `parent-child` → phase when its parent is an epic (a child epic → child plan), else a
 * standalone task (SASE tasks cannot have parents); `blocks`/`conditional-blocks`/`waits-for` → dependency; other
 * link types and edges to ids missing from the file → `bead:<id>` refs; `blocked` → open; `deferred` → snoozed
 * only for tasks with `defer_until`, else open; `hooked` → in_progress; `pinned` → open; comments →
 * `note_appended`; priority, labels and bd-only fields are dropped and reported. A `metadata` blob written by
 * `export-bd` restores SASE-only fields (model, is_ready_to_work, changespec_*, resolution, size, refs, snooze).
 * Each issue becomes one `issue_created` snapshot of its final state in the owning stream (§B.4), followed by its
 * dependency, reference and note events; event timestamps are clamped so that every parent and dependency target
 * is created before it is referenced.
 */
import { readFileSync } from 'node:fs';
import { InvalidDataError } from '../../errors/index.js';
import { buildEvent, eventTimestamp } from '../events.js';
import { operationPriority } from '../fold.js';
import type { BeadEvent, BeadIssue, BeadPayload } from '../types.js';
import { BD_BLOCKING_TYPES, BD_DERIVED_FIELDS, BD_SAME_FIELDS, type BdDependency, type BdImportReport, type BdIssue, type IdLists } from './types.js';

/** Options of {@link planBdImport}. */
export interface BdImportOptions {
  /** Name of the source (file path) for the report. */
  source: string;
  /** Actor for events whose bd row names no creator. */
  actor: string;
  /** Clock used for unparseable timestamps. */
  now: Date;
}

/** The events to append, the id prefix the store should use, and the report. */
export interface BdImportPlan {
  events: BeadEvent[];
  prefix: string;
  report: BdImportReport;
}

const KNOWN_KEYS = new Set<string>([
  ...BD_SAME_FIELDS, ...BD_DERIVED_FIELDS, 'status', 'issue_type', 'priority', 'labels', 'dependencies', 'comments', 'metadata', 'defer_until',
]);
const SIZES = new Set(['xsmall', 'small', 'medium', 'large', 'xlarge']);
const RESOLUTIONS = new Set(['done', 'canceled', 'superseded']);

/**
 * Parses bd JSONL text (blank lines skipped).
 * @throws InvalidDataError with file:line for a line that is not a JSON object with `id`
 */
export function parseBdJsonl(text: string, file: string): BdIssue[] {
  const rows: BdIssue[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new InvalidDataError(`not JSON: ${(e as Error).message}`, { location: { file, line: i + 1 } });
    }
    if (!v || typeof v !== 'object' || Array.isArray(v) || typeof (v as BdIssue).id !== 'string' || !(v as BdIssue).id) {
      throw new InvalidDataError('a bd issue row needs a string id', { location: { file, line: i + 1, field: 'id' } });
    }
    rows.push(v as BdIssue);
  });
  return rows;
}

/** Reads and parses a bd JSONL file. @throws InvalidDataError, fs errors */
export function readBdFile(path: string): BdIssue[] {
  return parseBdJsonl(readFileSync(path, 'utf8'), path);
}

/** Event timestamp for a bd time (RFC 3339) — second precision UTC; `fallback` when unparseable or missing. */
function evTs(v: unknown, fallback: string): string {
  if (typeof v !== 'string' || !v) return fallback;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)) return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? fallback : eventTimestamp(d);
}

const maxTs = (...xs: string[]): string => xs.reduce((a, b) => (b > a ? b : a));
const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function push(lists: IdLists, key: string, id: string): void {
  (lists[key] ??= []).push(id);
}

/** The most common text before the first `-` of the ids (the store's `issue_prefix`). */
export function commonPrefix(ids: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) {
    const i = id.indexOf('-');
    if (i > 0) counts.set(id.slice(0, i), (counts.get(id.slice(0, i)) ?? 0) + 1);
  }
  let best = 'bd';
  let n = 0;
  for (const [p, c] of counts) if (c > n || (c === n && p < best)) [best, n] = [p, c];
  return best;
}

function metadataOf(row: BdIssue): Record<string, unknown> {
  const m = row.metadata;
  if (m && typeof m === 'object' && !Array.isArray(m)) return m;
  if (typeof m === 'string' && m.trim().startsWith('{')) {
    try {
      const v = JSON.parse(m);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v;
    } catch {
      // Not JSON: reported as dropped below.
    }
  }
  return {};
}

/**
 * Plans the import of bd rows: the events to append (deterministic for the same input, so a re-import is a
 * no-op) and the report of what was mapped, converted and dropped.
 * @throws InvalidDataError when two rows share an id
 */
export function planBdImport(rows: readonly BdIssue[], opts: BdImportOptions): BdImportPlan {
  const nowTs = eventTimestamp(opts.now);
  const byId = new Map<string, BdIssue>();
  for (const r of rows) {
    if (byId.has(r.id)) throw new InvalidDataError(`duplicate bd issue id ${r.id}`, { location: { file: opts.source, field: 'id' } });
    byId.set(r.id, r);
  }
  const report: BdImportReport = {
    source: opts.source,
    issues: rows.length,
    counts: { plans: 0, phases: 0, tasks: 0, events: 0, streams: 0, dependencies: 0, refs: 0, notes: 0 },
    mapped_fields: [...BD_SAME_FIELDS, 'status', 'issue_type', 'parent-child → parent_id', 'blocks/conditional-blocks/waits-for → dependencies', 'other links → refs', 'comments → notes', 'defer_until → snooze'],
    converted: {},
    dangling_dependencies: [],
    dropped: {},
    skipped: {},
  };
  const conv = (field: string, key: string, id: string): void => push((report.converted[field] ??= {}), key, id);

  // Pass 1: kind of every issue (plan / phase / task) and its SASE parent.
  const labelsOf = (r: BdIssue): string[] => (Array.isArray(r.labels) ? r.labels.filter((l): l is string => typeof l === 'string') : []);
  const isEpic = (r: BdIssue | undefined): boolean => r?.issue_type === 'epic';
  const parentEdge = (r: BdIssue): BdDependency | undefined => (r.dependencies ?? []).find((d) => d && d.type === 'parent-child');
  const kind = new Map<string, { type: BeadIssue['issue_type']; parent: string | null }>();
  const parentIdOf = (r: BdIssue): string | undefined => parentEdge(r)?.depends_on_id ?? (typeof r.parent === 'string' ? r.parent : undefined);
  // Non-epics first: a child of an epic is a phase, anything else a standalone task.
  for (const r of rows) {
    if (isEpic(r)) continue;
    const pid = parentIdOf(r);
    const parent = pid ? byId.get(pid) : undefined;
    if (pid && parent && isEpic(parent)) {
      kind.set(r.id, { type: 'phase', parent: pid });
    } else {
      if (pid) conv('parent', parent ? `child of ${parent.issue_type} -> standalone task` : 'parent not in file -> standalone task', r.id);
      kind.set(r.id, { type: 'task', parent: null });
    }
  }
  // Epics: a child epic stays under an epic or a phase parent (SASE plans nest under plans and phases).
  for (const r of rows) {
    if (!isEpic(r)) continue;
    const pid = parentIdOf(r);
    const parent = pid ? byId.get(pid) : undefined;
    const keep = pid && parent && (isEpic(parent) || kind.get(pid)?.type === 'phase') ? pid : null;
    if (pid && !keep) conv('parent', parent ? `epic under ${parent.issue_type} -> top-level plan` : 'parent not in file -> dropped', r.id);
    kind.set(r.id, { type: 'plan', parent: keep });
  }

  // Owning stream (§B.4) and creation timestamps clamped after the parent's.
  const streamOf = (id: string): string => {
    const k = kind.get(id)!;
    return k.type === 'phase' && k.parent ? k.parent : id;
  };
  const createdTs = new Map<string, string>();
  const creationTs = (id: string, depth = 0): string => {
    const got = createdTs.get(id);
    if (got) return got;
    const r = byId.get(id)!;
    let ts = evTs(r.created_at, nowTs);
    const p = kind.get(id)!.parent;
    if (p && depth < 64) ts = maxTs(ts, creationTs(p, depth + 1));
    createdTs.set(id, ts);
    return ts;
  };

  const pending: Array<{ stream: string; ts: string; actor: string; issueId: string; payload: BeadPayload }> = [];
  for (const r of rows) {
    const k = kind.get(r.id)!;
    const labels = labelsOf(r);
    const meta = metadataOf(r);
    const actor = str(r.created_by) || str(r.owner) || opts.actor;
    const ts = creationTs(r.id);

    // Status.
    let status: BeadIssue['status'];
    let snooze: BeadIssue['snooze'] = null;
    const s = r.status;
    if (s === 'open' || s === 'in_progress' || s === 'closed') status = s;
    else if (s === 'blocked' || s === 'pinned') status = 'open';
    else if (s === 'hooked') status = 'in_progress';
    else if (s === 'deferred' && k.type === 'task' && typeof r.defer_until === 'string' && r.defer_until) {
      status = 'snoozed';
      snooze = { until: r.defer_until, snoozed_at: evTs(r.updated_at, ts), snoozed_by: actor, reason: 'Deferred in bd.' };
    } else status = 'open';
    if (k.type === 'task' && labels.includes('sase:ready') && status === 'open') status = 'ready';
    else if (labels.includes('sase:claimed') && status === 'in_progress') status = 'claimed';
    else if (status !== s) conv('status', `${s}->${status}`, r.id);
    if (s === 'deferred' && status === 'snoozed' && meta.snooze && typeof meta.snooze === 'object') snooze = meta.snooze as BeadIssue['snooze'];

    // Type and tier.
    const tier: BeadIssue['tier'] = k.type === 'plan' ? (labels.includes('sase:tier-plan') ? 'plan' : 'epic') : null;
    if (k.type === 'plan') report.counts.plans++;
    else if (k.type === 'phase') report.counts.phases++;
    else report.counts.tasks++;
    const bdType = r.issue_type;
    if (bdType !== 'epic' && bdType !== 'task') conv('issue_type', `${bdType}->${k.type === 'phase' ? 'phase' : 'task'}`, r.id);
    let taskType: string | null = null;
    const ttLabel = labels.find((l) => l.startsWith('sase:task-type:'));
    if (k.type === 'task') {
      const slug = (ttLabel ? ttLabel.slice('sase:task-type:'.length) : bdType !== 'task' ? bdType : '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '').slice(0, 32);
      if (slug) taskType = slug;
    }
    const sizeLabel = labels.find((l) => l.startsWith('size:'))?.slice(5);
    const size = k.type !== 'plan' && sizeLabel && SIZES.has(sizeLabel) ? (sizeLabel as BeadIssue['size']) : null;

    // Dropped fields (bd-only keys with a value) and unknown labels.
    for (const [key, v] of Object.entries(r)) {
      if (!KNOWN_KEYS.has(key) && nonEmpty(v) && v !== false) push(report.dropped, key, r.id);
    }
    if (typeof r.priority === 'number' && r.priority !== 2) push(report.dropped, 'priority', r.id);
    const sasLabels = new Set(['sase:ready', 'sase:claimed', 'sase:tier-plan', ...(ttLabel ? [ttLabel] : []), ...(size ? [`size:${size}`] : [])]);
    if (labels.some((l) => !sasLabels.has(l))) push(report.dropped, 'labels', r.id);
    if (r.metadata !== undefined && r.metadata !== null && Object.keys(metadataOf(r)).length === 0 && r.metadata !== '{}') push(report.dropped, 'metadata', r.id);

    const resolution = status === 'closed' && typeof meta.resolution === 'string' && RESOLUTIONS.has(meta.resolution) ? (meta.resolution as BeadIssue['resolution']) : null;
    const issue: Record<string, unknown> = {
      id: r.id,
      title: str(r.title),
      status,
      issue_type: k.type,
      ...(tier ? { tier } : {}),
      parent_id: k.parent,
      owner: str(r.owner),
      assignee: str(r.assignee),
      created_at: str(r.created_at),
      created_by: str(r.created_by),
      updated_at: str(r.updated_at) || str(r.created_at),
      closed_at: str(r.closed_at) || null,
      close_reason: str(r.close_reason) || null,
      ...(resolution ? { resolution } : {}),
      description: str(r.description),
      notes: str(r.notes),
      design: str(r.design),
      ...(snooze ? { snooze } : {}),
      model: typeof meta.model === 'string' ? meta.model : '',
      ...(size ? { size } : {}),
      ...(taskType ? { task_type: taskType } : {}),
      is_ready_to_work: k.type === 'plan' && meta.is_ready_to_work === true,
      changespec_name: k.type === 'plan' && typeof meta.changespec_name === 'string' ? meta.changespec_name : '',
      changespec_bug_id: k.type === 'plan' && typeof meta.changespec_bug_id === 'string' && typeof meta.changespec_name === 'string' && meta.changespec_name ? meta.changespec_bug_id : '',
      ...(str(r.external_ref) ? { external_ref: str(r.external_ref) } : {}),
      dependencies: [],
    };
    if (str(r.acceptance_criteria)) push(report.dropped, 'acceptance_criteria', r.id);
    const edge = parentEdge(r);
    if (edge && k.parent) {
      // SASE keeps only parent_id; the edge's own stamps are re-derived from the child on export.
      if (str(edge.created_at) && edge.created_at !== r.created_at) push(report.dropped, 'parent-child.created_at', r.id);
      if (str(edge.created_by) && edge.created_by !== str(r.created_by)) push(report.dropped, 'parent-child.created_by', r.id);
    }
    const stream = streamOf(r.id);
    pending.push({ stream, ts, actor, issueId: r.id, payload: { kind: 'issue_created', issue: issue as unknown as BeadIssue } });

    // Dependencies and links.
    const refs = new Set<string>();
    const seenDeps = new Set<string>();
    for (const d of r.dependencies ?? []) {
      if (!d || typeof d.depends_on_id !== 'string' || d.type === 'parent-child') continue;
      const target = d.depends_on_id;
      if (BD_BLOCKING_TYPES.includes(d.type) && byId.has(target) && target !== r.id) {
        if (seenDeps.has(target)) continue;
        seenDeps.add(target);
        if (d.type !== 'blocks') conv('dependency_type', `${d.type}->dependency`, r.id);
        const depTs = maxTs(evTs(d.created_at, ts), ts, creationTs(target));
        pending.push({
          stream,
          ts: depTs,
          actor: str(d.created_by) || actor,
          issueId: r.id,
          payload: { kind: 'dependency_added', dependency: { issue_id: r.id, depends_on_id: target, created_at: str(d.created_at) || depTs, created_by: str(d.created_by) } },
        });
        report.counts.dependencies++;
        continue;
      }
      if (!byId.has(target)) report.dangling_dependencies.push(`${r.id} -> ${target} (${d.type})`);
      else conv('dependency_type', `${d.type}->ref`, r.id);
      refs.add(`bead:${target}`);
    }
    if (Array.isArray(meta.refs)) for (const x of meta.refs) if (typeof x === 'string' && x) refs.add(x);
    for (const ref of refs) {
      pending.push({ stream, ts, actor, issueId: r.id, payload: { kind: 'reference_added', reference: ref } });
      report.counts.refs++;
    }
    for (const c of r.comments ?? []) {
      const text = str(c?.text).trim();
      if (!text) continue;
      pending.push({ stream, ts: maxTs(evTs(c.created_at, ts), ts), actor: str(c.author) || actor, issueId: r.id, payload: { kind: 'note_appended', entry: text } });
      report.counts.notes++;
    }
    if (Array.isArray(meta.close_history) && meta.close_history.length) push(report.dropped, 'metadata.close_history', r.id);
    if (Array.isArray(meta.plus_one_evidence) && meta.plus_one_evidence.length) push(report.dropped, 'metadata.plus_one_evidence', r.id);
  }

  // Group by stream, order by (timestamp, priority) keeping input order for ties, number the events.
  const streams = new Map<string, typeof pending>();
  for (const p of pending) {
    const list = streams.get(p.stream) ?? [];
    list.push(p);
    streams.set(p.stream, list);
  }
  const events: BeadEvent[] = [];
  for (const sid of [...streams.keys()].sort()) {
    const list = streams.get(sid)!.map((p, i) => ({ p, i }));
    list.sort((a, b) => (a.p.ts < b.p.ts ? -1 : a.p.ts > b.p.ts ? 1 : operationPriority(a.p.payload.kind) - operationPriority(b.p.payload.kind) || a.i - b.i));
    list.forEach(({ p }, n) => events.push(buildEvent(sid, n + 1, p.ts, p.actor, p.issueId, p.payload)));
  }
  report.counts.events = events.length;
  report.counts.streams = streams.size;
  return { events, prefix: commonPrefix(rows.map((r) => r.id)), report };
}
