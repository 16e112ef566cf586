/**
 * End-to-end in a `#git` workspace: `sase run` launches the REAL claude CLI (devDependency) against the loopback
 * Anthropic stub; the agent writes a file in its numbered checkout. Leftovers from an earlier run in that checkout
 * are backed up and cleaned first, so the diff the run records is the agent's change only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GIT_ENV, git, runBin, tmpdir } from '../helpers/index.js';
import { getWorkspaceDirectory, resolveWorkspace } from '../../lib/workspace/index.js';
import { textTurn, toolUseTurn, type StubTurn } from '../providers/stubs/anthropic-stub.js';
import { claudeStubSetup, NODE_BIN } from '../providers/stubs/e2e.js';
import { waitForExit } from './procs.js';

const hasClaude = existsSync(join(NODE_BIN, 'claude'));

test('sase run with the real claude CLI in a #git workspace records only the agent\'s change', { skip: !hasClaude && 'claude devDependency not installed', timeout: 240_000 }, async (t) => {
  const root = tmpdir(t);
  const turns: StubTurn[] = [textTurn('not scripted yet')];
  const { env: stubEnv } = await claudeStubSetup(t, turns);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...stubEnv, ...GIT_ENV, SASE_HOME: join(root, 'sase'), XDG_STATE_HOME: join(root, 'state'), NO_COLOR: '1' })) {
    if (v !== undefined && !/^SASE_[A-Z0-9]+_(PRE_ALLOCATED|WORKSPACE_NUM|WORKSPACE_DIR)$/.test(k)) env[k] = v;
  }
  // An earlier run left junk in checkout #10.
  const earlier = await resolveWorkspace('#git:e2e', { cwd: root, env, config: {} });
  assert.equal(earlier.num, 10);
  writeFileSync(join(earlier.dir, 'leftover.txt'), 'from an earlier run\n');
  writeFileSync(join(earlier.dir, 'sdd', 'README.md'), 'clobbered\n');
  await earlier.release();
  const dir = await getWorkspaceDirectory('e2e', 10, { env, config: {} });
  const target = join(dir, 'notes', 'hello.txt');
  turns.splice(0, turns.length, toolUseTurn('Write', { file_path: target, content: 'hello from the agent\n' }, { id: 'toolu_git_write' }), textTurn('I created notes/hello.txt.'));

  const r = await runBin('sase', ['run', '--wait', '--json', '#git:e2e %m:claude/sonnet Create notes/hello.txt saying hello.'], { env, cwd: root, timeoutMs: 200_000 });
  const runner = r.json?.data?.agents?.[0]?.runner_pid;
  // --wait returns once the run is done; the detached runner then finalizes and exits.
  if (typeof runner === 'number') await waitForExit([runner], 60_000);
  assert.equal(r.code, 0, r.stderr || r.stdout);
  const agent = r.json.data.agents[0];
  assert.equal(agent.workspace_dir, dir);
  assert.equal(readFileSync(target, 'utf8'), 'hello from the agent\n');
  const diff = JSON.parse(readFileSync(join(agent.record_dir, 'diff.json'), 'utf8'));
  assert.deepEqual(diff.files.map((f: any) => f.path), ['notes/hello.txt']);
  assert.equal(diff.base_revision, git(join(root, 'sase', 'repos', 'e2e.git'), ['rev-parse', 'main']));
  // The leftovers were saved, not lost.
  const stash = git(dir, ['stash', 'list']);
  assert.match(stash, /sase backup/);
  assert.equal(git(dir, ['show', 'stash@{0}^3:leftover.txt']), 'from an earlier run');
  // The runner releases the claim once it has finalized.
  const claims = join(root, 'sase', 'projects', 'e2e', 'claims.json');
  const end = Date.now() + 60_000;
  while (JSON.parse(readFileSync(claims, 'utf8')).claims.length > 0) {
    assert.ok(Date.now() < end, 'claim released');
    await new Promise((res) => setTimeout(res, 200));
  }
});
