/**
 * Wait resolution rules in-process over hand-written records (spec/runtime.md §b "Deferral and chains",
 * spec/xprompts.md §2.4, §2.7): newest run per name, fail-closed outcomes, workflow children, time floors after
 * dependencies, repeat STOP cascade, the tick lock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { readAgentView } from '../../lib/agents/records.js';
import { launchTimestamp, stamp14 } from '../../lib/agents/paths.js';
import { evaluateWait } from '../../lib/orchestration/wait.js';
import { tick, tickLockTarget } from '../../lib/orchestration/tick.js';
import { LockedError } from '../../lib/errors/index.js';

let seq = 0;
const T0 = Date.parse('2026-03-01T10:00:00Z');

interface Spec {
  name: string;
  at: number;
  done?: { outcome: string; status_label: string; finished_at: number; repeat_stopped?: boolean; stopped_by?: string };
  waiting?: { waiting_for: string[]; wait_duration?: number | null; wait_until?: string | null };
  repeat_slot?: { iteration: number; total: number };
  vars?: Record<string, string>;
  children?: string[];
  claim?: boolean;
}

/** Writes one record (agent.json, name claim, optional done/waiting/vars/children); returns its directory. */
function record(home: string, s: Spec): { dir: string; id: string } {
  const d = new Date(s.at);
  const id = `${stamp14(d)}-${(seq++).toString(16).padStart(6, '0')}`;
  const dir = join(home, 'agents', id.slice(0, 6), id);
  mkdirSync(dir, { recursive: true });
  const directives = { model: null, model_overrides: {}, name: s.name, name_reuse: false, waits: s.waiting?.waiting_for ?? [], wait_time: null, wait_runners: null, hide: false, auto: null, repeat: null, group: null };
  const agent = {
    schema_version: 1, id, name: s.name, timestamp: launchTimestamp(d), created_at: d.toISOString(),
    model: { spec: null, provider: 'fakey', model: '@ok', effort: null }, workspace_ref: '#cd:/tmp', launch_cwd: '/tmp', directives,
    hidden: false, group: null, segment: 0, index: 0, alt_id: null, repeat_slot: s.repeat_slot ?? null, deferred: [], timeout_ms: 0,
    kill_grace_ms: 1000, retry_of: null, retry_chain_root: null, retry_attempt: 0, sase_version: 'test',
  };
  writeFileSync(join(dir, 'agent.json'), JSON.stringify(agent));
  if (s.claim !== false) {
    mkdirSync(join(home, 'agents', 'names'), { recursive: true });
    writeFileSync(join(home, 'agents', 'names', `${s.name}.json`), JSON.stringify({ name: s.name, id, claimed_at: d.toISOString() }));
  }
  if (s.done) writeFileSync(join(dir, 'done.json'), JSON.stringify({ name: s.name, error: null, ...s.done }));
  if (s.waiting) writeFileSync(join(dir, 'waiting.json'), JSON.stringify({ wait_duration: null, wait_until: null, wait_runners: null, slot_requested_at: d.toISOString(), ...s.waiting }));
  if (s.vars) writeFileSync(join(dir, 'vars.json'), JSON.stringify(s.vars));
  if (s.children) writeFileSync(join(dir, 'children.jsonl'), s.children.map((c) => JSON.stringify({ id: c })).join('\n') + '\n');
  return { dir, id };
}

const ok = (at: number) => ({ outcome: 'completed', status_label: 'DONE', finished_at: at / 1000 });

test('only the newest run of a name counts, and only a successful outcome releases', async (t) => {
  const home = tmpdir(t);
  const env = { SASE_HOME: home };
  record(home, { name: 'planner', at: T0, done: ok(T0 + 1000) });
  const w = record(home, { name: 'coder', at: T0 + 2000, waiting: { waiting_for: ['planner'] } });
  assert.equal((await evaluateWait(env, readAgentView(w.dir), T0 + 3000)).action, 'ready');
  // A newer run now holds the name and was killed: the waiter is parked, fail closed.
  record(home, { name: 'planner', at: T0 + 4000, done: { outcome: 'killed', status_label: 'KILLED', finished_at: (T0 + 5000) / 1000 } });
  const v = await evaluateWait(env, readAgentView(w.dir), T0 + 6000);
  assert.equal(v.action, 'blocked');
  assert.match(v.reason!, /planner KILLED/);
  for (const outcome of ['failed', 'plan_rejected']) {
    record(home, { name: 'planner', at: T0 + 7000 + seq, done: { outcome, status_label: outcome.toUpperCase(), finished_at: (T0 + 8000) / 1000 } });
    assert.equal((await evaluateWait(env, readAgentView(w.dir), T0 + 9000)).action, 'blocked', outcome);
  }
  for (const outcome of ['noop', 'epic_approved', 'plan_committed']) {
    record(home, { name: 'planner', at: T0 + 10_000 + seq, done: { outcome, status_label: 'DONE', finished_at: (T0 + 11_000) / 1000 } });
    assert.equal((await evaluateWait(env, readAgentView(w.dir), T0 + 12_000)).action, 'ready', outcome);
  }
  // Still running (no done.json) or unknown: pending.
  record(home, { name: 'planner', at: T0 + 13_000 });
  assert.equal((await evaluateWait(env, readAgentView(w.dir), T0 + 14_000)).action, 'pending');
  const ghost = record(home, { name: 'x', at: T0, waiting: { waiting_for: ['nobody'] } });
  assert.match((await evaluateWait(env, readAgentView(ghost.dir), T0)).reason!, /no run named nobody yet/);
});

test('a workflow dependency needs its root and every child run to have succeeded', async (t) => {
  const home = tmpdir(t);
  const env = { SASE_HOME: home };
  const c1 = record(home, { name: 'wf.a', at: T0, done: ok(T0 + 1000) });
  const c2 = record(home, { name: 'wf.b', at: T0, done: { outcome: 'failed', status_label: 'FAILED', finished_at: (T0 + 1000) / 1000 } });
  record(home, { name: 'wf', at: T0, done: ok(T0 + 2000), children: [c1.id, c2.id] });
  const w = record(home, { name: 'after', at: T0, waiting: { waiting_for: ['wf'] } });
  const v = await evaluateWait(env, readAgentView(w.dir), T0 + 3000);
  assert.equal(v.action, 'blocked');
  assert.match(v.reason!, /workflow wf: wf\.b FAILED/);
});

test('time floors apply after the dependencies: a duration counts from the last dependency finish', async (t) => {
  const home = tmpdir(t);
  const env = { SASE_HOME: home };
  record(home, { name: 'dep', at: T0, done: ok(T0 + 100_000) });
  const w = record(home, { name: 'late', at: T0, waiting: { waiting_for: ['dep'], wait_duration: 60 } });
  const early = await evaluateWait(env, readAgentView(w.dir), T0 + 130_000);
  assert.equal(early.action, 'timer');
  assert.equal(early.floor_ms, T0 + 160_000);
  assert.equal((await evaluateWait(env, readAgentView(w.dir), T0 + 160_000)).action, 'ready');
  const abs = record(home, { name: 'abs', at: T0, waiting: { waiting_for: [], wait_until: new Date(T0 + 3_600_000).toISOString() } });
  assert.equal((await evaluateWait(env, readAgentView(abs.dir), T0 + 3_599_999)).action, 'timer');
  assert.equal((await evaluateWait(env, readAgentView(abs.dir), T0 + 3_600_000)).action, 'ready');
  // A pending dependency wins over an elapsed floor.
  const both = record(home, { name: 'both', at: T0, waiting: { waiting_for: ['nobody'], wait_duration: 1 } });
  assert.equal((await evaluateWait(env, readAgentView(both.dir), T0 + 10_000_000)).action, 'pending');
});

test('a STOP in a repeat slot stops the next slot, and a stopped slot stops the one after it', async (t) => {
  const home = tmpdir(t);
  const env = { SASE_HOME: home };
  record(home, { name: 'r.1', at: T0, done: ok(T0 + 1000), repeat_slot: { iteration: 1, total: 4 }, vars: { STOP: 'done' } });
  const s2 = record(home, { name: 'r.2', at: T0, waiting: { waiting_for: ['r.1'] }, repeat_slot: { iteration: 2, total: 4 } });
  const v = await evaluateWait(env, readAgentView(s2.dir), T0 + 2000);
  assert.deepEqual([v.action, v.stopped_by], ['stop', 'r.1']);
  record(home, { name: 'r.2', at: T0 + 1, done: { ...ok(T0 + 3000), status_label: 'STOPPED', repeat_stopped: true, stopped_by: 'r.1' }, repeat_slot: { iteration: 2, total: 4 } });
  const s3 = record(home, { name: 'r.3', at: T0, waiting: { waiting_for: ['r.2'] }, repeat_slot: { iteration: 3, total: 4 } });
  const v3 = await evaluateWait(env, readAgentView(s3.dir), T0 + 4000);
  assert.deepEqual([v3.action, v3.stopped_by], ['stop', 'r.1']);
  // A plain (non-repeat) waiter on a run with STOP set is simply released.
  const plain = record(home, { name: 'p', at: T0, waiting: { waiting_for: ['r.1'] } });
  assert.equal((await evaluateWait(env, readAgentView(plain.dir), T0 + 4000)).action, 'ready');
});

test('tick ends stopped slots in one pass and refuses to run while another tick holds the lock', async (t) => {
  const home = tmpdir(t);
  const env = { SASE_HOME: home };
  record(home, { name: 'q.1', at: T0, done: ok(T0 + 1000), repeat_slot: { iteration: 1, total: 3 }, vars: { STOP: 'yes' } });
  const q2 = record(home, { name: 'q.2', at: T0 + 1000, waiting: { waiting_for: ['q.1'] }, repeat_slot: { iteration: 2, total: 3 } });
  const q3 = record(home, { name: 'q.3', at: T0 + 2000, waiting: { waiting_for: ['q.2'] }, repeat_slot: { iteration: 3, total: 3 } });
  const r = await tick(env, { now: () => new Date(T0 + 5000), noTimers: true });
  assert.equal(r.stopped, 2);
  for (const d of [q2.dir, q3.dir]) {
    const v = readAgentView(d);
    assert.equal(v.status, 'STOPPED');
    assert.equal(v.done!.stopped_by, 'q.1');
  }
  mkdirSync(`${tickLockTarget(env)}.lock`);
  await assert.rejects(tick(env, { now: () => new Date() }), LockedError);
});
