/**
 * Fast read path for commands: the folded issues from the rebuildable cache when it matches the store, else a
 * full read + fold (which refreshes the cache). The fold machinery is imported only on a cache miss.
 */
import { readCache, sourceOf, storeFingerprint, type IssueSource } from './cache.js';
import { storePaths } from './layout.js';
import type { BeadIssue, FoldOptions } from './types.js';

/**
 * The store's issues, sorted by id (§B.6 step 4), always from a full read + fold (the cache is refreshed).
 * @throws InvalidDataError for a bad store or a failed replay
 */
export async function loadIssues(dir: string, opts: FoldOptions & { noCache?: boolean } = {}): Promise<BeadIssue[]> {
  const [{ foldSnapshot, readStore }, { foldTexts }] = await Promise.all([import('./read.js'), import('./lazy-fold.js')]);
  const paths = storePaths(dir);
  const key = opts.noCache ? null : storeFingerprint(paths, opts);
  const snap = await readStore(dir, { bytesOnly: true });
  const issues = snap.kind === 'events' ? foldTexts(snap, opts) : foldSnapshot(snap, opts);
  if (snap.kind === 'events' && key !== null) (await import('./cache-write.js')).writeCache(paths, issues, opts, key);
  return issues;
}

/**
 * The store's issues for read commands: the cache when it matches the store (only the index is parsed; full rows
 * on demand), else a fold that refreshes the cache.
 * @throws InvalidDataError for a bad store or a failed replay
 */
export async function loadIssueSource(dir: string, opts: FoldOptions & { noCache?: boolean } = {}): Promise<IssueSource> {
  if (!opts.noCache) {
    const cached = readCache(storePaths(dir), opts);
    if (cached) return cached;
  }
  return foldedSource(dir, opts);
}

/**
 * The store's issues from a full read + fold (the cache is refreshed unless `noCache`), as an {@link IssueSource}
 * without precomputed answers. For callers that already know the cache missed (see {@link loadIssueSource}).
 * @throws InvalidDataError for a bad store or a failed replay
 */
export async function foldedSource(dir: string, opts: FoldOptions & { noCache?: boolean } = {}): Promise<IssueSource> {
  const [{ issueWire }, issues] = await Promise.all([import('./project.js'), loadIssues(dir, opts)]);
  return sourceOf(issues, issueWire);
}
