/**
 * Shared fixtures for tests that drive runs through the real `sase` binary: isolated user state, launching,
 * polling, reading record files and checking processes. Used by tests/orchestration, tests/runs, tests/beadwork and
 * tests/workspace (their per-folder helpers re-export from here).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runBin, tmpdir, type BinResult } from './index.js';

/** Options of {@link isolatedEnv}. */
export interface IsolatedEnvOptions {
  /**
   * When true, a cleanup registered before the temp dir's waits (up to 20 s) for the detached processes of this
   * state (runners, release ticks, timers) to exit, then SIGKILLs what is left, so the temp directory is not removed
   * under them. Default false.
   */
  reap?: boolean;
}

/**
 * Env isolating user state (HOME, SASE_HOME, XDG_CONFIG_HOME, XDG_STATE_HOME) in a fresh temp dir, with a short
 * kill grace (`SASE_KILL_GRACE=1s`) and no spare runner (`SASE_NO_SPARE_RUNNER=1`); `extra` entries override.
 */
export function isolatedEnv(t: TestContext, extra: Record<string, string> = {}, opts: IsolatedEnvOptions = {}): Record<string, string> {
  let saseHome = '';
  if (opts.reap) {
    t.after(async () => {
      const until = Date.now() + 20_000;
      while (saseProcesses(saseHome).length > 0 && Date.now() < until) await delay(100);
      killAll(saseProcesses(saseHome));
    });
  }
  const home = tmpdir(t);
  saseHome = join(home, '.sase');
  return {
    HOME: home,
    SASE_HOME: saseHome,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    SASE_KILL_GRACE: '1s',
    // No idle spare runners left behind by tests (tests/runs/spare.test.ts turns them on).
    SASE_NO_SPARE_RUNNER: '1',
    ...extra,
  };
}

/** Runs `sase …` (the real compiled binary) with `env`; `timeoutMs` defaults to 90 s. */
export function sase(args: string[], env: Record<string, string>, cwd?: string, timeoutMs = 90_000): Promise<BinResult> {
  return runBin('sase', args, { env, cwd, timeoutMs });
}

/**
 * `sase run --json ...extra PROMPT`; returns `data.agents`.
 * @throws Error carrying the exit code and output when the launch fails.
 */
export async function launchAgents(prompt: string, env: Record<string, string>, extra: string[] = [], cwd?: string): Promise<any[]> {
  const r = await sase(['run', '--json', ...extra, prompt], env, cwd);
  if (!r.json?.ok) throw new Error(`sase run failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.json.data.agents;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `cond` every `intervalMs` (default 100 ms) until it returns a truthy value, which it returns.
 * @throws Error `timed out waiting for <what>` after `timeoutMs` (default 60 s).
 */
export async function waitFor<T>(cond: () => T | Promise<T>, timeoutMs = 60_000, what = 'condition', intervalMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(intervalMs);
  }
}

/** Reads a JSON file; null when it is missing or torn (mid-write). */
export function readJsonOrNull(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Parses a JSONL file (blank lines skipped); [] when it is missing. */
export function readJsonLines(path: string): any[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** True while process `pid` exists (EPERM counts as existing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pids of live processes whose environment carries `SASE_HOME=<home>` (every sase process of a test); Linux /proc. */
export function saseProcesses(home: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${p}/environ`, 'utf8').split('\0');
      if (env.includes(`SASE_HOME=${home}`)) out.push(Number(p));
    } catch {
      // gone or not ours
    }
  }
  return out;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/**
 * SIGKILLs every process of the sase state `home` (see {@link saseProcesses}), repeating until none is left — a
 * finishing runner may still be starting its release tick.
 * @throws Error when processes remain after `timeoutMs` (default 20 s)
 */
export async function killSaseProcesses(home: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    () => {
      const left = saseProcesses(home);
      killAll(left);
      return left.length === 0;
    },
    timeoutMs,
    'every sase process to be gone',
  );
}
