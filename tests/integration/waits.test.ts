/**
 * `%wait` integration of `sase run` (spec/xprompts.md §2.4, Appendix A): `%wait(bead=<id>)` parks the run until the
 * bead is closed, and a bare `%wait` in a new `sase run` waits on the most recently named agent of earlier runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitRepo } from '../helpers/index.js';
import { isolatedEnv, launch, recJson, sase, waitFor } from '../runs/helpers.js';

async function statusOf(name: string, env: Record<string, string>, cwd?: string): Promise<string> {
  const r = await sase(['agent', 'show', name, '--json'], env, cwd);
  return r.json?.data?.agent?.status ?? `?${r.code}`;
}

test('%wait(bead=<id>) keeps a run WAITING until the bead is closed, then it runs', { timeout: 180_000 }, async (t) => {
  const env = isolatedEnv(t, { SASE_NO_STANDBY_RUNNER: '1' });
  const repo = gitRepo(t, { 'README.md': '# beads\n' });
  const init = await sase(['bead', 'init', '--json'], env, repo);
  assert.equal(init.code, 0, init.stdout + init.stderr);
  const created = await sase(['bead', 'create', 'Land the API', '--type', 'task', '--json'], env, repo);
  assert.equal(created.code, 0, created.stdout + created.stderr);
  const bead = created.json.data.ids[0];
  const [a] = await launch(`#cd:${repo} %m:fakey/@ok %n:after %wait(bead=${bead}) Continue after the API landed.`, env, [], repo);
  assert.equal(a.status, 'WAITING');
  assert.deepEqual(recJson(a.record_dir, 'waiting.json').wait_beads, [bead]);
  const tick = await sase(['agent', 'tick', '--json'], env, repo);
  assert.equal(tick.code, 0, tick.stdout + tick.stderr);
  assert.equal(await statusOf('after', env, repo), 'WAITING', 'an open bead keeps the run parked');
  const list = await sase(['agent', 'list', '--json'], env, repo);
  const row = list.json.data.agents.find((x: any) => x.name === 'after');
  assert.match(row.wait_reason ?? '', new RegExp(`bead ${bead}`), 'agent list says which bead it waits for');

  const closed = await sase(['bead', 'close', bead, '--json'], env, repo);
  assert.equal(closed.code, 0, closed.stdout + closed.stderr);
  await sase(['agent', 'tick', '--json'], env, repo);
  await waitFor(async () => (await statusOf('after', env, repo)) === 'DONE', 90_000, 'DONE after the bead closed');
});

test('a bare %wait in a new sase run waits on the most recently named agent of earlier runs', { timeout: 180_000 }, async (t) => {
  const env = isolatedEnv(t, { SASE_NO_STANDBY_RUNNER: '1' });
  const ws = gitRepo(t, { 'README.md': '# ws\n' });
  const bare = await sase(['run', '--json', `#cd:${ws} %m:fakey/@ok %wait Nothing to wait on.`], env);
  assert.notEqual(bare.code, 0, 'with no named agent a bare %wait is an error');
  await launch(`#cd:${ws} %m:fakey/@ok %n:older First.`, env);
  await launch(`#cd:${ws} %m:fakey/@ok %n:alpha Plan it.`, env);
  await launch(`#cd:${ws} %m:fakey/@ok Unnamed run.`, env);
  const [b] = await launch(`#cd:${ws} %m:fakey/@ok %wait Build on it.`, env);
  assert.deepEqual(recJson(b.record_dir, 'agent.json').directives.waits, ['alpha']);
  const w = await sase(['agent', 'wait', b.name, '-t', '90s', '--json'], env);
  assert.equal(w.code, 0, w.stdout + w.stderr);
});
