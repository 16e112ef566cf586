/** Kahn waves over an epic's phases (spec/beads-sdd-changespecs.md §A.6 step 6), table-driven. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleEpic } from '../../lib/beadwork/schedule.js';
import type { BeadCore } from '../../lib/beads/types.js';

type Row = { id: string; type?: string; parent?: string; status?: string; deps?: string[]; at?: string };

function issues(rows: Row[]): BeadCore[] {
  return rows.map((r, i) => ({
    id: r.id,
    issue_type: (r.type ?? 'phase') as BeadCore['issue_type'],
    parent_id: r.parent ?? (r.type === 'plan' || r.type === 'task' ? null : 'e-1'),
    status: (r.status ?? 'open') as BeadCore['status'],
    created_at: r.at ?? `2026-01-01T00:00:${String(10 + i).padStart(2, '0')}Z`,
    dependencies: (r.deps ?? []).map((d) => ({ issue_id: r.id, depends_on_id: d, created_at: '', created_by: '' })),
  })) as unknown as BeadCore[];
}

const epic: Row = { id: 'e-1', type: 'plan' };

const cases: Array<{ name: string; rows: Row[]; waves?: string[][]; codes?: string[]; blocked?: boolean; delegated?: string[]; blockers?: Record<string, string[]> }> = [
  {
    name: 'a diamond runs in three waves with direct blockers',
    rows: [epic, { id: 'e-1.1' }, { id: 'e-1.2', deps: ['e-1.1'] }, { id: 'e-1.3', deps: ['e-1.1'] }, { id: 'e-1.4', deps: ['e-1.2', 'e-1.3'] }],
    waves: [['e-1.1'], ['e-1.2', 'e-1.3'], ['e-1.4']],
    blockers: { 'e-1.4': ['e-1.2', 'e-1.3'], 'e-1.1': [] },
  },
  {
    name: 'closed phases are not scheduled and satisfy their dependents',
    rows: [epic, { id: 'e-1.1', status: 'closed' }, { id: 'e-1.2', deps: ['e-1.1'] }],
    waves: [['e-1.2']],
    blockers: { 'e-1.2': [] },
  },
  {
    name: 'inside a wave phases are ordered by created_at, then id',
    rows: [epic, { id: 'e-1.2', at: '2026-01-01T00:00:01Z' }, { id: 'e-1.10', at: '2026-01-01T00:00:00Z' }, { id: 'e-1.1', at: '2026-01-01T00:00:01Z' }],
    waves: [['e-1.10', 'e-1.1', 'e-1.2']],
  },
  {
    name: 'a dependency on an open bead outside the epic is a cross_epic_blocker error',
    rows: [epic, { id: 'x-1', type: 'task', parent: '' }, { id: 'e-1.1', deps: ['x-1'] }],
    codes: ['cross_epic_blocker'],
    blocked: true,
  },
  {
    name: 'a dependency on a closed bead outside the epic is satisfied',
    rows: [epic, { id: 'x-1', type: 'task', status: 'closed' }, { id: 'e-1.1', deps: ['x-1'] }],
    waves: [['e-1.1']],
    codes: [],
  },
  {
    name: 'a dangling dependency is a warning and treated as satisfied',
    rows: [epic, { id: 'e-1.1', deps: ['gone-9'] }, { id: 'e-1.2', deps: ['e-1.1'] }],
    waves: [['e-1.1'], ['e-1.2']],
    codes: ['dangling_dependency'],
    blocked: false,
  },
  {
    name: 'a cycle is reported and blocks the launch',
    rows: [epic, { id: 'e-1.1' }, { id: 'e-1.2', deps: ['e-1.3'] }, { id: 'e-1.3', deps: ['e-1.2'] }],
    waves: [['e-1.1']],
    codes: ['cycle'],
    blocked: true,
  },
  {
    name: 'a phase with an open child plan is delegated: skipped, and not waited on',
    rows: [epic, { id: 'e-1.1' }, { id: 'e-1.1.1', type: 'plan', parent: 'e-1.1' }, { id: 'e-1.2', deps: ['e-1.1'] }],
    waves: [['e-1.2']],
    delegated: ['e-1.1'],
    blockers: { 'e-1.2': [] },
  },
  {
    name: 'a phase whose child plan is closed is scheduled normally',
    rows: [epic, { id: 'e-1.1' }, { id: 'e-1.1.1', type: 'plan', parent: 'e-1.1', status: 'closed' }],
    waves: [['e-1.1']],
    delegated: [],
  },
];

for (const c of cases) {
  test(`schedule: ${c.name}`, () => {
    const s = scheduleEpic('e-1', issues(c.rows));
    if (c.waves) assert.deepEqual(s.waves, c.waves);
    if (c.codes) assert.deepEqual(s.issues.map((i) => i.code), c.codes);
    if (c.blocked !== undefined) assert.equal(s.blocked, c.blocked);
    if (c.delegated) assert.deepEqual(s.delegated, c.delegated);
    for (const [id, b] of Object.entries(c.blockers ?? {})) assert.deepEqual(s.phases.find((p) => p.id === id)?.blockers, b, id);
  });
}

test('schedule: every issue names the bead at fault and the dependency', () => {
  const s = scheduleEpic('e-1', issues([epic, { id: 'x-1', type: 'task' }, { id: 'e-1.1', deps: ['x-1', 'nope'] }]));
  assert.deepEqual(s.issues.map((i) => [i.code, i.severity, i.bead, i.depends_on]), [
    ['cross_epic_blocker', 'error', 'e-1.1', ['x-1']],
    ['dangling_dependency', 'warning', 'e-1.1', ['nope']],
  ]);
});

test('schedule: a dependent of a delegated phase waits for its closure (bead wait), not for a run', () => {
  const s = scheduleEpic('e-1', issues([epic, { id: 'e-1.1' }, { id: 'e-1.1.1', type: 'plan', parent: 'e-1.1' }, { id: 'e-1.2', deps: ['e-1.1'] }, { id: 'e-1.3', deps: ['e-1.2'] }]));
  assert.deepEqual(s.phases.map((p) => [p.id, p.blockers, p.bead_waits]), [
    ['e-1.2', [], ['e-1.1']],
    ['e-1.3', ['e-1.2'], ['e-1.2']],
  ]);
});

test('closing a landed child epic closes its delegating phase once all its child plans are closed', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { initStore } = await import('../../lib/beads/init.js');
  const { mutateStore } = await import('../../lib/beads/write.js');
  const { createBead } = await import('../../lib/beads/mutations.js');
  const { closeLandedEpic } = await import('../../lib/beadwork/on-finish.js');
  const dir = mkdtempSync(join(tmpdir(), 'sase-bw-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await initStore(dir);
  const opts = { actor: 'test', now: () => new Date('2026-11-21T10:00:00Z'), wait: true };
  const ids = (await mutateStore(dir, (ctx) => {
    const e = createBead(ctx, { type: 'plan', title: 'Parent epic' }).id;
    const ph = createBead(ctx, { type: 'phase', parent: e, title: 'Delegated phase' }).id;
    const c1 = createBead(ctx, { type: 'plan', parent: ph, title: 'Child epic 1' }).id;
    const c2 = createBead(ctx, { type: 'plan', parent: ph, title: 'Child epic 2' }).id;
    return { e, ph, c1, c2 };
  }, opts)).result;
  const first = await mutateStore(dir, (ctx) => closeLandedEpic(ctx, ids.c1, 'landed'), opts);
  assert.deepEqual(first.result, [ids.c1], 'the phase waits for its other child epic');
  const second = await mutateStore(dir, (ctx) => closeLandedEpic(ctx, ids.c2, 'landed'), opts);
  assert.deepEqual(second.result, [ids.c2, ids.ph]);
  const phase = second.issues.find((i) => i.id === ids.ph)!;
  assert.equal(phase.status, 'closed');
  assert.match(phase.close_reason ?? '', /delegated work landed/);
  assert.equal(second.issues.find((i) => i.id === ids.e)!.status, 'open', 'the parent epic lands through its own land run');
});
