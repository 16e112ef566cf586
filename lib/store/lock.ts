/**
 * Cross-process locks with stale-lock recovery (proper-lockfile).
 *
 * Rule (ARCHITECTURE.md principle 6): read-modify-write of a shared file happens only under its lock. The lock is
 * a `<target>.lock` directory (mkdir is atomic); its mtime is refreshed while held, and a lock whose mtime is older
 * than `staleMs` is taken over (the holder died). A compromised lock (taken over while we held it) becomes a typed
 * LockedError instead of a crash.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type lockfileType from 'proper-lockfile';
import { LockedError } from '../errors/index.js';

// proper-lockfile (and graceful-fs under it) is loaded on first use so read-only commands skip it at start-up.
const requireLazy = createRequire(import.meta.url);
let lockfileLib: typeof lockfileType | undefined;
function lockfile(): typeof lockfileType {
  return (lockfileLib ??= requireLazy('proper-lockfile') as typeof lockfileType);
}

/** Options for {@link withLock}. */
export interface LockOptions {
  /** Wait for the lock instead of failing at once. Default false. */
  wait?: boolean;
  /** Longest total wait when `wait` is true, in ms. Default 30_000. */
  timeoutMs?: number;
  /** A lock not refreshed for this long is considered stale and taken over, in ms. Default 10_000 (min 2_000). */
  staleMs?: number;
  /** Path of the lock directory; default `<target>.lock`. */
  lockfilePath?: string;
}

/**
 * Runs `fn` while holding the lock of `target` (the target itself need not exist).
 * @returns what `fn` returns
 * @throws LockedError when the lock is held (no wait) or the wait timed out, or if the lock was compromised
 */
export async function withLock<T>(target: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const staleMs = Math.max(2000, opts.staleMs ?? 10_000);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  await mkdir(dirname(target), { recursive: true });
  let compromised: Error | undefined;
  const lockOpts: lockfileType.LockOptions = {
    realpath: false,
    stale: staleMs,
    update: Math.floor(staleMs / 2),
    lockfilePath: opts.lockfilePath,
    onCompromised: (err) => {
      compromised = err;
    },
  };
  let release: () => Promise<void>;
  const started = Date.now();
  for (;;) {
    try {
      release = await lockfile().lock(target, lockOpts);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      if (!opts.wait || Date.now() - started >= timeoutMs) {
        throw new LockedError(`${target} is locked by another process`, {
          hint: opts.wait ? `gave up after ${timeoutMs} ms` : 'retry, or pass --wait',
          data: { target, waited_ms: Date.now() - started },
        });
      }
      await new Promise((r) => setTimeout(r, 15 + Math.floor(Math.random() * 35)));
    }
  }
  try {
    const result = await fn();
    if (compromised) throw new LockedError(`lock on ${target} was lost while held: ${compromised.message}`, { data: { target } });
    return result;
  } finally {
    try {
      await release();
    } catch {
      // Already released or compromised; nothing else to do.
    }
  }
}

/** True when `target` is currently locked by a live (non-stale) holder. */
export async function isLocked(target: string, staleMs = 10_000): Promise<boolean> {
  return lockfile().check(target, { realpath: false, stale: Math.max(2000, staleMs) });
}
