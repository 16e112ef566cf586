import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripWorkspaceEnv, workspaceChildEnv, isInheritedWorkspaceVar, resolveWorkspace } from '../../lib/workspace/index.js';
import { sandbox } from './env.js';

test('inherited workspace variables of any provider never reach a nested launch', () => {
  const parent = {
    PATH: '/usr/bin',
    SASE_GIT_PRE_ALLOCATED: '1',
    SASE_GIT_WORKSPACE_NUM: '14',
    SASE_GIT_WORKSPACE_DIR: '/old/parent_14',
    SASE_GH_WORKSPACE_NUM: '3',
    SASE_CD_WORKSPACE_DIR: '/tmp/x',
    SASE_HG_PRE_ALLOCATED: '1',
    SASE_AGENT_NAME: 'parent',
    SASE_WORKSPACE_ROOT: '/keep/me',
    UNSET: undefined,
  };
  const child = workspaceChildEnv(parent, { SASE_CD_PRE_ALLOCATED: '1', SASE_CD_WORKSPACE_NUM: '0', SASE_CD_WORKSPACE_DIR: '/new' });
  assert.deepEqual(child, {
    PATH: '/usr/bin',
    SASE_AGENT_NAME: 'parent',
    SASE_WORKSPACE_ROOT: '/keep/me',
    SASE_CD_PRE_ALLOCATED: '1',
    SASE_CD_WORKSPACE_NUM: '0',
    SASE_CD_WORKSPACE_DIR: '/new',
  });
  assert.equal(parent.SASE_GIT_WORKSPACE_NUM, '14', 'the parent env is not modified');
  assert.equal(isInheritedWorkspaceVar('SASE_WORKSPACE_ROOT'), false);
  assert.equal(isInheritedWorkspaceVar('SASE_GIT_WORKSPACE_DIR'), true);
  assert.deepEqual(Object.keys(stripWorkspaceEnv(parent)).sort(), ['PATH', 'SASE_AGENT_NAME', 'SASE_WORKSPACE_ROOT']);
});

test('a nested #git launch from inside a claimed workspace gets its own number and variables', async (t) => {
  const { root, env } = sandbox(t);
  const outer = await resolveWorkspace('#git:nest', { cwd: root, env });
  t.after(() => outer.release());
  const nestedEnv = workspaceChildEnv(env, outer.env);
  assert.equal(nestedEnv.SASE_GIT_WORKSPACE_NUM, String(outer.num));
  const inner = await resolveWorkspace('#git:nest', { cwd: outer.dir, env: nestedEnv });
  t.after(() => inner.release());
  assert.notEqual(inner.num, outer.num);
  const grandchild = workspaceChildEnv(nestedEnv, inner.env);
  assert.equal(grandchild.SASE_GIT_WORKSPACE_NUM, String(inner.num));
  assert.equal(grandchild.SASE_GIT_WORKSPACE_DIR, inner.dir);
});
