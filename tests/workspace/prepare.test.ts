import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/index.js';
import { resolveWorkspace } from '../../lib/workspace/index.js';
import { openWorkspace } from '../../lib/workspace/open.js';
import { releaseWorkspace } from '../../lib/workspace/claims.js';
import { cleanupStale } from '../../lib/workspace/cleanup.js';
import { projectLayout } from '../../lib/workspace/layout.js';
import { requireProject } from '../../lib/projects/spec.js';
import { sandbox } from './env.js';
import { startWorker } from './procs.js';

test('a dirty checkout is backed up before it is cleaned and synced: nothing is lost', async (t) => {
  const { root, env } = sandbox(t);
  const first = await resolveWorkspace('#git:dirty', { cwd: root, env });
  const dir = first.dir;
  // Leave behind: a modified tracked file, an untracked file, and a local commit that was never pushed.
  writeFileSync(join(dir, 'committed.txt'), 'local commit\n');
  git(dir, ['add', 'committed.txt']);
  git(dir, ['commit', '-q', '-m', 'unpushed work']);
  const unpushed = git(dir, ['rev-parse', 'HEAD']);
  writeFileSync(join(dir, 'sdd', 'README.md'), 'edited tracked file\n');
  writeFileSync(join(dir, 'scratch.txt'), 'untracked notes\n');
  await first.release();

  const again = await resolveWorkspace('#git:dirty', { cwd: root, env });
  t.after(() => again.release());
  assert.equal(again.num, first.num);
  assert.equal(again.dir, dir);
  // Clean and at the default revision.
  assert.equal(git(dir, ['status', '--porcelain']), '');
  assert.equal(git(dir, ['rev-parse', 'HEAD']), git(dir, ['rev-parse', 'origin/main']));
  assert.equal(again.base_revision, git(dir, ['rev-parse', 'origin/main']));
  assert.equal(existsSync(join(dir, 'scratch.txt')), false);
  // The uncommitted changes are in the stash, untracked file included.
  const backup = (again.details as any).backup;
  assert.ok(backup.stash, 'a stash was made');
  assert.equal(git(dir, ['show', `${backup.stash}:sdd/README.md`]), 'edited tracked file');
  assert.equal(git(dir, ['show', `${backup.stash}^3:scratch.txt`]), 'untracked notes');
  // The unpushed commit is kept under a backup ref.
  assert.ok(backup.refs.length >= 1);
  assert.ok(backup.refs.some((r: string) => git(dir, ['rev-parse', r]) === unpushed), 'backup ref points at the unpushed commit');
  // A checkout holding backups is never cleaned up.
  await again.release();
  const layout = await projectLayout(await requireProject(env, 'dirty'), {}, env);
  const r = await cleanupStale(layout, { env, now: new Date(Date.now() + 86_400_000), config: { workspace: { cleanup_ttl_days: 0 } }, dryRun: false, includeShares: false, pid: process.pid });
  const item = r.items.find((i) => i.num === again.num)!;
  assert.equal(item.action, 'refused');
  assert.match(item.reason, /stash entry/);
  assert.match(item.reason, /backup ref/);
  assert.ok(existsSync(dir));
});

test('preparation refuses a checkout occupied by another live run', async (t) => {
  const { root, env } = sandbox(t);
  const w = startWorker('#git:busy', root, env);
  const held = await w.result;
  t.after(() => w.finish());
  const occ = JSON.parse(readFileSync(join(held.dir, '.sase', 'occupant.json'), 'utf8'));
  assert.equal(occ.pid, held.pid);
  const project = await requireProject(env, 'busy');
  writeFileSync(join(held.dir, 'agent-work.txt'), 'in progress\n');
  // Drop the claim so only the occupant record protects the checkout.
  await releaseWorkspace(env, 'busy', held.num, held.pid);
  await assert.rejects(openWorkspace(project, held.num, 'poke', { env, cwd: root, now: new Date(), config: {}, pid: process.pid }), (e: any) => {
    assert.equal(e.code, 'CONFLICT');
    assert.match(e.message, /occupied by pid/);
    return true;
  });
  assert.equal(readFileSync(join(held.dir, 'agent-work.txt'), 'utf8'), 'in progress\n', 'the running agent\'s files are untouched');
});

test('workspace open refuses a number claimed by a live run before touching it', async (t) => {
  const { root, env } = sandbox(t);
  const w = startWorker('#git:taken', root, env, { release: true });
  const held = await w.result;
  t.after(() => w.finish());
  // Drop the occupant so only the claim protects the checkout.
  const { rmSync } = await import('node:fs');
  rmSync(join(held.dir, '.sase', 'occupant.json'));
  writeFileSync(join(held.dir, 'wip.txt'), 'agent work\n');
  const project = await requireProject(env, 'taken');
  await assert.rejects(openWorkspace(project, held.num, 'look', { env, cwd: root, now: new Date(), config: {}, pid: process.pid }), (e: any) => {
    assert.equal(e.code, 'CONFLICT');
    assert.match(e.message, /claimed by pid/);
    return true;
  });
  assert.equal(readFileSync(join(held.dir, 'wip.txt'), 'utf8'), 'agent work\n');
});
