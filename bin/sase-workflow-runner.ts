#!/usr/bin/env node
/**
 * Internal: the detached runner of one YAML workflow run (`sase run '#!name …'`), or of an agent run whose prompt
 * embeds workflows with pre-/post-steps (`embedded.json`). Not a user-facing noun.
 * Usage: sase-workflow-runner <record_dir>
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
    const run = existsSync(join(dir, 'workflow.json')) ? runWorkflowRecord : (await import('../lib/workflow/run/embedded-runner.js')).runEmbeddedRecord;
    process.exitCode = await run(dir, {
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
