/**
 * Derived agent names (spec/xprompts.md §2.4, §1.10): a launch with one explicit `%wait:<x>` and no `%name` is
 * `<x>.w1`, `<x>.w2`, … (first free); a `#fork:<agent>` launch is `<agent>.f1`, …; plain `@` templates keep
 * starting at token 0 (spec/runtime.md §a.4).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { allocateName } from '../../lib/agents/names.js';
import { tmpdir } from '../helpers/index.js';
import { isolatedEnv, launch } from '../runs/helpers.js';

const now = new Date('2026-11-21T12:00:00Z');

test('wait- and fork-derived templates are numbered from 1, plain @ templates from 0', async (t) => {
  const env = { SASE_HOME: join(tmpdir(t), 'sase') };
  assert.equal(await allocateName(env, 'planner.w@', 'id-1', now), 'planner.w1');
  assert.equal(await allocateName(env, 'planner.w@', 'id-2', now), 'planner.w2');
  assert.equal(await allocateName(env, 'planner.f@', 'id-3', now), 'planner.f1');
  assert.equal(await allocateName(env, 'build-@', 'id-4', now), 'build-0');
  assert.equal(await allocateName(env, 'x.w1', 'id-5', now), 'x.w1');
  assert.equal(await allocateName(env, 'x.w@', 'id-6', now), 'x.w2', 'the first free number');
});

test('sase run names a launch with one explicit %wait and no %name <x>.w1, then <x>.w2', { timeout: 120_000 }, async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const [first] = await launch(`#cd:${ws} %m:fakey/@ok %wait:planner Review the plan.`, env);
  assert.equal(first.name, 'planner.w1');
  assert.equal(first.status, 'WAITING');
  const [second] = await launch(`#cd:${ws} %m:fakey/@ok %wait:planner Review it again.`, env);
  assert.equal(second.name, 'planner.w2');
});
