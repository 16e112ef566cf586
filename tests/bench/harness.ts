/**
 * Benchmark harness for `npm run bench`: times whole commands (wall clock, ms) against `node -e 0` measured in
 * the same run, records peak RSS (bytes, from a preload hook), and rewrites this group's section of
 * docs/benchmarks.md. Speed targets live here, never in unit tests.
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
  /** Runs to time (default 15); the median is reported. */
  runs?: number;
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
  ratio: number;
  target: string;
  pass: boolean | null;
}

const RSS_HOOK = `process.on('exit', () => { try { require('node:fs').writeFileSync(process.env.SASE_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)); } catch {} });`;

/** Times one command `runs` times; returns median/min wall ms and peak RSS bytes. @throws when the command fails */
export function timeCommand(c: BenchCase): { median_ms: number; min_ms: number; peak_rss_bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sase-bench-'));
  const hook = join(dir, 'rss-hook.cjs');
  writeFileSync(hook, RSS_HOOK);
  const rssFile = join(dir, 'rss');
  const times: number[] = [];
  let peak = 0;
  const runs = c.runs ?? 15;
  try {
    for (let i = 0; i < runs + 1; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['--require', hook, ...c.nodeArgs], {
        cwd: c.cwd,
        env: { ...process.env, NO_COLOR: '1', ...c.env, SASE_BENCH_RSS_FILE: rssFile },
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}: ${String(r.stderr).slice(0, 400)}`);
      if (i === 0) continue; // warm-up
      times.push(ms);
      try {
        peak = Math.max(peak, Number(readFileSync(rssFile, 'utf8')));
      } catch {
        // hook did not run
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { median_ms: times[Math.floor(times.length / 2)]!, min_ms: times[0]!, peak_rss_bytes: peak };
}

/** The baseline every ratio is measured against: `node -e 0`. */
export const BASELINE: BenchCase = { name: 'node -e 0 (baseline)', nodeArgs: ['-e', '0'], runs: 21 };

/** Runs a group against a baseline median; returns one result per case. */
export async function runGroup(group: BenchGroup, baselineMs: number): Promise<BenchResult[]> {
  const cases = await group.setup();
  const out: BenchResult[] = [];
  try {
    for (const c of cases) {
      const m = timeCommand(c);
      const ratio = m.median_ms / baselineMs;
      let pass: boolean | null = null;
      let target = '—';
      if (c.target?.ratio !== undefined) {
        target = `≤ ${c.target.ratio}×`;
        pass = ratio <= c.target.ratio;
      } else if (c.target?.ms !== undefined) {
        target = `≤ ${c.target.ms} ms`;
        pass = m.median_ms <= c.target.ms;
      }
      out.push({ name: c.name, ...m, ratio, target, pass });
    }
  } finally {
    await group.teardown?.();
  }
  return out;
}

/** Renders a group's markdown section (between markers so other groups' sections are kept). */
export function renderSection(group: BenchGroup, baselineMs: number, results: BenchResult[]): string {
  const lines = [
    `<!-- bench:${group.name}:start -->`,
    `## ${group.name}`,
    '',
    `Baseline \`node -e 0\`: ${baselineMs.toFixed(1)} ms (median, same run).`,
    '',
    '| case | median ms | min ms | × baseline | target | peak RSS MiB | result |',
    '|---|---:|---:|---:|---|---:|---|',
  ];
  for (const r of results) {
    const res = r.pass === null ? '' : r.pass ? 'pass' : '**miss**';
    lines.push(
      `| ${r.name} | ${r.median_ms.toFixed(1)} | ${r.min_ms.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.target} | ${(r.peak_rss_bytes / 1048576).toFixed(1)} | ${res} |`,
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
