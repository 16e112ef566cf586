import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/index.js';
import { resolveWorkspace, inferProjectFromCwd } from '../../lib/workspace/index.js';
import { deriveProjectKey, hashedProjectKey, remoteSlug, resolveRootPolicy } from '../../lib/workspace/root.js';
import { readProject, type ProjectSpec } from '../../lib/projects/spec.js';
import { requireProject } from '../../lib/projects/spec.js';
import { projectLayout } from '../../lib/workspace/layout.js';
import { repairWorkspaces } from '../../lib/workspace/repair.js';
import { sandbox } from './env.js';
import { startWorker } from './procs.js';

test('remote URLs give owner/repo slugs; local paths do not', () => {
  assert.equal(remoteSlug('git@github.com:sase-org/sase.git'), 'sase-org/sase');
  assert.equal(remoteSlug('https://github.com/sase-org/sase'), 'sase-org/sase');
  assert.equal(remoteSlug('ssh://git@gitlab.example.com/group/sub/tool.git'), 'sub/tool');
  assert.equal(remoteSlug('/home/me/.sase/repos/tool.git'), null);
  assert.equal(remoteSlug('file:///srv/tool.git'), null);
});

test('project_key: config override, then the record, then a single remote slug, else basename plus hash', () => {
  const p = { name: 'sase', project_key: null } as ProjectSpec;
  const primary = '/home/me/projects/github/sase-org/sase';
  assert.equal(deriveProjectKey(p, primary, ['git@github.com:sase-org/sase.git'], {}), 'sase-org/sase');
  assert.equal(deriveProjectKey(p, primary, ['git@github.com:a/x.git', 'git@github.com:b/x.git'], {}), hashedProjectKey(primary));
  assert.equal(deriveProjectKey(p, primary, ['/srv/sase.git'], {}), hashedProjectKey(primary));
  assert.match(hashedProjectKey(primary), /^sase-[0-9a-f]{8}$/);
  assert.notEqual(hashedProjectKey('/a/sase'), hashedProjectKey('/b/sase'));
  assert.equal(deriveProjectKey({ ...p, project_key: 'mine' }, primary, [], {}), 'mine');
  assert.equal(deriveProjectKey(p, primary, [], { workspace: { project_key: 'cfg' } }), 'cfg');
  assert.equal(deriveProjectKey(p, primary, [], { workspace: { project_key: 'cfg', project_keys: { sase: 'per' } } }), 'per');
});

test('root policy: xdg-state by default, adjacent and absolute from config, SASE_WORKSPACE_ROOT wins', () => {
  const env = { HOME: '/h', XDG_STATE_HOME: '/state' };
  assert.deepEqual(resolveRootPolicy({}, env), { kind: 'xdg-state', base: '/state/sase/workspaces', source: 'default' });
  assert.equal(resolveRootPolicy({ workspace: { root: 'adjacent' } }, env).kind, 'adjacent');
  assert.deepEqual(resolveRootPolicy({ workspace: { root: '/fast/ws' } }, env), { kind: 'absolute', base: '/fast/ws', source: 'config' });
  assert.deepEqual(resolveRootPolicy({ workspace: { root: 'adjacent' } }, { ...env, SASE_WORKSPACE_ROOT: '/ci/ws' }), { kind: 'absolute', base: '/ci/ws', source: 'env' });
  assert.throws(() => resolveRootPolicy({ workspace: { root: 'relative/dir' } }, env), (e: any) => e.code === 'USAGE');
});

test('checkouts land where the policy says: adjacent siblings without a registry, or <root>/<key>/<project>_<num>', async (t) => {
  const { root, env } = sandbox(t);
  const adj = await resolveWorkspace('#git:placed', { cwd: root, env, config: { workspace: { root: 'adjacent' } } });
  const primary = join(env.HOME!, 'projects', 'git', 'placed');
  assert.equal(adj.dir, `${primary}_10`);
  assert.equal(JSON.parse(readFileSync(join(adj.dir, '.sase', 'checkout.json'), 'utf8')).registry_path, null);
  await adj.release();
  const abs = join(root, 'fast');
  const a = await resolveWorkspace('#git:placed', { cwd: root, env, config: { workspace: { root: abs, project_key: 'team/placed' } } });
  assert.equal(a.dir, join(abs, 'team', 'placed', 'placed_10'));
  assert.ok(existsSync(join(abs, 'team', 'placed', 'registry.json')));
  await a.release();
  const override = join(root, 'ci');
  const o = await resolveWorkspace('#git:placed', { cwd: root, env: { ...env, SASE_WORKSPACE_ROOT: override }, config: { workspace: { root: abs } } });
  assert.ok(o.dir.startsWith(override + '/'), o.dir);
  assert.match(o.dir, /\/placed_10$/);
  await o.release();
});

test('the project is inferred from a checkout marker, the primary checkout, or an adjacent sibling', async (t) => {
  const { root, env } = sandbox(t);
  const ws = await resolveWorkspace('#git:where', { cwd: root, env });
  await ws.release();
  const fromMarker = await inferProjectFromCwd(join(ws.dir, 'sdd', 'tales'), env);
  assert.deepEqual([fromMarker?.project, fromMarker?.num, fromMarker?.via], ['where', 10, 'marker']);
  const primary = join(env.HOME!, 'projects', 'git', 'where');
  const fromPrimary = await inferProjectFromCwd(join(primary, 'sdd'), env);
  assert.deepEqual([fromPrimary?.project, fromPrimary?.num, fromPrimary?.via], ['where', 0, 'primary']);
  mkdirSync(`${primary}_7/src`, { recursive: true });
  const fromSibling = await inferProjectFromCwd(`${primary}_7/src`, env);
  assert.deepEqual([fromSibling?.project, fromSibling?.num, fromSibling?.via], ['where', 7, 'adjacent']);
  assert.equal(await inferProjectFromCwd(root, env), null);
});

test('a SASE .sase project header is read, and its legacy archived state counts as inactive', async (t) => {
  const { root, env } = sandbox(t);
  const src = join(root, 'src');
  git(root, ['init', '-q', '-b', 'main', src]);
  git(src, ['commit', '-q', '--allow-empty', '-m', 'first']);
  const bare = join(root, 'legacy.git');
  git(root, ['clone', '-q', '--bare', src, bare]);
  const dir = join(env.SASE_HOME!, 'projects', 'legacy');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'legacy.sase'),
    `BARE_REPO_DIR: ${bare}\nWORKSPACE_DIR: ${join(root, 'legacy-primary')}\nPROJECT_STATE: archived\nRUNNING:\n  #10 | 1 | run | x\n\n\nNAME: some_change\nSTATUS: WIP\n`,
  );
  const p = await readProject(env, 'legacy');
  assert.equal(p?.state, 'inactive');
  assert.equal(p?.bare_repo_dir, bare);
  await assert.rejects(resolveWorkspace('#git:legacy', { cwd: root, env }), (e: any) => e.code === 'CONFLICT' && /activate legacy/.test(e.hint));
});

test('repair drops registry entries of deleted checkouts and re-clones missing ones that are still claimed', async (t) => {
  const { root, env } = sandbox(t);
  const gone = await resolveWorkspace('#git:fixme', { cwd: root, env });
  await gone.release();
  const w = startWorker('#git:fixme', root, env); // reclaims #10
  const held = await w.result;
  t.after(() => w.finish());
  const other = await resolveWorkspace('#git:fixme', { cwd: root, env }); // #11
  await other.release();
  rmSync(held.dir, { recursive: true, force: true });
  rmSync(other.dir, { recursive: true, force: true });
  const project = await requireProject(env, 'fixme');
  const layout = await projectLayout(project, {}, env);
  const dry = await repairWorkspaces(project, layout, { env, now: new Date(), dryRun: true });
  assert.deepEqual(dry.items.map((i) => [i.num, i.action]), [[10, 'rematerialized'], [11, 'dropped']]);
  assert.equal(existsSync(held.dir), false);
  const r = await repairWorkspaces(project, layout, { env, now: new Date(), dryRun: false });
  assert.equal(r.items.length, 2);
  assert.ok(existsSync(join(held.dir, '.git')));
  const reg = JSON.parse(readFileSync(layout.registry_path!, 'utf8'));
  assert.deepEqual(Object.keys(reg.workspaces), ['0', '10']);
});

test('refusing an inactive project happens before anything is cloned or committed', async (t) => {
  const { root, env } = sandbox(t);
  const src = join(root, 'src');
  git(root, ['init', '-q', '-b', 'main', src]);
  git(src, ['commit', '-q', '--allow-empty', '-m', 'first']);
  const bare = join(root, 'quiet.git');
  git(root, ['clone', '-q', '--bare', src, bare]);
  const dir = join(env.SASE_HOME!, 'projects', 'quiet');
  mkdirSync(dir, { recursive: true });
  const primary = join(root, 'quiet-primary');
  writeFileSync(join(dir, 'project.json'), JSON.stringify({ name: 'quiet', state: 'closed', bare_repo_dir: bare, workspace_dir: primary }));
  await assert.rejects(resolveWorkspace('#git:quiet', { cwd: root, env }), (e: any) => e.code === 'CONFLICT');
  assert.equal(existsSync(primary), false);
  assert.equal(git(bare, ['rev-list', '--count', 'main']), '1');
});

test('a project whose primary has one hosted remote lands at <state>/sase/workspaces/<owner>/<repo>/<basename>_<num> (the observed SASE layout)', async (t) => {
  const { root, env } = sandbox(t);
  const src = join(root, 'src');
  git(root, ['init', '-q', '-b', 'master', src]);
  git(src, ['commit', '-q', '--allow-empty', '-m', 'first']);
  const bare = join(root, 'sase.git');
  git(root, ['clone', '-q', '--bare', src, bare]);
  const primary = join(env.HOME!, 'projects', 'github', 'sase-org', 'sase');
  git(root, ['clone', '-q', bare, primary]);
  git(primary, ['remote', 'set-url', 'origin', 'git@github.com:sase-org/sase.git']);
  const name = 'gh_sase-org__sase';
  mkdirSync(join(env.SASE_HOME!, 'projects', name), { recursive: true });
  writeFileSync(join(env.SASE_HOME!, 'projects', name, 'project.json'), JSON.stringify({ name, state: 'active', bare_repo_dir: bare, workspace_dir: primary }));
  const ws = await resolveWorkspace(`#git:${name}`, { cwd: root, env });
  t.after(() => ws.release());
  assert.equal(ws.dir, join(env.XDG_STATE_HOME!, 'sase', 'workspaces', 'sase-org', 'sase', `sase_${ws.num}`));
  assert.equal(ws.project_key, 'sase-org/sase');
  assert.equal(ws.branch, 'master');
  assert.equal(git(bare, ['rev-list', '--count', 'master']), '1', 'a primary sase did not clone gets no SDD commit');
  const list = await import('../../lib/workspace/inventory.js');
  const project = await requireProject(env, name);
  const views = await list.inventory(await projectLayout(project, {}, env), env, new Date());
  assert.deepEqual(views.map((v) => v.num), [0, ws.num]);
});

test('a SASE registry.json with epoch-second times is read', async (t) => {
  const { root } = sandbox(t);
  const { readRegistry } = await import('../../lib/workspace/registry.js');
  const path = join(root, 'registry.json');
  writeFileSync(path, JSON.stringify({ schema_version: 1, project_key: 'k', primary_workspace_dir: '/p', workspaces: { '0': { checkout_dir: '/p', materialization: 'primary', role: 'primary', created_at: 1786652341.5, last_used_at: 1786652341.5, pinned: true, generation: 0 }, '12': { checkout_dir: '/s/p_12', materialization: 'git-clone', role: 'claim', created_at: 1786652341, last_used_at: 1786652400, pinned: false, generation: 2 } } }));
  const r = await readRegistry(path, 'p', 'k');
  assert.equal(r.workspaces['12']!.last_used_at, new Date(1786652400 * 1000).toISOString());
  assert.equal((r.workspaces['12'] as any).generation, 2, 'unknown fields are kept');
});
