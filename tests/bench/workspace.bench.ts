/**
 * Workspace commands' start-up: `sase workspace path 10` (read-only, no git) and `sase workspace list --json` on a
 * bare-git project with 20 registered checkouts, plus `sase workspace open 10 -r bench` (fetch, backup check,
 * clean, sync of an existing checkout) — each against `node -e 0`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from '../helpers/index.js';
import { sandboxEnv } from '../workspace/env.js';
import { resolveWorkspace } from '../../lib/workspace/index.js';
import type { BenchGroup } from './harness.js';

let root = '';

export const group: BenchGroup = {
  name: 'workspace',
  setup: async () => {
    root = mkdtempSync(join(tmpdir(), 'sase-bench-ws-'));
    const env = sandboxEnv(root);
    const held = [];
    for (let i = 0; i < 20; i++) held.push(await resolveWorkspace('#git:bench', { cwd: root, env, config: {} }));
    for (const w of held) await w.release();
    return [
      { name: '`sase workspace path 10`', nodeArgs: [binPath('sase'), 'workspace', 'path', '10', '-p', 'bench'], cwd: root, env, target: { ratio: 2 } },
      { name: '`sase workspace list --json` (20 checkouts)', nodeArgs: [binPath('sase'), 'workspace', 'list', '-p', 'bench', '--json'], cwd: root, env, target: { ratio: 2.5 } },
      { name: '`sase workspace open 10 -r bench`', nodeArgs: [binPath('sase'), 'workspace', 'open', '10', '-r', 'bench', '-p', 'bench'], cwd: root, env, runs: 7, target: { ms: 1500 } },
    ];
  },
  teardown: () => {
    if (root) rmSync(root, { recursive: true, force: true });
  },
  notes: 'A bare-git project made by `#git:bench`; `open` prepares an existing clean checkout (fetch, status, clean, sync).',
};
