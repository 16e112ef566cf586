/** The index projection: rebuildable by reindex, repaired from records, and fast over many records. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { waitFor } from '../helpers/runs.js';
import { writeSyntheticRecords } from './synthetic.js';
import { isolatedEnv, launch, sase } from './helpers.js';

test('reindex rebuilds a deleted index from the record directories', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  await launch(`#cd:${ws} %m:fakey/@ok %n:a one\n---\n#cd:${ws} %m:fakey/@crash %n:b two`, env, ['--wait']);
  const idx = join(env.SASE_HOME!, 'agents', 'index.jsonl');
  rmSync(idx);
  const empty = await sase(['agent', 'list', '-a', '--json'], env);
  assert.equal(empty.json.data.agents.length, 0);
  const doctor = await sase(['doctor', '--no-versions', '--json'], env);
  assert.ok(doctor.json.data.checks.some((c: any) => c.check === 'agents index' && !c.ok));
  const r = await sase(['agent', 'reindex', '--json'], env);
  assert.equal(r.json.data.runs, 2);
  assert.equal(readFileSync(idx, 'utf8').trim().split('\n').length, 2);
  const list = await sase(['agent', 'list', '-a', '--json'], env);
  assert.deepEqual(list.json.data.buckets.map((b: any) => [b.bucket, b.names]), [['Failed', ['b']], ['Done', ['a']]]);
});

test('a stale active entry (runner gone, record finished) is repaired from the record on list', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const [a] = await launch(`#cd:${ws} %m:fakey/@ok %n:lag one`, env, ['--wait']);
  const idx = join(env.SASE_HOME!, 'agents', 'index.jsonl');
  const activeDir = join(env.SASE_HOME!, 'agents', 'active');
  // `--wait` returns once done.json exists; the runner drops its active marker just after, so poll for it.
  await waitFor(() => readdirSync(activeDir).length === 0, 30_000, 'the finished run to drop its active marker');
  const stale = JSON.parse(readFileSync(idx, 'utf8').trim().split('\n')[0]!);
  stale.status = 'RUNNING';
  stale.pid = spawnSync('true').pid; // a process that has exited
  appendFileSync(idx, JSON.stringify(stale) + '\n');
  writeFileSync(join(activeDir, `${a.id}.json`), JSON.stringify(stale) + '\n');
  const list = await sase(['agent', 'list', '--json'], env);
  assert.deepEqual(list.json.data.agents, [], 'the finished run is not shown as running');
  assert.deepEqual(readdirSync(activeDir), [], 'the stale marker was removed');
  const all = await sase(['agent', 'list', '-a', '--json'], env);
  assert.equal(all.json.data.agents[0].name, 'lag');
  assert.equal(all.json.data.agents[0].status, 'DONE');
});

test('list without agents/active/ (an older index) falls back to a full scan and writes the markers', async (t) => {
  const env = isolatedEnv(t);
  writeSyntheticRecords(env.SASE_HOME!, 250, new Date('2026-11-01T00:00:00Z'));
  const r = await sase(['agent', 'reindex', '--json'], env);
  assert.equal(r.json.data.runs, 250);
  const activeDir = join(env.SASE_HOME!, 'agents', 'active');
  assert.equal(readdirSync(activeDir).length, 3, 'records 0, 100, 200 are WAITING');
  rmSync(activeDir, { recursive: true });
  const list = await sase(['agent', 'list', '--json'], env);
  assert.equal(list.json.data.agents.length, 3);
  assert.equal(readdirSync(activeDir).length, 3);
});

test('list over thousands of synthetic records shows active runs and the newest finished ones', async (t) => {
  const env = isolatedEnv(t);
  const ids = writeSyntheticRecords(env.SASE_HOME!, 3000, new Date('2026-11-01T00:00:00Z'));
  const r = await sase(['agent', 'reindex', '--json'], env);
  assert.equal(r.json.data.runs, 3000);
  const list = await sase(['agent', 'list', '--json'], env);
  // Synthetic records: every 100th is WAITING (no runner needed to stay active), the rest DONE/FAILED.
  assert.equal(list.json.data.agents.length, 30);
  assert.ok(list.json.data.agents.every((a: any) => a.status === 'WAITING'));
  const all = await sase(['agent', 'list', '-a', '--recent', '10', '--json'], env);
  assert.equal(all.json.data.agents.length, 40);
  const finished = all.json.data.agents.filter((a: any) => a.status !== 'WAITING').map((a: any) => a.id);
  const newestFinished = ids.filter((_, i) => i % 100 !== 0).slice(-10).reverse();
  assert.deepEqual([...finished].sort(), [...newestFinished].sort());
});
