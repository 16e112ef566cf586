/** `sase run` without a workspace reference uses `#git:home`: a numbered checkout claimed for the runner, released at the end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitRepo } from '../helpers/index.js';
import { isolatedEnv, recJson, sase } from './helpers.js';

test('a run without #cd claims a numbered #git:home workspace for its runner and releases it when done', { timeout: 120_000 }, async (t) => {
  const env = isolatedEnv(t);
  const repo = gitRepo(t, { 'README.md': '# home\n' });
  const r = await sase(['run', '--wait', '--json', `%m:fakey/@demo %n:gitrun Tell me what this repository is.`], env, repo, 110_000);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const a = r.json.data.agents[0];
  const ws = recJson(a.record_dir, 'workspace.json');
  assert.equal(ws.type, 'git');
  assert.ok(ws.num >= 10, `numbered workspace, got #${ws.num}`);
  assert.equal(a.workspace_dir, ws.dir);
  assert.ok(existsSync(join(ws.dir, 'fakey-demo.md')), 'the agent ran in the numbered checkout');
  assert.ok(!existsSync(join(repo, 'fakey-demo.md')), 'not in the primary checkout');
  assert.equal(recJson(a.record_dir, 'agent_meta.json').workspace_num, ws.num);
  assert.equal(recJson(a.record_dir, 'diff.json').method, 'git');
  const claims = JSON.parse(readFileSync(join(env.SASE_HOME!, 'projects', ws.project, 'claims.json'), 'utf8'));
  assert.deepEqual(claims.claims, [], 'the claim was released');
});
