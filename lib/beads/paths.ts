/**
 * File layout of a bead store (spec §B.1) and where a store is found.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { NotFoundError } from '../errors/index.js';
import { findRepoRoot, type Env } from '../store/paths.js';

/** Paths inside one store directory. */
export interface StorePaths {
  dir: string;
  config: string;
  metadata: string;
  eventsDir: string;
  manifest: string;
  streamsDir: string;
  projection: string;
  /** Lock target; withLock creates `beads.db.lock` beside it (SASE uses beads.db itself as its flock file). */
  lockTarget: string;
  holder: string;
  /** Write-ahead journal of an in-flight mutation (gitignored). */
  journal: string;
  /** Rebuildable read cache (gitignored). */
  cache: string;
  /** Write generation counter, bumped by every local write; part of the cache key (gitignored). */
  generation: string;
  gitignore: string;
}

/** Paths of the store at `dir`. */
export function storePaths(dir: string): StorePaths {
  const eventsDir = join(dir, 'events');
  return {
    dir,
    config: join(dir, 'config.json'),
    metadata: join(dir, 'metadata.json'),
    eventsDir,
    manifest: join(eventsDir, 'manifest.json'),
    streamsDir: join(eventsDir, 'streams'),
    projection: join(dir, 'issues.jsonl'),
    lockTarget: join(dir, 'beads.db'),
    holder: join(dir, '.bead-mutation-lock.holder'),
    journal: join(dir, '.bead-mutation-journal.json'),
    cache: join(dir, '.bead-cache.json'),
    generation: join(dir, '.bead-generation'),
    gitignore: join(dir, '.gitignore'),
  };
}

/** The `.gitignore` lines of a store: SASE's four (§B.1) plus our lock directory, journal and cache. */
export const STORE_GITIGNORE: readonly string[] = [
  'beads.db',
  'beads.db-shm',
  'beads.db-wal',
  '.bead-mutation-lock.holder',
  'beads.db.lock',
  '.bead-mutation-journal.json',
  '.bead-cache.json',
  '.bead-generation',
  '.*.tmp.*',
];

/** The stream file of a stream id. */
export function streamFile(paths: StorePaths, streamId: string): string {
  return join(paths.streamsDir, `${streamId}.jsonl`);
}

/**
 * Locates the store: `--store DIR`, else `$SASE_BEADS_DIR`, else `sdd/beads/` of the git repository enclosing
 * `cwd`.
 * @param mustExist when true, a store that has neither config.json, events/ nor issues.jsonl is NotFound
 * @throws NotFoundError when no location applies (not in a git repo) or the store is missing
 */
export function locateStore(opts: { store?: string; env: Env; cwd: string; mustExist?: boolean }): string {
  let dir: string | null = null;
  if (opts.store) dir = isAbsolute(opts.store) ? opts.store : resolve(opts.cwd, opts.store);
  else if (opts.env.SASE_BEADS_DIR) dir = resolve(opts.cwd, opts.env.SASE_BEADS_DIR);
  else {
    const root = findRepoRoot(opts.cwd);
    if (root) dir = join(root, 'sdd', 'beads');
  }
  if (!dir) {
    throw new NotFoundError('no bead store: not inside a git repository', {
      hint: 'pass --store DIR, set SASE_BEADS_DIR, or run inside a git repository',
    });
  }
  if (opts.mustExist !== false && !storeExists(dir)) {
    throw new NotFoundError(`no bead store at ${dir}`, { hint: "run 'sase bead init' first", data: { store: dir } });
  }
  return dir;
}

/** True when `dir` holds a bead store (config.json, events/ or a legacy issues.jsonl). */
export function storeExists(dir: string): boolean {
  const p = storePaths(dir);
  return existsSync(p.config) || existsSync(p.eventsDir) || existsSync(p.projection);
}
