/**
 * Benchmark harness for `npm run bench`: times whole commands (wall clock, ms) against `node -e 0`, run
 * alternately with each case (baseline, case, baseline, case, …) so drift in machine load hits both alike, records
 * peak RSS (bytes) and CPU time (user + system, ms) of the timed process from a preload hook, and rewrites this
 * group's section of docs/benchmarks.md. Speed targets live here, never in unit tests.
 *
 * Targets are judged on wall time (as the issues state them): the case's median over the median of its interleaved
 * baseline runs. The CPU ratio (same, on CPU ms) is reported next to it as a load-independent check: on a shared,
 * loaded machine wall time includes waiting for a core, CPU time does not. CPU time covers the measured process
 * only (not children it spawns and does not wait for).
 *
 * A bench file is `tests/bench/<area>.bench.ts` exporting `group: BenchGroup`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One timed command. */
export interface BenchCase {
  name: string;
  /** Arguments to `node` (e.g. `[binPath('sase'), 'xprompt', 'list']`). */
  nodeArgs: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Target as a ratio of the baseline's median wall time (e.g. 1.5), or an absolute limit in ms. */
  target?: { ratio?: number; ms?: number };
  /** Runs to time (default 21), each paired with a baseline run; the medians are reported. */
  runs?: number;
  /**
   * Custom measurement instead of timing `node <nodeArgs>` (e.g. timestamps taken inside the run); must interleave
   * its own `node -e 0` runs (see {@link timeBaselineOnce}).
   */
  measure?(): Promise<{ m: Measurement; baseline: Measurement }>;
}

/** A named set of cases with shared setup/teardown. */
export interface BenchGroup {
  name: string;
  /** Builds fixtures; returns the cases to time. */
  setup(): Promise<BenchCase[]> | BenchCase[];
  teardown?(): Promise<void> | void;
  /** Free text added under the group's table (method notes). */
  notes?: string;
}

/** Measured result of one case. */
export interface BenchResult {
  name: string;
  median_ms: number;
  min_ms: number;
  peak_rss_bytes: number;
  /** Median CPU time (user + system) of the process, ms; 0 when the preload hook did not report. */
  cpu_ms: number;
  /** The interleaved `node -e 0` runs of this case. */
  baseline: Measurement;
  /** median_ms over the interleaved baseline's median wall ms. */
  ratio: number;
  /** cpu_ms over the interleaved baseline's median CPU ms (0 when unknown). */
  cpu_ratio: number;
  target: string;
  pass: boolean | null;
}

/** Preload hook: on exit, writes `<maxRSS bytes> <user+system CPU µs>` of this process to SASE_BENCH_RSS_FILE. */
const RSS_HOOK = `process.on('exit', () => { try { const u = process.resourceUsage(); require('node:fs').writeFileSync(process.env.SASE_BENCH_RSS_FILE, (u.maxRSS * 1024) + ' ' + (u.userCPUTime + u.systemCPUTime)); } catch {} });`;

/** One command's measurement: wall ms (median, min), peak RSS bytes, median CPU ms (user + system). */
export interface Measurement {
  median_ms: number;
  min_ms: number;
  peak_rss_bytes: number;
  cpu_ms: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
}

/** Accumulates one command's runs. */
class Runs {
  times: number[] = [];
  cpus: number[] = [];
  peak = 0;
  /** Adds one run's wall ms and the hook's report (if any). */
  add(ms: number, rssFile: string): void {
    this.times.push(ms);
    try {
      const [rss, cpuUs] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
      this.peak = Math.max(this.peak, rss!);
      if (Number.isFinite(cpuUs)) this.cpus.push(cpuUs! / 1000);
      rmSync(rssFile, { force: true });
    } catch {
      // hook did not run
    }
  }
  result(): Measurement {
    return { median_ms: median(this.times), min_ms: Math.min(...this.times), peak_rss_bytes: this.peak, cpu_ms: median(this.cpus) };
  }
}

/**
 * Times command `c` `runs` times after one warm-up, a `node -e 0` run before each timed run.
 * @returns the case's measurement and that of the interleaved baseline runs
 * @throws Error when the command exits non-zero
 */
export function timeCommand(c: BenchCase): { m: Measurement; baseline: Measurement } {
  const dir = mkdtempSync(join(tmpdir(), 'sase-bench-'));
  const hook = join(dir, 'rss-hook.cjs');
  writeFileSync(hook, RSS_HOOK);
  const rssFile = join(dir, 'rss');
  const runOnce = (args: readonly string[], opts: { cwd?: string; env?: Record<string, string> }): { ms: number; status: number | null; stderr: string } => {
    rmSync(rssFile, { force: true });
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--require', hook, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env, SASE_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status, stderr: String(r.stderr) };
  };
  const cases = new Runs();
  const bases = new Runs();
  const runs = c.runs ?? 21;
  try {
    for (let i = 0; i < runs + 1; i++) {
      if (i > 0) bases.add(runOnce(BASELINE_ARGS, {}).ms, rssFile);
      const r = runOnce(c.nodeArgs, c);
      if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}: ${r.stderr.slice(0, 400)}`);
      if (i === 0) continue; // warm-up
      cases.add(r.ms, rssFile);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { m: cases.result(), baseline: bases.result() };
}

/** Times one `node -e 0` run (no hook), wall ms — for custom measurements that interleave their own baseline. */
export function timeBaselineOnce(): number {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, BASELINE_ARGS, { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Median/min of wall times as a Measurement without RSS/CPU (custom measurements). */
export function wallOnly(times: number[]): Measurement {
  return { median_ms: median(times), min_ms: Math.min(...times), peak_rss_bytes: 0, cpu_ms: 0 };
}

/** Arguments of the baseline every ratio is measured against: `node -e 0`. */
export const BASELINE_ARGS: readonly string[] = ['-e', '0'];

/** Runs a group, each case interleaved with its own baseline runs; returns one result per case. */
export async function runGroup(group: BenchGroup): Promise<BenchResult[]> {
  const cases = await group.setup();
  const out: BenchResult[] = [];
  try {
    for (const c of cases) {
      const { m, baseline: b } = c.measure ? await c.measure() : timeCommand(c);
      const ratio = m.median_ms / b.median_ms;
      const cpu_ratio = m.cpu_ms > 0 && b.cpu_ms > 0 ? m.cpu_ms / b.cpu_ms : 0;
      let pass: boolean | null = null;
      let target = '—';
      if (c.target?.ratio !== undefined) {
        target = `≤ ${c.target.ratio}×`;
        pass = ratio <= c.target.ratio;
      } else if (c.target?.ms !== undefined) {
        target = `≤ ${c.target.ms} ms`;
        pass = m.median_ms <= c.target.ms;
      }
      out.push({ name: c.name, ...m, baseline: b, ratio, cpu_ratio, target, pass });
    }
  } finally {
    await group.teardown?.();
  }
  return out;
}

/** Renders a group's markdown section (between markers so other groups' sections are kept). */
export function renderSection(group: BenchGroup, results: BenchResult[]): string {
  const lines = [
    `<!-- bench:${group.name}:start -->`,
    `## ${group.name}`,
    '',
    '| case | median ms | min ms | `node -e 0` ms | × baseline (wall) | CPU ms | × baseline (CPU) | target (wall) | peak RSS MiB | result |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|---|',
  ];
  for (const r of results) {
    const res = r.pass === null ? '' : r.pass ? 'pass' : '**miss**';
    const cpuRatio = r.cpu_ratio > 0 ? r.cpu_ratio.toFixed(2) : '—';
    lines.push(
      `| ${r.name} | ${r.median_ms.toFixed(1)} | ${r.min_ms.toFixed(1)} | ${r.baseline.median_ms.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.cpu_ms > 0 ? r.cpu_ms.toFixed(1) : '—'} | ${cpuRatio} | ${r.target} | ${r.peak_rss_bytes > 0 ? (r.peak_rss_bytes / 1048576).toFixed(1) : '—'} | ${res} |`,
    );
  }
  if (group.notes) lines.push('', group.notes);
  lines.push(`<!-- bench:${group.name}:end -->`);
  return lines.join('\n');
}

/** Replaces (or appends) a group's section in the benchmarks document text. */
export function upsertSection(doc: string, groupName: string, section: string): string {
  const start = `<!-- bench:${groupName}:start -->`;
  const end = `<!-- bench:${groupName}:end -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i !== -1 && j !== -1) return doc.slice(0, i) + section + doc.slice(j + end.length);
  return doc.trimEnd() + '\n\n' + section + '\n';
}
