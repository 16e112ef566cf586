import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/index.js';
import { resolveWorkspace } from '../../lib/workspace/index.js';
import { claimWorkspace, readClaims } from '../../lib/workspace/claims.js';
import { sandbox } from './env.js';
import { startWorker } from './procs.js';

test('a SIGKILLed process\'s claim is reclaimed by the next resolve', async (t) => {
  const { root, env } = sandbox(t);
  const w = startWorker('#git:crashy', root, env);
  const got = await w.result;
  assert.equal(got.num, 10);
  assert.deepEqual((await readClaims(env, 'crashy')).map((c) => [c.num, c.pid]), [[10, got.pid]]);
  // While the worker lives, the number is taken.
  const other = await resolveWorkspace('#git:crashy', { cwd: root, env });
  assert.equal(other.num, 11);
  await other.release();
  w.child.kill('SIGKILL');
  await w.finish();
  const after = await resolveWorkspace('#git:crashy', { cwd: root, env });
  t.after(() => after.release());
  assert.equal(after.num, 10, 'the dead claim is reclaimed');
  assert.deepEqual((after.details as any).reclaimed, [{ num: 10, pid: got.pid }]);
  const occupant = JSON.parse(readFileSync(join(after.dir, '.sase', 'occupant.json'), 'utf8'));
  assert.equal(occupant.pid, process.pid, 'the dead occupant does not block preparation');
});

test('16 concurrent processes resolving one project get 16 distinct numbers and each checkout is prepared once', async (t) => {
  const { root, env } = sandbox(t);
  const workers = Array.from({ length: 16 }, () => startWorker('#git:swarm', root, env));
  try {
    const results = await Promise.all(workers.map((w) => w.result));
    for (const r of results) assert.equal(r.error, undefined, r.message);
    const nums = results.map((r) => r.num).sort((a, b) => a - b);
    assert.deepEqual(nums, Array.from({ length: 16 }, (_, i) => 10 + i));
    assert.equal(new Set(results.map((r) => r.dir)).size, 16);
    // Every checkout was cloned exactly by the process that claimed it, and its occupant is that process.
    for (const r of results) {
      assert.equal(r.materialized, true, `#${r.num} materialized by its claimant`);
      const occ = JSON.parse(readFileSync(join(r.dir, '.sase', 'occupant.json'), 'utf8'));
      assert.equal(occ.pid, r.pid);
      assert.equal(occ.workspace_num, r.num);
    }
    // The project itself was created once: one bare repo, one Initialize SDD commit.
    assert.equal(git(join(env.SASE_HOME!, 'repos', 'swarm.git'), ['rev-list', '--count', 'main']), '1');
    const claims = await readClaims(env, 'swarm');
    assert.deepEqual(claims.map((c) => c.pid).sort(), results.map((r) => r.pid).sort());
  } finally {
    await Promise.all(workers.map((w) => w.finish()));
  }
  assert.deepEqual(await readClaims(env, 'swarm'), [], 'every process released its claim');
});

test('claims follow the pool rules: #0 repeats, #1–#9 are never allocated, a live number is refused', async (t) => {
  const { env } = sandbox(t);
  const now = new Date();
  const base = { pid: process.pid, workflow: 'run', agent_name: 'x', agent_id: '', cl_name: null, pinned: false };
  await claimWorkspace(env, 'p', base, now, { num: 0 });
  await claimWorkspace(env, 'p', base, now, { num: 0 });
  const a = await claimWorkspace(env, 'p', base, now);
  assert.equal(a.claim.num, 10);
  await assert.rejects(claimWorkspace(env, 'p', base, now, { num: 10 }), (e: any) => e.code === 'CONFLICT');
  const b = await claimWorkspace(env, 'p', base, now, { min: 100, max: 101 });
  assert.equal(b.claim.num, 100);
  await claimWorkspace(env, 'p', base, now, { min: 100, max: 101 });
  await assert.rejects(claimWorkspace(env, 'p', base, now, { min: 100, max: 101 }), (e: any) => e.code === 'CONFLICT');
  const file = join(env.SASE_HOME!, 'projects', 'p', 'claims.json');
  assert.ok(existsSync(file));
  assert.deepEqual((await readClaims(env, 'p')).map((c) => c.num), [0, 0, 10, 100, 101]);
});
