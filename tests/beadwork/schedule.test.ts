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
