import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { initStore } from '../../lib/beads/init.js';
import { mutateStore } from '../../lib/beads/write.js';
import { createBead } from '../../lib/beads/mutations.js';
import { doctorStore } from '../../lib/beads/doctor.js';
import { foldSnapshot, readStore } from '../../lib/beads/read.js';
import { renderProjection } from '../../lib/beads/project.js';
import { BUILD_ROOT, tmpdir } from '../helpers/index.js';

const WRITER = join(BUILD_ROOT, 'tests', 'beads', 'fixtures', 'crash-writer.js');
const TOTAL = 200;

/** Runs the writer from `from`; kills it with SIGKILL after `killAfterMs` (if given). Resolves with the acked indexes. */
function runWriter(dir: string, from: number, killAfterMs?: number): Promise<{ acked: number[]; killed: boolean }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [WRITER, dir, String(from), String(TOTAL)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    let killed = false;
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('error', rej);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (!killed && code !== 0) return rej(new Error(`writer failed (${code}): ${err}`));
      // Only complete lines count as acknowledgements.
      const acked = out.split('\n').slice(0, out.endsWith('\n') ? undefined : -1).filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      res({ acked, killed });
    });
  });
}

test('a writer killed with SIGKILL at random points during 200 mutations never leaves a torn or inconsistent store', { timeout: 240_000 }, async (t) => {
  const dir = tmpdir(t);
  await initStore(dir, { prefix: 'sase' });
  await mutateStore(dir, (m) => createBead(m, { type: 'task', title: 'anchor' }), { actor: 't', now: () => new Date() });
  const acked = new Set<number>();
  let next = 0;
  let kills = 0;
  while (next < TOTAL) {
    const kill = kills < 12 ? 150 + Math.floor(Math.random() * 600) : undefined;
    const r = await runWriter(dir, next, kill);
    for (const i of r.acked) acked.add(i);
    next = r.acked.length ? Math.max(...r.acked) + 1 : next;
    if (r.killed) {
      kills++;
      // Right after a kill, a reader sees a consistent store: strict read, replay and projection all agree.
      const snap = await readStore(dir);
      const issues = foldSnapshot(snap);
      assert.equal(snap.manifest?.stream_count, snap.streams.length);
      assert.equal(snap.projectionText, renderProjection(issues));
      const report = await doctorStore(dir);
      assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), [], 'doctor finds no errors after a kill');
    }
  }
  assert.ok(kills >= 1);
  for (let i = 0; i < TOTAL; i++) assert.ok(acked.has(i), `mutation ${i} acknowledged`);
  const report = await doctorStore(dir, { fix: true, wait: true });
  assert.deepEqual(report.findings, [], 'doctor is clean');
  const issues = foldSnapshot(await readStore(dir));
  const anchor = issues.find((i) => i.id === 'sase-1')!;
  for (let i = 0; i < TOTAL; i++) {
    if (i % 3 === 0) assert.equal(issues.filter((x) => x.title === `m${i}`).length, 1, `m${i} created exactly once`);
    if (i % 3 === 1) assert.equal(anchor.notes.split(`n${i}]`).length - 1, 1, `note n${i} present once`);
    if (i % 3 === 2) assert.deepEqual(issues.find((x) => x.title === `m${i - 2}`)!.dependencies.map((d) => d.depends_on_id), ['sase-1']);
  }
  const ids = issues.map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length);
});
