#!/usr/bin/env node
/**
 * Internal: the detached runner of one YAML workflow run, started by `sase run '#!name …'` (not a user-facing noun).
 * Usage: sase-workflow-runner <record_dir>
 */
import { runWorkflowRecord } from '../lib/workflow/run/record-runner.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: sase-workflow-runner <record_dir>\n');
  process.exitCode = 2;
} else {
  process.on('SIGHUP', () => {});
  let onStop: (() => void) | undefined;
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => onStop?.());
  try {
    process.exitCode = await runWorkflowRecord(dir, {
      env: process.env,
      now: () => new Date(),
      pid: process.pid,
      onStopSignal: (h) => {
        onStop = h;
      },
    });
  } catch (e) {
    process.stderr.write(`sase-workflow-runner: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
