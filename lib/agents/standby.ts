/**
 * A standby runner: `sase run` starts one detached runner before it plans, so the runner's Node start-up overlaps
 * planning; the first launch is then handed to it (its record directory written into the standby file) instead of
 * spawning a fresh runner. A standby that gets no assignment (cancelled, or `sase run` died) exits by itself.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../store/paths.js';
import { agentsRoot } from './paths.js';
import { writeRecordFile } from './records.js';

/** How long a standby runner waits for its assignment before exiting, ms. */
export const STANDBY_WAIT_MS = 60_000;

/** A started standby runner. */
export interface StandbyRunner {
  pid: number;
  /** Hands record `dir` to the runner. @returns false when it was already used or cancelled */
  assign(dir: string): boolean;
  /** Tells the runner to exit (idempotent; no-op after assign). */
  cancel(): void;
}

/**
 * Starts a standby runner (detached, own process group, unref'd). Returns null when it cannot be started (the
 * launch then spawns runners the ordinary way).
 */
export function startStandbyRunner(env: Env, runnerScript = fileURLToPath(new URL('../../bin/sase-runner.js', import.meta.url))): StandbyRunner | null {
  try {
    const dir = join(agentsRoot(env), 'standby');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    const child = spawn(process.execPath, [runnerScript, '--standby', file], { cwd: dir, env: childEnv, detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    if (!child.pid) return null;
    let used = false;
    return {
      pid: child.pid,
      assign(recordDir: string): boolean {
        if (used) return false;
        used = true;
        writeRecordFile(file, recordDir);
        return true;
      },
      cancel(): void {
        if (used) return;
        used = true;
        try {
          writeRecordFile(file, 'cancel');
        } catch {
          try {
            process.kill(child.pid!, 'SIGTERM');
          } catch {
            // gone
          }
        }
      },
    };
  } catch {
    return null;
  }
}

/**
 * Runner side: waits for the standby file and returns the assigned record directory, or null when cancelled or
 * when nothing arrives within {@link STANDBY_WAIT_MS}. Removes the file.
 */
export async function awaitAssignment(file: string, readText: (p: string) => string | null): Promise<string | null> {
  const until = Date.now() + STANDBY_WAIT_MS;
  for (;;) {
    const text = readText(file);
    if (text !== null) {
      try {
        unlinkSync(file);
      } catch {
        // already removed
      }
      return text === 'cancel' ? null : text;
    }
    if (Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, 3));
  }
}
