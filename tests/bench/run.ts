/**
 * `npm run bench [-- <group>…]`: runs every `*.bench.js` next to this file (or the named groups), each case against
 * `node -e 0` runs interleaved with it, and rewrites their sections of docs/benchmarks.md with the machine and command.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../../lib/package.js';
import { renderSection, runGroup, upsertSection, type BenchGroup } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const docPath = join(PACKAGE_ROOT, 'docs', 'benchmarks.md');
let doc: string;
try {
  doc = readFileSync(docPath, 'utf8');
} catch {
  doc = '# Benchmarks\n';
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const header = [
  '<!-- bench:header:start -->',
  '# Benchmarks',
  '',
  `Command: \`npm run bench\` (or \`npm run bench -- <group>\`). Machine: ${machine}. Last run: ${new Date().toISOString()}.`,
  'Wall time is the median of 21 whole-process runs after one warm-up (fewer where a case says so). Each case runs',
  'alternately with `node -e 0` (baseline, case, baseline, case, …), so drift in machine load hits both alike; its',
  'ratios are against the median of those interleaved baseline runs (the `node -e 0` ms column). Peak RSS is the',
  'largest `maxRSS` seen across the runs. CPU ms is the median user + system CPU',
  'time of the measured process (`process.resourceUsage()` in a preload hook, like maxRSS; children it spawns and',
  'does not wait for are not included). Targets are judged on the wall-time ratio, as the issues state them; the CPU',
  'ratio is the load-independent check (on a shared, loaded machine wall time also counts waiting for a core).',
  '<!-- bench:header:end -->',
].join('\n');
doc = upsertSection(doc.replace(/^# Benchmarks\n/, ''), 'header', header);
let failed = 0;
for (const f of readdirSync(here).filter((n) => n.endsWith('.bench.js')).sort()) {
  const mod = (await import(join(here, f))) as { group: BenchGroup };
  if (only.length > 0 && !only.includes(mod.group.name)) continue;
  process.stderr.write(`bench: ${mod.group.name}\n`);
  const results = await runGroup(mod.group);
  for (const r of results) {
    process.stderr.write(
      `  ${r.name}: ${r.median_ms.toFixed(1)} ms (${r.ratio.toFixed(2)}× wall), ${r.cpu_ms.toFixed(1)} ms CPU (${r.cpu_ratio.toFixed(2)}× CPU) ${r.pass === false ? 'MISS' : ''}\n`,
    );
    if (r.pass === false) failed++;
  }
  doc = upsertSection(doc, mod.group.name, renderSection(mod.group, results));
}
writeFileSync(docPath, doc.replace(/^\n+/, '').replace(/^(<!-- bench:header:start -->)/, '$1') + (doc.endsWith('\n') ? '' : '\n'));
process.stderr.write(`bench: wrote ${docPath}${failed ? ` (${failed} target(s) missed)` : ''}\n`);
