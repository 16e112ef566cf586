/**
 * Orchestration benchmarks: one `sase agent tick` pass over 10,000 synthetic records (100 of them parked on a run
 * that never comes), and `sase var set` inside a run — each against `node -e 0` in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticRecords } from '../runs/synthetic.js';
import { binPath } from '../helpers/index.js';
import type { BenchGroup } from './harness.js';

let root = '';

export const group: BenchGroup = {
  name: 'orchestration',
  notes: 'tick: one locked pass over every record directory (marker checks), evaluating the 100 parked runs; nothing is released.',
  setup() {
    root = mkdtempSync(join(tmpdir(), 'sase-bench-orch-'));
    const home = join(root, '.sase');
    const ids = writeSyntheticRecords(home, 10_000, new Date('2026-01-01T00:00:00Z'));
    const env = { HOME: root, SASE_HOME: home, XDG_CONFIG_HOME: join(root, '.config'), XDG_STATE_HOME: join(root, '.state') };
    const some = join(home, 'agents', ids[1]!.slice(0, 6), ids[1]!);
    return [
      { name: 'sase agent tick (10k records, 100 parked)', nodeArgs: [binPath('sase'), 'agent', 'tick', '--json'], env, target: { ratio: 6 }, runs: 9 },
      { name: 'sase var set STOP=1 (in a run)', nodeArgs: [binPath('sase'), 'var', 'set', 'STOP=1'], env: { ...env, SASE_ARTIFACTS_DIR: some }, target: { ratio: 2.5 } },
    ];
  },
  teardown() {
    rmSync(root, { recursive: true, force: true });
  },
};
