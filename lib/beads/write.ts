/**
 * Writing a bead store: one writer at a time (lock), load + fold, run a mutation that emits events, validate
 * the whole resulting issue set, then write only changed files through a write-ahead journal.
 *
 * Write protocol (spec §B.11, adapted for crash safety):
 *  1. take the store lock (`withLock` on `<store>/beads.db` → `beads.db.lock/`; `--wait`/timeout, else LOCKED);
 *  2. if a journal of a killed writer exists, roll it forward (it holds complete file contents, so redoing it
 *     is idempotent) and delete it;
 *  3. read + fold, run the mutation, re-fold everything with the new events and validate every issue
 *     (nothing is written when this fails);
 *  4. atomically write the journal `.bead-mutation-journal.json` with the full new content of every changed
 *     file (streams, manifest, config, issues.jsonl);
 *  5. atomically replace each changed file (temp + fsync + rename + dir fsync), then delete the journal.
 * A SIGKILL before step 4 completes leaves the old store; after it, readers overlay the journal and the next
 * writer (or `doctor --fix`) completes it. No file is ever torn: streams are rewritten atomically, not appended.
 */
import { writeFile, rm } from 'node:fs/promises';
import { relative, join } from 'node:path';
import { ConflictError } from '../errors/index.js';
import { stageFile, syncDir, syncPaths } from './fsio.js';
import { withLock } from '../store/lock.js';
import { buildEvent, eventLine, eventTimestamp, owningStream, streamOfEventId } from './events.js';
import { applyEvent, finishIssues, foldStreams } from './fold.js';
import { nextChildId, nextTopLevelId } from './ids.js';
import { renderProjection } from './project.js';
import { readJournal, readStoreSync, type MutationJournal, type StoreSnapshot } from './read.js';
import { storePaths, streamFile, type StorePaths } from './paths.js';
import { validateEvent, validateIssues } from './validate.js';
import { bumpGeneration, dropCache, writeCache } from './cache-write.js';
import type { BeadConfig, BeadEvent, BeadIssue, BeadManifest, BeadPayload, BeadStream, FoldOptions } from './types.js';

/** Options of a store write. */
export interface WriteOptions extends FoldOptions {
  /** Wait for the store lock instead of failing with LOCKED. Default false. */
  wait?: boolean;
  /** Longest wait for the lock, ms (default 30_000). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale and taken over, ms (default 10_000, min 2_000). */
  staleMs?: number;
  /** Name of the operation, recorded in the lock holder file and the journal. */
  operation?: string;
  /** Actor recorded on new events. */
  actor: string;
  /** Clock for event timestamps. */
  now: () => Date;
  /** Called after the journal is written and before files are replaced (tests use it to simulate a crash). */
  afterJournal?: () => Promise<void> | void;
}

/** What a mutation function sees. `issues` is live: emitted events are applied to it immediately. */
export interface MutationContext {
  snapshot: StoreSnapshot;
  issues: Map<string, BeadIssue>;
  config: BeadConfig;
  actor: string;
  /** Event timestamp of this mutation (`YYYY-MM-DDTHH:MM:SSZ`). */
  timestamp: string;
  /**
   * Appends an event about `issueId` to its owning stream (§B.4) and applies it to `issues`.
   * @returns the built event
   */
  emit(issueId: string, payload: BeadPayload): BeadEvent;
  /** Mints the next top-level id (§B.7) and advances `config.next_counter`. */
  mintTopLevelId(): string;
  /** Mints the next child id under `parentId` (§B.7). */
  mintChildId(parentId: string): string;
}

/** The outcome of a write. */
export interface WriteResult<R> {
  result: R;
  events: BeadEvent[];
  /** Issues after the write (sorted, §B.6 step 4). */
  issues: BeadIssue[];
  /** Store-relative paths that were rewritten. */
  written: string[];
}

/** Pretty JSON the way serde `to_vec_pretty` writes the manifest (2-space indent, no trailing newline). */
export function renderManifest(count: number, prev?: BeadManifest | null): string {
  const m: BeadManifest = {
    schema_version: 1,
    stream_count: count,
    generated_from: prev?.generated_from ?? 'issues.jsonl',
    migration_tool: prev?.migration_tool ?? 'sase-core bead events',
  };
  return JSON.stringify(m, null, 2);
}

/** config.json text (pretty, 2-space, trailing newline; §B.1). */
export function renderConfig(config: BeadConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

/** Rolls a pending journal forward (caller holds the lock). @returns true when one was applied */
export async function completeJournal(paths: StorePaths): Promise<boolean> {
  const j = readJournal(paths);
  if (!j) {
    await rm(paths.journal, { force: true });
    return false;
  }
  const written: string[] = [];
  for (const [rel, text] of Object.entries(j.files)) written.push(await stageFile(join(paths.dir, rel), text));
  await syncPaths(written);
  bumpGeneration(paths);
  await rm(paths.journal, { force: true });
  return true;
}

/** Every id the store has ever used (live issues, stream ids, event issue ids) — never re-minted. */
function usedIds(snap: StoreSnapshot, issues: Map<string, BeadIssue>): Set<string> {
  const ids = new Set<string>(issues.keys());
  for (const s of snap.streams) {
    ids.add(s.stream_id);
    for (const e of s.events) ids.add(e.issue_id);
  }
  for (const i of snap.legacyIssues) ids.add(i.id);
  return ids;
}

/** Legacy issues.jsonl-only store → synthetic creation events (the store is migrated on its first write). */
function migrateLegacy(snap: StoreSnapshot): BeadStream[] {
  const byStream = new Map<string, BeadEvent[]>();
  const exists = new Set(snap.legacyIssues.map((i) => i.id));
  const add = (sid: string, issueId: string, ts: string, actor: string, payload: BeadPayload): void => {
    const list = byStream.get(sid) ?? [];
    byStream.set(sid, list);
    list.push(buildEvent(sid, list.length + 1, ts, actor, issueId, payload));
  };
  const ordered = [...snap.legacyIssues].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
  for (const i of ordered) {
    const sid = owningStream(i, (id) => exists.has(id));
    const { dependencies: _d, refs: _r, links: _l, ...rest } = i;
    add(sid, i.id, i.created_at || '1970-01-01T00:00:00Z', i.created_by || i.owner || 'sase', { kind: 'issue_created', issue: { ...rest, dependencies: [], refs: [], links: [] } as BeadIssue });
  }
  for (const i of ordered) {
    const sid = owningStream(i, (id) => exists.has(id));
    for (const d of i.dependencies) if (exists.has(d.depends_on_id)) add(sid, i.id, i.created_at || '1970-01-01T00:00:00Z', d.created_by || 'sase', { kind: 'dependency_added', dependency: { ...d } });
    for (const r of i.refs) add(sid, i.id, i.created_at || '1970-01-01T00:00:00Z', i.created_by || 'sase', { kind: 'reference_added', reference: r });
  }
  return [...byStream.keys()].sort().map((sid) => ({ stream_id: sid, file: streamFile(snap.paths, sid), events: byStream.get(sid)!, lines: [] }));
}

/**
 * Runs `mutate` against the store at `dir` under its lock and persists the events it emits.
 * A mutation that emits nothing writes nothing. Validation failures (InvalidDataError) and the mutation's own
 * errors (ConflictError, NotFoundError, UsageError) leave the store untouched.
 * @throws LockedError when the lock is held (no wait) or the wait timed out
 */
export async function mutateStore<R>(dir: string, mutate: (ctx: MutationContext) => R, opts: WriteOptions): Promise<WriteResult<R>> {
  const paths = storePaths(dir);
  const operation = opts.operation ?? 'mutation';
  return withLock(
    paths.lockTarget,
    async () => {
      await writeFile(paths.holder, JSON.stringify({ pid: process.pid, operation, acquired_at: new Date().toISOString() }) + '\n').catch(() => {});
      await completeJournal(paths);
      const snap = readStoreSync(dir);
      const baseStreams: BeadStream[] = snap.kind === 'legacy' ? migrateLegacy(snap) : snap.streams.map((s) => ({ ...s, events: [...s.events] }));
      const migrated = snap.kind === 'legacy';
      const issues = foldStreams(baseStreams, opts);
      const config: BeadConfig = { ...snap.config };
      const used = usedIds(snap, issues);
      const byId = new Map(baseStreams.map((s) => [s.stream_id, s]));
      const emitted: BeadEvent[] = [];
      const touched = new Set<string>();
      const timestamp = eventTimestamp(opts.now());
      const ctx: MutationContext = {
        snapshot: snap,
        issues,
        config,
        actor: opts.actor,
        timestamp,
        emit(issueId, payload) {
          const subject = payload.kind === 'issue_created' ? (payload.issue as BeadIssue) : issues.get(issueId);
          const sid = subject ? owningStream({ id: issueId, issue_type: subject.issue_type, parent_id: subject.parent_id ?? null }, (id) => issues.has(id)) : issueId;
          let stream = byId.get(sid);
          if (!stream) {
            stream = { stream_id: sid, file: streamFile(paths, sid), events: [], lines: [] };
            byId.set(sid, stream);
          }
          const ev = buildEvent(sid, stream.events.length + 1, timestamp, opts.actor, issueId, payload);
          validateEvent(ev);
          applyEvent(issues, ev, opts);
          stream.events.push(ev);
          touched.add(sid);
          emitted.push(ev);
          used.add(issueId);
          return ev;
        },
        mintTopLevelId() {
          const { id, nextCounter } = nextTopLevelId(config.issue_prefix, config.next_counter, used);
          config.next_counter = nextCounter;
          used.add(id);
          return id;
        },
        mintChildId(parentId) {
          const id = nextChildId(parentId, used);
          used.add(id);
          return id;
        },
      };
      const result = mutate(ctx);
      if (emitted.length === 0 && !migrated) {
        return { result, events: [], issues: finishIssues(issues.values()), written: [] };
      }
      const streams = [...byId.values()].sort((a, b) => (a.stream_id < b.stream_id ? -1 : 1));
      return persist(snap, streams, migrated ? new Set(streams.map((s) => s.stream_id)) : touched, config, { ...opts, operation }, result, emitted);
    },
    { wait: opts.wait, timeoutMs: opts.timeoutMs, staleMs: opts.staleMs },
  );
}

/** Re-folds, validates and writes the changed files through the journal (caller holds the lock). */
async function persist<R>(
  snap: StoreSnapshot,
  streams: BeadStream[],
  touched: Set<string>,
  config: BeadConfig,
  opts: WriteOptions,
  result: R,
  emitted: BeadEvent[],
): Promise<WriteResult<R>> {
  const paths = snap.paths;
  const baseCounts = new Map(snap.streams.map((s) => [s.stream_id, s.events.length]));
  const final = finishIssues(foldStreams(streams, opts).values());
  validateIssues(final);
  const files: Record<string, string> = {};
  const rel = (p: string): string => relative(paths.dir, p).split('\\').join('/');
  for (const s of streams) {
    if (!touched.has(s.stream_id)) continue;
    let base = snap.streamTexts.get(s.stream_id) ?? '';
    const nl = base.lastIndexOf('\n');
    base = nl === -1 ? '' : base.slice(0, nl + 1); // drop a torn last line (never acknowledged)
    const fresh = s.events.slice(baseCounts.get(s.stream_id) ?? 0);
    const text = snap.kind === 'legacy' ? s.events.map(eventLine).join('') : base + fresh.map(eventLine).join('');
    files[rel(s.file)] = text;
  }
  const manifestText = renderManifest(streams.length, snap.manifest);
  if (manifestText !== snap.manifestText) files[rel(paths.manifest)] = manifestText;
  const configText = renderConfig(config);
  if (config.next_counter !== snap.config.next_counter || config.issue_prefix !== snap.config.issue_prefix || snap.configText === '') {
    if (configText !== snap.configText) files[rel(paths.config)] = configText;
  }
  const projection = renderProjection(final);
  if (projection !== snap.projectionText) files[rel(paths.projection)] = projection;
  const journal: MutationJournal = { schema_version: 1, pid: process.pid, operation: opts.operation ?? 'mutation', files };
  // The journal is durable before any target changes; redoing it is idempotent, so losing the final unlink in a
  // power cut is harmless.
  dropCache(paths);
  await stageFile(paths.journal, JSON.stringify(journal), true);
  await syncDir(paths.dir);
  await opts.afterJournal?.();
  const written: string[] = [];
  for (const [r, text] of Object.entries(files)) written.push(await stageFile(join(paths.dir, r), text));
  await syncPaths(written);
  bumpGeneration(paths);
  await rm(paths.journal, { force: true });
  writeCache(paths, final, opts);
  return { result, events: emitted, issues: final, written: Object.keys(files).sort() };
}

/**
 * Appends already-built events (e.g. from an importer or a merge) to the store under its lock, after validating
 * each event (§B.2) and the whole resulting issue set. Each event goes to the stream named by its event id
 * prefix (`<stream_id>:…`) unless `streamOf` says otherwise. Events whose exact event_id is already present are
 * skipped (idempotent re-import).
 * @returns the events actually appended and the resulting issues
 * @throws InvalidDataError for an invalid event or an invalid resulting state (nothing written);
 *   LockedError when the lock is not available
 */
export async function appendEvents(
  dir: string,
  events: readonly BeadEvent[],
  opts: Omit<WriteOptions, 'actor' | 'now'> & { streamOf?: (ev: BeadEvent) => string; config?: Partial<BeadConfig> },
): Promise<{ appended: BeadEvent[]; issues: BeadIssue[]; written: string[] }> {
  events.forEach((ev, i) => validateEvent(ev, { field: `events[${i}]` }));
  const paths = storePaths(dir);
  return withLock(
    paths.lockTarget,
    async () => {
      await completeJournal(paths);
      const snap = readStoreSync(dir);
      if (snap.kind === 'legacy') throw new ConflictError(`cannot append events to a legacy issues.jsonl-only store at ${dir}`, { hint: 'write one bead mutation first to migrate it' });
      const byId = new Map(snap.streams.map((s) => [s.stream_id, { ...s, events: [...s.events] }]));
      const seen = new Set(snap.streams.flatMap((s) => s.events.map((e) => e.event_id)));
      const appended: BeadEvent[] = [];
      const touched = new Set<string>();
      for (const ev of events) {
        if (seen.has(ev.event_id)) continue;
        seen.add(ev.event_id);
        const sid = opts.streamOf ? opts.streamOf(ev) : streamOfEventId(ev.event_id);
        let s = byId.get(sid);
        if (!s) {
          s = { stream_id: sid, file: streamFile(paths, sid), events: [], lines: [] };
          byId.set(sid, s);
        }
        s.events.push(ev);
        touched.add(sid);
        appended.push(ev);
      }
      const config: BeadConfig = { ...snap.config, ...(opts.config ?? {}) } as BeadConfig;
      // Keep next_counter past every top-level id now present (§B.7).
      const ids = new Set<string>([...byId.keys()]);
      for (const s of byId.values()) for (const e of s.events) ids.add(e.issue_id);
      config.next_counter = nextTopLevelId(config.issue_prefix, config.next_counter, ids).nextCounter - 1;
      if (appended.length === 0 && config.next_counter === snap.config.next_counter) {
        return { appended, issues: finishIssues(foldStreams(snap.streams, opts).values()), written: [] };
      }
      const streams = [...byId.values()].sort((a, b) => (a.stream_id < b.stream_id ? -1 : 1));
      const r = await persist(snap, streams, touched, config, { ...opts, actor: '', now: () => new Date(), operation: opts.operation ?? 'append' }, null, appended);
      return { appended, issues: r.issues, written: r.written };
    },
    { wait: opts.wait, timeoutMs: opts.timeoutMs, staleMs: opts.staleMs },
  );
}
