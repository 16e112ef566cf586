#!/usr/bin/env node
/**
 * Internal: the detached runner of one agent run, started by `sase run` (not a user-facing noun).
 * Usage: sase-runner <record_dir> | sase-runner --standby <file> (wait for a record directory to be assigned)
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAgent } from '../lib/agents/runner.js';
import { runOrReportCrash, trapStopSignals } from '../lib/cli/detached-runner.js';

const trap = trapStopSignals();

let dir: string | null | undefined = process.argv[2];
if (dir === '--standby' && process.argv[3]) {
  const { awaitAssignment } = await import('../lib/agents/standby.js');
  // Warm the modules the run needs before its provider starts while waiting for the assignment.
  void import('../lib/providers/index.js').catch(() => {});
  void import('../lib/sdd/snapshot.js').catch(() => {});
  const file = process.argv[3];
  dir = await awaitAssignment(file, (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  });
  if (trap.stopRequested) dir = null;
}
if (!dir || dir === '--standby') {
  if (dir === undefined) process.stderr.write('usage: sase-runner <record_dir>\n');
  process.exitCode = dir === undefined ? 2 : 0;
} else {
  const recordDir = dir;
  process.exitCode = await runOrReportCrash('sase-runner', () => runAgent(recordDir, trap.deps), (msg) => appendFileSync(join(recordDir, 'runner.log'), msg));
}
