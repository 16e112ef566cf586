/**
 * Acting on runs: kill, wait, retry. spec/runtime.md §b ("Kill", "Retry") and §h (`sase agent wait` exit codes
 * 0 ok, 1 failed, 2 usage, 3 human-blocked, 4 timeout).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../errors/index.js';
import { writeJsonAtomic } from '../store/atomic.js';
import type { Env } from '../store/paths.js';
import { appendIndex } from './index-append.js';
import { appendEvent, doneMarkerFor, findAgentDir, indexEntryOf, isRunnerAlive, killGroup, readAgentView, reconcileStale, RECORD_FILES, writeDone } from './records.js';
import { bucketOf, isTerminalStatus } from './status.js';
import type { AgentView } from './types.js';
import { setTimeout as sleep } from 'node:timers/promises';


/** Reads a run by name/id and reconciles a dead runner. @throws NotFoundError */
export async function loadAgent(env: Env, ref: string, now: Date): Promise<AgentView> {
  return reconcileStale(env, readAgentView(await findAgentDir(env, ref)), now);
}

/**
 * Kills a run: records who asked (`kill.json`), sends SIGTERM to the runner (which stops the provider's process
 * group, SIGKILL after its grace period, and writes done.json KILLED). If the runner does not finish within
 * grace + `extraWaitMs`, the runner and provider are SIGKILLed and KILLED is written here. A run without a live
 * runner (WAITING, STARTING) is marked KILLED directly.
 * @throws NotFoundError; ConflictError when the run already finished
 */
export async function killAgent(env: Env, ref: string, opts: { now(): Date; by: string; extraWaitMs?: number }): Promise<AgentView> {
  const v = await loadAgent(env, ref, opts.now());
  if (isTerminalStatus(v.status)) throw new ConflictError(`agent '${v.name}' already finished (${v.status})`, { data: { name: v.name, status: v.status } });
  await writeJsonAtomic(join(v.record_dir, RECORD_FILES.kill), { requested_at: opts.now().toISOString(), by: opts.by });
  const runnerPid = v.running?.pid ?? null;
  if (runnerPid && isRunnerAlive(runnerPid, v.record_dir)) {
    try {
      process.kill(runnerPid, 'SIGTERM');
    } catch {
      // gone already
    }
    const until = Date.now() + v.record.kill_grace_ms + (opts.extraWaitMs ?? 10_000);
    while (Date.now() < until && !existsSync(join(v.record_dir, RECORD_FILES.done))) await sleep(50);
    if (existsSync(join(v.record_dir, RECORD_FILES.done))) return readAgentView(v.record_dir);
    const cur = readAgentView(v.record_dir);
    killGroup(cur.running?.provider_pid, 'SIGKILL');
    killGroup(runnerPid, 'SIGKILL');
  }
  const cur = readAgentView(v.record_dir);
  const now = opts.now();
  await writeDone(v.record_dir, doneMarkerFor(cur, { outcome: 'killed', status_label: 'KILLED', error: `killed by ${opts.by}`, stopped_by: opts.by }, now));
  await appendEvent(v.record_dir, 'KILLED', 'killed', now, { by: opts.by });
  const fin = readAgentView(v.record_dir);
  await appendIndex(env, indexEntryOf(fin));
  return fin;
}

/** Outcome of waiting on several runs. */
export interface WaitResult {
  agents: Array<{ id: string; name: string; status: string; bucket: string }>;
  timed_out: boolean;
  /** SASE exit code: 0 all ok, 1 any failed, 3 any human-blocked (PLAN/QUESTION), 4 timeout. */
  exit_code: number;
}

/**
 * Blocks until every run is terminal or human-blocked, or the timeout passes (polling markers every `pollMs`).
 * @param timeoutMs 0 = wait forever
 */
export async function waitAgents(env: Env, dirs: string[], opts: { now(): Date; timeoutMs: number; pollMs?: number }): Promise<WaitResult> {
  const until = opts.timeoutMs > 0 ? Date.now() + opts.timeoutMs : Infinity;
  for (;;) {
    const views: AgentView[] = [];
    for (const d of dirs) views.push(await reconcileStale(env, readAgentView(d), opts.now()));
    // A waiter parked for good (a dependency failed; lib/orchestration marks it `wait_state: blocked`) is settled too.
    const parked = (v: AgentView): boolean => v.status === 'WAITING' && (v.waiting as { wait_state?: string } | null)?.wait_state === 'blocked';
    const settled = views.every((v) => isTerminalStatus(v.status) || bucketOf(v.status) === 'Stopped' || parked(v));
    const timedOut = !settled && Date.now() >= until;
    if (settled || timedOut) {
      const agents = views.map((v) => ({ id: v.id, name: v.name, status: v.status, bucket: bucketOf(v.status) }));
      let code = 0;
      if (timedOut) code = 4;
      else if (agents.some((a) => a.bucket === 'Failed') || views.some(parked)) code = 1;
      else if (agents.some((a) => a.bucket === 'Stopped')) code = 3;
      return { agents, timed_out: timedOut, exit_code: code };
    }
    await sleep(opts.pollMs ?? 100);
  }
}
