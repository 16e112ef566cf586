/** Many `sase run` processes at once: every run gets a distinct id, name and complete record. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { isolatedEnv, recJson, recJsonl, sase } from './helpers.js';

test('20 concurrent sase run calls produce 20 distinct, complete records', { timeout: 240_000 }, async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sase(['run', '--json', `#cd:${ws} %m:fakey/@ok task ${i}`], env, undefined, 180_000)));
  for (const r of results) assert.equal(r.code, 0, r.stdout + r.stderr);
  const agents = results.map((r) => r.json.data.agents[0]);
  assert.equal(new Set(agents.map((a) => a.id)).size, 20);
  assert.equal(new Set(agents.map((a) => a.name)).size, 20);
  const w = await sase(['agent', 'wait', ...agents.map((a) => a.name), '-t', '150s', '--json'], env, undefined, 180_000);
  assert.equal(w.code, 0, w.stdout + w.stderr);
  assert.ok(w.json.data.agents.every((a: any) => a.status === 'DONE'));
  for (const [i, a] of agents.entries()) {
    assert.equal(readFileSync(join(a.record_dir, 'expanded_prompt.md'), 'utf8').trim(), `task ${i}`);
    assert.equal(recJson(a.record_dir, 'done.json').outcome, 'completed');
    assert.equal(recJson(a.record_dir, 'agent.json').name, a.name);
    assert.ok(existsSync(join(a.record_dir, 'reply.md')));
    assert.deepEqual(recJsonl(a.record_dir, 'events.jsonl').map((e) => e.status), ['STARTING', 'RUNNING', 'DONE']);
  }
  const list = await sase(['agent', 'list', '-a', '--json'], env);
  assert.equal(list.json.data.agents.length, 20);
  assert.ok(list.json.data.agents.every((a: any) => a.status === 'DONE'));
});
