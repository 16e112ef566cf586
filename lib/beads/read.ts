/**
 * Reading a bead store (spec §B.1): config, manifest (validated), the `*.jsonl` streams (strays ignored), with a
 * fallback to a legacy `issues.jsonl`-only store. A pending mutation journal (a writer in flight or killed) is
 * overlaid so readers always see a consistent store.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { relative } from 'node:path';
import { InvalidDataError } from '../errors/index.js';
import type { JsonlRead } from '../store/jsonl.js';
import { finishIssues, foldStreams } from './fold.js';
import { normalizeIssue } from './normalize.js';
import { storePaths, type StorePaths } from './layout.js';
import { eventProblems } from './validate.js';
import type { BeadConfig, BeadEvent, BeadIssue, BeadManifest, BeadStream, FoldOptions, StoreProblem } from './types.js';

/** A pending write-ahead journal: the full new content of every file a mutation writes (relative paths). */
export interface MutationJournal {
  schema_version: 1;
  pid: number;
  operation: string;
  files: Record<string, string>;
}

/** Everything read from a store directory. */
export interface StoreSnapshot {
  dir: string;
  paths: StorePaths;
  /** `events` when events/manifest.json or events/streams/ exists; `legacy` for an issues.jsonl-only store. */
  kind: 'events' | 'legacy' | 'empty';
  config: BeadConfig;
  /** Raw config.json text ('' when missing). */
  configText: string;
  manifest: BeadManifest | null;
  manifestText: string;
  /** Streams sorted by stream id, each with only its valid events. */
  streams: BeadStream[];
  /** Raw text of each stream file (journal overlaid), by stream id (empty when read with `bytesOnly`). */
  streamTexts: Map<string, string>;
  /** Raw bytes of each stream file (journal overlaid), by stream id; filled only when read with `bytesOnly`. */
  streamBytes: Map<string, Buffer>;
  /** Current issues.jsonl text, or null when absent (or not read: an event store read with `bytesOnly`). */
  projectionText: string | null;
  /** Issues of a legacy store (kind `legacy`), already normalized. */
  legacyIssues: BeadIssue[];
  /** Problems found (torn/invalid lines, manifest mismatch, …). */
  problems: StoreProblem[];
  /** The journal of an unfinished mutation, if one is pending. */
  journal: MutationJournal | null;
}

/** Read options. */
export interface ReadOptions {
  /** Throw on the first hard problem (invalid line, manifest mismatch). Default true. Doctor reads with false. */
  strict?: boolean;
  /**
   * Read the stream texts only (`streams[].events` stay empty) for `foldTexts` (lazy-fold.ts), which parses each
   * line while it replays. Default false.
   */
  textsOnly?: boolean;
  /**
   * Like `textsOnly`, but the streams are kept as bytes (`streamBytes`; `streamTexts` stays empty): `foldTexts`
   * decodes line by line, and the file contents stay off the JS heap. An event store's issues.jsonl is not read
   * (`projectionText` is null). Default false.
   */
  bytesOnly?: boolean;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * A file's bytes (or UTF-8 text), or null when it does not exist (ENOENT) — lib/store/text.ts readTextOrNull,
 * here so the read path loads one module less. @throws the fs error for anything else
 */
function readOrNull(path: string): Buffer | null;
function readOrNull(path: string, encoding: 'utf8'): string | null;
function readOrNull(path: string, encoding?: 'utf8'): Buffer | string | null {
  try {
    return encoding ? readFileSync(path, encoding) : readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const readTextOrNull = (path: string): string | null => readOrNull(path, 'utf8');

/** Size of one chunk of {@link pooledReader}'s pool (bytes). */
const POOL_CHUNK = 1 << 20;

/**
 * A reader that puts the files it reads one after another into shared 1 MiB chunks: one allocation per chunk
 * instead of one per stream file (hundreds on a cold fold), no fstat. Each result is a view of its chunk (the
 * chunks live as long as any view). A file that does not fit moves, with what was read of it, to a new chunk.
 * @returns the reader: a file's bytes, or null when it does not exist (ENOENT); it throws the fs error for anything else
 */
function pooledReader(): (path: string) => Buffer | null {
  let chunk = Buffer.allocUnsafeSlow(POOL_CHUNK);
  let used = 0;
  return (path) => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    try {
      let start = used;
      for (;;) {
        if (used === chunk.length) {
          const have = used - start;
          const next = Buffer.allocUnsafeSlow(Math.max(POOL_CHUNK, have * 2));
          chunk.copy(next, 0, start, used);
          chunk = next;
          start = 0;
          used = have;
        }
        const n = readSync(fd, chunk, used, chunk.length - used, null);
        if (n === 0) break;
        used += n;
      }
      return chunk.subarray(start, used);
    } finally {
      closeSync(fd);
    }
  };
}

/**
 * JSONL parsing for stream files and legacy projections (same contract as lib/store parseJsonl: blank lines skipped, a final line
 * without its newline that does not parse is reported as torn), without splitting the whole text first.
 */
function parseLines<T>(text: string, file: string): JsonlRead<T> {
  const out: JsonlRead<T> = { records: [], lines: [], problems: [] };
  let start = 0;
  let line = 0;
  const len = text.length;
  while (start < len) {
    let end = text.indexOf('\n', start);
    const last = end === -1;
    if (last) end = len;
    line++;
    if (end > start) {
      const raw = text.slice(start, end);
      try {
        out.records.push(JSON.parse(raw) as T);
        out.lines.push(line);
      } catch (e) {
        if (raw.trim() !== '') out.problems.push({ file, line, message: (e as Error).message, torn: last });
      }
    }
    start = end + 1;
  }
  return out;
}

const DEFAULT_CONFIG: BeadConfig = { issue_prefix: 'sase', next_counter: 1 };

/** Reads the pending journal, or null (a half-written journal cannot exist: it is written atomically). */
export function readJournal(paths: StorePaths): MutationJournal | null {
  const text = readTextOrNull(paths.journal);
  if (text === null) return null;
  try {
    const j = JSON.parse(text) as MutationJournal;
    return j && typeof j.files === 'object' ? j : null;
  } catch {
    return null;
  }
}

function parseJsonObject(text: string, file: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch (e) {
    throw new InvalidDataError(`${file} is not valid JSON: ${(e as Error).message}`, { location: { file } });
  }
  throw new InvalidDataError(`${file} must hold a JSON object`, { location: { file } });
}

/**
 * Reads the store at `dir` once (see {@link readStore} for the retrying version).
 * @throws InvalidDataError (strict) for a bad manifest, a stream_count mismatch, or a bad line that is not a
 *   torn last line (location = file:line)
 */
function readStoreOnce(dir: string, strict: boolean, textsOnly = false, bytesOnly = false): StoreSnapshot {
  const paths = storePaths(dir);
  const journal = readJournal(paths);
  const overlay = new Map<string, string>();
  if (journal) for (const [rel, text] of Object.entries(journal.files)) overlay.set(rel, text);
  const rel = (p: string): string => relative(dir, p);
  const read = (p: string): string | null => (overlay.size ? (overlay.get(rel(p)) ?? readTextOrNull(p)) : readTextOrNull(p));
  const problems: StoreProblem[] = [];
  const hard = (pr: StoreProblem): void => {
    if (strict) throw new InvalidDataError(pr.message, { location: pr.file ? { file: pr.file, line: pr.line } : undefined });
    problems.push(pr);
  };
  if (journal) problems.push({ kind: 'journal', message: `an unfinished mutation (${journal.operation}, pid ${journal.pid}) is pending; the next write completes it` });

  const configText = read(paths.config) ?? '';
  const config: BeadConfig = configText ? ({ ...DEFAULT_CONFIG, ...parseJsonObject(configText, paths.config) } as BeadConfig) : { ...DEFAULT_CONFIG };
  const manifestText = read(paths.manifest);
  const hasEvents = manifestText !== null || existsSync(paths.streamsDir) || [...overlay.keys()].some((k) => k.startsWith('events'));
  // A fold of an event store never looks at issues.jsonl (often megabytes): bytesOnly readers skip it.
  const projectionText = bytesOnly && hasEvents ? null : read(paths.projection);
  const snap: StoreSnapshot = {
    dir, paths, kind: 'empty', config, configText, manifest: null, manifestText: manifestText ?? '', streams: [],
    streamTexts: new Map(), streamBytes: new Map(), projectionText, legacyIssues: [], problems, journal,
  };
  if (!hasEvents) {
    if (projectionText !== null) {
      snap.kind = 'legacy';
      const parsed = parseLines<Record<string, unknown>>(projectionText, paths.projection);
      for (const pr of parsed.problems) {
        if (pr.torn) problems.push({ kind: 'torn-line', message: pr.message, file: pr.file, line: pr.line });
        else hard({ kind: 'invalid-line', message: `invalid JSON line: ${pr.message}`, file: pr.file, line: pr.line });
      }
      const issues = parsed.records.map((r) => normalizeIssue(r, true));
      const parents = new Set(issues.filter((i) => i.issue_type === 'phase').map((i) => i.parent_id));
      for (const i of issues) if (i.issue_type === 'plan' && i.tier === null) i.tier = parents.has(i.id) ? 'epic' : 'plan';
      snap.legacyIssues = issues;
    }
    return snap;
  }
  snap.kind = 'events';
  // Stream files: only names ending in `.jsonl` (strays like `.x.jsonl.tmp.pid.n` are ignored), sorted by id.
  const names = new Set<string>();
  try {
    for (const n of readdirSync(paths.streamsDir)) if (n.endsWith('.jsonl')) names.add(n);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  for (const k of overlay.keys()) {
    const m = /^events\/streams\/([^/]+\.jsonl)$/.exec(k.split('\\').join('/'));
    if (m) names.add(m[1]!);
  }
  const ids = [...names].map((n) => n.slice(0, -'.jsonl'.length)).sort();
  if (manifestText === null) {
    hard({ kind: 'manifest', message: `missing ${paths.manifest}`, file: paths.manifest });
  } else {
    const m = parseJsonObject(manifestText, paths.manifest) as unknown as BeadManifest;
    snap.manifest = m;
    if (m.schema_version !== 1) hard({ kind: 'manifest', message: `unsupported manifest schema_version: ${String(m.schema_version)}`, file: paths.manifest });
    else if (m.stream_count !== ids.length) {
      hard({ kind: 'manifest', message: `manifest stream_count ${m.stream_count} does not match ${ids.length} stream files`, file: paths.manifest });
    }
  }
  // event_id → stream index * 2^20 + line (a location string is built only for a duplicate).
  const seen = new Map<string, number>();
  const where = (packed: number, current: string): string => `${snap.streams[Math.floor(packed / 1048576)]?.file ?? current}:${packed % 1048576}`;
  const readBytes = bytesOnly ? pooledReader() : null;
  for (const id of ids) {
    const file = `${paths.streamsDir}/${id}.jsonl`;
    if (bytesOnly) {
      const o = overlay.size ? overlay.get(rel(file)) : undefined;
      snap.streamBytes.set(id, o !== undefined ? Buffer.from(o, 'utf8') : (readBytes!(file) ?? NO_BYTES));
      snap.streams.push({ stream_id: id, file, events: [], lines: [] });
      continue;
    }
    const text = read(file) ?? '';
    snap.streamTexts.set(id, text);
    const stream: BeadStream = { stream_id: id, file, events: [], lines: [] };
    if (textsOnly) {
      snap.streams.push(stream);
      continue;
    }
    const parsed = parseLines<BeadEvent>(text, file);
    for (const pr of parsed.problems) {
      if (pr.torn) problems.push({ kind: 'torn-line', message: `torn last line (an interrupted append): ${pr.message}`, file, line: pr.line });
      else hard({ kind: 'invalid-line', message: `invalid JSON line: ${pr.message}`, file, line: pr.line });
    }
    parsed.records.forEach((ev, k) => {
      const line = parsed.lines[k]!;
      const errs = eventProblems(ev);
      if (errs.length) {
        hard({ kind: 'invalid-event', message: `invalid bead event: ${errs.join('; ')}`, file, line });
        return;
      }
      const prev = seen.get(ev.event_id);
      if (prev !== undefined) problems.push({ kind: 'duplicate-event', message: `duplicate event_id ${ev.event_id} (also at ${where(prev, file)})`, file, line });
      else seen.set(ev.event_id, snap.streams.length * 1048576 + line);
      stream.events.push(ev);
      stream.lines.push(line);
    });
    snap.streams.push(stream);
  }
  return snap;
}

/**
 * Reads the store at `dir`. A reader racing a writer may see a new stream before its manifest; such a
 * mismatch is retried a few times before it is reported.
 * @throws InvalidDataError (strict mode) with file:line for the first hard problem
 */
export async function readStore(dir: string, opts: ReadOptions = {}): Promise<StoreSnapshot> {
  const strict = opts.strict !== false;
  for (let attempt = 0; ; attempt++) {
    try {
      return readStoreOnce(dir, strict, opts.textsOnly === true, opts.bytesOnly === true);
    } catch (e) {
      if (attempt >= 5 || !(e instanceof InvalidDataError)) throw e;
      await new Promise((r) => setTimeout(r, 20 + attempt * 40));
    }
  }
}

/** Synchronous single read (no retry); for tools that hold the store lock. */
export function readStoreSync(dir: string, opts: ReadOptions = {}): StoreSnapshot {
  return readStoreOnce(dir, opts.strict !== false, opts.textsOnly === true, opts.bytesOnly === true);
}

/**
 * Folds a snapshot into the final, sorted issue list (§B.6): the events of an event store, or the rows of a
 * legacy store.
 * @throws InvalidDataError when the replay fails
 */
export function foldSnapshot(snap: StoreSnapshot, opts: FoldOptions = {}): BeadIssue[] {
  if (snap.kind === 'legacy') return finishIssues(snap.legacyIssues);
  return finishIssues(foldStreams(snap.streams, opts).values());
}

/**
 * Reads and folds the store at `dir` in one call.
 * @returns the snapshot and the sorted issues
 * @throws InvalidDataError for a bad store or a failed replay
 */
export async function loadStore(dir: string, opts: FoldOptions & ReadOptions = {}): Promise<{ snapshot: StoreSnapshot; issues: BeadIssue[] }> {
  const snapshot = await readStore(dir, opts);
  return { snapshot, issues: foldSnapshot(snapshot, opts) };
}
