/**
 * A standby runner: a detached `sase-runner --standby` started before `sase run` has even loaded its planner, so
 * the runner's Node start-up overlaps the launcher's; the first launch is then handed to it instead of spawning a
 * fresh runner (docs/adr/0004-start-up-time.md).
 *
 * Hand-off protocol: the standby's stdin is a pipe from the launcher. The launcher writes one line — the record
 * directory — and closes it; end of input without a line (the launcher cancelled, failed or died) means "exit".
 * A standby that hears nothing within {@link STANDBY_WAIT_MS} exits too. Nothing is written to disk.
 *
 * Before starting one, the launcher tries the *spare* runner (lib/agents/spare.ts): an idle runner that is already
 * loaded, left behind by the previous `sase run`.
 *
 * Kept light (node builtins, lib/package, lib/store/paths, ./spare): `sase run` loads it before anything else.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { binScript } from '../package.js';
import { definedEnv } from '../store/paths.js';
import { claimSpare, sparePaths, sparesDisabled, startSpare } from './spare.js';

/** How long a standby runner waits for its assignment before exiting, ms. */
export const STANDBY_WAIT_MS = 60_000;

/** A started standby runner. */
export interface StandbyRunner {
  pid: number;
  /**
   * Hands record `dir` to the runner (one line on its stdin; written at once into the pipe, so it survives the
   * launcher exiting right after). @returns false when it was already used or cancelled, or the standby exited
   */
  assign(dir: string): boolean;
  /** Tells the runner to exit (closes its stdin; idempotent; no-op after assign). */
  cancel(): void;
}

/**
 * Starts a standby runner (detached, own process group, unref'd, cwd `/` until assigned) with environment `env`
 * (undefined values dropped). Returns null when it cannot be started (the launch then spawns runners the ordinary
 * way). Never throws.
 */
export function startStandbyRunner(env: Record<string, string | undefined>, runnerScript = binScript('sase-runner')): StandbyRunner | null {
  try {
    const child = spawn(process.execPath, [runnerScript, '--standby'], { cwd: '/', env: definedEnv(env), detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => {});
    const stdin = child.stdin;
    if (!child.pid || !stdin) return null;
    stdin.on('error', () => {});
    let exited = false;
    child.once('exit', () => (exited = true));
    child.unref();
    (stdin as unknown as { unref?: () => void }).unref?.();
    let used = false;
    return {
      pid: child.pid,
      assign(recordDir: string): boolean {
        if (used || exited || stdin.destroyed) return false;
        used = true;
        stdin.end(`${recordDir}\n`);
        return true;
      },
      cancel(): void {
        if (used) return;
        used = true;
        stdin.destroy();
      },
    };
  } catch {
    return null;
  }
}

let early: StandbyRunner | null = null;

/**
 * Called by lib/boot/entry.ts (`sase run`, `sase-run`) with the arguments after `run`, before the CLI loads: claims the
 * spare runner if one is waiting, else starts a standby at once — unless help is asked for or
 * `SASE_NO_STANDBY_RUNNER` is set. Picked up by {@link takeStandbyRunner}. Never throws.
 */
export async function startEarlyStandby(args: readonly string[], env: Record<string, string | undefined>): Promise<void> {
  if (early || env.SASE_NO_STANDBY_RUNNER || args.some((a) => a === '-h' || a === '--help')) return;
  if (!sparesDisabled(env)) {
    const paths = sparePaths(env, binScript('sase-runner'));
    if (paths && existsSync(paths.sock)) early = await claimSpare(paths.sock, env);
    if (early) return;
  }
  early = startStandbyRunner(env);
}

/**
 * The standby for this `sase run`: the one {@link startEarlyStandby} prepared (each is handed out once), else a
 * new one; null when `SASE_NO_STANDBY_RUNNER` is set or none could be started.
 */
export function takeStandbyRunner(env: Record<string, string | undefined>): StandbyRunner | null {
  if (env.SASE_NO_STANDBY_RUNNER) return null;
  const s = early;
  early = null;
  return s ?? startStandbyRunner(env);
}

/**
 * After `sase run` launched its agents: makes sure a spare runner waits for the next launch (lib/agents/spare.ts;
 * nothing when one is alive or spares are disabled). Never throws.
 */
export function replenishSpare(env: Record<string, string | undefined>): void {
  startSpare(env, binScript('sase-runner'));
}

/**
 * Runner side: reads the assignment line from `input` (the standby's stdin). @returns the record directory, or
 * null on end of input, a `cancel` line, an error, or nothing within `waitMs` (default {@link STANDBY_WAIT_MS})
 */
export function awaitAssignment(input: NodeJS.ReadableStream & { destroy?: () => void } = process.stdin, waitMs = STANDBY_WAIT_MS): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = '';
    let settled = false;
    const finish = (v: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.removeAllListeners('data');
      input.destroy?.();
      resolve(v);
    };
    const timer = setTimeout(() => finish(null), waitMs);
    input.setEncoding('utf8');
    input.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl).trim();
      finish(line && line !== 'cancel' ? line : null);
    });
    input.on('end', () => finish(null));
    input.on('error', () => finish(null));
  });
}
