/**
 * `tick`: one idempotent pass over every parked run, releasing each whose wait is satisfied, ending stopped
 * `%repeat` slots, recording why the others stay parked (`waiting.json` `wait_state`/`blocked_reason`), arming a
 * timer for pending time floors, and restarting releases that died half-way. Runs under the cross-process lock
 * `$SASE_HOME/agents/tick.lock`; a second concurrent tick gets LockedError (exit 5) unless it asked to wait.
 * Called by `sase agent tick`, after `sase run` parks runs, and by the runner when a run finishes
 * ({@link onRunFinished}) — so a release never depends on one process staying alive. spec/runtime.md §b.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { binScript } from '../package.js';
import { agentsRoot } from '../agents/paths.js';
import { listRecordDirs, readAgentView, readJsonOrNull, RECORD_FILES, writeRecordJson } from '../agents/records.js';
import { withLock } from '../store/lock.js';
import { isPidAlive } from '../store/pid.js';
import { definedEnv, type Env } from '../store/paths.js';
import { isHalfReleased, isParked, startParkedRun, stopParkedRun } from './release.js';
import { evaluateWait } from './wait.js';

/** Options of {@link tick}. */
export interface TickOptions {
  now(): Date;
  /** Wait for a held lock instead of failing (default false). */
  wait?: boolean;
  /** Longest lock wait, ms (default 30 000). */
  lockTimeoutMs?: number;
  /** Do not spawn timer processes for pending time floors (default false). */
  noTimers?: boolean;
}

/** One parked run as a tick saw it. */
export interface TickEntry {
  id: string;
  name: string;
  /** `released`, `stopped`, `restarted`, `failed` (release failed), or the verdict `pending`/`blocked`/`timer`. */
  action: string;
  reason: string | null;
}

/** Result of {@link tick}. */
export interface TickResult {
  checked: number;
  released: number;
  stopped: number;
  entries: TickEntry[];
}

/** Lock target of the tick (`<agents>/tick`, lock directory `tick.lock`). */
export function tickLockTarget(env: Env): string {
  return join(agentsRoot(env), 'tick');
}

const TIMER_FILE = 'timer.json';

function armTimer(env: Env, dir: string, atMs: number): void {
  const at = new Date(atMs).toISOString();
  const cur = readJsonOrNull<{ pid: number; at: string }>(join(dir, TIMER_FILE));
  if (cur && cur.at === at && isPidAlive(cur.pid)) return;
  const clean = definedEnv(env);
  const bin = binScript('sase');
  const child = spawn(process.execPath, [bin, 'agent', 'tick', '--at', at, '--json'], { cwd: dir, env: clean, detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid) writeRecordJson(join(dir, TIMER_FILE), { pid: child.pid, at });
}

async function configFor(cwd: string, env: Env, cache: Map<string, Record<string, unknown>>): Promise<Record<string, unknown>> {
  let c = cache.get(cwd);
  if (!c) cache.set(cwd, (c = (await import('../config/index.js')).mergedConfigOrEmpty(cwd, env)));
  return c;
}

/**
 * One pass over parked runs (see the module doc).
 * @throws LockedError when another tick holds the lock (and `wait` is false or the wait timed out)
 */
export async function tick(env: Env, opts: TickOptions): Promise<TickResult> {
  return withLock(tickLockTarget(env), () => tickUnlocked(env, opts), { wait: opts.wait ?? false, timeoutMs: opts.lockTimeoutMs ?? 30_000 });
}

async function tickUnlocked(env: Env, opts: TickOptions): Promise<TickResult> {
  const res: TickResult = { checked: 0, released: 0, stopped: 0, entries: [] };
  const configs = new Map<string, Record<string, unknown>>();
  // Oldest first, so a chain's earlier links are handled before later ones in the same pass.
  const dirs = (await listRecordDirs(env)).reverse();
  let progress = true;
  const seen = new Set<string>();
  const checked = new Set<string>();
  while (progress) {
    progress = false;
    for (const dir of dirs) {
      if (seen.has(dir)) continue;
      const half = isHalfReleased(dir);
      if (!half && !isParked(dir)) continue;
      let v;
      try {
        v = readAgentView(dir);
      } catch {
        continue;
      }
      if (!half) checked.add(dir);
      const now = opts.now();
      const verdict = half ? null : await evaluateWait(env, v, now.getTime());
      if (half || verdict!.action === 'ready') {
        seen.add(dir);
        try {
          const config = readJsonOrNull<Record<string, unknown>>(join(dir, RECORD_FILES.config)) ?? (await configFor(v.record.launch_cwd, env, configs));
          await startParkedRun(dir, { env, config, now: opts.now });
          res.released++;
          res.entries.push({ id: v.id, name: v.name, action: half ? 'restarted' : 'released', reason: null });
        } catch (e) {
          res.entries.push({ id: v.id, name: v.name, action: 'failed', reason: (e as Error).message });
        }
        progress = true;
        continue;
      }
      if (verdict!.action === 'stop') {
        seen.add(dir);
        await stopParkedRun(env, dir, verdict!.stopped_by!, now);
        res.stopped++;
        res.entries.push({ id: v.id, name: v.name, action: 'stopped', reason: verdict!.reason });
        progress = true;
        continue;
      }
      const w = v.waiting;
      if (w && (w.wait_state !== verdict!.action || w.blocked_reason !== verdict!.reason)) {
        writeRecordJson(join(dir, RECORD_FILES.waiting), { ...w, wait_state: verdict!.action, blocked_reason: verdict!.reason, checked_at: now.toISOString() });
        // Runs waiting on this one may judge it differently now (a blocked link parks the chain below it).
        if (verdict!.action === 'blocked') progress = true;
      }
      if (verdict!.action === 'timer' && !opts.noTimers) armTimer(env, dir, verdict!.floor_ms!);
      res.entries.push({ id: v.id, name: v.name, action: verdict!.action, reason: verdict!.reason });
    }
    // Entries of runs re-evaluated in a later pass replace earlier ones.
    if (progress) {
      const keep = new Map<string, TickEntry>();
      for (const e of res.entries) keep.set(e.id, e);
      res.entries = [...keep.values()];
    }
  }
  res.checked = checked.size;
  return res;
}

/**
 * Hook called when runs change state (lib/agents/runner.ts and the workflow runner after writing a terminal status;
 * lib/agents/launch.ts after parking runs, with `recordDir` ''). From a runner (`recordDir` set) it starts a
 * detached `sase agent tick --wait --after-pid <this pid>`, so the release happens once the finishing runner has
 * exited (its workspace claim and occupant marker are then free) — only when the index lists a WAITING run; from
 * the launcher it ticks in-process. Never throws; the periodic tick (`sase agent tick`) is the fallback.
 */
export async function onRunFinished(recordDir: string, env: Env, now: () => Date = () => new Date()): Promise<void> {
  try {
    if (recordDir === '') {
      await tick(env, { now, wait: true, lockTimeoutMs: 60_000 });
      return;
    }
    // Nothing parked (per the index projection) → nothing to release; `sase agent tick` covers an index that lags.
    const { readIndex } = await import('../agents/index-store.js');
    if (!(await readIndex(env, 0)).active.some((e) => e.status === 'WAITING')) return;
    const clean = definedEnv(env);
    const bin = binScript('sase');
    const child = spawn(process.execPath, [bin, 'agent', 'tick', '--wait', '--after-pid', String(process.pid), '--json'], { cwd: recordDir, env: clean, detached: true, stdio: 'ignore' });
    child.unref();
  } catch {
    // A later tick (sase agent tick, the next finishing run) releases what this one could not.
  }
}
