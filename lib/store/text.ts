/** Reading state files that may legitimately be missing. */
import { readFileSync } from 'node:fs';

/**
 * Reads a UTF-8 file synchronously.
 * @returns its text, or null when the file does not exist (ENOENT)
 * @throws the underlying fs error for anything else (EACCES, EISDIR, …)
 */
export function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
