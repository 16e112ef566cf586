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

let dir: string | null | undefined = process.argv[2];
if (dir === '--standby') {
  // Standby (lib/agents/standby.ts): the record directory arrives as one line on stdin.
  const { awaitAssignment } = await import('../lib/agents/standby.js');
  // Warm the modules the run needs before its provider starts — only while idle: when the assignment is already
  // waiting in the pipe, the runner is the launch's critical path and loads just what the run needs.
  const warm = setTimeout(() => {
    for (const m of ['../lib/providers/model.js', '../lib/providers/lazy.js', '../lib/store/atomic.js', '../lib/sdd/snapshot.js']) void import(m).catch(() => {});
  }, 25);
  dir = await awaitAssignment();
  clearTimeout(warm);
  if (trap.stopRequested) dir = null;
  try {
    if (dir) process.chdir(dir);
  } catch {
    // a missing record directory is reported by the runner itself
  }
}
if (dir === '--spare' && process.argv[3] && process.argv[4]) {
  // Spare (lib/agents/spare.ts): idle and fully loaded until a launcher connects; adopts the launcher's environment.
  const { serveSpare } = await import('../lib/agents/spare.js');
  for (const m of ['../lib/providers/index.js', '../lib/providers/model.js', '../lib/providers/lazy.js', '../lib/store/atomic.js', '../lib/sdd/snapshot.js', '../lib/config/index.js'])
    await import(m).catch(() => {});
  const a = await serveSpare(process.argv[3], process.argv[4], { onStop: (stop) => trap.deps.onStopSignal(stop) });
  dir = a && !trap.stopRequested ? a.dir : null;
  if (a && dir) {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, a.env);
    try {
      process.chdir(dir);
    } catch {
      // a missing record directory is reported by the runner itself
    }
  }
}
if (!dir || dir === '--standby' || dir === '--spare') {
  if (dir === undefined) process.stderr.write('usage: sase-runner <record_dir>\n');
  process.exitCode = dir === undefined ? 2 : 0;
} else {
  const recordDir = dir;
  process.exitCode = await runOrReportCrash('sase-runner', () => runAgent(recordDir, trap.deps), (msg) => appendFileSync(join(recordDir, 'runner.log'), msg));
}
