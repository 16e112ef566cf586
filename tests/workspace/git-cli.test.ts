import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitChildEnv, gitOut, runGit } from '../../lib/git/cli.js';
import { gitRepo } from '../helpers/index.js';

test('git failures become ExternalToolError with argv, exit code and stderr', async (t) => {
  const repo = gitRepo(t);
  await assert.rejects(runGit(['rev-parse', '--verify', 'no-such-ref'], { cwd: repo, env: process.env }), (e: any) => {
    assert.equal(e.code, 'EXTERNAL');
    assert.equal(e.exitCode, 7);
    assert.deepEqual(e.data.args, ['rev-parse', '--verify', 'no-such-ref']);
    assert.equal(e.data.exit_code, 128);
    assert.match(e.data.stderr, /no-such-ref|Needed a single revision/);
    return true;
  });
  const ok = await runGit(['diff', '--quiet', 'HEAD'], { cwd: repo, env: process.env, okCodes: [1] });
  assert.equal(ok.code, 0);
});

test('git runs in its cwd even when the caller\'s env points GIT_DIR elsewhere', async (t) => {
  const a = gitRepo(t, { 'a.txt': 'a\n' });
  const b = gitRepo(t, { 'b.txt': 'b\n' });
  const env = { ...process.env, GIT_DIR: `${b}/.git`, GIT_WORK_TREE: b };
  assert.equal(await gitOut(['ls-files'], { cwd: a, env }), 'a.txt');
  const child = gitChildEnv(env);
  assert.equal(child.GIT_DIR, undefined);
  assert.equal(child.GIT_TERMINAL_PROMPT, '0');
});
