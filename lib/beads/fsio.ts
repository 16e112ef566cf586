/**
 * Atomic file replacement for the bead writer, with the fsyncs batched.
 *
 * `stageFile` writes `.<name>.tmp.<pid>.<n>` beside the target and renames it over the target (readers see the
 * old or the new bytes, never a mix; the temp name does not end in `.jsonl`, so stream readers ignore leftovers,
 * as SASE's do). `syncPaths` then fsyncs every written file and its directory in parallel. The writer makes its
 * journal durable first (see write.ts), so a crash between rename and fsync is always recoverable.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncPath } from '../store/atomic.js';

let counter = 0;

/** Writes `text` to `path` atomically (temp + rename) without fsync. @returns `path` */
export async function stageFile(path: string, text: string, sync = false): Promise<string> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp.${process.pid}.${++counter}`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    if (sync) await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return path;
}

/** fsyncs the given files and their parent directories, in parallel. */
export async function syncPaths(paths: readonly string[]): Promise<void> {
  const dirs = new Set(paths.map((p) => dirname(p)));
  await Promise.all([...paths, ...dirs].map(fsyncPath));
}

/** fsyncs one directory (so a rename inside it is durable). */
export async function syncDir(dir: string): Promise<void> {
  await fsyncPath(dir);
}
