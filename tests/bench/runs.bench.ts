/**
 * Runs benchmarks: launch overhead (from `sase run` start to the fakey provider process running, `#cd`
 * workspace) and `sase agent list` over 10,000 synthetic records, each against `node -e 0` in the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebuildIndex } from '../../lib/agents/index-store.js';
import { writeSyntheticRecords } from '../runs/synthetic.js';
import { binPath } from '../helpers/index.js';
import type { BenchGroup } from './harness.js';

let root = '';

/**
 * One launch timed from inside this process. Returns ms from spawning `sase run` to (a) the runner spawning the
 * provider (`attempts/1/invocation.json` `started_at`, written just before the spawn) and (b) fakey's first
 * scenario step touching the signal file (includes fakey's own Node start and scenario parsing).
 */
async function launchOnce(sase: string, ws: string, sigDir: string, env: Record<string, string>, i: number): Promise<{ spawned: number; signalled: number }> {
  const sig = join(sigDir, `precise-${i}`);
  const prompt = `#cd:${ws} %m:fakey/fakey-large Benchmark launch.\n\n\`\`\`fakey\nsteps:\n  - signal: ${sig}\nreply: ok\n\`\`\`\n`;
  const wall0 = Date.now();
  const t0 = performance.now();
  const child = spawn(process.execPath, [sase, 'run', '--json', prompt], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.on('error', () => {});
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  while (!existsSync(sig)) {
    if (performance.now() - t0 > 30_000) throw new Error('provider never started');
    await new Promise((r) => setTimeout(r, 1));
  }
  const signalled = performance.now() - t0;
  await exited;
  const recordDir = JSON.parse(out).data.agents[0].record_dir as string;
  const inv = JSON.parse(readFileSync(join(recordDir, 'attempts', '1', 'invocation.json'), 'utf8')) as { started_at: string };
  return { spawned: Date.parse(inv.started_at) - wall0, signalled };
}

/** `sase agent list` and `node -e 0` run alternately (so machine-load drift hits both alike); a notes sentence. */
function listInterleaved(env: Record<string, string>): string {
  const list: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 16; i++) {
    let t = performance.now();
    spawnSync(process.execPath, [binPath('sase'), 'agent', 'list', '-a'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    if (i > 0) list.push(performance.now() - t);
    t = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    if (i > 0) base.push(performance.now() - t);
  }
  const ratios = list.map((l, i) => l / base[i]!);
  return `Interleaved \`sase agent list -a\` (10,000 records) vs \`node -e 0\`, 15 alternating pairs: median ${median(list).toFixed(1)} ms vs ${median(base).toFixed(1)} ms, median pair ratio ${median(ratios).toFixed(2)}× (target ≤ 2×). `;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

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
    const sigDir = join(root, 'precise');
    mkdirSync(sigDir, { recursive: true });
    const spawned: number[] = [];
    const signalled: number[] = [];
    const bases: number[] = [];
    for (let i = 0; i < 12; i++) {
      const m = await launchOnce(binPath('sase'), ws, sigDir, env(launchHome), i);
      const b0 = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      bases.push(performance.now() - b0);
      if (i > 0) {
        spawned.push(m.spawned);
        signalled.push(m.signalled);
      }
    }
    group.notes =
      NOTES +
      `\n\nPrecise launch overhead (timestamps taken by the bench process itself, no extra Node start; ${spawned.length} launches): ` +
      `\`sase run\` start → the runner spawns fakey: median ${median(spawned).toFixed(1)} ms (min ${Math.min(...spawned).toFixed(1)}); ` +
      `→ fakey's first scenario step runs (adds fakey's Node start and YAML scenario parsing): median ${median(signalled).toFixed(1)} ms ` +
      `(min ${Math.min(...signalled).toFixed(1)}). \`node -e 0\` measured alongside: median ${median(bases).toFixed(1)} ms. Target ≤ 300 ms. ` +
      listInterleaved(env(listHome)) +
      `Load average when measured: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (${cpus().length} CPUs).`;
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
  notes: '',
};

const NOTES = [
    'Launch overhead: a driver process starts `sase run "#cd:<tmp> …"` (no `--wait`) whose fakey scenario touches a',
    'signal file as its first step, and exits when the file appears; the wall time therefore also includes the',
    "driver's own Node start (one extra `node` boot) and fakey's start-up — it overstates sase's share.",
    'List: 10,000 synthetic records (1% WAITING, the rest finished) with the index built by `sase agent reindex`.',
].join('\n');
