/**
 * Writing the rebuildable read cache (layout: see cache.ts). Kept apart so read commands do not load it.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { storeFingerprint, type IndexEntry, type QuickLists } from './cache.js';
import { blockedIssues, listIssues, readyIssues } from './query.js';
import { serializeIssue } from './project.js';
import type { StorePaths } from './paths.js';
import type { BeadIssue, FoldOptions } from './types.js';

/**
 * Writes the cache for the store's current files (best effort; failures are ignored).
 * @param expectedKey the fingerprint taken before the store was read; when given and the store changed since,
 *   nothing is written (a concurrent writer won)
 */
export function writeCache(paths: StorePaths, issues: readonly BeadIssue[], opts: FoldOptions = {}, expectedKey?: string | null): void {
  try {
    const key = storeFingerprint(paths, opts);
    if (key === null || (expectedKey !== undefined && key !== expectedKey)) return;
    const rows: Buffer[] = [];
    const index: IndexEntry[] = [];
    const pos = new Map<string, [number, number]>();
    let off = 0;
    for (const i of issues) {
      const b = Buffer.from(serializeIssue(i), 'utf8');
      rows.push(b);
      index.push({
        id: i.id, title: i.title, status: i.status, issue_type: i.issue_type, tier: i.tier, parent_id: i.parent_id, assignee: i.assignee,
        created_at: i.created_at, updated_at: i.updated_at, closed_at: i.closed_at, dependencies: i.dependencies.map((d) => ({ depends_on_id: d.depends_on_id })), o: off, n: b.length - 1,
      });
      pos.set(i.id, [off, b.length - 1]);
      off += b.length;
    }
    const quick: QuickLists = {
      ready: readyIssues(issues).map((i) => i.id),
      ready_legacy: readyIssues(issues, { legacy: true }).map((i) => i.id),
      active: listIssues(issues).map((i) => i.id),
      blocked: blockedIssues(issues).map((b) => [b.issue.id, b.blocked_by]),
      pos: {},
    };
    for (const id of [...quick.ready, ...quick.ready_legacy, ...quick.active, ...quick.blocked.map((b) => b[0])]) quick.pos[id] = pos.get(id)!;
    const quickBuf = Buffer.from(JSON.stringify(quick), 'utf8');
    const indexBuf = Buffer.from(JSON.stringify(index), 'utf8');
    const tmp = `${paths.cache}.tmp.${process.pid}`;
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${key}\t${quickBuf.length}\t${indexBuf.length}\n`, 'utf8'), quickBuf, indexBuf, ...rows]));
    renameSync(tmp, paths.cache);
  } catch {
    // The cache is optional.
  }
}

/** Drops the cache (the writer calls this before it changes any store file). */
export function dropCache(paths: StorePaths): void {
  try {
    rmSync(paths.cache, { force: true });
  } catch {
    // best effort
  }
}

/** Increments the local write generation (caller holds the store lock). */
export function bumpGeneration(paths: StorePaths): void {
  let n = 0;
  try {
    n = Number(readFileSync(paths.generation, 'utf8').trim()) || 0;
  } catch {
    // first write
  }
  const tmp = `${paths.generation}.tmp.${process.pid}`;
  writeFileSync(tmp, `${n + 1}\n`);
  renameSync(tmp, paths.generation);
}
