import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBin } from '../helpers/index.js';
import { waitFor } from '../helpers/runs.js';
import { readClaims } from '../../lib/workspace/claims.js';
import { sandbox } from './env.js';
import { waitForExit } from './procs.js';

test('16 concurrent sase run launches on one #git project get 16 distinct workspaces, each diff is its own agent\'s change, and all are released', async (t) => {
  const { root, env } = sandbox(t);
  const go = join(root, 'go');
  // Each fake agent writes one file, then waits until every launch has claimed its workspace.
  const prompt = [
    '#git:fleet %m:fakey/@demo Write the file.',
    '',
    '```fakey',
    'reply: done',
    'steps:',
    '  - write: {path: agent.txt, content: "hello from the agent\\n"}',
    `  - wait_for: {path: ${go}, timeout: 120}`,
    '```',
    '',
  ].join('\n');
  const launches = await Promise.all(Array.from({ length: 16 }, () => runBin('sase', ['run', '--json', prompt], { env, cwd: root, timeoutMs: 120_000 })));
  try {
    for (const l of launches) assert.equal(l.code, 0, l.stderr || l.stdout);
    const agents = launches.map((l) => l.json.data.agents[0]);
    const dirs = agents.map((a: any) => a.workspace_dir as string);
    assert.equal(new Set(dirs).size, 16, 'distinct checkouts');
    const nums = dirs.map((d) => Number(/_(\d+)$/.exec(d)![1])).sort((a, b) => a - b);
    assert.deepEqual(nums, Array.from({ length: 16 }, (_, i) => 10 + i));
    const claims = await readClaims(env, 'fleet');
    assert.equal(claims.length, 16);
    assert.deepEqual(claims.map((c) => c.pid).sort(), agents.map((a: any) => a.runner_pid).sort(), 'each claim is owned by its runner');
    writeFileSync(go, 'go\n');
    await waitFor(() => agents.every((a: any) => existsSync(join(a.record_dir, 'done.json'))), 150_000, 'all runs to finish');
    for (const a of agents) {
      const done = JSON.parse(readFileSync(join(a.record_dir, 'done.json'), 'utf8'));
      assert.equal(done.outcome, 'completed', JSON.stringify(done));
      const diff = JSON.parse(readFileSync(join(a.record_dir, 'diff.json'), 'utf8'));
      assert.deepEqual(diff.files.map((f: any) => f.path), ['agent.txt'], 'the recorded diff is the agent\'s change only');
    }
    await waitFor(() => !existsSync(join(env.SASE_HOME!, 'projects', 'fleet', 'claims.json')) || JSON.parse(readFileSync(join(env.SASE_HOME!, 'projects', 'fleet', 'claims.json'), 'utf8')).claims.length === 0, 30_000, 'claims to be released');
  } finally {
    writeFileSync(go, 'go\n');
    // Detached runners finish on their own; let them exit before the sandbox is removed.
    await waitForExit(launches.map((l) => l.json?.data?.agents?.[0]?.runner_pid).filter((p): p is number => typeof p === 'number'), 120_000);
  }
});
