/**
 * Runs benchmarks: launch overhead (from `sase run` start to the fakey provider process running, `#cd`
 * workspace) and `sase agent list` over 10,000 synthetic records, each against `node -e 0` in the same run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rebuildIndex } from '../../lib/agents/index-store.js';
import { writeSyntheticRecords } from '../runs/synthetic.js';
import { binPath } from '../helpers/index.js';
import { timeBaselineOnce, wallOnly, type BenchGroup, type Measurement } from './harness.js';

let root = '';

/** Polls (every `ms`) until `path` exists; @throws after 30 s */
async function waitForFile(path: string, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - t0 > 30_000) throw new Error(`bench: ${path} never appeared`);
    await sleep(ms);
  }
}

/**
 * One launch timed from this process: ms from spawning `sase run` to (a) the runner spawning the provider
 * (`attempts/1/invocation.json` `started_at`, taken just before the spawn call) and (b) fakey's first scenario step
 * touching a signal file (adds fakey's own Node start and scenario parsing). Waits for the run to finish, so runs
 * never overlap the next measurement.
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
  await waitForFile(sig, 5);
  const signalled = performance.now() - t0;
  await exited;
  const recordDir = JSON.parse(out).data.agents[0].record_dir as string;
  await waitForFile(join(recordDir, 'done.json'), 20);
  const inv = JSON.parse(readFileSync(join(recordDir, 'attempts', '1', 'invocation.json'), 'utf8')) as { started_at: string };
  return { spawned: Date.parse(inv.started_at) - wall0, signalled };
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
    const sigDir = join(root, 'precise');
    mkdirSync(sigDir, { recursive: true });
    const measureLaunch = async (): Promise<{ m: Measurement; baseline: Measurement }> => {
      const spawned: number[] = [];
      const signalled: number[] = [];
      const bases: number[] = [];
      for (let i = 0; i < 16; i++) {
        const b = timeBaselineOnce();
        const m = await launchOnce(binPath('sase'), ws, sigDir, env(launchHome), i);
        if (i === 0) continue; // warm-up
        bases.push(b);
        spawned.push(m.spawned);
        signalled.push(m.signalled);
      }
      group.notes =
        NOTES +
        ` Over the same ${spawned.length} launches, \`sase run\` start → fakey's first scenario step (adds fakey's own Node` +
        ` start and scenario parsing): median ${median(signalled).toFixed(1)} ms (min ${Math.min(...signalled).toFixed(1)}).` +
        ` Load average after the runs group: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (${cpus().length} CPUs).`;
      return { m: wallOnly(spawned), baseline: wallOnly(bases) };
    };
    return [
      {
        name: '`sase run` → provider process spawned (fakey, `#cd`, detached)',
        nodeArgs: [],
        target: { ms: 300 },
        measure: measureLaunch,
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
  'Launch overhead: the bench process notes the wall clock, spawns `sase run --json "#cd:<tmp> %m:fakey/… <prompt>"`',
  '(no `--wait`) and reads the `started_at` the runner writes into `attempts/1/invocation.json` just before it spawns',
  'the provider; the case is the difference (15 launches after one warm-up, each run left to finish before the next,',
  'a `node -e 0` run before each). It includes `sase run`\'s own Node start. The standby runner (lib/agents/standby.ts)',
  'is started before the CLI loads, so the two Node start-ups overlap.',
  'List: 10,000 synthetic records (1% WAITING, the rest finished) with the index built by `sase agent reindex`.',
].join('\n');
