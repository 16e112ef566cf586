/**
 * No waiting run is ever lost: with every sase process of the state killed while runs wait (the release tick a
 * finishing runner started, the `#t` timer), `sase agent tick` releases them afterwards. spec/runtime.md §b.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { killSaseProcesses } from '../helpers/runs.js';
import { doneOf, isolatedEnv, launch, readJson, recordOf, sase, saseProcesses, waitDone, waitFor } from './helpers.js';

test('killing every sase process while runs wait, then sase agent tick, resumes them', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const gates = tmpdir(t);
  await launch(
    [
      `#cd:${ws} %n:first`,
      '```fakey',
      'steps:',
      `  - wait_for: {path: ${gates}/go, timeout: 60}`,
      '```',
      'Do the first part.',
      '---',
      `#cd:${ws} %n:second %w:first Do the second part.`,
      '---',
      `#cd:${ws} %n:timed #t:3s Do it later.`,
    ].join('\n'),
    env,
  );
  const timed = recordOf(env, 'timed')!;
  await waitFor(() => readJson(join(timed, 'timer.json')), 20_000, 'the #t timer to be armed');
  // Hold the tick lock so the release that `first` triggers cannot happen, then let `first` finish.
  const lock = join(env.SASE_HOME!, 'agents', 'tick.lock');
  mkdirSync(lock);
  writeFileSync(join(gates, 'go'), '');
  assert.equal((await waitDone(env, 'first')).outcome, 'completed');
  // Kill every process of this sase state: the waiting tick, the timer, anything else.
  await waitFor(() => saseProcesses(env.SASE_HOME!).length > 0, 10_000, 'the pending tick/timer processes');
  // Repeat until none is left: a finishing runner may still be starting its release tick.
  await killSaseProcesses(env.SASE_HOME!);
  rmSync(lock, { recursive: true, force: true });
  // Past the time floor, nothing is alive to release them: both still wait.
  const created = Date.parse(readJson(join(timed, 'agent.json')).created_at);
  await new Promise((r) => setTimeout(r, Math.max(0, created + 3500 - Date.now())));
  assert.equal(doneOf(env, 'second'), null);
  assert.equal(existsSync(join(recordOf(env, 'second')!, 'ready.json')), false);
  assert.equal(existsSync(join(timed, 'ready.json')), false);
  const r = await sase(['agent', 'tick', '--json'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(r.json.data.entries.filter((e: any) => e.action === 'released').map((e: any) => e.name).sort(), ['second', 'timed']);
  assert.equal((await waitDone(env, 'second')).outcome, 'completed');
  assert.equal((await waitDone(env, 'timed')).outcome, 'completed');
  // Idempotent: a second tick has nothing to do.
  const again = await sase(['agent', 'tick', '--json'], env);
  assert.equal(again.json.data.released, 0);
});

test('a release that died half-way (ready.json written, no runner) is restarted by the next tick', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  await launch(`#cd:${ws} %n:dep Prepare.\n---\n#cd:${ws} %n:after %w:dep Continue.`, env);
  // Block the prompt release, finish the dependency, then fake a releaser that crashed after writing ready.json.
  const lock = join(env.SASE_HOME!, 'agents', 'tick.lock');
  mkdirSync(lock);
  await waitDone(env, 'dep');
  await killSaseProcesses(env.SASE_HOME!);
  rmSync(lock, { recursive: true, force: true });
  const after = recordOf(env, 'after')!;
  writeFileSync(join(after, 'ready.json'), JSON.stringify({ released_at: new Date().toISOString(), pid: 999999 }));
  const r = await sase(['agent', 'tick', '--json'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(r.json.data.entries.map((e: any) => [e.name, e.action]), [['after', 'restarted']]);
  assert.equal((await waitDone(env, 'after')).outcome, 'completed');
});
