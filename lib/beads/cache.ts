/**
 * A rebuildable read cache of the folded issues next to the store (`.bead-cache.json`, gitignored). It is a
 * projection only — never the source of truth: it is keyed by a fingerprint of every file the fold reads
 * (name, size, mtime of each stream, the manifest and config) plus the fold options, and ignored whenever the
 * key differs, a journal is pending, or it cannot be parsed.
 *
 * Layout (text): line 1 = `<key>\t<byte length of line 2>`; line 2 = JSON array of {@link BeadCore} index entries, each with the byte offset
 * and length of its projection line; then the projection lines themselves. Readers parse the small index and
 * only the full rows they print.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StorePaths } from './paths.js';
import type { BeadCore, BeadIssue, FoldOptions } from './types.js';

export type { BeadCore };

const CACHE_VERSION = 4;


/** Folded issues as the read commands use them: the core of every bead, and its full projection row by id. */
export interface IssueSource {
  issues: BeadCore[];
  /** The full bead (projection row, SASE key order) of `id`. */
  row(id: string): Record<string, unknown>;
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
 * options. Every writer that follows SASE's protocol (ours, SASE's, git checkout and
 * merge) replaces stream files by rename/create, which changes the directory mtime; an in-place append by some
 * other tool is not detected — set `SASE_BEAD_NO_CACHE=1`, or run any bead write or `doctor --fix`, after such
 * an edit. Our writer drops the cache before it touches any file and rebuilds it afterwards.
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
  try {
    gen = readFileSync(paths.generation, 'utf8').trim();
  } catch {
    // never written locally
  }
  return [`v${CACHE_VERSION}`, opts.legacyPlusOne ? 'legacy' : 'current', `g${gen}`, count, statKey(paths.streamsDir), statKey(paths.eventsDir), statKey(paths.manifest), statKey(paths.config)].join('|');
}

/** The cached issue source when the cache matches the store, else null. Never throws. */
export function readCache(paths: StorePaths, opts: FoldOptions = {}): IssueSource | null {
  try {
    const key = storeFingerprint(paths, opts);
    if (key === null) return null;
    const fd = openSync(paths.cache, 'r');
    let keep = false;
    try {
      // Header line: `<key>\t<index byte length>`; then the index line; then the rows.
      const first = Buffer.alloc(Math.min(4096, 64 + key.length * 2));
      const got = readSync(fd, first, 0, first.length, 0);
      const nl1 = first.subarray(0, got).indexOf(10);
      if (nl1 === -1) return null;
      const head = first.subarray(0, nl1).toString('utf8');
      const tab = head.lastIndexOf('\t');
      if (tab === -1 || head.slice(0, tab) !== key) return null;
      const indexLen = Number(head.slice(tab + 1));
      if (!Number.isInteger(indexLen) || indexLen <= 0) return null;
      const indexBuf = Buffer.alloc(indexLen);
      if (readSync(fd, indexBuf, 0, indexLen, nl1 + 1) !== indexLen) return null;
      const index = JSON.parse(indexBuf.toString('utf8')) as IndexEntry[];
      const nl2 = nl1 + 1 + indexLen;
      const base = nl2 + 1;
      const byId = new Map(index.map((e) => [e.id, e]));
      keep = true;
      return {
        issues: index,
        row(id) {
          const e = byId.get(id);
          if (!e) throw new Error(`cache has no ${id}`);
          const out = Buffer.alloc(e.n);
          readSync(fd, out, 0, e.n, base + e.o);
          return JSON.parse(out.toString('utf8')) as Record<string, unknown>;
        },
      };
    } finally {
      // The descriptor stays open for row reads of a successful load; it closes with the process.
      if (!keep) closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** Wraps fully folded issues as an {@link IssueSource}. */
export function sourceOf(issues: readonly BeadIssue[], wire: (i: BeadIssue) => Record<string, unknown>): IssueSource {
  const byId = new Map(issues.map((i) => [i.id, i]));
  return {
    issues: [...issues],
    row(id) {
      const i = byId.get(id);
      if (!i) throw new Error(`no ${id}`);
      return wire(i);
    },
  };
}
