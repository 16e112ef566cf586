/**
 * The runner ends its hold on a numbered `#git` checkout completely (docs/workspaces.md): the claim is released and
 * `.sase/occupant.json` is removed, so the number is free for the next run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitRepo } from '../helpers/index.js';
import { isolatedEnv, recJson, sase } from '../runs/helpers.js';

test('after a #git run finishes no occupant.json remains and the next run gets the same number', { timeout: 240_000 }, async (t) => {
  const env = isolatedEnv(t, { SASE_NO_STANDBY_RUNNER: '1' });
  env.SASE_WORKSPACE_ROOT = join(env.HOME!, 'ws-root');
  const repo = gitRepo(t, { 'README.md': '# home\n' });
  const r = await sase(['run', '--wait', '--json', '%m:fakey/@ok %n:first Say hi.'], env, repo, 110_000);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const ws = recJson(r.json.data.agents[0].record_dir, 'workspace.json');
  assert.equal(ws.type, 'git');
  assert.ok(existsSync(join(ws.dir, '.sase', 'checkout.json')), 'a managed checkout');
  assert.equal(existsSync(join(ws.dir, '.sase', 'occupant.json')), false, 'the occupant marker is removed');
  const claims = JSON.parse(readFileSync(join(env.SASE_HOME!, 'projects', ws.project, 'claims.json'), 'utf8'));
  assert.deepEqual(claims.claims, []);

  const r2 = await sase(['run', '--wait', '--json', '%m:fakey/@ok %n:second Say hi again.'], env, repo, 110_000);
  assert.equal(r2.code, 0, r2.stdout + r2.stderr);
  const ws2 = recJson(r2.json.data.agents[0].record_dir, 'workspace.json');
  assert.equal(ws2.num, ws.num, 'the number is free again');
  assert.equal(existsSync(join(ws2.dir, '.sase', 'occupant.json')), false);
});
