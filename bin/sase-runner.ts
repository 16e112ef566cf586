#!/usr/bin/env node
/**
 * Internal: the detached runner of one agent run, started by `sase run` (not a user-facing noun).
 * Usage: sase-runner <record_dir>
 *      | sase-runner --standby          (the record directory arrives as one line on stdin; lib/agents/standby.ts)
 *      | sase-runner --spare <sock> <pid> (idle runner serving one launch over a Unix socket; lib/agents/spare.ts)
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAgent } from '../lib/agents/runner.js';
import { runOrReportCrash, trapStopSignals } from '../lib/cli/detached-runner.js';

const trap = trapStopSignals();

/** What a run loads before its provider starts (besides the static imports above); warmed by idle runners. */
const WARM_MODULES = ['../lib/providers/model.js', '../lib/providers/lazy.js', '../lib/store/atomic.js', '../lib/sdd/snapshot.js'];
const warm = (extra: string[] = []): Promise<unknown> => Promise.all([...WARM_MODULES, ...extra].map((m) => import(m).catch(() => {})));

/** Makes the assigned record directory the cwd (as for a runner spawned there); a missing one is reported by the runner. */
function enter(recordDir: string): void {
  try {
    process.chdir(recordDir);
  } catch {
    // runAgent reports the missing record
  }
}

let dir: string | null | undefined = process.argv[2];
if (dir === '--standby') {
  // Standby (lib/agents/standby.ts): the record directory arrives as one line on stdin. Modules are warmed only
  // while idle: when the assignment is already waiting in the pipe, this runner is the launch's critical path.
  const { awaitAssignment } = await import('../lib/agents/standby.js');
  const timer = setTimeout(() => void warm(), 25);
  dir = await awaitAssignment();
  clearTimeout(timer);
  if (trap.stopRequested) dir = null;
  if (dir) enter(dir);
} else if (dir === '--spare' && process.argv[3] && process.argv[4]) {
  // Spare (lib/agents/spare.ts): fully loaded before it listens; adopts the launcher's environment and cwd.
  const { serveSpare } = await import('../lib/agents/spare.js');
  await warm(['../lib/providers/index.js', '../lib/config/index.js']);
  const a = await serveSpare(process.argv[3], process.argv[4], { onStop: (stop) => trap.deps.onStopSignal(stop) });
  dir = a && !trap.stopRequested ? a.dir : null;
  if (a && dir) {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, a.env);
    enter(dir);
  }
}
if (!dir || dir === '--standby' || dir === '--spare') {
  if (dir === undefined) process.stderr.write('usage: sase-runner <record_dir>\n');
  process.exitCode = dir === undefined ? 2 : 0;
} else {
  const recordDir = dir;
  process.exitCode = await runOrReportCrash('sase-runner', () => runAgent(recordDir, trap.deps), (msg) => appendFileSync(join(recordDir, 'runner.log'), msg));
}
