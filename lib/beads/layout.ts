/**
 * File layout of a bead store (spec §B.1) and the explicit store location (`--store`, `$SASE_BEADS_DIR`). Kept
 * apart from paths.ts so the read commands do not load the git-repository lookup when a store is given.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { NotFoundError } from '../errors/index.js';
import type { Env } from '../store/paths.js';

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

/** True when `dir` holds a bead store (config.json, events/ or a legacy issues.jsonl). */
export function storeExists(dir: string): boolean {
  const p = storePaths(dir);
  return existsSync(p.config) || existsSync(p.eventsDir) || existsSync(p.projection);
}

/** The explicitly given store directory (`--store DIR`, else `$SASE_BEADS_DIR`, resolved against `cwd`), or null. */
export function explicitStoreDir(opts: { store?: string; env: Env; cwd: string }): string | null {
  if (opts.store) return isAbsolute(opts.store) ? opts.store : resolve(opts.cwd, opts.store);
  if (opts.env.SASE_BEADS_DIR) return resolve(opts.cwd, opts.env.SASE_BEADS_DIR);
  return null;
}

/** @throws NotFoundError when `dir` holds no store (see {@link storeExists}) */
export function assertStoreExists(dir: string): void {
  if (!storeExists(dir)) throw new NotFoundError(`no bead store at ${dir}`, { hint: "run 'sase bead init' first", data: { store: dir } });
}
