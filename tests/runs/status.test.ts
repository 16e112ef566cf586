import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, deriveStatus, groupAgentStatuses, statusBucketHeader, type MarkerState } from '../../lib/agents/status.js';
import { autoToken, fillTemplate, isTemplate, isValidName } from '../../lib/agents/names.js';
import { parseDurationMs } from '../../lib/agents/duration.js';
import { isAgentId, launchTimestamp, newAgentId, stamp14 } from '../../lib/agents/paths.js';

test('statuses map to SASE buckets as runtime-vectors §10 lists them', () => {
  const vectors: Array<[string, string]> = [
    ['DONE', 'Done'], ['PLAN DONE', 'Done'], ['TALE DONE', 'Done'], ['PLAN REJECTED', 'Done'], ['EPIC CREATED', 'Done'],
    ['PLAN', 'Stopped'], ['QUESTION', 'Stopped'],
    ['PLAN APPROVED', 'Running'], ['TALE APPROVED', 'Running'], ['RUNNING', 'Running'], ['MONITORING', 'Running'],
    ['WAITING INPUT', 'Running'], ['', 'Running'], ['WHATEVER', 'Running'],
    ['WAITING', 'Waiting'],
    ['FAILED', 'Failed'], ['FAILED (retry)', 'Failed'], ['FAILED (timeout)', 'Failed'],
  ];
  for (const [s, b] of vectors) assert.equal(bucketOf(s), b, `status ${JSON.stringify(s)}`);
});

test('sase extensions put KILLED in Failed and STOPPED in Done', () => {
  assert.equal(bucketOf('KILLED'), 'Failed');
  assert.equal(bucketOf('STOPPED'), 'Done');
});

test('grouping follows the display order Stopped, Failed, Running, Waiting, Done and omits empty buckets', () => {
  const agents = [
    { name: 'a', status: 'DONE' }, { name: 'b', status: 'RUNNING' }, { name: 'c', status: 'QUESTION' },
    { name: 'd', status: 'FAILED' }, { name: 'e', status: 'RUNNING' }, { name: 'f', status: 'DONE' },
  ];
  const groups = groupAgentStatuses(agents);
  assert.deepEqual(groups.map((g) => g.bucket), ['Stopped', 'Failed', 'Running', 'Done']);
  assert.deepEqual(groups.find((g) => g.bucket === 'Running')!.agents.map((a) => a.name), ['b', 'e']);
  assert.equal(statusBucketHeader('Running', 2), '▶ Running (2)');
  assert.deepEqual(groupAgentStatuses([]), []);
});

test('status derivation: done.json wins, then question, waiting, running, and a dead runner is STALE', () => {
  const base: MarkerState = { done: null, doneExists: false, pendingQuestion: false, plan: false, waiting: false, ready: false, running: false, runnerAlive: false };
  assert.equal(deriveStatus(base), 'STARTING');
  assert.equal(deriveStatus({ ...base, running: true, runnerAlive: true }), 'RUNNING');
  assert.equal(deriveStatus({ ...base, running: true, runnerAlive: false }), 'STALE');
  assert.equal(deriveStatus({ ...base, waiting: true }), 'WAITING');
  assert.equal(deriveStatus({ ...base, waiting: true, ready: true, running: true, runnerAlive: true }), 'RUNNING');
  assert.equal(deriveStatus({ ...base, pendingQuestion: true, running: true, runnerAlive: true }), 'QUESTION');
  assert.equal(deriveStatus({ ...base, doneExists: true, running: true, runnerAlive: true }), 'FAILED', 'an unreadable done.json is still terminal');
  assert.equal(deriveStatus({ ...base, doneExists: true, done: { outcome: 'completed' } }), 'DONE');
  assert.equal(deriveStatus({ ...base, doneExists: true, done: { outcome: 'killed' } }), 'KILLED');
  assert.equal(deriveStatus({ ...base, doneExists: true, done: { outcome: 'completed', repeat_stopped: true } }), 'STOPPED');
  assert.equal(deriveStatus({ ...base, doneExists: true, done: { outcome: 'failed', status_label: 'FAILED (timeout)' } }), 'FAILED (timeout)');
});

test('auto name tokens run 0..9, a..z, then two characters', () => {
  assert.deepEqual([0, 9, 10, 35, 36, 37, 71, 36 + 36 * 36].map(autoToken), ['0', '9', 'a', 'z', '00', '01', '0z', '000']);
  assert.equal(isTemplate('build-@'), true);
  assert.equal(isTemplate('build'), false);
  assert.equal(fillTemplate('build-@', '3'), 'build-3');
  assert.equal(fillTemplate('x.{@n}.y', 'a'), 'x.a.y');
  assert.equal(isValidName('zy--plan'), true);
  assert.equal(isValidName('bad name'), false);
  assert.equal(isValidName('../etc'), false);
});

test('durations parse from seconds, units and combinations', () => {
  assert.equal(parseDurationMs('90'), 90_000);
  assert.equal(parseDurationMs('90s'), 90_000);
  assert.equal(parseDurationMs('1h30m'), 5_400_000);
  assert.equal(parseDurationMs('250ms'), 250);
  assert.equal(parseDurationMs('0'), 0);
  assert.throws(() => parseDurationMs('soon'), /not a duration/);
  assert.throws(() => parseDurationMs('5x'), /not a duration/);
});

test('ids and timestamps use SASE forms in UTC', () => {
  const d = new Date('2026-08-13T16:19:01Z');
  assert.equal(stamp14(d), '20260813161901');
  assert.equal(launchTimestamp(d), '260813_161901');
  const id = newAgentId(d);
  assert.equal(isAgentId(id), true);
  assert.equal(id.length, 21);
  assert.ok(id.startsWith('20260813161901-'));
});
