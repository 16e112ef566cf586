import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/index.js';
import { resolveWorkspace, claimDeferred } from '../../lib/workspace/index.js';
import { readClaims } from '../../lib/workspace/claims.js';
import { sandbox } from './env.js';

test('the first #git:newtool creates the bare repo, the primary checkout and one Initialize SDD commit', async (t) => {
  const { root, env } = sandbox(t);
  const ws = await resolveWorkspace('#git:newtool', { cwd: root, env, agent_name: 'a', agent_id: '1' });
  t.after(() => ws.release());
  const bare = join(env.SASE_HOME!, 'repos', 'newtool.git');
  const primary = join(env.HOME!, 'projects', 'git', 'newtool');
  assert.equal(git(bare, ['rev-parse', '--is-bare-repository']), 'true');
  assert.ok(existsSync(join(primary, '.git')), 'primary checkout exists');
  assert.equal(git(bare, ['log', '--format=%s', 'main']), 'Initialize SDD');
  assert.ok(existsSync(join(primary, 'sdd', 'README.md')));
  const spec = JSON.parse(readFileSync(join(env.SASE_HOME!, 'projects', 'newtool', 'project.json'), 'utf8'));
  assert.equal(spec.name, 'newtool');
  assert.equal(spec.state, 'active');
  assert.equal(spec.bare_repo_dir, bare);
  assert.equal(spec.workspace_dir, primary);
  assert.equal(ws.num, 10);
  assert.equal(ws.project, 'newtool');
  assert.ok(ws.dir.startsWith(join(env.XDG_STATE_HOME!, 'sase', 'workspaces')), ws.dir);
  assert.ok(ws.dir.endsWith('/newtool_10'));
  assert.equal(ws.base_revision, git(bare, ['rev-parse', 'main']));
  assert.equal(git(ws.dir, ['rev-parse', 'HEAD']), ws.base_revision);
  assert.deepEqual(ws.env, { SASE_GIT_PRE_ALLOCATED: '1', SASE_GIT_WORKSPACE_NUM: '10', SASE_GIT_WORKSPACE_DIR: ws.dir });
  const marker = JSON.parse(readFileSync(join(ws.dir, '.sase', 'checkout.json'), 'utf8'));
  assert.equal(marker.project, 'newtool');
  assert.equal(marker.workspace_num, 10);
  assert.equal(marker.primary_workspace_dir, primary);
  assert.equal(git(ws.dir, ['status', '--porcelain']), '', 'markers do not dirty the checkout');
  // A second resolve does not commit the guides again.
  const again = await resolveWorkspace('#git:newtool', { cwd: root, env });
  await again.release();
  assert.equal(git(bare, ['rev-list', '--count', 'main']), '1');
});

test('two concurrent resolves get #10 and #11, and a released number is handed out again', async (t) => {
  const { root, env } = sandbox(t);
  const [a, b] = await Promise.all([
    resolveWorkspace('#git:pool', { cwd: root, env, agent_name: 'a' }),
    resolveWorkspace('#git:pool', { cwd: root, env, agent_name: 'b' }),
  ]);
  assert.deepEqual([a.num, b.num].sort(), [10, 11]);
  assert.notEqual(a.dir, b.dir);
  const first = a.num === 10 ? a : b;
  await first.release();
  await first.release(); // idempotent
  assert.deepEqual((await readClaims(env, 'pool')).map((c) => c.num), [first === a ? b.num : a.num]);
  assert.equal(existsSync(join(first.dir, '.sase', 'occupant.json')), false, 'occupant removed on release');
  const c = await resolveWorkspace('#git:pool', { cwd: root, env });
  assert.equal(c.num, 10);
  await Promise.all([b.release(), a.release(), c.release()]);
  assert.deepEqual(await readClaims(env, 'pool'), []);
});

test('no reference means #git:home, and a deferred launch keeps #0 until it claims', async (t) => {
  const { root, env } = sandbox(t);
  const d = await resolveWorkspace('', { cwd: root, env, deferred: true });
  assert.equal(d.ref, '#git:home');
  assert.equal(d.project, 'home');
  assert.equal(d.num, 0);
  assert.equal(d.dir, join(env.HOME!, 'projects', 'git', 'home'));
  assert.equal(d.env.SASE_GIT_WORKSPACE_NUM, '0');
  assert.deepEqual(await readClaims(env, 'home'), []);
  const real = await claimDeferred(d, { cwd: root, env });
  assert.equal(real.num, 10);
  await real.release();
});

test('a bare repository path registers the project under its basename', async (t) => {
  const { root, env } = sandbox(t);
  const src = join(root, 'src');
  git(root, ['init', '-q', '-b', 'trunk', src]);
  git(src, ['commit', '-q', '--allow-empty', '-m', 'first']);
  const bare = join(root, 'remotes', 'widget.git');
  git(root, ['clone', '-q', '--bare', src, bare]);
  const ws = await resolveWorkspace(`#git:${bare}`, { cwd: root, env });
  t.after(() => ws.release());
  assert.equal(ws.project, 'widget');
  assert.equal(ws.branch, 'trunk');
  // Registration materializes the primary checkout, which commits the generated SDD guides on top once.
  assert.equal(git(ws.dir, ['log', '--format=%s']), 'Initialize SDD\nfirst');
  assert.equal(git(bare, ['rev-parse', 'trunk']), ws.base_revision);
  const spec = JSON.parse(readFileSync(join(env.SASE_HOME!, 'projects', 'widget', 'project.json'), 'utf8'));
  assert.equal(spec.bare_repo_dir, bare);
  // Now the name alone resolves it.
  const byName = await resolveWorkspace('#git:widget', { cwd: root, env });
  assert.equal(byName.project, 'widget');
  await byName.release();
});

test('an explicit inactive project is refused with an activation hint', async (t) => {
  const { root, env } = sandbox(t);
  const ws = await resolveWorkspace('#git:sleepy', { cwd: root, env });
  await ws.release();
  const { setProjectState } = await import('../../lib/projects/spec.js');
  await setProjectState(env, 'sleepy', 'inactive', new Date());
  await assert.rejects(resolveWorkspace('#git:sleepy', { cwd: root, env }), (e: any) => {
    assert.equal(e.code, 'CONFLICT');
    assert.match(e.hint, /sase project activate sleepy/);
    return true;
  });
});

test('an unknown workspace type names the missing plugin', async (t) => {
  const { root, env } = sandbox(t);
  await assert.rejects(resolveWorkspace('#zz:thing', { cwd: root, env, config: {} }), (e: any) => e.code === 'USAGE' && /#zz/.test(e.message));
  await assert.rejects(resolveWorkspace('git:nohash', { cwd: root, env, config: {} }), (e: any) => e.code === 'USAGE');
});
