#!/usr/bin/env node
/**
 * Internal: the detached runner of one agent run, started by `sase run` (not a user-facing noun).
 * Usage: sase-runner <record_dir> | sase-runner --standby <file> (wait for a record directory to be assigned)
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAgent } from '../lib/agents/runner.js';

let onStop: (() => void) | undefined;
let stopRequested = false;
process.on('SIGHUP', () => {});
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.on(sig, () => {
    stopRequested = true;
    onStop?.();
  });

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
  if (stopRequested) dir = null;
}
if (!dir || dir === '--standby') {
  if (dir === undefined) process.stderr.write('usage: sase-runner <record_dir>\n');
  process.exitCode = dir === undefined ? 2 : 0;
} else {
  try {
    process.exitCode = await runAgent(dir, {
      env: process.env,
      now: () => new Date(),
      pid: process.pid,
      onStopSignal: (h) => {
        onStop = h;
      },
    });
  } catch (e) {
    const msg = `sase-runner: ${(e as Error).stack ?? String(e)}\n`;
    process.stderr.write(msg);
    try {
      appendFileSync(join(dir, 'runner.log'), msg);
    } catch {
      // nowhere to log
    }
    process.exitCode = 70;
  }
}
