/** `%wait` forms beyond plain names: `@` name templates and the `%wait(runners=N)` drain barrier (spec/xprompts.md §2.4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { eventsOf, isolatedEnv, launch, readJson, recordOf, sase, waitDone, waitFor } from './helpers.js';

test('a %wait on a name template waits for the newest run whose name matches it', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const gates = tmpdir(t);
  const [b0] = await launch(`#cd:${ws} %n:build-@ First build.`, env);
  const [b1] = await launch(`#cd:${ws} %n:build-@\n\`\`\`fakey\nsteps:\n  - wait_for: {path: ${gates}/go, timeout: 60}\n\`\`\`\nSecond build.`, env);
  assert.deepEqual([b0.name, b1.name], ['build-0', 'build-1']);
  await waitDone(env, 'build-0');
  const [after] = await launch(`#cd:${ws} %n:after %w:build-@ Use the build.`, env);
  assert.equal(after.status, 'WAITING');
  const tick = await sase(['agent', 'tick', '--json'], env);
  assert.match(tick.json.data.entries[0].reason, /build-1 is RUNNING/);
  writeFileSync(join(gates, 'go'), '');
  assert.equal((await waitDone(env, 'after')).outcome, 'completed');
  const started = Date.parse(eventsOf(recordOf(env, 'after')!).find((e) => e.event === 'released')!.ts);
  assert.ok(started >= readJson(join(recordOf(env, 'build-1')!, 'done.json')).finished_at * 1000 - 5);
});

test('%wait(runners=0) holds a run until no other run is active', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const gates = tmpdir(t);
  await launch(`#cd:${ws} %n:busy\n\`\`\`fakey\nsteps:\n  - signal: ${gates}/started\n  - wait_for: {path: ${gates}/go, timeout: 60}\n\`\`\`\nWork.`, env);
  await waitFor(() => existsSync(join(gates, 'started')), 30_000, 'busy to start');
  const [drain] = await launch(`#cd:${ws} %n:drain %wait(runners=0) Run alone.`, env);
  assert.equal(drain.status, 'WAITING');
  const tick = await sase(['agent', 'tick', '--json'], env);
  assert.match(tick.json.data.entries[0].reason, /1 other run\(s\) active, allowed 0/);
  writeFileSync(join(gates, 'go'), '');
  assert.equal((await waitDone(env, 'drain')).outcome, 'completed');
});

test('retrying a failed dependency with sase agent retry releases the runs parked on it', async (t) => {
  const gates = tmpdir(t);
  // One cursor for every fakey call: the first attempt fails (not retryable), the next one succeeds.
  const env = isolatedEnv(t, { FAKEY_STATE_DIR: gates });
  const ws = tmpdir(t);
  await launch(
    [
      `#cd:${ws} %n:planner`,
      '```fakey',
      'attempts:',
      '  - fail: {message: broken plan, retryable: false, exit_code: 3}',
      '  - succeed: {reply: good plan}',
      '```',
      'Plan.',
      '---',
      `#cd:${ws} %n:coder %w:planner Code.`,
    ].join('\n'),
    env,
  );
  assert.equal((await waitDone(env, 'planner')).outcome, 'failed');
  await waitFor(() => readJson(join(recordOf(env, 'coder')!, 'waiting.json'))?.wait_state === 'blocked', 30_000, 'the coder to be parked');
  const r = await sase(['agent', 'retry', 'planner', '--json'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal((await waitDone(env, 'coder')).outcome, 'completed');
  const retried = r.json.data.agents[0].name;
  assert.equal(readJson(join(recordOf(env, retried)!, 'done.json')).outcome, 'completed');
});
