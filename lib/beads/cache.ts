/**
 * A rebuildable read cache of the folded issues next to the store (`.bead-cache.json`, gitignored). It is a
 * projection only — never the source of truth: it is keyed by a fingerprint of every file the fold reads
 * (name, size, mtime of each stream, the manifest and config) plus the fold options, and ignored whenever the
 * key differs, a journal is pending, or it cannot be parsed.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StorePaths } from './paths.js';
import type { BeadIssue, FoldOptions } from './types.js';

const CACHE_VERSION = 1;

function statKey(path: string): string {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.size}:${st.mtimeNs}`;
  } catch {
    return '-';
  }
}

/**
 * Fingerprint of the store's fold inputs, or null when the store is in flux (a journal is pending) or is a
 * legacy store.
 */
export function storeFingerprint(paths: StorePaths, opts: FoldOptions = {}): string | null {
  if (existsSync(paths.journal)) return null;
  let names: string[];
  try {
    names = readdirSync(paths.streamsDir).filter((n) => n.endsWith('.jsonl')).sort();
  } catch {
    return null;
  }
  const parts = [`v${CACHE_VERSION}`, opts.legacyPlusOne ? 'legacy' : 'current', statKey(paths.manifest), statKey(paths.config)];
  for (const n of names) parts.push(`${n}=${statKey(join(paths.streamsDir, n))}`);
  return parts.join('|');
}

/** The cached issues when the cache matches the store, else null. Never throws. */
export function readCache(paths: StorePaths, opts: FoldOptions = {}): BeadIssue[] | null {
  try {
    const key = storeFingerprint(paths, opts);
    if (key === null) return null;
    const text = readFileSync(paths.cache, 'utf8');
    const nl = text.indexOf('\n');
    if (nl === -1 || text.slice(0, nl) !== key) return null;
    return JSON.parse(text.slice(nl + 1)) as BeadIssue[];
  } catch {
    return null;
  }
}

/** Writes the cache for the store's current files (best effort; failures are ignored). */
export function writeCache(paths: StorePaths, issues: readonly BeadIssue[], opts: FoldOptions = {}): void {
  try {
    const key = storeFingerprint(paths, opts);
    if (key === null) return;
    const tmp = `${paths.cache}.tmp.${process.pid}`;
    writeFileSync(tmp, key + '\n' + JSON.stringify(issues));
    renameSync(tmp, paths.cache);
  } catch {
    // The cache is optional.
  }
}
