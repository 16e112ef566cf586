/**
 * fakey's persistent attempt cursor and invocation records (spec/runtime.md §c.3 "The attempt cursor persists in
 * FAKEY_STATE_DIR"; SASE `src/sase/fakey/state.py`). Both counters advance under one cross-process lock, so
 * concurrent fakey processes sharing a state dir never reuse an attempt or an invocation number.
 */
import { join, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { readFile } from 'node:fs/promises';
// Direct module imports (not store/index.js): fakey start-up should not pay for gray-matter and yaml.
import { writeJsonAtomic } from '../../store/atomic.js';
import { withLock } from '../../store/lock.js';
import { shortHash } from './scenario.js';

/**
 * The state directory: `$FAKEY_STATE_DIR`, else `$SASE_ARTIFACTS_DIR` (the run's artifact dir, set by the runner),
 * else `<tmp>/fakey-<uid>/<hash(cwd:source)>`.
 */
export function fakeyStateDir(env: Record<string, string | undefined>, cwd: string, source: string): string {
  if (env.FAKEY_STATE_DIR) return resolve(cwd, env.FAKEY_STATE_DIR);
  if (env.SASE_ARTIFACTS_DIR) return resolve(cwd, env.SASE_ARTIFACTS_DIR);
  let uid: string;
  try {
    uid = String(userInfo().uid);
  } catch {
    uid = 'user';
  }
  return join(tmpdir(), `fakey-${uid}`, shortHash(`${cwd}:${source}`));
}

/** The cursor key: the scenario source plus the workspace, so two workspaces never share an attempt cursor. */
export function fakeyStateKey(cwd: string, source: string): string {
  return shortHash(`${source}\u0000${cwd}`);
}

async function readCounter(path: string, field: string, fallback: number): Promise<number> {
  try {
    const v = (JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>)[field];
    return typeof v === 'number' && Number.isInteger(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Atomically advances the scenario cursor `key` and reserves an invocation number in `stateDir`.
 * @returns the 0-based attempt index to run and the 1-based invocation number for `invocation-<n>.json`
 */
export async function reserveInvocation(stateDir: string, key: string): Promise<{ attemptIndex: number; invocation: number }> {
  const cursorPath = join(stateDir, `.fakey-state-${key}.json`);
  const counterPath = join(stateDir, '.fakey-invocations.json');
  return withLock(
    join(stateDir, '.fakey'),
    async () => {
      const attemptIndex = await readCounter(cursorPath, 'next_attempt', 0);
      await writeJsonAtomic(cursorPath, { next_attempt: attemptIndex + 1 });
      const invocation = await readCounter(counterPath, 'next_invocation', 1);
      await writeJsonAtomic(counterPath, { next_invocation: invocation + 1 });
      return { attemptIndex, invocation };
    },
    { wait: true, timeoutMs: 60_000 },
  );
}

/** Writes the record of one invocation (`invocation-<n>.json`: argv, prompt, env, scenario, attempt, outcome). */
export async function writeInvocation(stateDir: string, invocation: number, record: Record<string, unknown>): Promise<string> {
  const path = join(stateDir, `invocation-${invocation}.json`);
  await writeJsonAtomic(path, record);
  return path;
}
