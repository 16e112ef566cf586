/**
 * Writing the rebuildable read cache (layout: see cache.ts). Kept apart so read commands do not load it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { replaceFileSync } from '../store/replace.js';
import { storeFingerprint, type IndexEntry, type QuickLists } from './cache.js';
import { blockedIssues, listIssues, readyIssues } from './query.js';
import { issueWire } from './project.js';
import type { StorePaths } from './layout.js';
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
    const active = listIssues(issues);
    const activeIds = new Set(active.map((i) => i.id));
    const rowText = new Map<string, string>();
    for (const i of issues) rowText.set(i.id, JSON.stringify(issueWire(i)));
    const parts: string[] = [];
    const pos = new Map<string, [number, number]>();
    let off = 0;
    const put = (text: string): void => {
      parts.push(text);
      off += Buffer.byteLength(text, 'utf8');
    };
    // A JSON array of rows; each row's own offset/length is recorded when `record` is set. @returns its span
    const putArray = (list: readonly BeadIssue[], record: boolean): [number, number] => {
      const start = off;
      put('[');
      list.forEach((i, k) => {
        if (k > 0) put(',');
        const text = rowText.get(i.id)!;
        if (record) pos.set(i.id, [off, Buffer.byteLength(text, 'utf8')]);
        put(text);
      });
      put(']');
      const span: [number, number] = [start, off - start];
      put('\n');
      return span;
    };
    const activeSpan = putArray(active, true);
    for (const i of issues) {
      if (activeIds.has(i.id)) continue;
      const text = rowText.get(i.id)!;
      pos.set(i.id, [off, Buffer.byteLength(text, 'utf8')]);
      put(text);
      put('\n');
    }
    const readySpan = putArray(readyIssues(issues), false);
    const legacySpan = putArray(readyIssues(issues, { legacy: true }), false);
    const index: IndexEntry[] = issues.map((i) => {
      const [o, n] = pos.get(i.id)!;
      return {
        id: i.id, title: i.title, status: i.status, issue_type: i.issue_type, tier: i.tier, parent_id: i.parent_id, assignee: i.assignee,
        created_at: i.created_at, updated_at: i.updated_at, closed_at: i.closed_at, dependencies: i.dependencies.map((d) => ({ depends_on_id: d.depends_on_id })), o, n,
      };
    });
    const quick: QuickLists = {
      lists: { active: activeSpan, ready: readySpan, ready_legacy: legacySpan },
      blocked: blockedIssues(issues).map((b) => [b.issue.id, b.blocked_by]),
      pos: {},
    };
    for (const [id] of quick.blocked) quick.pos[id] = pos.get(id)!;
    const quickBuf = Buffer.from(JSON.stringify(quick), 'utf8');
    const indexBuf = Buffer.from(JSON.stringify(index), 'utf8');
    replaceFileSync(paths.cache, Buffer.concat([Buffer.from(`${key}\t${quickBuf.length}\t${indexBuf.length}\n`, 'utf8'), quickBuf, indexBuf, Buffer.from(parts.join(''), 'utf8')]));
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
  replaceFileSync(paths.generation, `${n + 1}\n`);
}
