import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildEvent } from '../../lib/beads/events.js';
import { mergeStreams } from '../../lib/beads/merge/stream-merge.js';
import { runMergeDriver } from '../../lib/beads/merge/driver.js';
import { tmpdir } from '../helpers/index.js';

/** A note event with a timestamp drawn from a small range (so ties and backwards clocks happen). */
function noteLine(stream: string, n: number, minute: number, text: string): string {
  const ts = `2026-05-01T10:${String(minute).padStart(2, '0')}:00Z`;
  return JSON.stringify(buildEvent(stream, n, ts, 'fuzz@example.com', stream, { kind: 'note_appended', entry: text })) + '\n';
}

const side = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), { maxLength: 6 });

test('union merge keeps the base as prefix, every event once, and each side in its own order (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4 }), side, side, fc.integer({ min: 0, max: 3 }), (baseLen, oursSpec, theirsSpec, shared) => {
      const base = Array.from({ length: baseLen }, (_, i) => noteLine('s-1', i + 1, i, `base ${i}`));
      // `shared` events are added identically by both sides (same line), then each side adds its own.
      const common = Array.from({ length: shared }, (_, i) => noteLine('s-1', baseLen + i + 1, 30 + i, `shared ${i}`));
      const ours = oursSpec.map(([m], i) => noteLine('s-1', 100 + i, m, `ours ${i}`));
      const theirs = theirsSpec.map(([m], i) => noteLine('s-1', 200 + i, m, `theirs ${i}`));
      const oursText = [...base, ...common, ...ours].join('');
      const theirsText = [...base, ...common, ...theirs].join('');
      const r = mergeStreams('s-1', base.join(''), oursText, theirsText);
      const lines = r.text.split('\n').filter(Boolean).map((l) => l + '\n');
      assert.deepEqual(lines.slice(0, base.length), base);
      const all = new Set([...base, ...common, ...ours, ...theirs]);
      assert.equal(lines.length, all.size);
      assert.deepEqual(new Set(lines), all);
      const order = (xs: string[]) => xs.map((x) => lines.indexOf(x));
      for (const seq of [[...common, ...ours], [...common, ...theirs]]) {
        const idx = order(seq);
        assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
      }
      // Swapping sides gives the same result; merging the result again with either side adds nothing.
      assert.equal(mergeStreams('s-1', base.join(''), theirsText, oursText).text, r.text);
      const again = (b: string, o: string, t2: string) => new Set(mergeStreams('s-1', b, o, t2).text.split('\n').filter(Boolean).map((l) => l + '\n'));
      assert.deepEqual(again(oursText, r.text, oursText), all);
      assert.deepEqual(again(theirsText, theirsText, r.text), all);
    }),
    { numRuns: 300 },
  );
});

test('the driver merges config.json counters to the maximum, manifest counts by added streams, and legacy issues.jsonl by row', async (t) => {
  const dir = tmpdir(t, {
    'c.O': '{\n  "issue_prefix": "sase",\n  "next_counter": 4,\n  "owner": "a@x"\n}\n',
    'c.A': '{\n  "issue_prefix": "sase",\n  "next_counter": 6,\n  "owner": "a@x"\n}\n',
    'c.B': '{\n  "issue_prefix": "sase",\n  "next_counter": 5,\n  "owner": "b@x"\n}\n',
    'm.O': '{\n  "schema_version": 1,\n  "stream_count": 3,\n  "generated_from": "issues.jsonl",\n  "migration_tool": "sase-core bead events"\n}',
    'm.A': '{\n  "schema_version": 1,\n  "stream_count": 5,\n  "generated_from": "issues.jsonl",\n  "migration_tool": "sase-core bead events"\n}',
    'm.B': '{\n  "schema_version": 1,\n  "stream_count": 4,\n  "generated_from": "issues.jsonl",\n  "migration_tool": "sase-core bead events"\n}',
    'p.O': '', 'p.A': '{"id":"x-1"}\n', 'p.B': '{"id":"x-2"}\n',
    'sdd/beads/events': null,
  });
  const run = (k: string, path: string) =>
    runMergeDriver({ basePath: join(dir, `${k}.O`), oursPath: join(dir, `${k}.A`), theirsPath: join(dir, `${k}.B`), pathname: path, repoDir: dir, env: { PATH: process.env.PATH }, now: new Date() });
  const c = await run('c', 'sdd/beads/config.json');
  assert.equal(c.merged, true);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'c.A'), 'utf8')), { issue_prefix: 'sase', next_counter: 6, owner: 'b@x' });
  const m = await run('m', 'sdd/beads/events/manifest.json');
  assert.equal(m.merged, true);
  const mText = readFileSync(join(dir, 'm.A'), 'utf8');
  assert.equal(JSON.parse(mText).stream_count, 6, 'base 3 + 2 added by ours + 1 added by theirs (no git partner known)');
  assert.ok(!mText.endsWith('\n'), 'keeps the serde form without a trailing newline');
  const p = await run('p', 'sdd/beads/issues.jsonl');
  assert.equal(p.merged, true);
  assert.equal(readFileSync(join(dir, 'p.A'), 'utf8'), '{"id":"x-1"}\n', 'projection: ours kept until the reconcile step');
  // A legacy store (no events/): issues.jsonl rows are the truth and merge row by row.
  const legacy = tmpdir(t, {
    'sdd/legacy/issues.jsonl': '',
    'l.O': '{"id":"x-1","title":"a"}\n{"id":"x-2","title":"b"}\n',
    'l.A': '{"id":"x-1","title":"a2"}\n{"id":"x-2","title":"b"}\n{"id":"x-3","title":"new ours"}\n',
    'l.B': '{"id":"x-1","title":"a"}\n{"id":"x-4","title":"new theirs"}\n',
    'k.A': '{"id":"x-1","title":"ours"}\n',
    'k.B': '{"id":"x-1","title":"theirs"}\n',
  });
  const runL = (o: string, a: string, b: string) =>
    runMergeDriver({ basePath: join(legacy, o), oursPath: join(legacy, a), theirsPath: join(legacy, b), pathname: 'sdd/legacy/issues.jsonl', repoDir: legacy, env: {}, now: new Date() });
  const l = await runL('l.O', 'l.A', 'l.B');
  assert.equal(l.conflict, undefined);
  assert.equal(readFileSync(join(legacy, 'l.A'), 'utf8'), '{"id":"x-1","title":"a2"}\n{"id":"x-3","title":"new ours"}\n{"id":"x-4","title":"new theirs"}\n');
  const lk = await runL('l.O', 'k.A', 'k.B');
  assert.match(String(lk.conflict), /x-1/);
  assert.equal(readFileSync(join(legacy, 'k.A'), 'utf8'), '{"id":"x-1","title":"ours"}\n', 'ours untouched on a conflict');
  const bad = await run('c', 'README.md');
  assert.ok(bad.conflict, 'a path outside a bead store is not merged');
});
