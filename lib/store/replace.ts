/**
 * Replace-by-rename without fsync, for files on a latency path whose loss in a machine crash is harmless (launch-time
 * record files, caches, projection markers that a rebuild restores). Imports nothing but node:fs: readers such as
 * `sase agent list` and `sase bead ready` load it on start-up.
 */
import { renameSync, writeFileSync } from 'node:fs';

/**
 * Replaces `path` with `data` through a uniquely named temp file in the same directory (`<path>.tmp.<pid>.<rand>`:
 * a bead store's `.gitignore` line `.*.tmp.*` covers a leftover one; listings that keep `*.json` skip it) and a
 * rename: readers see the old or the new file, never a torn one. Not fsynced — a machine crash right after may lose
 * the write (use writeFileAtomic from atomic.ts for state that must survive). The parent directory must exist.
 * @param data text (UTF-8) or bytes
 * @throws the underlying fs error (ENOENT for a missing directory, ENOSPC, …); the temp file may be left behind
 *   only when the rename itself fails
 */
export function replaceFileSync(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
