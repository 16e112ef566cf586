/** Table-driven parse tests of the runs command modules (in-process; no binaries). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { command as run } from '../../lib/cli/run/index.js';
import { command as kill } from '../../lib/cli/agent/kill.js';
import { command as list } from '../../lib/cli/agent/list.js';
import { command as wait } from '../../lib/cli/agent/wait.js';
import { UsageError } from '../../lib/errors/index.js';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitAgents } from '../../lib/agents/control.js';
import { captureCtx, tmpdir } from '../helpers/index.js';
import { writeSyntheticRecords } from './synthetic.js';

const ctx = captureCtx();

test('sase run joins prompt words and refuses a prompt together with -f', () => {
  const cases: Array<[unknown[], Record<string, unknown>, unknown]> = [
    [[['fix', 'the', 'tests']], {}, { prompt: 'fix the tests', file: null, wait: false, timeout: null, waitTimeout: null }],
    [[[]], { file: 'p.md', wait: true, timeout: '5m' }, { prompt: null, file: 'p.md', wait: true, timeout: '5m', waitTimeout: null }],
    [[[]], { waitTimeout: '10s', wait: true }, { prompt: null, file: null, wait: true, timeout: null, waitTimeout: '10s' }],
  ];
  for (const [args, opts, want] of cases) assert.deepEqual(run.parse({ args, opts }, ctx), want);
  assert.throws(() => run.parse({ args: [['x']], opts: { file: 'p.md' } }, ctx), UsageError);
});

test('agent subcommands take names positionally or with SASE flags', () => {
  assert.deepEqual(kill.parse({ args: ['a'], opts: {} }, ctx), { ref: 'a' });
  assert.deepEqual(kill.parse({ args: [undefined], opts: { name: 'b' } }, ctx), { ref: 'b' });
  assert.throws(() => kill.parse({ args: [undefined], opts: {} }, ctx), UsageError);
  assert.deepEqual(wait.parse({ args: [['a', 'b']], opts: { timeout: '90s' } }, ctx), { refs: ['a', 'b'], timeout: '90s' });
  assert.throws(() => wait.parse({ args: [[]], opts: {} }, ctx), UsageError);
  assert.deepEqual(list.parse({ args: [], opts: { all: true, recent: '50' } }, ctx), { all: true, hidden: false, group: null, recent: 50 });
  assert.deepEqual(list.parse({ args: [], opts: { recent: 'x', group: 'team' } }, ctx), { all: false, hidden: false, group: 'team', recent: 50 });
});

test('agent wait exit codes follow SASE: 0 ok, 1 failed, 3 blocked on a human, 4 timeout', async (t) => {
  const home = join(tmpdir(t), '.sase');
  const ids = writeSyntheticRecords(home, 8, new Date('2026-11-21T12:00:00Z'));
  const dir = (i: number) => join(home, 'agents', ids[i]!.slice(0, 6), ids[i]!);
  const env = { SASE_HOME: home };
  const opts = { now: () => new Date(), timeoutMs: 300, pollMs: 20 };
  // 0: WAITING, 1..6: DONE, 7: FAILED (synthetic.ts rules)
  assert.equal((await waitAgents(env, [dir(1), dir(2)], opts)).exit_code, 0);
  assert.equal((await waitAgents(env, [dir(1), dir(7)], opts)).exit_code, 1);
  const timedOut = await waitAgents(env, [dir(1), dir(0)], opts);
  assert.equal(timedOut.exit_code, 4);
  assert.equal(timedOut.timed_out, true);
  rmSync(join(dir(3), 'done.json'));
  writeFileSync(join(dir(3), 'pending_question.json'), '{}');
  const blocked = await waitAgents(env, [dir(1), dir(3)], opts);
  assert.equal(blocked.exit_code, 3);
  assert.deepEqual(blocked.agents.map((a) => a.status), ['DONE', 'QUESTION']);
});
