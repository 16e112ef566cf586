/**
 * File layout of a bead store (spec §B.1, see layout.ts) and where a store is found.
 */
import { join } from 'node:path';
import { NotFoundError } from '../errors/index.js';
import { findRepoRoot, type Env } from '../store/paths.js';
import { assertStoreExists, explicitStoreDir } from './layout.js';

export { storePaths, streamFile, storeExists, explicitStoreDir, assertStoreExists, STORE_GITIGNORE, type StorePaths } from './layout.js';

/**
 * Locates the store: `--store DIR`, else `$SASE_BEADS_DIR`, else `sdd/beads/` of the git repository enclosing
 * `cwd`.
 * @param mustExist when true, a store that has neither config.json, events/ nor issues.jsonl is NotFound
 * @throws NotFoundError when no location applies (not in a git repo) or the store is missing
 */
export function locateStore(opts: { store?: string; env: Env; cwd: string; mustExist?: boolean }): string {
  let dir = explicitStoreDir(opts);
  if (dir === null) {
    const root = findRepoRoot(opts.cwd);
    if (root) dir = join(root, 'sdd', 'beads');
  }
  if (!dir) {
    throw new NotFoundError('no bead store: not inside a git repository', {
      hint: 'pass --store DIR, set SASE_BEADS_DIR, or run inside a git repository',
    });
  }
  if (opts.mustExist !== false) assertStoreExists(dir);
  return dir;
}

