/**
 * Workflow HITL (spec/runtime.md §d.1): an `hitl: true` step pauses the workflow (status QUESTION, `sase agent wait`
 * exit 3) until `sase agent answer` approves, rejects or sends feedback (the step runs again with it). Also: a
 * `%wait` on a workflow waits for the root and its children (spec/xprompts.md §6.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { doneOf, isolatedEnv, launch, readJson, recordOf, sase, statusOf, waitDone, waitFor } from './helpers.js';
import { launchWorkflow, stepOf, workflowProject } from './wf-helpers.js';

const DRAFT = [
  'steps:',
  '  - name: draft',
  '    bash: |',
  `      echo "title=Draft {{ feedback | default('v1') }}"`,
  '    output: { title: line }',
  '    hitl: true',
  '  - name: publish',
  '    bash: echo "published={{ draft.title }}; approved={{ draft.approved }}"',
].join('\n');

const stepJson = (dir: string): any => readJson(join(dir, 'steps', '01-draft', 'step.json'));

test('an hitl step waits until answered: feedback reruns the step, approve continues with approved=true', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, { draft: DRAFT });
  const rec = await launchWorkflow(env, dir, 'h1', '#!draft');
  await waitFor(async () => (await statusOf(env, 'h1')).status === 'QUESTION', 60_000, 'the workflow to ask');
  assert.equal(stepJson(rec).status, 'waiting_hitl');
  assert.equal(stepJson(rec).output.title, 'Draft v1');
  assert.equal(readJson(join(rec, 'steps', '01-draft', 'hitl_request.json')).output.title, 'Draft v1');
  const w = await sase(['agent', 'wait', 'h1', '-t', '30s'], env);
  assert.equal(w.code, 3, 'wait reports a human-blocked run');
  assert.equal(doneOf(env, 'h1'), null);

  const fb = await sase(['agent', 'answer', 'h1', '--feedback', 'v2', '--json'], env);
  assert.equal(fb.code, 0, fb.stdout + fb.stderr);
  assert.equal(fb.json.data.action, 'feedback');
  await waitFor(() => stepJson(rec)?.output?.title === 'Draft v2' && stepJson(rec).status === 'waiting_hitl', 60_000, 'the step to rerun with the feedback');
  await waitFor(async () => (await statusOf(env, 'h1')).status === 'QUESTION', 30_000, 'the second question');

  const ok = await sase(['agent', 'answer', 'h1', 'approve'], env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const done = await waitDone(env, 'h1');
  assert.equal(done.outcome, 'completed');
  const state = readJson(join(rec, 'workflow_state.json'));
  assert.equal(stepOf(state, 'draft').output.approved, true);
  assert.match(stepOf(state, 'publish').output._raw, /published=Draft v2; approved=true/);
  const again = await sase(['agent', 'answer', 'h1', 'approve'], env);
  assert.equal(again.code, 3, 'nothing is pending any more');
});

test('rejecting an hitl step ends the workflow FAILED (rejected) and skips the rest', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, { draft: DRAFT });
  const rec = await launchWorkflow(env, dir, 'h2', '#!draft');
  await waitFor(async () => (await statusOf(env, 'h2')).status === 'QUESTION', 60_000, 'the workflow to ask');
  const r = await sase(['agent', 'answer', 'h2', 'reject'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const done = await waitDone(env, 'h2');
  assert.equal(done.outcome, 'failed');
  assert.equal(done.status_label, 'FAILED (rejected)');
  const state = readJson(join(rec, 'workflow_state.json'));
  assert.equal(stepOf(state, 'draft').status, 'rejected');
  assert.equal(stepOf(state, 'draft').output.approved, false);
  assert.equal(stepOf(state, 'publish').status, 'skipped');
  assert.equal((await statusOf(env, 'h2')).bucket, 'Failed');
});

test('%wait on a workflow waits for the workflow and its child runs, then releases the waiter', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    gated: ['steps:', '  - name: work', '    agent: "Do the work."', '  - name: approve', '    bash: echo "ok=1"', '    hitl: true'].join('\n'),
  });
  await launchWorkflow(env, dir, 'wf', '#!gated');
  const [after] = await launch(`#cd:${dir} %n:after %w:wf Follow up.`, env, dir);
  assert.equal(after.status, 'WAITING');
  await waitFor(async () => (await statusOf(env, 'wf')).status === 'QUESTION', 60_000, 'the workflow to ask');
  assert.equal(readJson(join(recordOf(env, 'wf.work')!, 'done.json')).outcome, 'completed', 'the child finished');
  const tick = await sase(['agent', 'tick', '--json'], env);
  assert.equal(tick.json.data.entries.find((e: any) => e.name === 'after').action, 'pending', 'the root is still running');
  await sase(['agent', 'answer', 'wf', 'approve'], env);
  assert.equal((await waitDone(env, 'wf')).outcome, 'completed');
  assert.equal((await waitDone(env, 'after')).outcome, 'completed');
});

test('#!name?? turns approvals off (hitl steps pass as approved); #!name!! pauses every step', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, { draft: DRAFT });
  const off = await launchWorkflow(env, dir, 'h3', '#!draft??');
  const done = await waitDone(env, 'h3');
  assert.equal(done.outcome, 'completed', done.error);
  assert.match(stepOf(readJson(join(off, 'workflow_state.json')), 'publish').output._raw, /approved=true/);

  const on = await launchWorkflow(env, dir, 'h4', '#!draft!!');
  await waitFor(async () => (await statusOf(env, 'h4')).status === 'QUESTION', 60_000, 'the first approval');
  await sase(['agent', 'answer', 'h4', 'approve'], env);
  await waitFor(() => readJson(join(on, 'pending_question.json'))?.step === 'publish', 60_000, 'the publish step to ask too');
  await sase(['agent', 'answer', 'h4', 'approve'], env);
  assert.equal((await waitDone(env, 'h4')).outcome, 'completed');
});
