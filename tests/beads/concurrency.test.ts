import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { foldSnapshot, readStore } from '../../lib/beads/read.js';
import { renderProjection } from '../../lib/beads/project.js';
import { doctorStore } from '../../lib/beads/doctor.js';
import { runBin, tmpdir } from '../helpers/index.js';

const WORKERS = 8;
const PER_WORKER = 50;

test('8 processes × 50 create/note/dep-add mutations on one store: every mutation present once, ids unique, manifest and projection consistent', { timeout: 600_000 }, async (t) => {
  const dir = tmpdir(t);
  const home = tmpdir(t);
  const env = { HOME: home, SASE_HOME: join(home, '.sase'), SASE_BEADS_DIR: dir, SASE_BEAD_ACTOR: 'tester' };
  const sase = (args: string[], actor?: string) => runBin('sase', ['bead', ...args, '--json'], { env: { ...env, ...(actor ? { SASE_BEAD_ACTOR: actor } : {}) }, timeoutMs: 180_000 });
  assert.equal((await sase(['init', '--prefix', 'sase'])).code, 0);
  const anchor = await sase(['create', 'anchor']);
  assert.equal(anchor.code, 0, anchor.stderr);
  assert.equal(anchor.json.data.bead.id, 'sase-1');

  const created: Record<string, string> = {};
  async function worker(w: number): Promise<void> {
    let last = 'sase-1';
    for (let i = 0; i < PER_WORKER; i++) {
      const tag = `w${w}-${i}`;
      let args: string[];
      if (i % 3 === 0) args = ['create', tag];
      else if (i % 3 === 1) args = ['note', 'sase-1', `note ${tag}.`];
      else args = ['dep', 'add', last, 'sase-1'];
      const r = await sase([...args, '--wait', '--timeout', '170'], `worker-${w}`);
      assert.equal(r.code, 0, `${tag} ${args.join(' ')}: ${r.stdout} ${r.stderr}`);
      assert.equal(r.json.ok, true);
      if (i % 3 === 0) {
        last = r.json.data.bead.id;
        created[tag] = last;
      }
    }
  }
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

  const snap = await readStore(dir);
  const issues = foldSnapshot(snap);
  const ids = issues.map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length, 'ids unique');
  const creates = Object.keys(created).length;
  assert.equal(creates, WORKERS * Math.ceil(PER_WORKER / 3));
  assert.equal(new Set(Object.values(created)).size, creates, 'every create got its own id');
  assert.equal(issues.length, creates + 1);
  for (const [tag, id] of Object.entries(created)) {
    const bead = issues.find((i) => i.id === id)!;
    assert.equal(bead.title, tag);
    const i = Number(tag.split('-')[1]);
    // The dep add two steps later points this bead at the anchor (when the worker got that far).
    if (i + 2 < PER_WORKER) assert.deepEqual(bead.dependencies.map((d) => d.depends_on_id), ['sase-1'], `${tag} dependency`);
  }
  const notes = issues.find((i) => i.id === 'sase-1')!.notes;
  for (let w = 0; w < WORKERS; w++) {
    for (let i = 1; i < PER_WORKER; i += 3) assert.equal(notes.split(`note w${w}-${i}.`).length - 1, 1, `note w${w}-${i} present once`);
  }
  const streams = readdirSync(join(dir, 'events', 'streams')).filter((n) => n.endsWith('.jsonl'));
  assert.equal(snap.manifest?.stream_count, streams.length);
  assert.equal(snap.projectionText, renderProjection(issues), 'issues.jsonl matches a fresh fold');
  const report = await doctorStore(dir);
  assert.deepEqual(report.findings, []);
});
