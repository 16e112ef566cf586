/**
 * Request ids and prefix lookup shared by plan approvals and user questions: each request is a directory named by
 * its id (12 lowercase hex digits, or any directory name written by another tool); users type a unique prefix.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { ConflictError, NotFoundError } from '../errors/index.js';

/** A new random request id (12 hex digits). */
export function newRequestId(): string {
  return randomBytes(6).toString('hex');
}

/** Names of request directories under `dir` (missing dir → []). */
export function listRequestIds(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Resolves `prefix` against `ids`: an exact match wins, else the unique id starting with it.
 * @param what noun for messages (`plan`, `question`)
 * @throws NotFoundError when nothing matches; ConflictError when the prefix is ambiguous
 */
export function resolvePrefix(ids: readonly string[], prefix: string, what: string): string {
  if (ids.includes(prefix)) return prefix;
  const hits = ids.filter((i) => i.startsWith(prefix));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new NotFoundError(`no ${what} request matches ${JSON.stringify(prefix)}`, { hint: `run 'sase ${what} list'` });
  throw new ConflictError(`${JSON.stringify(prefix)} matches ${hits.length} ${what} requests: ${hits.join(', ')}`, {
    hint: 'type more characters of the id',
    data: { matches: hits },
  });
}
