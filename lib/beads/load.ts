/**
 * Fast read path for commands: the folded issues from the rebuildable cache when it matches the store, else a
 * full read + fold (which refreshes the cache).
 */
import { readCache, writeCache } from './cache.js';
import { storePaths } from './paths.js';
import { foldSnapshot, readStore } from './read.js';
import type { BeadIssue, FoldOptions } from './types.js';

/**
 * The store's issues, sorted by id (§B.6 step 4).
 * @param opts.noCache skip the cache (always fold)
 * @throws InvalidDataError for a bad store or a failed replay
 */
export async function loadIssues(dir: string, opts: FoldOptions & { noCache?: boolean } = {}): Promise<BeadIssue[]> {
  const paths = storePaths(dir);
  if (!opts.noCache) {
    const cached = readCache(paths, opts);
    if (cached) return cached;
  }
  const snap = await readStore(dir);
  const issues = foldSnapshot(snap, opts);
  if (snap.kind === 'events' && !snap.journal && !opts.noCache) writeCache(paths, issues, opts);
  return issues;
}
