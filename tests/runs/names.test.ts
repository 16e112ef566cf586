import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { allocateName, readNameClaim } from '../../lib/agents/names.js';
import { ConflictError, UsageError } from '../../lib/errors/index.js';
import { tmpdir } from '../helpers/index.js';

const now = new Date('2026-11-21T12:00:00Z');

test('auto names take the first free token and templates fill their @', async (t) => {
  const env = { SASE_HOME: join(tmpdir(t), 'sase') };
  assert.equal(await allocateName(env, null, 'id-a', now), '0');
  assert.equal(await allocateName(env, '', 'id-b', now), '1');
  assert.equal(await allocateName(env, 'build-@', 'id-c', now), 'build-0');
  assert.equal(await allocateName(env, 'build-@', 'id-d', now), 'build-1');
  assert.equal((await readNameClaim(env, 'build-1'))!.id, 'id-d');
});

test('a taken name is refused with the next free name as suggestion, and %n:! reuses it', async (t) => {
  const env = { SASE_HOME: join(tmpdir(t), 'sase') };
  assert.equal(await allocateName(env, 'planner', 'id-1', now), 'planner');
  await allocateName(env, 'planner.2', 'id-2', now);
  await assert.rejects(allocateName(env, 'planner', 'id-3', now), (e: unknown) => {
    assert.ok(e instanceof ConflictError);
    assert.equal(e.data.suggestion, 'planner.3');
    assert.match(e.hint ?? '', /planner\.3/);
    return true;
  });
  assert.equal(await allocateName(env, 'planner', 'id-4', now, true), 'planner');
  assert.equal((await readNameClaim(env, 'planner'))!.id, 'id-4');
  await assert.rejects(allocateName(env, 'has space', 'id-5', now), UsageError);
});

test('concurrent auto-name allocations never hand out the same name', async (t) => {
  const env = { SASE_HOME: join(tmpdir(t), 'sase') };
  const names = await Promise.all(Array.from({ length: 40 }, (_, i) => allocateName(env, null, `id-${i}`, now)));
  assert.equal(new Set(names).size, 40);
});
