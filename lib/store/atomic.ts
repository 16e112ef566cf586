/**
 * Crash-safe whole-file writes and write-once files.
 *
 * Rule (ARCHITECTURE.md principle 6): a state file is never half-written. Whole-file writes go through
 * write-file-atomic (temp file in the same directory, write, fsync, rename) followed by an fsync of the directory
 * so the rename itself is durable. Write-once response files use O_EXCL.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type writeFileAtomicType from 'write-file-atomic';
import { ConflictError } from '../errors/index.js';

// Loaded on first write so read-only commands never pay for it at start-up.
const requireLazy = createRequire(import.meta.url);
let writeFileAtomicLib: typeof writeFileAtomicType | undefined;

/**
 * fsyncs a file or a directory (a directory: so a rename inside it survives a crash). Errors (e.g. EISDIR on odd
 * filesystems) are ignored.
 */
export async function fsyncPath(path: string): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'r');
    await fh.sync();
  } catch {
    // Some filesystems do not allow fsync on a directory; the rename is still atomic.
  } finally {
    await fh?.close();
  }
}

/** fsyncs directory `dir` (see {@link fsyncPath}). */
export const fsyncDir: (dir: string) => Promise<void> = fsyncPath;

/**
 * Atomically replaces `path` with `data` (parent directories created). Readers see the old or the new content,
 * never a mix; the temp file is removed on any error.
 * @param data text (UTF-8) or bytes
 * @throws the underlying fs error (ENOSPC, EACCES, …) — the target is untouched in that case
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  writeFileAtomicLib ??= requireLazy('write-file-atomic') as typeof writeFileAtomicType;
  await writeFileAtomicLib(path, typeof data === 'string' ? data : Buffer.from(data), { fsync: true });
  await fsyncDir(dirname(path));
}

/**
 * Serialises persisted JSON the house way: 2-space indent, trailing newline. Key order is the object's own
 * insertion order, so callers build objects in their stable order.
 */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Atomically writes `value` as pretty JSON (see {@link stringifyJson}). @throws fs errors */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, stringifyJson(value));
}

/**
 * Creates `path` with `data` only if it does not exist yet (O_CREAT|O_EXCL), fsynced. Used for write-once
 * response files (plan/question answers) so two answerers cannot both win.
 * @throws ConflictError when the file already exists
 */
export async function writeOnce(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ConflictError(`${path} already exists (write-once)`, { data: { path } });
    }
    throw e;
  }
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsyncDir(dirname(path));
}
