/** Dead-runner detection on records written by hand: pid reuse, a runner that never started. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAgentView, reconcileStale } from '../../lib/agents/records.js';
import { writeSyntheticRecords } from './synthetic.js';
import { tmpdir } from '../helpers/index.js';
import { recJson } from './helpers.js';

function makeActive(home: string, created: Date): string {
  const [id] = writeSyntheticRecords(home, 1, created);
  const dir = join(home, 'agents', id!.slice(0, 6), id!);
  return dir;
}

test('a live pid that is not this record\'s runner (pid reuse) does not keep a run RUNNING', async (t) => {
  const home = join(tmpdir(t), '.sase');
  mkdirSync(home, { recursive: true });
  const dir = makeActive(home, new Date());
  rmSync(join(dir, 'waiting.json'));
  writeFileSync(join(dir, 'running.json'), JSON.stringify({ pid: process.pid, provider_pid: null }));
  const v = readAgentView(dir);
  assert.equal(v.status, 'STALE', 'this test process is alive but is not a sase runner for the record');
  const fixed = await reconcileStale({ SASE_HOME: home }, v, new Date());
  assert.equal(fixed.status, 'FAILED');
  assert.equal(recJson(dir, 'done.json').finished_at_estimated, true);
});

test('a record that never got a runner is marked FAILED after the start-up grace, not before', async (t) => {
  const home = join(tmpdir(t), '.sase');
  mkdirSync(home, { recursive: true });
  const created = new Date('2026-11-21T12:00:00Z');
  const dir = makeActive(home, created);
  rmSync(join(dir, 'waiting.json'));
  const v = readAgentView(dir);
  assert.equal(v.status, 'STARTING');
  const early = await reconcileStale({ SASE_HOME: home }, v, new Date(created.getTime() + 30_000));
  assert.equal(early.status, 'STARTING');
  const late = await reconcileStale({ SASE_HOME: home }, v, new Date(created.getTime() + 10 * 60_000));
  assert.equal(late.status, 'FAILED');
  assert.match(recJson(dir, 'done.json').error, /never started/);
});
