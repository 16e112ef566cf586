import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { buildEvent, updateFields } from '../../lib/beads/events.js';
import { foldStreams, finishIssues } from '../../lib/beads/fold.js';
import type { BeadEvent, BeadPayload } from '../../lib/beads/types.js';
import { mergeStreams, StreamMergeConflict } from '../../lib/beads/merge/stream-merge.js';
import { corpusPath, hasCorpus } from '../helpers/index.js';

const ACTOR = 'dev@example.com';

function issue(id: string, type: 'plan' | 'phase' | 'task', ts: string, parent: string | null = null, title = id): BeadPayload {
  return {
    kind: 'issue_created',
    issue: {
      id, title, status: 'open', issue_type: type, ...(type === 'plan' ? { tier: 'epic' as const } : {}), parent_id: parent, owner: ACTOR,
      assignee: '', created_at: ts, created_by: ACTOR, updated_at: ts, closed_at: null, close_reason: null, description: '',
      notes: '', design: '', model: '', is_ready_to_work: false, changespec_name: '', changespec_bug_id: '', dependencies: [],
    },
  };
}

/** Builds stream lines with ordinals continuing from `start`. */
function lines(stream: string, start: number, specs: Array<[string, string, BeadPayload]>): string {
  return specs.map(([ts, id, p], i) => JSON.stringify(buildEvent(stream, start + i, ts, ACTOR, id, p)) + '\n').join('');
}

const note = (entry: string): BeadPayload => ({ kind: 'note_appended', entry });
const parse = (text: string): BeadEvent[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));

const BASE = lines('sase-1', 1, [
  ['2026-01-01T00:00:00Z', 'sase-1', issue('sase-1', 'plan', '2026-01-01T00:00:00Z')],
  ['2026-01-01T00:01:00Z', 'sase-1.1', issue('sase-1.1', 'phase', '2026-01-01T00:01:00Z', 'sase-1')],
]);

test('additions from both sides are unioned after the base, each side keeping its own order', () => {
  const ours = BASE + lines('sase-1', 3, [
    ['2026-01-02T00:05:00Z', 'sase-1', note('ours first')],
    ['2026-01-02T00:01:00Z', 'sase-1', note('ours second, clock went backwards')],
  ]);
  const theirs = BASE + lines('sase-1', 3, [['2026-01-02T00:03:00Z', 'sase-1.1', note('theirs')]]);
  const r = mergeStreams('sase-1', BASE, ours, theirs);
  const evs = parse(r.text);
  assert.equal(evs.length, 5);
  assert.deepEqual(evs.slice(0, 2), parse(BASE));
  const notes = evs.slice(2).map((e) => (e.payload as { entry: string }).entry);
  assert.deepEqual(notes, ['theirs', 'ours first', 'ours second, clock went backwards']);
  assert.equal(r.stats.ours_added, 2);
  assert.equal(r.stats.theirs_added, 1);
  // The merged stream folds.
  const folded = finishIssues(foldStreams([{ events: evs }]).values());
  assert.equal(folded.length, 2);
});

test('an event both sides added identically appears once', () => {
  const shared = lines('sase-1', 3, [['2026-01-02T00:00:00Z', 'sase-1', note('same')]]);
  const r = mergeStreams('sase-1', BASE, BASE + shared, BASE + shared + lines('sase-1', 4, [['2026-01-03T00:00:00Z', 'sase-1', note('more')]]));
  assert.equal(parse(r.text).length, 4);
  assert.equal(r.stats.deduplicated, 1);
});

test('merging is symmetric in content and idempotent', () => {
  const ours = BASE + lines('sase-1', 3, [['2026-01-02T00:00:00Z', 'sase-1', note('a')]]);
  const theirs = BASE + lines('sase-1', 3, [['2026-01-02T00:00:00Z', 'sase-1', note('b')]]);
  const ab = mergeStreams('sase-1', BASE, ours, theirs).text;
  const ba = mergeStreams('sase-1', BASE, theirs, ours).text;
  assert.equal(ab, ba);
  assert.equal(mergeStreams('sase-1', BASE, ab, ab).text, ab);
  assert.equal(mergeStreams('sase-1', ours, ab, ours).text, ab);
});

test('a side that rewrote a base event is rejected', () => {
  const base = parse(BASE);
  const rewritten = { ...base[1]!, timestamp: '2026-01-01T00:09:00Z' };
  const ours = [base[0], rewritten].map((e) => JSON.stringify(e) + '\n').join('');
  assert.throws(() => mergeStreams('sase-1', BASE, ours, BASE), (e: unknown) => e instanceof StreamMergeConflict && /rewrote base event/.test(e.message));
});

test('a side that dropped or duplicated base events is rejected', () => {
  const [a, b] = BASE.split('\n');
  const extra = lines('sase-1', 3, [['2026-01-02T00:00:00Z', 'sase-1', note('x')]]);
  assert.throws(() => mergeStreams('sase-1', BASE, `${a}\n`, BASE + extra), /dropped base event/);
  assert.throws(() => mergeStreams('sase-1', BASE, BASE, `${b}\n`), /theirs dropped base event/);
  assert.throws(() => mergeStreams('sase-1', BASE, `${a}\n${b}\n${a}\n`, BASE), /duplicated base event/);
});

test('a side that only reordered base events (a criss-cross merge) is accepted and put back in base order', () => {
  const [a, b] = BASE.split('\n');
  const extra = lines('sase-1', 3, [['2026-01-02T00:00:00Z', 'sase-1', note('x')]]);
  const r = mergeStreams('sase-1', BASE, `${b}\n${a}\n` + extra, BASE);
  assert.equal(r.text, BASE + extra);
});

test('criss-cross merges of two clones converge without a conflict', () => {
  const a1 = lines('sase-1', 3, [['2026-01-02T00:00:01Z', 'sase-1', note('a1')]]);
  const b1 = lines('sase-1', 3, [['2026-01-02T00:00:02Z', 'sase-1', note('b1')]]);
  const b2 = lines('sase-1', 4, [['2026-01-02T00:00:03Z', 'sase-1', note('b2')]]);
  const cloneA = mergeStreams('sase-1', BASE, BASE + a1, BASE + b1).text; // A merges B's first commit
  assert.equal(cloneA, BASE + a1 + b1);
  // B adds b2, then merges A's merge commit (merge base: B's first commit) — a1 lands after b1 in B's file.
  const cloneB = mergeStreams('sase-1', BASE + b1, BASE + b1 + b2, cloneA).text;
  assert.equal(cloneB, BASE + b1 + a1 + b2);
  // A merges B's merge (merge base: A's merge commit, where a1 came before b1): a reorder, not a conflict.
  const back = mergeStreams('sase-1', cloneA, cloneA, cloneB).text;
  assert.equal(back, BASE + a1 + b1 + b2);
});

test('a side holding conflict markers or a non-event line is rejected', () => {
  assert.throws(() => mergeStreams('sase-1', BASE, BASE + '<<<<<<< HEAD\n', BASE), StreamMergeConflict);
  assert.throws(() => mergeStreams('sase-1', BASE, BASE + '{"hello":1}\n', BASE), /not a bead event/);
});

test('both sides creating the stream root relocates the newer creation and its subtree to the allocated id', () => {
  const ours = lines('sase-5', 1, [
    ['2026-02-01T10:00:00Z', 'sase-5', issue('sase-5', 'plan', '2026-02-01T10:00:00Z', null, 'ours plan')],
    ['2026-02-01T10:00:01Z', 'sase-5.1', issue('sase-5.1', 'phase', '2026-02-01T10:00:01Z', 'sase-5', 'ours phase')],
    ['2026-02-01T10:02:00Z', 'sase-5.1', note('ours note')],
  ]);
  const theirs = lines('sase-5', 1, [
    ['2026-02-01T09:00:00Z', 'sase-5', issue('sase-5', 'plan', '2026-02-01T09:00:00Z', null, 'theirs plan')],
    ['2026-02-01T09:30:00Z', 'sase-5', note('theirs note')],
  ]);
  const asked: string[] = [];
  const r = mergeStreams('sase-5', '', ours, theirs, { allocateRootId: (old) => (asked.push(old), 'sase-9') });
  assert.deepEqual(asked, ['sase-5']);
  const kept = parse(r.text);
  assert.deepEqual(kept.map((e) => (e.payload as any).issue?.title ?? (e.payload as any).entry), ['theirs plan', 'theirs note']);
  const moved = parse(r.newStreams['sase-9']!);
  assert.deepEqual(moved.map((e) => e.issue_id), ['sase-9', 'sase-9.1', 'sase-9.1']);
  assert.equal((moved[1]!.payload as any).issue.parent_id, 'sase-9');
  for (const [i, e] of moved.entries()) assert.match(e.event_id, new RegExp(`^sase-9:00000${i + 1}:${e.operation}:${e.issue_id.replace(/\./g, '\\.')}:[0-9a-f]{64}$`));
  assert.deepEqual(r.relocations.map((x) => [x.old_id, x.new_id, x.kind, x.events]), [['sase-5', 'sase-9', 'top_level_duplicate', 3]]);
  // Both results fold together into three distinct beads.
  const issues = finishIssues(foldStreams([{ events: kept }, { events: moved }]).values());
  assert.deepEqual(issues.map((i) => [i.id, i.title]), [['sase-5', 'theirs plan'], ['sase-9', 'ours plan'], ['sase-9.1', 'ours phase']]);
});

test('a duplicated stream root without a relocation pool is a conflict', () => {
  const a = lines('sase-5', 1, [['2026-02-01T10:00:00Z', 'sase-5', issue('sase-5', 'task', '2026-02-01T10:00:00Z')]]);
  const b = lines('sase-5', 1, [['2026-02-01T11:00:00Z', 'sase-5', issue('sase-5', 'task', '2026-02-01T11:00:00Z', null, 'other')]]);
  assert.throws(() => mergeStreams('sase-5', '', a, b), /no relocation id/);
});

test('both sides creating the same child phase moves the loser to the next free sibling number in place', () => {
  const ours = BASE + lines('sase-1', 3, [
    ['2026-03-01T00:00:05Z', 'sase-1.2', issue('sase-1.2', 'phase', '2026-03-01T00:00:05Z', 'sase-1', 'ours child')],
    ['2026-03-01T00:00:06Z', 'sase-1.2', note('on ours child')],
  ]);
  const theirs = BASE + lines('sase-1', 3, [
    ['2026-03-01T00:00:01Z', 'sase-1.2', issue('sase-1.2', 'phase', '2026-03-01T00:00:01Z', 'sase-1', 'theirs child')],
    ['2026-03-01T00:00:02Z', 'sase-1.3', issue('sase-1.3', 'phase', '2026-03-01T00:00:02Z', 'sase-1', 'theirs third')],
  ]);
  const r = mergeStreams('sase-1', BASE, ours, theirs);
  assert.deepEqual(r.relocations.map((x) => [x.old_id, x.new_id, x.kind]), [['sase-1.2', 'sase-1.4', 'child_duplicate']]);
  assert.deepEqual(Object.keys(r.newStreams), []);
  const issues = finishIssues(foldStreams([{ events: parse(r.text) }]).values());
  assert.deepEqual(issues.map((i) => [i.id, i.title]), [
    ['sase-1', 'sase-1'], ['sase-1.1', 'sase-1.1'], ['sase-1.2', 'theirs child'], ['sase-1.3', 'theirs third'], ['sase-1.4', 'ours child'],
  ]);
  assert.match(issues[4]!.notes, /on ours child/);
  assert.equal(new Set(parse(r.text).map((e) => e.event_id)).size, parse(r.text).length);
});

test('the base creation wins a duplicate even when the other creation is older', () => {
  const late = lines('sase-1', 3, [['2025-01-01T00:00:00Z', 'sase-1.1', issue('sase-1.1', 'phase', '2025-01-01T00:00:00Z', 'sase-1', 'impostor')]]);
  const r = mergeStreams('sase-1', BASE, BASE, BASE + late);
  assert.deepEqual(r.relocations.map((x) => [x.old_id, x.new_id]), [['sase-1.1', 'sase-1.2']]);
  const issues = finishIssues(foldStreams([{ events: parse(r.text) }]).values());
  assert.equal(issues.find((i) => i.id === 'sase-1.1')!.title, 'sase-1.1');
  assert.equal(issues.find((i) => i.id === 'sase-1.2')!.title, 'impostor');
});

test('a duplicate creation made twice on one side cannot be attributed and is a conflict', () => {
  const twice = lines('sase-1', 3, [
    ['2026-03-01T00:00:01Z', 'sase-1.2', issue('sase-1.2', 'phase', '2026-03-01T00:00:01Z', 'sase-1', 'a')],
    ['2026-03-01T00:00:02Z', 'sase-1.2', issue('sase-1.2', 'phase', '2026-03-01T00:00:02Z', 'sase-1', 'b')],
  ]);
  assert.throws(() => mergeStreams('sase-1', BASE, BASE + twice, BASE), /cannot be attributed/);
});

test('splitting a real corpus stream at any point and merging the halves reproduces it', { skip: !hasCorpus() }, () => {
  const dir = corpusPath('beads', 'events', 'streams');
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  const big = files
    .map((f) => ({ f, text: readFileSync(`${dir}/${f}`, 'utf8') }))
    .sort((a, b) => b.text.length - a.text.length)
    .slice(0, 5);
  for (const { f, text } of big) {
    const ls = text.split('\n').filter(Boolean);
    const cut = Math.floor(ls.length / 3);
    const base = ls.slice(0, cut).map((l) => l + '\n').join('');
    const r = mergeStreams(f.replace(/\.jsonl$/, ''), base, text, base);
    assert.equal(r.text, ls.map((l) => l + '\n').join(''), f);
    // Every added line kept by one side only: merging with itself as theirs is a no-op too.
    assert.equal(mergeStreams(f.replace(/\.jsonl$/, ''), base, text, text).text, r.text, f);
  }
});
