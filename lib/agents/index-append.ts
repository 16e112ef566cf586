/**
 * Writing the index projections (light: no lock library, used on the launch path):
 * - `agents/index.jsonl` — one line per status change, the last line per id wins;
 * - `agents/active/<id>.json` — the latest entry of every run that is not terminal (removed when it ends), so
 *   `sase agent list` reads O(active runs) files instead of scanning the whole index.
 * Both are caches of the record directories; `sase agent reindex` rebuilds them.
 */
import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { appendJsonl } from '../store/jsonl.js';
import type { Env } from '../store/paths.js';
import { replaceFileSync } from '../store/replace.js';
import { activeDir, indexPath } from './paths.js';
import { isTerminalStatus } from './status.js';
import type { IndexEntry } from './types.js';

/** Writes (non-terminal) or removes (terminal) the active marker of `entry`. Atomic rename; never throws. */
export function updateActiveMarker(env: Env, entry: IndexEntry): void {
  const dir = activeDir(env);
  const path = join(dir, `${entry.id}.json`);
  try {
    if (isTerminalStatus(entry.status)) {
      unlinkSync(path);
      return;
    }
    mkdirSync(dir, { recursive: true });
    replaceFileSync(path, JSON.stringify(entry) + '\n');
  } catch {
    // ENOENT on unlink, or a racing writer: the marker is a cache, list repairs it from the record
  }
}

/** Appends one entry (one write; concurrent appenders never interleave within a line) and updates its marker. */
export async function appendIndex(env: Env, entry: IndexEntry): Promise<void> {
  await appendJsonl(indexPath(env), entry);
  updateActiveMarker(env, entry);
}
