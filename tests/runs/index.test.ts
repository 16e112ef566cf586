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

test('list -a reads far enough back in the index for a large --recent and ignores a torn last line', async (t) => {
  const env = isolatedEnv(t);
  const ids = writeSyntheticRecords(env.SASE_HOME!, 3000, new Date('2026-11-01T00:00:00Z'));
  assert.equal((await sase(['agent', 'reindex', '--json'], env)).json.data.runs, 3000);
  // Uncompacted history: every finished run also has an older RUNNING line further up the file.
  const idx = join(env.SASE_HOME!, 'agents', 'index.jsonl');
  const lines = readFileSync(idx, 'utf8').trim().split('\n');
  const running = lines.map((l) => ({ ...JSON.parse(l), status: 'RUNNING', finished_at: null, pid: 1 })).filter((e) => e.id < ids[1500]!);
  writeFileSync(idx, running.map((e) => JSON.stringify(e) + '\n').join('') + lines.join('\n') + '\n');
  appendFileSync(idx, lines[lines.length - 1]!.replace('"DONE"', '"RUNNING"').slice(0, 60)); // a torn append
  const many = await sase(['agent', 'list', '-a', '--recent', '2000', '--json'], env);
  const finished = many.json.data.agents.filter((a: any) => a.status !== 'WAITING');
  const expected = ids.filter((_, i) => i % 100 !== 0).slice(-2000);
  assert.deepEqual(finished.map((a: any) => a.id).sort(), [...expected].sort());
  for (const b of many.json.data.buckets.filter((x: any) => x.bucket !== 'Waiting')) {
    const bucketIds = finished.filter((a: any) => a.bucket === b.bucket).map((a: any) => a.id);
    assert.deepEqual(bucketIds, [...bucketIds].sort().reverse(), `${b.bucket} rows are newest first`);
  }
  const everything = await sase(['agent', 'list', '-a', '--recent', '5000', '--json'], env);
  assert.equal(everything.json.data.agents.length, 3000, 'a limit beyond the file returns every run once');
});

test('the human listing prints each bucket header and its rows as aligned columns', async (t) => {
  const env = isolatedEnv(t);
  writeSyntheticRecords(env.SASE_HOME!, 450, new Date('2026-11-01T00:00:00Z'));
  await sase(['agent', 'reindex', '--json'], env);
  const json = (await sase(['agent', 'list', '-a', '--recent', '12', '--json'], env)).json.data;
  const human = await sase(['agent', 'list', '-a', '--recent', '12'], env);
  assert.equal(human.code, 0, human.stderr);
  const out = human.stdout.split('\n');
  assert.equal(out.pop(), '', 'the listing ends with a newline');
  let at = 0;
  let row = 0;
  for (const b of json.buckets) {
    assert.equal(out[at++], b.header);
    const block = out.slice(at, at + b.count);
    at += b.count;
    // The status column starts at the same offset on every row of a bucket, two spaces after the widest name.
    const nameWidth = Math.max(...block.map((l) => l.indexOf(' ', 2)));
    for (const l of block) {
      const a = json.agents[row++];
      assert.ok(l.startsWith(`  ${a.name} `), l);
      assert.equal(l.indexOf(a.status, 2), nameWidth + 2, l);
      assert.ok(l.includes(a.created_at.replace('T', ' ').slice(0, 19)), l);
      assert.equal(l, l.trimEnd(), 'no trailing blanks');
      if (a.status === 'WAITING') assert.ok(l.endsWith(`  ${a.wait_reason}`), l);
    }
  }
  assert.equal(at, out.length, 'nothing after the last bucket');
  assert.equal(row, json.agents.length);
});

test('a stale marker of a run that finished FAILED is repaired too: the index gets its FAILED line', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const [a] = await launch(`#cd:${ws} %m:fakey/@crash %n:crashed one`, env, ['--wait']);
  const idx = join(env.SASE_HOME!, 'agents', 'index.jsonl');
  const activeDir = join(env.SASE_HOME!, 'agents', 'active');
  await waitFor(() => readdirSync(activeDir).length === 0, 30_000, 'the finished run to drop its active marker');
  const lines = readFileSync(idx, 'utf8').trim().split('\n');
  const stale = { ...JSON.parse(lines[lines.length - 1]!), status: 'RUNNING', finished_at: null, pid: spawnSync('true').pid };
  appendFileSync(idx, JSON.stringify(stale) + '\n');
  writeFileSync(join(activeDir, `${a.id}.json`), JSON.stringify(stale) + '\n');
  const list = await sase(['agent', 'list', '--json'], env);
  assert.deepEqual(list.json.data.agents, [], 'the failed run is not shown as running');
  assert.deepEqual(readdirSync(activeDir), [], 'the stale marker was removed');
  const last = JSON.parse(readFileSync(idx, 'utf8').trim().split('\n').pop()!);
  assert.equal(last.id, a.id);
  assert.equal(last.status, 'FAILED');
});
