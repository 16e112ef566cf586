import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffWorkspace, snapshotWorkspace } from '../../lib/agents/diff.js';
import { git, GIT_ENV, gitRepo, tmpdir } from '../helpers/index.js';

const env = { ...process.env, ...GIT_ENV };

test('a plain directory diff lists added, modified and deleted files with line deltas and a patch', async (t) => {
  const ws = tmpdir(t, { 'keep.txt': 'same\n', 'edit.txt': 'one\ntwo\nthree\n', 'gone.txt': 'bye\nbye\n', 'node_modules/x.js': 'x\n' });
  const scratch = join(tmpdir(t), 'idx');
  const snap = await snapshotWorkspace(ws, scratch, env);
  assert.equal(snap.method, 'snapshot');
  writeFileSync(join(ws, 'edit.txt'), 'one\nTWO\nthree\nfour\n');
  rmSync(join(ws, 'gone.txt'));
  writeFileSync(join(ws, 'new.md'), 'a\nb\nc\n');
  writeFileSync(join(ws, 'node_modules/x.js'), 'changed\n');
  const { summary, patch } = await diffWorkspace(snap, env);
  assert.deepEqual(summary.files, [
    { path: 'edit.txt', status: 'modified', added: 2, removed: 1 },
    { path: 'gone.txt', status: 'deleted', added: 0, removed: 2 },
    { path: 'new.md', status: 'added', added: 3, removed: 0 },
  ]);
  assert.equal(summary.lines_added, 5);
  assert.equal(summary.lines_removed, 3);
  assert.match(patch, /^\+TWO$/m);
  assert.match(patch, /^-two$/m);
});

test('a git workspace diff covers tracked and untracked changes against the start state without touching the index', async (t) => {
  const repo = gitRepo(t, { 'a.txt': 'alpha\n', 'b.txt': 'beta\n', '.gitignore': 'ignored/\n' });
  writeFileSync(join(repo, 'dirty-before.txt'), 'was already here\n');
  const scratch = join(tmpdir(t), 'idx');
  const snap = await snapshotWorkspace(repo, scratch, env);
  assert.equal(snap.method, 'git');
  appendFileSync(join(repo, 'a.txt'), 'more\n');
  rmSync(join(repo, 'b.txt'));
  writeFileSync(join(repo, 'c.txt'), 'gamma\n');
  writeFileSync(join(repo, 'skip.md'), 'excluded\n');
  writeFileSync(join(repo, 'ignored.txt'), 'x\n');
  const { summary, patch } = await diffWorkspace(snap, env, [join(repo, 'skip.md')]);
  assert.deepEqual(summary.files.map((f) => [f.path, f.status, f.added, f.removed]), [
    ['a.txt', 'modified', 1, 0],
    ['b.txt', 'deleted', 0, 1],
    ['c.txt', 'added', 1, 0],
    ['ignored.txt', 'added', 1, 0],
  ]);
  assert.ok(!patch.includes('dirty-before'), 'changes made before the run are not the run\'s');
  assert.match(patch, /^\+gamma$/m);
  assert.equal(summary.base_revision, git(repo, ['rev-parse', 'HEAD']));
  assert.equal(git(repo, ['status', '--porcelain']).includes('A '), false, 'the real index is untouched');
});
