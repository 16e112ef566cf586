/**
 * A rebuildable read cache of the folded issues next to the store (`.bead-cache.json`, gitignored). It is a
 * projection only — never the source of truth: it is keyed by a fingerprint of the store (see
 * {@link storeFingerprint}) plus the fold options, and ignored whenever the key differs, a journal is pending, or
 * it cannot be parsed.
 *
 * Layout: line 1 = `<key>\t<quick bytes>\t<index bytes>`; then the quick section (JSON: where the precomputed
 * answers of `ready`, `ready --legacy` and default `list` are, the answer of `blocked` with its row offsets); then the
 * full index (JSON array of {@link BeadCore} entries with row offsets); then the rows region: the default `list`
 * answer as one JSON array of projection rows (`[row,row,…]\n`, the active beads in id order), every other bead's
 * row (`row\n`), and the `ready` and `ready --legacy` answers as JSON arrays (copies of their rows). Readers parse
 * only the section they need and only the rows they print — a precomputed answer is one read and one JSON.parse.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import type { StorePaths } from './layout.js';
import type { BeadCore, BeadIssue, FoldOptions } from './types.js';

const CACHE_VERSION = 6;

/** The precomputed answers stored as JSON arrays of rows. */
export type QuickListName = 'ready' | 'ready_legacy' | 'active';

/** Precomputed answers of the hottest queries. */
export interface QuickLists {
  /**
   * Offset/length (in the rows region) of the JSON array of the rows of `ready` (current rule), `ready_legacy`
   * (`ready --legacy`) and `active` (default `list`: active beads, id order) — each in output order.
   */
  lists: Record<QuickListName, [number, number]>;
  /** `blocked`: id and its active blockers. */
  blocked: [string, string[]][];
  /** Row offset/length of every blocked id. */
  pos: Record<string, [number, number]>;
}

/** Folded issues as the read commands use them. */
export interface IssueSource {
  /** The core of every bead (parsed on first use). */
  issues(): BeadCore[];
  /** The full bead (projection row, SASE key order) of `id`. */
  row(id: string): Record<string, unknown>;
  /** The full beads of many ids, in order (one read for large batches). */
  rows(ids: readonly string[]): Record<string, unknown>[];
  /** Precomputed query answers, when served from the cache. */
  quick?: QuickLists;
  /** The rows of a precomputed answer (output order), when served from the cache. */
  quickRows?(name: QuickListName): Record<string, unknown>[];
}

/** One cache index entry: the core fields plus the offset/length of the bead's projection line. */
export interface IndexEntry extends BeadCore {
  o: number;
  n: number;
}

function statKey(path: string): string {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ino}`;
  } catch {
    return '-';
  }
}

/**
 * Fingerprint of the store's fold inputs, or null when the store is in flux (a journal is pending) or is not an
 * event store. It is made of the stream directory (mtime, entry count), the events directory, the manifest and
 * config stats, the local write generation (`.bead-generation`, bumped by every local write) and the fold
 * options. Every writer that follows SASE's protocol (ours, SASE's, git checkout and merge) replaces stream files
 * by rename/create, which changes the directory mtime; an in-place append by some other tool is not detected —
 * set `SASE_BEAD_NO_CACHE=1`, or run any bead write or `doctor --fix`, after such an edit. Our writer drops the
 * cache before it touches any file and rebuilds it afterwards.
 */
export function storeFingerprint(paths: StorePaths, opts: FoldOptions = {}): string | null {
  if (existsSync(paths.journal)) return null;
  let count: number;
  try {
    count = readdirSync(paths.streamsDir).length;
  } catch {
    return null;
  }
  let gen = '0';
  if (existsSync(paths.generation)) {
    try {
      gen = readFileSync(paths.generation, 'utf8').trim();
    } catch {
      // removed meanwhile
    }
  }
  return [`v${CACHE_VERSION}`, opts.legacyPlusOne ? 'legacy' : 'current', `g${gen}`, count, statKey(paths.streamsDir), statKey(paths.eventsDir), statKey(paths.manifest), statKey(paths.config)].join('|');
}

function readAt(fd: number, pos: number, len: number): Buffer | null {
  const buf = Buffer.allocUnsafe(len);
  return readSync(fd, buf, 0, len, pos) === len ? buf : null;
}

/** The cached issue source when the cache matches the store, else null. Never throws. */
export function readCache(paths: StorePaths, opts: FoldOptions = {}): IssueSource | null {
  let fd: number | undefined;
  try {
    const key = storeFingerprint(paths, opts);
    if (key === null) return null;
    fd = openSync(paths.cache, 'r');
    const first = Buffer.allocUnsafe(key.length + 64);
    const got = readSync(fd, first, 0, first.length, 0);
    const nl = first.subarray(0, got).indexOf(10);
    if (nl === -1) return null;
    const [k, q, x] = first.subarray(0, nl).toString('utf8').split('\t');
    const quickLen = Number(q);
    const indexLen = Number(x);
    if (k !== key || !Number.isInteger(quickLen) || !Number.isInteger(indexLen)) return null;
    const quickBuf = readAt(fd, nl + 1, quickLen);
    if (!quickBuf) return null;
    const quick = JSON.parse(quickBuf.toString('utf8')) as QuickLists;
    const indexPos = nl + 1 + quickLen;
    const base = indexPos + indexLen;
    const handle = fd;
    let index: IndexEntry[] | null = null;
    let byId: Map<string, IndexEntry> | null = null;
    const load = (): IndexEntry[] => {
      if (!index) {
        const buf = readAt(handle, indexPos, indexLen);
        if (!buf) throw new Error('bead cache truncated');
        index = JSON.parse(buf.toString('utf8')) as IndexEntry[];
      }
      return index;
    };
    fd = undefined; // stays open for row reads; it closes with the process
    const where = (id: string): [number, number] => {
      const at = quick.pos[id];
      if (at) return at;
      byId ??= new Map(load().map((e) => [e.id, e]));
      const e = byId.get(id);
      if (!e) throw new Error(`bead cache has no ${id}`);
      return [e.o, e.n];
    };
    const parseSpan = (at: [number, number]): unknown => {
      const buf = readAt(handle, base + at[0], at[1]);
      if (!buf) throw new Error('bead cache truncated');
      return JSON.parse(buf.toString('utf8'));
    };
    const row = (id: string): Record<string, unknown> => parseSpan(where(id)) as Record<string, unknown>;
    return {
      quick,
      quickRows: (name) => parseSpan(quick.lists[name]) as Record<string, unknown>[],
      issues: load,
      row,
      rows(ids) {
        if (ids.length < 64) return ids.map(row);
        // One read of the span covering every requested row.
        const spans = ids.map(where);
        const lo = Math.min(...spans.map((x) => x[0]));
        const hi = Math.max(...spans.map((x) => x[0] + x[1]));
        const buf = readAt(handle, base + lo, hi - lo);
        if (!buf) throw new Error('bead cache truncated');
        return spans.map(([o, n]) => JSON.parse(buf.toString('utf8', o - lo, o - lo + n)) as Record<string, unknown>);
      },
    };
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Wraps fully folded issues as an {@link IssueSource}. */
export function sourceOf(issues: readonly BeadIssue[], wire: (i: BeadIssue) => Record<string, unknown>): IssueSource {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const row = (id: string): Record<string, unknown> => {
    const i = byId.get(id);
    if (!i) throw new Error(`no ${id}`);
    return wire(i);
  };
  return { issues: () => [...issues], row, rows: (ids) => ids.map(row) };
}
