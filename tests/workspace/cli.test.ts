import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, realpathSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { git, runBin } from '../helpers/index.js';
import { resolveWorkspace } from '../../lib/workspace/index.js';
import { sandbox } from './env.js';
import { startWorker } from './procs.js';

function config(root: string, yaml: string): string {
  const file = join(root, `cfg-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return file;
}

test('cleanup --stale removes a stale clean checkout, refuses one with unpushed or uncommitted work, and skips claimed ones', async (t) => {
  const { root, env } = sandbox(t);
  const [a, b, c] = await Promise.all([0, 1, 2].map(() => resolveWorkspace('#git:tidy', { cwd: root, env })));
  const byNum = new Map([a, b, c].map((w) => [w.num, w]));
  const clean = byNum.get(10)!;
  const unpushed = byNum.get(11)!;
  const dirty = byNum.get(12)!;
  writeFileSync(join(unpushed.dir, 'feature.txt'), 'work\n');
  git(unpushed.dir, ['add', '.']);
  git(unpushed.dir, ['commit', '-q', '-m', 'not pushed']);
  writeFileSync(join(dirty.dir, 'notes.txt'), 'draft\n');
  await Promise.all([a, b, c].map((w) => w.release()));
  const held = startWorker('#git:tidy', root, env); // takes #10 again
  const h = await held.result;
  t.after(() => held.finish());
  assert.equal(h.num, 10);
  const cfgEnv = { ...env, SASE_CONFIG: config(root, 'workspace:\n  cleanup_ttl_days: 0\n') };

  const dry = await runBin('sase', ['workspace', 'cleanup', '--stale', '-n', '-p', 'tidy', '--json'], { env: cfgEnv, cwd: root });
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(existsSync(clean.dir), true);

  await held.finish();
  const r = await runBin('sase', ['workspace', 'cleanup', '--stale', '-p', 'tidy', '--json'], { env: cfgEnv, cwd: root });
  assert.equal(r.code, 0, r.stderr);
  const items = new Map(r.json.data.items.map((i: any) => [i.num, i]));
  assert.equal((items.get(10) as any).action, 'removed');
  assert.equal(existsSync(clean.dir), false);
  assert.equal((items.get(11) as any).action, 'refused');
  assert.match((items.get(11) as any).reason, /not on any branch/);
  assert.equal(git(unpushed.dir, ['log', '-1', '--format=%s']), 'not pushed', 'unpushed work is kept');
  assert.equal((items.get(12) as any).action, 'refused');
  assert.match((items.get(12) as any).reason, /uncommitted/);
  assert.equal(readFileSync(join(dirty.dir, 'notes.txt'), 'utf8'), 'draft\n');
  const list = await runBin('sase', ['workspace', 'list', '-p', 'tidy', '--json'], { env: cfgEnv, cwd: root });
  assert.deepEqual(list.json.data.workspaces.map((w: any) => w.num), [0, 11, 12]);
});

test('cleanup skips a checkout claimed by a live run', async (t) => {
  const { root, env } = sandbox(t);
  const w = startWorker('#git:claimed', root, env);
  const h = await w.result;
  t.after(() => w.finish());
  const cfgEnv = { ...env, SASE_CONFIG: config(root, 'workspace:\n  cleanup_ttl_days: 0\n') };
  const r = await runBin('sase', ['workspace', 'cleanup', '--stale', '-p', 'claimed', '--json'], { env: cfgEnv, cwd: root });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.data.items[0].action, 'skipped');
  assert.match(r.json.data.items[0].reason, /claimed by pid/);
  assert.equal(existsSync(h.dir), true);
});

test('migrate moves adjacent checkouts to the xdg-state root, with and without transition symlinks, and finalize removes the links', async (t) => {
  const { root, env } = sandbox(t);
  const adjEnv = { ...env, SASE_CONFIG: config(root, 'workspace:\n  root: adjacent\n') };
  const ws = await Promise.all([0, 1, 2].map(() => resolveWorkspace('#git:mover', { cwd: root, env: adjEnv })));
  const primary = join(env.HOME!, 'projects', 'git', 'mover');
  assert.deepEqual(ws.map((w) => w.dir).sort(), [10, 11, 12].map((n) => `${primary}_${n}`));
  await Promise.all(ws.map((w) => w.release()));
  writeFileSync(join(`${primary}_11`, 'keep.txt'), 'uncommitted but moved intact\n');

  // Dry run changes nothing.
  const dry = await runBin('sase', ['workspace', 'migrate', '--to', 'xdg-state', '-n', '-p', 'mover', '--json'], { env: adjEnv, cwd: root });
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(dry.json.data.items.length, 3);
  assert.ok(existsSync(`${primary}_10`) && !lstatSync(`${primary}_10`).isSymbolicLink());
  const managedRoot: string = dry.json.data.root;
  assert.ok(managedRoot.startsWith(join(env.XDG_STATE_HOME!, 'sase', 'workspaces')));

  // A real directory already at #12's destination is never overwritten: reported, exit non-zero.
  mkdirSync(join(managedRoot, 'mover_12'), { recursive: true });
  writeFileSync(join(managedRoot, 'mover_12', 'precious.txt'), 'x');
  const plain = await runBin('sase', ['workspace', 'migrate', '--to', 'xdg-state', '-p', 'mover', '--json'], { env: adjEnv, cwd: root });
  assert.equal(plain.code, 4, plain.stderr);
  const acts = Object.fromEntries(plain.json.data.items.map((i: any) => [i.num, i.action]));
  assert.deepEqual(acts, { 10: 'moved', 11: 'moved', 12: 'skipped' });
  assert.equal(existsSync(`${primary}_10`), false);
  assert.equal(git(join(managedRoot, 'mover_10'), ['rev-parse', '--is-inside-work-tree']), 'true');
  assert.equal(readFileSync(join(managedRoot, 'mover_11', 'keep.txt'), 'utf8'), 'uncommitted but moved intact\n');
  assert.equal(readFileSync(join(managedRoot, 'mover_12', 'precious.txt'), 'utf8'), 'x');
  assert.ok(existsSync(`${primary}_12`), 'the skipped checkout stays in place');
  const marker = JSON.parse(readFileSync(join(managedRoot, 'mover_10', '.sase', 'checkout.json'), 'utf8'));
  assert.equal(marker.workspace_num, 10);
  assert.equal(marker.registry_path, join(managedRoot, 'registry.json'));
  const registry = JSON.parse(readFileSync(join(managedRoot, 'registry.json'), 'utf8'));
  assert.equal(registry.workspaces['10'].materialization, 'migrated');
  assert.equal(registry.workspaces['0'].role, 'primary');

  // With symlinks: free #12's destination and migrate again.
  const { rmSync } = await import('node:fs');
  rmSync(join(managedRoot, 'mover_12'), { recursive: true });
  const linked = await runBin('sase', ['workspace', 'migrate', '--to', 'xdg-state', '--symlink-transition', '-p', 'mover', '--json'], { env: adjEnv, cwd: root });
  assert.equal(linked.code, 0, linked.stderr);
  assert.equal(linked.json.data.items[0].action, 'linked');
  assert.ok(lstatSync(`${primary}_12`).isSymbolicLink());
  assert.equal(realpathSync(`${primary}_12`), realpathSync(join(managedRoot, 'mover_12')));

  // Under the default policy the migrated checkouts are reused, not re-cloned.
  const reuse = await resolveWorkspace('#git:mover', { cwd: root, env });
  assert.equal(reuse.dir, join(managedRoot, 'mover_10'));
  assert.equal((reuse.details as any).materialized, false);
  await reuse.release();

  const fin = await runBin('sase', ['workspace', 'migrate', '--finalize', '-p', 'mover', '--json'], { env, cwd: root });
  assert.equal(fin.code, 0, fin.stderr);
  assert.deepEqual(fin.json.data.items.map((i: any) => [i.num, i.action]), [[12, 'unlinked']]);
  assert.equal(existsSync(`${primary}_12`), false);
  assert.ok(existsSync(join(managedRoot, 'mover_12', '.git')), 'the canonical checkout stays');
});

test('workspace path never clones; list and path infer the project from a checkout marker', async (t) => {
  const { root, env } = sandbox(t);
  const ws = await resolveWorkspace('#git:finder', { cwd: root, env });
  await ws.release();
  const p = await runBin('sase', ['workspace', 'path', '42', '--json'], { env, cwd: join(ws.dir, 'sdd') });
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.json.data.project, 'finder');
  assert.equal(p.json.data.exists, false);
  assert.equal(existsSync(p.json.data.path), false);
  const zero = await runBin('sase', ['workspace', 'path', '0'], { env, cwd: ws.dir });
  assert.equal(zero.stdout.trim(), join(env.HOME!, 'projects', 'git', 'finder'));
  const list = await runBin('sase', ['workspace', '--json'], { env, cwd: ws.dir });
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.json.data.project, 'finder');
  assert.equal(list.json.data.root_policy, 'xdg-state');
  const open = await runBin('sase', ['workspace', 'open', '15', '-p', 'finder'], { env, cwd: root });
  assert.equal(open.code, 2, 'a reason is required');
  const artifacts = join(root, 'artifacts');
  const opened = await runBin('sase', ['workspace', 'open', '15', '-r', 'debugging', '-p', 'finder', '--json'], { env: { ...env, SASE_ARTIFACTS_DIR: artifacts }, cwd: root });
  assert.equal(opened.code, 0, opened.stderr);
  assert.ok(existsSync(join(opened.json.data.dir, '.git')));
  const record = JSON.parse(readFileSync(join(artifacts, 'opened_workspaces.jsonl'), 'utf8').trim());
  assert.deepEqual([record.project, record.workspace_num, record.dir, record.reason], ['finder', 15, opened.json.data.dir, 'debugging']);
});

test('project list hides inactive projects until --state all; activate and deactivate change the state', async (t) => {
  const { root, env } = sandbox(t);
  for (const name of ['alpha', 'beta']) await (await resolveWorkspace(`#git:${name}`, { cwd: root, env, deferred: true })).release();
  const off = await runBin('sase', ['project', 'deactivate', 'beta', '--json'], { env, cwd: root });
  assert.equal(off.json.data.project.state, 'inactive');
  const active = await runBin('sase', ['project', 'list', '--json'], { env, cwd: root });
  assert.deepEqual(active.json.data.projects.map((p: any) => p.name), ['alpha']);
  const all = await runBin('sase', ['project', 'list', '--state', 'all', '--json'], { env, cwd: root });
  assert.deepEqual(all.json.data.projects.map((p: any) => [p.name, p.state]), [['alpha', 'active'], ['beta', 'inactive']]);
  const run = await resolveWorkspace('#git:beta', { cwd: root, env }).catch((e) => e);
  assert.equal(run.code, 'CONFLICT');
  const on = await runBin('sase', ['project', 'activate', 'beta'], { env, cwd: root });
  assert.equal(on.code, 0);
  const show = await runBin('sase', ['project', 'show', 'beta', '--json'], { env, cwd: root });
  assert.equal(show.json.data.project.state, 'active');
  const missing = await runBin('sase', ['project', 'show', 'nope', '--json'], { env, cwd: root });
  assert.equal(missing.code, 3);
});
