/**
 * The catalog's per-file parse cache: `$SASE_HOME/cache/xprompt-files.json` maps each definition file (and each
 * sase.yml layer) to its mtime, size and parse result, so a warm start reads one JSON file instead of importing
 * `yaml` and re-parsing. Derived data: safe to delete; `SASE_XPROMPT_CACHE=0` disables it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageVersion } from '../package.js';
import { saseHome, type Env } from '../store/paths.js';
import type { ParsedSource } from './loader.js';

/** Bumped whenever the parsed-file shape or parsing rules change (invalidates caches). */
export const CACHE_SCHEMA = 5;

/** One cached file: its mtime/size when parsed and the parse result. */
export interface CacheEntry {
  /** mtimeMs and size of the file when parsed. */
  m: number;
  s: number;
  r: ParsedSource;
  /** Config files only: the catalog-relevant keys of the layer (`xprompts`, `plugins`, `project`). */
  d?: Record<string, unknown>;
}
/** The cache file `$SASE_HOME/cache/xprompt-files.json`. */
export interface CacheFile {
  schema: number;
  version: string;
  files: Record<string, CacheEntry>;
}

/** Where the parse cache lives. */
export function cachePath(env: Env): string {
  return join(saseHome(env), 'cache', 'xprompt-files.json');
}

/** Reads the cache; null when absent, unreadable, disabled or from another schema/version. */
export function readCache(env: Env): CacheFile | null {
  if (env.SASE_XPROMPT_CACHE === '0') return null;
  try {
    const c = JSON.parse(readFileSync(cachePath(env), 'utf8')) as CacheFile;
    if (c.schema !== CACHE_SCHEMA || c.version !== packageVersion() || typeof c.files !== 'object') return null;
    return c;
  } catch {
    return null;
  }
}

/** Writes the cache atomically (at most 4,000 entries, the most recently added kept); failures are ignored. */
export async function writeCache(env: Env, files: Record<string, CacheEntry>): Promise<void> {
  if (env.SASE_XPROMPT_CACHE === '0') return;
  try {
    const { writeJsonAtomic } = await import('../store/atomic.js');
    mkdirSync(dirname(cachePath(env)), { recursive: true });
    const keys = Object.keys(files);
    const kept: Record<string, CacheEntry> = {};
    for (const k of keys.slice(Math.max(0, keys.length - 4000))) kept[k] = files[k]!;
    await writeJsonAtomic(cachePath(env), { schema: CACHE_SCHEMA, version: packageVersion(), files: kept });
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

/** True when `v` survives a JSON round trip (no NaN/Infinity, functions or class instances; undefined properties just vanish). */
export function jsonSafe(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(v as Record<string, unknown>).every((x) => x === undefined || jsonSafe(x));
  }
  return false;
}

/** Cache key of a config layer's catalog data. */
export function configKey(scope: string, path: string): string {
  return `config:${scope}:${path}`;
}
