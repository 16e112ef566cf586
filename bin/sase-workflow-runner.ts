#!/usr/bin/env node
/**
 * Internal: the detached runner of one YAML workflow run (`sase run '#!name …'`), or of an agent run whose prompt
 * embeds workflows with pre-/post-steps (`embedded.json`). Not a user-facing noun.
 * Usage: sase-workflow-runner <record_dir>
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runOrReportCrash, trapStopSignals } from '../lib/cli/detached-runner.js';
import { runWorkflowRecord } from '../lib/workflow/run/record-runner.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: sase-workflow-runner <record_dir>\n');
  process.exitCode = 2;
} else {
  const trap = trapStopSignals();
  process.exitCode = await runOrReportCrash('sase-workflow-runner', async () => {
    const run = existsSync(join(dir, 'workflow.json')) ? runWorkflowRecord : (await import('../lib/workflow/run/embedded-runner.js')).runEmbeddedRecord;
    return run(dir, trap.deps);
  });
}
