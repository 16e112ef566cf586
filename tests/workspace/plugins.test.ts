import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeTree } from '../helpers/index.js';
import { resolveWorkspace, listWorkspaceProviders } from '../../lib/workspace/index.js';
import { sandbox } from './env.js';

const PLUGIN = `
export const workspaceProvider = {
  type: 'gh',
  envPrefix: 'SASE_GH',
  displayName: 'GitHub (test)',
  async resolve(req) {
    return {
      type: 'gh', ref: req.ref, dir: req.cwd, num: 0, project: req.value.replace('/', '__'),
      env: { SASE_GH_PRE_ALLOCATED: '1', SASE_GH_WORKSPACE_NUM: '0', SASE_GH_WORKSPACE_DIR: req.cwd },
      base_revision: null, release: async () => {},
    };
  },
};
`;

test('a plugin directory named in workspace.providers adds a #gh workflow type without core changes', async (t) => {
  const { root, env } = sandbox(t);
  writeTree(root, { 'plugins/gh-ws/package.json': '{"name":"gh-ws","type":"module","main":"main.js"}', 'plugins/gh-ws/main.js': PLUGIN });
  const config = { workspace: { providers: [join(root, 'plugins', 'gh-ws')] } };
  const ws = await resolveWorkspace('#gh:sase-org/sase', { cwd: root, env, config });
  assert.equal(ws.type, 'gh');
  assert.equal(ws.project, 'sase-org__sase');
  assert.equal(ws.env.SASE_GH_WORKSPACE_DIR, root);
  const types = (await listWorkspaceProviders(config, root, env)).map((p) => p.type);
  assert.ok(types.includes('gh') && types.includes('git') && types.includes('cd'), types.join(','));
});

test('a plugin file given relative to the project root loads; a module without a provider is invalid config', async (t) => {
  const { root, env } = sandbox(t);
  writeTree(root, { 'tools/gh.mjs': PLUGIN, 'tools/empty.mjs': 'export const nothing = 1;\n', '.git/HEAD': 'ref: refs/heads/main\n' });
  const ws = await resolveWorkspace('#gh(org/repo)', { cwd: join(root, 'tools'), env, config: { workspace: { providers: ['./tools/gh.mjs'] } } });
  assert.equal(ws.project, 'org__repo');
  await assert.rejects(resolveWorkspace('#gh:x/y', { cwd: root, env, config: { workspace: { providers: ['./tools/empty.mjs'] } } }), (e: any) => e.code === 'INVALID' && /exports no provider/.test(e.message));
});

test('without its plugin, #gh:<registered project> falls back to the bare-git project; an unknown one is a usage error', async (t) => {
  const { root, env } = sandbox(t);
  const first = await resolveWorkspace('#git:known', { cwd: root, env, config: {} });
  await first.release();
  const ws = await resolveWorkspace('#gh:known', { cwd: root, env, config: {} });
  t.after(() => ws.release());
  assert.equal(ws.project, 'known');
  assert.equal(ws.num, 10);
  await assert.rejects(resolveWorkspace('#gh:unknown', { cwd: root, env, config: {} }), (e: any) => e.code === 'USAGE');
  const { getWorkspaceDirectory } = await import('../../lib/workspace/index.js');
  assert.equal(await getWorkspaceDirectory('known', 10, { env, config: {} }), ws.dir);
});
