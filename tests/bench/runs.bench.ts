/**
 * Runs benchmarks: launch overhead (from `sase run` start to the fakey provider process running, `#cd`
 * workspace) and `sase agent list` over 10,000 synthetic records, each against `node -e 0` in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebuildIndex } from '../../lib/agents/index-store.js';
import { writeSyntheticRecords } from '../runs/synthetic.js';
import { binPath } from '../helpers/index.js';
import type { BenchGroup } from './harness.js';

let root = '';

export const group: BenchGroup = {
  name: 'runs',
  async setup() {
    root = mkdtempSync(join(tmpdir(), 'sase-bench-runs-'));
    const launchHome = join(root, 'launch-home');
    const listHome = join(root, 'list-home');
    const ws = mkdtempSync(join(root, 'ws-'));
    writeSyntheticRecords(join(listHome, '.sase'), 10_000, new Date('2026-01-01T00:00:00Z'));
    await rebuildIndex({ SASE_HOME: join(listHome, '.sase') });
    const env = (home: string) => ({ HOME: home, SASE_HOME: join(home, '.sase'), XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.state') });
    const driver = join(dirname(fileURLToPath(import.meta.url)), 'runs-launch-driver.js');
    return [
      {
        name: '`sase run` → fakey process running (`#cd`, detached)',
        nodeArgs: [driver, binPath('sase'), ws, join(root, 'signals')],
        env: env(launchHome),
        target: { ms: 300 },
        runs: 11,
      },
      { name: '`sase agent list` over 10,000 records', nodeArgs: [binPath('sase'), 'agent', 'list'], env: env(listHome), target: { ratio: 2 } },
      { name: '`sase agent list -a` over 10,000 records', nodeArgs: [binPath('sase'), 'agent', 'list', '-a'], env: env(listHome), target: { ratio: 2 } },
    ];
  },
  teardown() {
    rmSync(root, { recursive: true, force: true });
  },
  notes: [
    'Launch overhead: a driver process starts `sase run "#cd:<tmp> …"` (no `--wait`) whose fakey scenario touches a',
    'signal file as its first step, and exits when the file appears; the wall time therefore also includes the',
    "driver's own Node start (one extra `node` boot) and fakey's start-up — it overstates sase's share.",
    'List: 10,000 synthetic records (1% WAITING, the rest finished) with the index built by `sase agent reindex`.',
  ].join('\n'),
};
