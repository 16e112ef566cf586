import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initStore } from '../../lib/beads/init.js';
import { mutateStore, type MutationContext } from '../../lib/beads/write.js';
import * as M from '../../lib/beads/mutations.js';
import { loadIssues } from '../../lib/beads/load.js';
import { readyIssues, blockedIssues, listIssues } from '../../lib/beads/query.js';
import { nextTopLevelId, nextChildId, resolveId, toBase36 } from '../../lib/beads/ids.js';
import type { BeadIssue } from '../../lib/beads/types.js';
import { tmpdir } from '../helpers/index.js';

let clock = Date.parse('2026-08-01T00:00:00Z');
const opts = { actor: 'alice', now: () => new Date((clock += 1000)) };

async function store(t: Parameters<typeof tmpdir>[0]): Promise<string> {
  const dir = tmpdir(t);
  await initStore(dir, { prefix: 'sase' });
  return dir;
}

async function run<R>(dir: string, fn: (m: MutationContext) => R, actor = 'alice'): Promise<R> {
  return (await mutateStore(dir, fn, { ...opts, actor })).result;
}

async function issue(dir: string, id: string): Promise<BeadIssue> {
  const i = (await loadIssues(dir, { noCache: true })).find((x) => x.id === id);
  assert.ok(i, `${id} exists`);
  return i;
}

/** A store with: task sase-1, epic sase-2 with phases sase-2.1 and sase-2.2 (2.2 depends on 2.1). */
async function seeded(t: Parameters<typeof tmpdir>[0]): Promise<string> {
  const dir = await store(t);
  await run(dir, (m) => {
    M.createBead(m, { type: 'task', title: 'task one' });
    M.createBead(m, { type: 'plan', title: 'epic', tier: 'epic' });
    M.createBead(m, { type: 'phase', title: 'p1', parent: 'sase-2', size: 'small' });
    M.createBead(m, { type: 'phase', title: 'p2', parent: 'sase-2', deps: ['sase-2.1'] });
  });
  return dir;
}

interface Rule {
  name: string;
  /** Steps applied first (each its own write). */
  setup?: ((m: MutationContext) => unknown)[];
  act: (m: MutationContext) => unknown;
  actor?: string;
  /** Error code expected (rejected transitions write nothing). */
  rejects?: string;
  expect?: (dir: string) => Promise<void>;
}

const rules: Rule[] = [
  { name: 'a task goes open → ready', act: (m) => M.updateBead(m, 'sase-1', { status: 'ready' }), expect: async (d) => assert.equal((await issue(d, 'sase-1')).status, 'ready') },
  { name: 'ready → open retracts', setup: [(m) => M.updateBead(m, 'sase-1', { status: 'ready' })], act: (m) => M.updateBead(m, 'sase-1', { status: 'open' }), expect: async (d) => assert.equal((await issue(d, 'sase-1')).status, 'open') },
  { name: 'ready is only for tasks', act: (m) => M.updateBead(m, 'sase-2.1', { status: 'ready' }), rejects: 'USAGE' },
  { name: 'update cannot set claimed', act: (m) => M.updateBead(m, 'sase-1', { status: 'claimed' }), rejects: 'USAGE' },
  { name: 'update cannot set snoozed', act: (m) => M.updateBead(m, 'sase-1', { status: 'snoozed' }), rejects: 'USAGE' },
  { name: 'update --status closed is rejected while a descendant is active', act: (m) => M.updateBead(m, 'sase-2', { status: 'closed' }), rejects: 'CONFLICT' },
  { name: 'claim is a compare-and-set from open', act: (m) => M.claimBead(m, 'sase-2.1', 'bob'), expect: async (d) => {
    const i = await issue(d, 'sase-2.1');
    assert.equal(i.status, 'claimed');
    assert.equal(i.assignee, 'bob');
  } },
  { name: 'a second claim conflicts', setup: [(m) => M.claimBead(m, 'sase-2.1', 'bob')], act: (m) => M.claimBead(m, 'sase-2.1', 'carol'), rejects: 'CONFLICT' },
  { name: 'only the claimant releases', setup: [(m) => M.claimBead(m, 'sase-2.1', 'bob')], act: (m) => M.releaseBead(m, 'sase-2.1', 'carol'), rejects: 'CONFLICT' },
  { name: 'the claimant releases back to open', setup: [(m) => M.claimBead(m, 'sase-2.1', 'bob')], act: (m) => M.releaseBead(m, 'sase-2.1', 'bob'), expect: async (d) => {
    const i = await issue(d, 'sase-2.1');
    assert.equal(i.status, 'open');
    assert.equal(i.assignee, '');
  } },
  { name: 'release of an unclaimed bead conflicts', act: (m) => M.releaseBead(m, 'sase-1', 'alice'), rejects: 'CONFLICT' },
  { name: 'close defaults to resolution done', act: (m) => M.closeBeads(m, ['sase-1'], { reason: 'fixed' }), expect: async (d) => {
    const i = await issue(d, 'sase-1');
    assert.equal(i.status, 'closed');
    assert.equal(i.resolution, 'done');
    assert.equal(i.close_reason, 'fixed');
  } },
  { name: 'close checks every target first (one bad id → nothing closed)', act: (m) => M.closeBeads(m, ['sase-1', 'sase-404'], {}), rejects: 'NOT_FOUND', expect: async (d) => assert.equal((await issue(d, 'sase-1')).status, 'open') },
  { name: 'close of a plan with active descendants is rejected without --force', act: (m) => M.closeBeads(m, ['sase-2'], {}), rejects: 'CONFLICT' },
  { name: '--force needs a reason', act: (m) => M.closeBeads(m, ['sase-2'], { force: true, resolution: 'canceled' }), rejects: 'USAGE' },
  { name: '--force needs canceled or superseded', act: (m) => M.closeBeads(m, ['sase-2'], { force: true, reason: 'r', resolution: 'done' }), rejects: 'USAGE' },
  { name: '--force sweeps active descendants with "forced by" reasons', act: (m) => M.closeBeads(m, ['sase-2'], { force: true, reason: 'dropped', resolution: 'canceled' }), expect: async (d) => {
    const p = await issue(d, 'sase-2.2');
    assert.equal(p.status, 'closed');
    assert.equal(p.close_reason, 'forced by sase-2: dropped');
    assert.equal((await issue(d, 'sase-2')).resolution, 'canceled');
  } },
  { name: 'closing an already closed bead again is a no-op', setup: [(m) => M.closeBeads(m, ['sase-1'], { reason: 'r' })], act: (m) => assert.equal(M.closeBeads(m, ['sase-1'], {}).changed, false) },
  { name: 'closing an already closed bead with a different reason is an error', setup: [(m) => M.closeBeads(m, ['sase-1'], { reason: 'r' })], act: (m) => M.closeBeads(m, ['sase-1'], { reason: 'other' }), rejects: 'CONFLICT' },
  { name: 'open reopens the bead and its closed ancestors', setup: [(m) => M.closeBeads(m, ['sase-2'], { force: true, reason: 'x', resolution: 'superseded' })], act: (m) => M.openBead(m, 'sase-2.1'), expect: async (d) => {
    assert.equal((await issue(d, 'sase-2.1')).status, 'open');
    assert.equal((await issue(d, 'sase-2')).status, 'open');
    assert.equal((await issue(d, 'sase-2.2')).status, 'closed');
    assert.equal((await issue(d, 'sase-2')).close_history[0]!.reopened_via, 'open');
  } },
  { name: 'open of an in-progress bead conflicts', setup: [(m) => M.updateBead(m, 'sase-1', { status: 'in_progress' })], act: (m) => M.openBead(m, 'sase-1'), rejects: 'CONFLICT' },
  { name: 'dep add refuses a self dependency', act: (m) => M.addDependency(m, 'sase-1', 'sase-1'), rejects: 'USAGE' },
  { name: 'dep add of an unknown target is NOT_FOUND', act: (m) => M.addDependency(m, 'sase-1', 'sase-404'), rejects: 'NOT_FOUND' },
  { name: 'dep add twice is a no-op', act: (m) => assert.equal(M.addDependency(m, 'sase-2.2', 'sase-2.1').changed, false) },
  { name: 'dep rm of a missing edge is NOT_FOUND', act: (m) => M.removeDependency(m, 'sase-1', 'sase-2'), rejects: 'NOT_FOUND' },
  { name: 'dep rm drops the edge', act: (m) => M.removeDependency(m, 'sase-2.2', 'sase-2.1'), expect: async (d) => assert.deepEqual((await issue(d, 'sase-2.2')).dependencies, []) },
  { name: 'a blank note is rejected', act: (m) => M.appendNote(m, 'sase-1', '   '), rejects: 'USAGE' },
  { name: '+1 by the creator is rejected', act: (m) => M.recordPlusOne(m, 'sase-1', { note: 'n', reporter: 'alice' }), rejects: 'CONFLICT' },
  { name: '+1 on a phase is rejected', act: (m) => M.recordPlusOne(m, 'sase-2.1', { note: 'n', reporter: 'bob' }), rejects: 'USAGE' },
  { name: '+1 twice by one reporter is rejected', setup: [(m) => M.recordPlusOne(m, 'sase-1', { note: 'n', reporter: 'bob' })], act: (m) => M.recordPlusOne(m, 'sase-1', { note: 'again', reporter: 'bob' }), rejects: 'CONFLICT' },
  { name: '+1 wakes a snoozed task at its target', setup: [(m) => M.snoozeBead(m, 'sase-1', { until: '2026-09-01T00:00:00-04:00', reason: 'later', plusOneTarget: 1 })], act: (m) => M.recordPlusOne(m, 'sase-1', { note: 'n', reporter: 'bob' }), expect: async (d) => {
    const i = await issue(d, 'sase-1');
    assert.equal(i.status, 'ready');
    assert.equal(i.snooze, null);
  } },
  { name: 'snooze only from open or ready', setup: [(m) => M.updateBead(m, 'sase-1', { status: 'in_progress' })], act: (m) => M.snoozeBead(m, 'sase-1', { until: '2026-09-01T00:00:00Z', reason: 'r' }), rejects: 'CONFLICT' },
  { name: 'snooze only for tasks', act: (m) => M.snoozeBead(m, 'sase-2.1', { until: '2026-09-01T00:00:00Z', reason: 'r' }), rejects: 'USAGE' },
  { name: 'wake of a task that is not snoozed conflicts', act: (m) => M.wakeBead(m, 'sase-1'), rejects: 'CONFLICT' },
  { name: 'wake cancels a snooze', setup: [(m) => M.snoozeBead(m, 'sase-1', { until: '2026-09-01T00:00:00Z', reason: 'r' })], act: (m) => M.wakeBead(m, 'sase-1'), expect: async (d) => assert.equal((await issue(d, 'sase-1')).status, 'ready') },
  { name: 'a task cannot have a parent', act: (m) => M.createBead(m, { type: 'task', title: 't', parent: 'sase-2' }), rejects: 'USAGE' },
  { name: 'a phase needs a plan parent', act: (m) => M.createBead(m, { type: 'phase', title: 'p', parent: 'sase-1' }), rejects: 'USAGE' },
  { name: 'plans carry no size', act: (m) => M.createBead(m, { type: 'plan', title: 'p', size: 'small' }), rejects: 'USAGE' },
  { name: 'a child epic under a phase gets a dotted id and its own stream', act: (m) => assert.equal(M.createBead(m, { type: 'plan', title: 'child', parent: 'sase-2.1' }).id, 'sase-2.1.1'), expect: async (d) => {
    assert.ok(readdirSync(join(d, 'events', 'streams')).includes('sase-2.1.1.jsonl'));
  } },
  { name: 'remove cascades to descendants and strips dependency edges', setup: [(m) => M.addDependency(m, 'sase-1', 'sase-2.1')], act: (m) => M.removeBead(m, 'sase-2'), expect: async (d) => {
    const ids = (await loadIssues(d, { noCache: true })).map((i) => i.id);
    assert.deepEqual(ids, ['sase-1']);
    assert.deepEqual((await issue(d, 'sase-1')).dependencies, []);
    assert.ok(readdirSync(join(d, 'events', 'streams')).includes('sase-2.jsonl'), 'the stream stays as a tombstone');
  } },
  { name: 'ref add twice keeps one; ref rm removes', setup: [(m) => M.changeReference(m, 'sase-1', 'research:x.md', true)], act: (m) => assert.equal(M.changeReference(m, 'sase-1', 'research:x.md', true).changed, false), expect: async (d) => assert.deepEqual((await issue(d, 'sase-1')).refs, ['research:x.md']) },
];

for (const r of rules) {
  test(`transition: ${r.name}`, async (t) => {
    const dir = await seeded(t);
    for (const s of r.setup ?? []) await run(dir, s);
    const before = readdirSync(join(dir, 'events', 'streams')).map((n) => readFileSync(join(dir, 'events', 'streams', n), 'utf8')).join('');
    if (r.rejects) {
      await assert.rejects(run(dir, r.act, r.actor), (e: any) => e.code === r.rejects);
      const after = readdirSync(join(dir, 'events', 'streams')).map((n) => readFileSync(join(dir, 'events', 'streams', n), 'utf8')).join('');
      assert.equal(after, before, 'a rejected transition writes nothing');
    } else {
      await run(dir, r.act, r.actor);
    }
    await r.expect?.(dir);
  });
}

test('ready uses the current rule (tasks with status ready, unblocked); --legacy lists open phases and epics', async (t) => {
  const dir = await seeded(t);
  await run(dir, (m) => {
    M.updateBead(m, 'sase-1', { status: 'ready' });
    const x = M.createBead(m, { type: 'task', title: 'blocked task' }).id;
    M.updateBead(m, x, { status: 'ready' });
    M.addDependency(m, x, 'sase-1');
    M.createBead(m, { type: 'task', title: 'missing dep is no blocker' });
  });
  const issues = await loadIssues(dir, { noCache: true });
  assert.deepEqual(readyIssues(issues).map((i) => i.id), ['sase-1']);
  assert.deepEqual(readyIssues(issues, { legacy: true }).map((i) => i.id), ['sase-2', 'sase-2.1']);
  assert.deepEqual(blockedIssues(issues).map((b) => [b.issue.id, b.blocked_by]), [['sase-2.2', ['sase-2.1']], ['sase-3', ['sase-1']]]);
  assert.equal(listIssues(issues).length, 6);
  assert.deepEqual(listIssues(issues, { type: ['phase'] }).map((i) => i.id), ['sase-2.1', 'sase-2.2']);
  assert.deepEqual(listIssues(issues, { parent: 'sase-2' }).map((i) => i.id), ['sase-2.1', 'sase-2.2']);
});

test('ids: base36 top-level counter is max(config, max existing + 1); children are decimal; shorthand resolves by suffix', () => {
  assert.equal(toBase36(36), '10');
  assert.equal(toBase36(100), '2s');
  assert.deepEqual(nextTopLevelId('sase', 5, ['sase-z', 'sase-3.1', 'other-zz']), { id: 'sase-10', nextCounter: 37 });
  assert.deepEqual(nextTopLevelId('sase', 641, ['sase-hs']), { id: 'sase-ht', nextCounter: 642 }); // hs = 640, ht = 641
  assert.equal(nextChildId('sase-h8', ['sase-h8.9', 'sase-h8.10', 'sase-h8.10.5', 'sase-h80.99']), 'sase-h8.11');
  assert.equal(resolveId('hs', ['sase-hs', 'sase-h']), 'sase-hs');
  assert.equal(resolveId('001.2', ['beads-001.2']), 'beads-001.2');
  assert.throws(() => resolveId('1', ['sase-1', 'other-1']), (e: any) => e.code === 'USAGE' && /ambiguous/.test(e.message));
  assert.throws(() => resolveId('zz', ['sase-1']), (e: any) => e.code === 'NOT_FOUND');
});
