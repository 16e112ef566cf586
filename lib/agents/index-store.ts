/**
 * The index projection `agents/index.jsonl`: one compact line per status change, the last line per id wins.
 * It is a cache — `rebuildIndex` recreates it from the record directories (`sase agent reindex`). Lines start
 * with `{"id":"<21-char id>","status":"…"` so the reader can pick the latest line per id without parsing every
 * line (this keeps `sase agent list` fast over many thousands of records).
 *
 * Readers here are on the `sase agent list` start-up path: they use synchronous fs calls and this module imports
 * nothing heavier than paths/status (the record and writer modules load only inside the functions that write).
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import type { Env } from '../store/paths.js';
import { activeDir, AGENT_ID_LENGTH, indexPath } from './paths.js';
import { isTerminalStatus } from './status.js';
import type { IndexEntry } from './types.js';

/**
 * Appends one entry to the index and updates its active marker (lib/agents/index-append.ts, loaded on first use so
 * readers of this module do not pay for the writer).
 */
export async function appendIndex(env: Env, entry: IndexEntry): Promise<void> {
  const m = await import('./index-append.js');
  await m.appendIndex(env, entry);
}

const PREFIX = '{"id":"';
const STATUS_AT = PREFIX.length + AGENT_ID_LENGTH + '","status":"'.length;
/** First tail read of {@link readRecentTerminal}, in bytes (≈ 250 index lines); grows ×4 while too few are found. */
const TAIL_BYTES = 64 * 1024;

/** What {@link readIndex} returns. */
export interface IndexRead {
  /** Latest entry of every non-terminal run, oldest first. */
  active: IndexEntry[];
  /** Latest entry of the newest `terminalLimit` terminal runs, newest first. */
  terminal: IndexEntry[];
  /** Total distinct runs in the index. */
  total: number;
  /** Lines in the file (for compaction decisions). */
  lines: number;
}

/**
 * Reads the index, keeping only the latest line per id. Only the lines that are returned get JSON-parsed.
 * @param terminalLimit how many finished runs to return (newest first); Infinity for all
 */
export async function readIndex(env: Env, terminalLimit: number): Promise<IndexRead> {
  let buf: Buffer;
  try {
    buf = readFileSync(indexPath(env));
  } catch {
    return { active: [], terminal: [], total: 0, lines: 0 };
  }
  // Work on bytes: ids and statuses are ASCII, so only the lines that are returned get decoded and parsed.
  const latest = new Map<string, number>();
  const starts: number[] = [];
  const ends: number[] = [];
  let lines = 0;
  let start = 0;
  const n = buf.length;
  while (start < n) {
    const end = buf.indexOf(10, start);
    if (end === -1) break; // a torn last line is ignored
    if (end - start > STATUS_AT && buf[start] === 0x7b && buf[start + 2] === 0x69 && buf[start + 3] === 0x64) {
      latest.set(buf.toString('latin1', start + PREFIX.length, start + PREFIX.length + AGENT_ID_LENGTH), starts.length);
      starts.push(start);
      ends.push(end);
    }
    lines++;
    start = end + 1;
  }
  const active: IndexEntry[] = [];
  const terminalLines: Array<[string, number]> = [];
  for (const [id, k] of latest) {
    const s0 = starts[k]! + STATUS_AT;
    const status = buf.toString('latin1', s0, buf.indexOf(0x22, s0));
    if (isTerminalStatus(status)) terminalLines.push([id, k]);
    else {
      try {
        active.push(JSON.parse(buf.toString('utf8', starts[k], ends[k])) as IndexEntry);
      } catch {
        // a bad line; reindex repairs it
      }
    }
  }
  active.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  terminalLines.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
  const terminal: IndexEntry[] = [];
  for (const [, k] of terminalLines.slice(0, terminalLimit === Infinity ? undefined : terminalLimit)) {
    try {
      terminal.push(JSON.parse(buf.toString('utf8', starts[k], ends[k])) as IndexEntry);
    } catch {
      // skip
    }
  }
  return { active, terminal, total: latest.size, lines };
}

/**
 * The entries of `agents/active/` (runs that are not terminal, per the last index write), ordered by id (oldest
 * first); null when the directory does not exist (an index written before it existed — callers fall back to
 * {@link readIndex}). Unreadable or half-renamed markers are skipped.
 */
export function readActive(env: Env): IndexEntry[] | null {
  const dir = activeDir(env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  names.sort();
  const out: IndexEntry[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    try {
      out.push(JSON.parse(readFileSync(`${dir}/${n}`, 'utf8')) as IndexEntry);
    } catch {
      // removed meanwhile, or half a rename: skip
    }
  }
  return out;
}

/**
 * The newest `limit` finished runs, newest first, scanning `agents/index.jsonl` backwards (the last line per id
 * wins). Only the tail of the file is read: 64 KiB first, four times more each round while fewer than `limit`
 * finished runs were found, up to the whole file.
 */
export function readRecentTerminal(env: Env, limit: number): IndexEntry[] {
  if (limit <= 0) return [];
  let fd: number;
  try {
    fd = openSync(indexPath(env), 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    let len = Math.min(size, TAIL_BYTES);
    for (;;) {
      const buf = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const k = readSync(fd, buf, got, len - got, size - len + got);
        if (k === 0) break;
        got += k;
      }
      const out = scanTerminal(buf.subarray(0, got), limit, len === size);
      if (out.length >= limit || len === size) return out;
      len = Math.min(size, len * 4);
    }
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}

/**
 * The newest `limit` terminal latest-lines of an index tail, newest first. `whole`: the tail starts at the file's
 * beginning (else the bytes before its first newline may be part of a line and are not used). A torn last line (no
 * newline) is ignored.
 */
function scanTerminal(buf: Buffer, limit: number, whole: boolean): IndexEntry[] {
  const seen = new Set<string>();
  const out: IndexEntry[] = [];
  let end = buf.lastIndexOf(10);
  while (end > 0 && out.length < limit) {
    const nl = buf.lastIndexOf(10, end - 1);
    if (nl < 0 && !whole) break;
    const start = nl + 1;
    if (end - start > STATUS_AT && buf[start] === 0x7b) {
      const id = buf.toString('latin1', start + PREFIX.length, start + PREFIX.length + AGENT_ID_LENGTH);
      if (!seen.has(id)) {
        seen.add(id);
        const status = buf.toString('latin1', start + STATUS_AT, buf.indexOf(0x22, start + STATUS_AT));
        if (isTerminalStatus(status)) {
          try {
            out.push(JSON.parse(buf.toString('utf8', start, end)) as IndexEntry);
          } catch {
            // a bad line; reindex repairs it
          }
        }
      }
    }
    if (nl < 0) break;
    end = nl;
  }
  return out;
}

/**
 * Rebuilds `agents/index.jsonl` from every record directory (one line per run, oldest first), under the index
 * lock, atomically. Stale runs are not modified here (reading is side-effect free).
 * @returns the number of runs indexed
 */
export async function rebuildIndex(env: Env): Promise<{ runs: number; problems: string[] }> {
  const { indexEntryOf, listRecordDirs, readAgentView } = await import('./records.js');
  const { jsonlLine } = await import('../store/jsonl.js');
  const { updateActiveMarker } = await import('./index-append.js');
  const dirs = (await listRecordDirs(env)).reverse();
  const problems: string[] = [];
  const parts: string[] = [];
  const entries: IndexEntry[] = [];
  for (const d of dirs) {
    try {
      const e = indexEntryOf(readAgentView(d));
      entries.push(e);
      parts.push(jsonlLine(e));
    } catch (e) {
      problems.push(`${d}: ${(e as Error).message}`);
    }
  }
  const { rm } = await import('node:fs/promises');
  await rm(activeDir(env), { recursive: true, force: true });
  for (const e of entries) updateActiveMarker(env, e);
  const { withLock } = await import('../store/lock.js');
  const { writeFileAtomic } = await import('../store/atomic.js');
  await withLock(indexPath(env), () => writeFileAtomic(indexPath(env), parts.join('')), { wait: true });
  return { runs: parts.length, problems };
}

/** Rewrites the index keeping only the latest line per id (when it has grown to > 2× its runs). Best effort. */
export async function compactIndex(env: Env): Promise<void> {
  const { withLock } = await import('../store/lock.js');
  const { writeFileAtomic } = await import('../store/atomic.js');
  await withLock(
    indexPath(env),
    async () => {
      const text = readFileSync(indexPath(env), 'utf8');
      const latest = new Map<string, string>();
      for (const line of text.split('\n')) if (line.startsWith(PREFIX)) latest.set(line.slice(PREFIX.length, PREFIX.length + AGENT_ID_LENGTH), line);
      const ids = [...latest.keys()].sort();
      await writeFileAtomic(indexPath(env), ids.map((id) => latest.get(id)! + '\n').join(''));
    },
    { wait: false },
  ).catch(() => {});
}
