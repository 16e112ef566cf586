import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadStore, readStore, readStoreSync, foldSnapshot } from '../../lib/beads/read.js';
import { foldTexts } from '../../lib/beads/lazy-fold.js';
import { renderProjection } from '../../lib/beads/project.js';
import { validateIssues } from '../../lib/beads/validate.js';
import { doctorStore } from '../../lib/beads/doctor.js';
import { corpusPath, hasCorpus, tmpdir } from '../helpers/index.js';

const skip = !hasCorpus() && 'shared corpus not present';

function extractCheckStore(t: Parameters<typeof tmpdir>[0]): { dir: string; expected: string } {
  const dir = tmpdir(t);
  execFileSync('tar', ['xzf', corpusPath('beads_projection_check', 'store_at_4469f7e.tgz'), '-C', dir]);
  const expected = gunzipSync(readFileSync(corpusPath('beads_projection_check', 'issues_at_4469f7e.jsonl.gz'))).toString('utf8');
  return { dir, expected };
}

test('folding the 4469f7e store with the legacy +1 rule reproduces SASE issues.jsonl byte for byte', { skip }, async (t) => {
  const { dir, expected } = extractCheckStore(t);
  // The fixture carries committed stray temp files; they must be ignored, not read as streams.
  const strays = readdirSync(join(dir, 'events', 'streams')).filter((n) => !n.endsWith('.jsonl'));
  assert.ok(strays.length >= 5, 'the fixture holds stray .tmp. files');
  const { issues } = await loadStore(dir, { legacyPlusOne: true });
  const out = renderProjection(issues);
  assert.equal(issues.length, 2923);
  assert.equal(createHash('sha256').update(out).digest('hex'), 'f798a50f91d2af2bb843e65f822b01ce7b824b3e0c2985c0ea8d268a020ce5a7');
  assert.equal(out, expected);
});

test('with the current +1 rule the 4469f7e fold differs only in the assignee of sase-cb, sase-cu and sase-dn', { skip }, async (t) => {
  const { dir, expected } = extractCheckStore(t);
  const { issues } = await loadStore(dir);
  const got = renderProjection(issues).split('\n');
  const exp = expected.split('\n');
  assert.equal(got.length, exp.length);
  const differing: string[] = [];
  for (let i = 0; i < got.length; i++) {
    if (got[i] === exp[i]) continue;
    const g = JSON.parse(got[i]!);
    const e = JSON.parse(exp[i]!);
    differing.push(g.id);
    assert.equal(g.assignee, '');
    assert.equal(e.assignee, e.id);
    assert.deepEqual({ ...g, assignee: e.assignee }, e);
  }
  assert.deepEqual(differing.sort(), ['sase-cb', 'sase-cu', 'sase-dn']);
});

test('corpus/beads folds into a valid issue set and doctor finds no errors', { skip }, async () => {
  const dir = corpusPath('beads');
  const snap = await readStore(dir);
  assert.equal(snap.kind, 'events');
  assert.equal(snap.manifest?.stream_count, snap.streams.length);
  const issues = foldSnapshot(snap);
  assert.ok(issues.length > 2900);
  validateIssues(issues);
  const ids = issues.map((i) => i.id);
  assert.deepEqual([...ids].sort(), ids, 'sorted by plain string id');
  assert.equal(new Set(ids).size, ids.length);
  const report = await doctorStore(dir);
  assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), []);
});

test('corpus/beads is a fixed point: fold → project → read the projection back → project again gives the same bytes', { skip }, async (t) => {
  const { issues } = await loadStore(corpusPath('beads'));
  const first = renderProjection(issues);
  const legacyDir = tmpdir(t);
  mkdirSync(legacyDir, { recursive: true });
  writeFileSync(join(legacyDir, 'issues.jsonl'), first);
  const again = await loadStore(legacyDir);
  assert.equal(again.snapshot.kind, 'legacy');
  assert.equal(renderProjection(again.issues), first);
  // Folding twice is deterministic.
  assert.equal(renderProjection((await loadStore(corpusPath('beads'))).issues), first);
});

test('the streaming cold-path fold (parse while replaying) gives the same projection as the eager fold', { skip }, async (t) => {
  const { dir, expected } = extractCheckStore(t);
  const lazy = foldTexts(await readStore(dir, { textsOnly: true }), { legacyPlusOne: true });
  assert.equal(renderProjection(lazy), expected);
  const corpus = corpusPath('beads');
  assert.equal(renderProjection(foldTexts(await readStore(corpus, { textsOnly: true }))), renderProjection((await loadStore(corpus)).issues));
  // A torn last line is ignored by both; an invalid line elsewhere names file:line.
  const s = tmpdir(t);
  execFileSync('cp', ['-r', join(dir, 'events'), join(dir, 'config.json'), s]);
  const f = join(s, 'events', 'streams', 'sase-cb.jsonl');
  writeFileSync(f, readFileSync(f, 'utf8') + '{"schema_version":1,"ev');
  assert.equal(renderProjection(foldTexts(await readStore(s, { textsOnly: true }), { legacyPlusOne: true })), expected);
  writeFileSync(f, 'oops\n' + readFileSync(f, 'utf8'));
  assert.throws(() => foldTexts(readStoreSync(s, { textsOnly: true })), (e: any) => e.code === 'INVALID' && e.located.startsWith(`${f}:1`));
});
