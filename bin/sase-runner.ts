#!/usr/bin/env node
/**
 * Internal: the detached runner of one agent run, started by `sase run` (not a user-facing noun).
 * Usage: sase-runner <record_dir>
 */
import { runAgent } from '../lib/agents/runner.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: sase-runner <record_dir>\n');
  process.exitCode = 2;
} else {
  process.on('SIGHUP', () => {});
  let onStop: (() => void) | undefined;
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => onStop?.());
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
    process.stderr.write(`sase-runner: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
