/**
 * Launch hand-offs (lib/agents/standby.ts, lib/agents/spare.ts) through the real binaries: the spare runner a
 * `sase run` leaves behind takes the next launch and adopts that launcher's environment, survives a launch that
 * fails; a spare leaves when its
 * socket goes; a standby runner that is never assigned exits at end of input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, tmpdir } from '../helpers/index.js';
import { alive, isolatedEnv, launch, recJson, sase, waitFor } from './helpers.js';

/** The live spare of `saseHome`: its pid and socket path, once both files exist. */
function spareOf(saseHome: string): { pid: number; sock: string } | null {
  const dir = join(saseHome, 'agents', 'standby');
  if (!existsSync(dir)) return null;
  const sock = readdirSync(dir).find((n) => n.endsWith('.sock'));
  if (!sock) return null;
  try {
    const pid = Number(readFileSync(join(dir, sock.replace(/\.sock$/, '.pid')), 'utf8').trim());
    return pid > 0 && alive(pid) ? { pid, sock: join(dir, sock) } : null;
  } catch {
    return null;
  }
}

test('the spare runner a sase run leaves behind runs the next launch with that launcher\'s environment', async (t) => {
  const env = isolatedEnv(t, { SASE_NO_SPARE_RUNNER: '' });
  const ws = tmpdir(t);
  const first = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@ok %n:first hello`], env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const spare = (await waitFor(() => spareOf(env.SASE_HOME!), 30_000, 'a spare runner'))!;

  // A launch that fails after claiming the spare releases it instead of using it up.
  const failed = await sase(['run', '--json', '   '], env);
  assert.equal(failed.code, 2, failed.stdout + failed.stderr);
  await waitFor(() => spareOf(env.SASE_HOME!)?.pid === spare.pid, 15_000, 'the same spare listening again');

  const [a] = await launch(`#cd:${ws} %m:fakey/@hang %n:second hang`, { ...env, SPARE_TEST_MARKER: 'handed-over' });
  const running = await waitFor(() => recJson(a.record_dir, 'running.json')?.provider_pid && recJson(a.record_dir, 'running.json'), 30_000, 'provider start');
  assert.equal(running.pid, spare.pid, 'the spare ran the second launch');
  const providerEnv = readFileSync(`/proc/${running.provider_pid}/environ`, 'utf8').split('\0');
  assert.ok(providerEnv.includes('SPARE_TEST_MARKER=handed-over'), 'the provider sees the second launcher\'s environment');
  assert.equal(readFileSync(`/proc/${running.pid}/cwd/agent.json`, 'utf8'), readFileSync(join(a.record_dir, 'agent.json'), 'utf8'));
  const list = await sase(['agent', 'list', '--json'], env);
  assert.deepEqual(list.json.data.buckets.map((b: any) => b.bucket), ['Running'], 'a runner handed over by a spare counts as alive');

  const k = await sase(['agent', 'kill', 'second', '--json'], env);
  assert.equal(k.json.data.status, 'KILLED', k.stdout + k.stderr);
  await waitFor(() => !alive(running.provider_pid) && !alive(running.pid), 15_000, 'runner and provider to exit');

  // The second launch left a new spare; removing its socket (as deleting $SASE_HOME does) makes it leave.
  const next = (await waitFor(() => {
    const s = spareOf(env.SASE_HOME!);
    return s && s.pid !== spare.pid ? s : null;
  }, 30_000, 'a new spare'))!;
  unlinkSync(next.sock);
  await waitFor(() => !alive(next.pid), 15_000, 'the spare to exit');
  assert.equal(existsSync(next.sock.replace(/\.sock$/, '.pid')), false, 'the spare removed its pid file');
});

test('a standby runner that is never assigned exits at the end of its input', async (t) => {
  const env = isolatedEnv(t);
  const child = spawn(process.execPath, [binPath('sase-runner'), '--standby'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
  t.after(() => child.kill('SIGKILL'));
  const code = await new Promise<number | null>((res) => {
    child.on('exit', (c) => res(c));
    child.stdin.end();
  });
  assert.equal(code, 0);
});
