/** Killing a workflow run stops its running step (bash process group, child agent run) and records KILLED. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, readJson, recordOf, sase, statusOf, waitDone, waitFor } from './helpers.js';
import { launchWorkflow, stepOf, workflowProject } from './wf-helpers.js';

test('sase agent kill stops a workflow: the bash step and the child agent are stopped, later steps skipped', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    long: [
      'steps:',
      '  - name: both',
      '    parallel:',
      '      - name: sleeper',
      '        bash: sleep 120',
      '      - name: talker',
      '        agent: "%m:fakey/@hang Think for a long time."',
      '  - name: never',
      '    bash: echo "never=1"',
    ].join('\n'),
  });
  const rec = await launchWorkflow(env, dir, 'lw', '#!long');
  await waitFor(() => recordOf(env, 'lw.talker') && readJson(join(recordOf(env, 'lw.talker')!, 'running.json'))?.provider_pid, 60_000, 'the child agent to run');
  const k = await sase(['agent', 'kill', 'lw', '--json'], env);
  assert.equal(k.code, 0, k.stdout + k.stderr);
  const done = await waitDone(env, 'lw', 30_000);
  assert.equal(done.outcome, 'killed');
  assert.equal((await statusOf(env, 'lw')).status, 'KILLED');
  const talker = await waitDone(env, 'lw.talker', 30_000);
  assert.equal(talker.outcome, 'killed');
  const state = readJson(join(rec, 'workflow_state.json'));
  assert.equal(stepOf(state, 'never').status, 'skipped');
  assert.deepEqual(stepOf(state, 'both').steps.map((s: any) => s.status), ['killed', 'killed']);
  assert.equal(existsSync(join(rec, 'running.json')), false);
});
