/**
 * `npm run demo` (package.json) runs the README's main job without touching the user's clone: the agent's directory
 * workspace is a fresh temp directory, and the output says where the record is and what the agent did.
 * The script's command after `npm run build &&` is run with `sh` (as npm does) against this build's binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, gitRepo, REPO_ROOT } from '../helpers/index.js';
import { isolatedEnv } from '../runs/helpers.js';

test('the demo script leaves the clone clean and prints the record, the workspace and the changed files', { timeout: 120_000 }, async (t) => {
  const script: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.demo;
  const m = /^npm run build && node dist\/bin\/sase\.cjs (.*)$/.exec(script);
  assert.ok(m, `demo script shape: ${script}`);
  const clone = gitRepo(t, { 'README.md': '# clone\n', 'package.json': '{}\n' });
  const env = isolatedEnv(t, { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1' });
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${binPath('sase')}" ${m[1]}`], { cwd: clone, env, encoding: 'utf8', timeout: 110_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: clone, encoding: 'utf8' });
  assert.equal(status.stdout, '', 'the clone is untouched');
  const record = /^ {2}record: (.+)$/m.exec(r.stdout)?.[1];
  assert.ok(record && existsSync(join(record, 'done.json')), `record path in:\n${r.stdout}`);
  assert.ok(record.startsWith(env.SASE_HOME!), 'the record is under SASE_HOME');
  const ws = /^ {2}workspace: (.+)$/m.exec(r.stdout)?.[1];
  assert.ok(ws && ws !== clone && existsSync(join(ws, 'fakey-demo.md')), `a separate workspace in:\n${r.stdout}`);
  assert.match(r.stdout, /^ {2}changed: fakey-demo\.md \(added\)/m);
});
