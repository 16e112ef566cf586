/**
 * `%wait` chains, `#t` floors, `%repeat` with STOP and `#fork` through the real `sase` binary with fakey agents in
 * `#cd:<tmpdir>` workspaces (spec/runtime.md §b "Deferral and chains", spec/xprompts.md §2.4, §2.7, §1.10).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { doneOf, eventsOf, isolatedEnv, launch, readJson, recordOf, sase, statusOf, waitDone, waitFor } from './helpers.js';

const startedAt = (dir: string): number => Date.parse(eventsOf(dir).find((e) => e.status === 'RUNNING')!.ts);

test('a planner → coder → reviewer chain runs in order and #fork hands the planner conversation to the coder', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const agents = await launch(
    [
      `#cd:${ws} %n:planner`,
      '```fakey',
      'reply: "PLAN: rename the widget, then add tests"',
      'delay: 0.5',
      '```',
      'Plan a safe docs refresh.',
      '---',
      `#cd:${ws} %n:coder`,
      '%w:planner',
      '#fork:planner',
      'Implement the plan.',
      '---',
      `#cd:${ws} %n:reviewer`,
      '%w:coder',
      'Review the diff.',
    ].join('\n'),
    env,
  );
  assert.deepEqual(agents.map((a) => [a.name, a.status === 'WAITING']), [['planner', false], ['coder', true], ['reviewer', true]]);
  const reviewer = await waitDone(env, 'reviewer', 90_000);
  assert.equal(reviewer.outcome, 'completed');
  const [p, c, r] = ['planner', 'coder', 'reviewer'].map((n) => recordOf(env, n)!);
  const pDone = readJson(join(p, 'done.json'));
  assert.ok(startedAt(c) >= pDone.finished_at * 1000 - 5, 'the coder starts after the planner finished');
  assert.ok(startedAt(r) >= readJson(join(c, 'done.json')).finished_at * 1000 - 5, 'the reviewer starts after the coder finished');
  const coderPrompt = readFileSync(join(c, 'expanded_prompt.md'), 'utf8');
  assert.match(coderPrompt, /# Previous Conversation/);
  assert.match(coderPrompt, /PLAN: rename the widget, then add tests/);
  assert.match(coderPrompt, /Plan a safe docs refresh\./);
  assert.match(coderPrompt, /# New Query\s+Implement the plan\./);
  assert.doesNotMatch(coderPrompt, /#fork/);
  assert.doesNotMatch(coderPrompt, /tool_use|tool_result/);
  assert.equal(readJson(join(c, 'fork.json')).forked_from[0].name, 'planner');
  assert.equal(readFileSync(join(p, 'forked_as.jsonl'), 'utf8').includes(readJson(join(c, 'agent.json')).id), true, 'lineage on the source too');
  const shown = await statusOf(env, 'coder');
  assert.equal(shown.forked_from[0].name, 'planner');
  assert.equal((await statusOf(env, 'planner')).forked_as[0].name, 'coder');
  // The provider saw the injected conversation.
  const inv = readJson(join(c, 'attempts', '1', 'invocation.json'));
  assert.ok(inv, 'the coder ran');
});

test('a failed planner parks the coder and reviewer, with the reason in agent list and show', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  await launch(`#cd:${ws} %n:planner %m:fakey/@crash Plan.\n---\n#cd:${ws} %n:coder %w:planner Code.\n---\n#cd:${ws} %n:reviewer %w:coder Review.`, env);
  assert.equal((await waitDone(env, 'planner')).outcome, 'failed');
  await waitFor(() => readJson(join(recordOf(env, 'coder')!, 'waiting.json'))?.wait_state === 'blocked', 30_000, 'the coder to be marked blocked');
  const coder = await statusOf(env, 'coder');
  assert.equal(coder.status, 'WAITING');
  assert.match(coder.waiting.blocked_reason, /planner FAILED/);
  const show = await sase(['agent', 'show', 'coder'], env);
  assert.match(show.stdout, /waiting:\s+parked: planner FAILED/);
  const list = await sase(['agent', 'list'], env);
  assert.match(list.stdout, /coder\s+WAITING.*parked: planner FAILED/);
  assert.match(list.stdout, /reviewer\s+WAITING.*parked: coder is parked: planner FAILED/);
  // A tick keeps them parked (fail closed) and never starts them.
  const tick = await sase(['agent', 'tick', '--json'], env);
  assert.equal(tick.code, 0, tick.stdout + tick.stderr);
  assert.deepEqual(tick.json.data.entries.map((e: any) => [e.name, e.action]).sort(), [['coder', 'blocked'], ['reviewer', 'blocked']]);
  assert.equal(doneOf(env, 'coder'), null);
  assert.equal(existsSync(join(recordOf(env, 'coder')!, 'running.json')), false);
  // `sase agent wait` (and `sase run --wait`) treat runs parked for good as settled, failed.
  const w = await sase(['agent', 'wait', 'coder', 'reviewer', '-t', '60s', '--json'], env);
  assert.equal(w.code, 1, w.stdout + w.stderr);
  assert.equal(w.json.data.timed_out, false);
});

test('#t:2s delays the start by at least two seconds, and a second tick is refused with LOCKED while one runs', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const [a] = await launch(`#cd:${ws} %n:later #t:2s Say hi later.`, env);
  assert.equal(a.status, 'WAITING');
  const dir = recordOf(env, 'later')!;
  assert.equal(readJson(join(dir, 'waiting.json')).wait_duration, 2);
  const done = await waitDone(env, 'later', 60_000);
  assert.equal(done.outcome, 'completed');
  const created = Date.parse(readJson(join(dir, 'agent.json')).created_at);
  const released = Date.parse(readJson(join(dir, 'ready.json')).released_at);
  assert.ok(released - created >= 2000, `released after ${released - created} ms`);
  // The tick lock: held by someone else → exit 5 (LOCKED).
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(env.SASE_HOME!, 'agents', 'tick.lock'));
  const r = await sase(['agent', 'tick', '--json'], env);
  assert.equal(r.code, 5, r.stdout + r.stderr);
  assert.equal(r.json.error.code, 'LOCKED');
});

test('%repeat:3 runs its slots serially and a STOP set by slot 2 ends slot 3 STOPPED', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const gates = tmpdir(t);
  const agents = await launch(
    [
      `#cd:${ws} %n:loop %r:3`,
      '```fakey',
      'reply: "iteration {{ n }} of {{ N }}"',
      'steps:',
      `  - signal: ${gates}/started-{{ n }}`,
      `  - wait_for: {path: ${gates}/gate-{{ n }}, timeout: 60}`,
      '```',
      'Try once more (iteration {{ n }}).',
    ].join('\n'),
    env,
  );
  assert.deepEqual(agents.map((a) => a.name), ['loop.1', 'loop.2', 'loop.3']);
  await waitFor(() => existsSync(join(gates, 'started-1')), 30_000, 'slot 1 to start');
  assert.equal(existsSync(join(gates, 'started-2')), false, 'slot 2 waits for slot 1');
  assert.equal((await statusOf(env, 'loop.2')).status, 'WAITING');
  writeFileSync(join(gates, 'gate-1'), '');
  await waitFor(() => existsSync(join(gates, 'started-2')), 60_000, 'slot 2 to start');
  const l2 = recordOf(env, 'loop.2')!;
  assert.match(readFileSync(join(l2, 'expanded_prompt.md'), 'utf8'), /iteration 2\)/);
  assert.deepEqual(readJson(join(l2, 'agent.json')).repeat_slot, { iteration: 2, total: 3 });
  // What an agent does from inside its run: `sase var set STOP=…` (SASE_ARTIFACTS_DIR names the run).
  const set = await sase(['var', 'set', 'STOP=enough', '--json'], { ...env, SASE_ARTIFACTS_DIR: l2 });
  assert.equal(set.code, 0, set.stdout + set.stderr);
  assert.equal((await sase(['var', 'get', 'STOP', '--agent', 'loop.2'], env)).stdout.trim(), 'enough');
  writeFileSync(join(gates, 'gate-2'), '');
  const d3 = await waitDone(env, 'loop.3', 60_000);
  assert.equal(d3.outcome, 'completed');
  assert.equal(d3.repeat_stopped, true);
  assert.equal(d3.stopped_by, 'loop.2');
  assert.equal((await statusOf(env, 'loop.3')).status, 'STOPPED');
  assert.equal(existsSync(join(gates, 'started-3')), false, 'slot 3 never ran');
  assert.equal(doneOf(env, 'loop.2').outcome, 'completed');
  assert.equal(readJson(join(l2, 'agent_meta.json')).output_variables.STOP, 'enough');
});
