/**
 * Starting a parked run once its wait is satisfied (the `startWaitingRun` seam of lib/agents/launch.ts), and ending
 * a stopped `%repeat` slot. Order (spec/runtime.md §b.8): resolve deferred `#fork` references → `ready.json`
 * (SASE's release marker) → spawn the runner detached → `running.json` with its pid → resolve the workspace with the
 * runner's pid as claim owner → `workspace.json` (the runner starts the provider once it appears). Every step is
 * re-entrant: a tick that finds `ready.json` without a runner (the releaser died mid-way) starts it again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { binScript } from '../package.js';
import { appendIndex } from '../agents/index-store.js';
import type { LaunchedAgent, LaunchOptions } from '../agents/launch.js';
import { appendEvent, doneMarkerFor, indexEntryOf, killGroup, readAgentView, readJsonOrNull, RECORD_FILES, runningMarkerFor, writeDone, writeRecordJson } from '../agents/records.js';
import type { WorkspaceFacts } from '../agents/types.js';
import { isPidAlive } from '../store/pid.js';
import { resolveRunWorkspace } from '../agents/workspace-ref.js';
import { spawnDetachedRunner } from '../agents/spawn-runner.js';
import type { Env } from '../store/paths.js';
import { resolveForks } from './fork.js';

/** Present in a record directory when the run is a YAML workflow (`{name, args}`); its runner is the workflow runner. */
export const WORKFLOW_FILE = 'workflow.json';


/** Which runner script starts the run in `dir`. */
export function runnerScriptFor(dir: string): string {
  return existsSync(join(dir, WORKFLOW_FILE)) || existsSync(join(dir, 'embedded.json')) ? binScript('sase-workflow-runner') : binScript('sase-runner');
}

export { spawnDetachedRunner } from '../agents/spawn-runner.js';

/**
 * Starts a parked run whose wait is satisfied (implementation of lib/agents/launch.ts `startWaitingRun`).
 * Only `opts.env`, `opts.config`, `opts.now` and `opts.runnerScript` are used; the cwd is the record's launch cwd.
 * A `#fork` that cannot be resolved fails the run (FAILED with the reason) instead of starting it.
 * @throws Error from workspace resolution (the run is then marked FAILED first)
 */
export async function startParkedRun(dir: string, opts: Pick<LaunchOptions, 'env' | 'config' | 'now' | 'runnerScript'>): Promise<LaunchedAgent> {
  const { env } = opts;
  const v0 = readAgentView(dir);
  const record = v0.record;
  const model = `${record.model.provider}/${record.model.model}`;
  try {
    await resolveForks(env, dir, opts.now());
  } catch (e) {
    await failRun(env, dir, `fork: ${(e as Error).message}`, opts.now());
    return { id: record.id, name: record.name, status: 'FAILED', record_dir: dir, workspace_dir: null, runner_pid: null, model };
  }
  if (!existsSync(join(dir, RECORD_FILES.ready))) writeRecordJson(join(dir, RECORD_FILES.ready), { released_at: opts.now().toISOString(), pid: process.pid });
  const pid = spawnDetachedRunner(dir, opts.runnerScript ?? runnerScriptFor(dir), env);
  writeRecordJson(join(dir, RECORD_FILES.running), runningMarkerFor(record, pid, opts.now()));
  await appendEvent(dir, 'STARTING', 'released', opts.now(), { runner_pid: pid });
  let ws: WorkspaceFacts;
  try {
    ws = await resolveRunWorkspace(record.workspace_ref, { cwd: record.launch_cwd, env, config: opts.config, agent_name: record.name, agent_id: record.id, pid });
  } catch (e) {
    killGroup(pid, 'SIGTERM');
    await failRun(env, dir, `workspace: ${(e as Error).message}`, opts.now());
    throw e;
  }
  writeRecordJson(join(dir, RECORD_FILES.workspace), ws);
  const { agentMeta } = await import('../agents/launch.js');
  const meta = readJsonOrNull<Record<string, unknown>>(join(dir, RECORD_FILES.meta)) ?? {};
  writeRecordJson(join(dir, RECORD_FILES.meta), { ...meta, ...agentMeta(record, ws, pid), wait_completed_at: opts.now().toISOString() });
  const v = readAgentView(dir);
  await appendIndex(env, { ...indexEntryOf(v), status: v.status === 'STALE' ? 'STARTING' : v.status });
  return { id: record.id, name: record.name, status: v.status === 'RUNNING' ? 'RUNNING' : 'STARTING', record_dir: dir, workspace_dir: ws.dir, runner_pid: pid, model };
}

async function failRun(env: Env, dir: string, error: string, now: Date): Promise<void> {
  const v = readAgentView(dir);
  await writeDone(dir, doneMarkerFor(v, { outcome: 'failed', status_label: 'FAILED', error }, now));
  await appendEvent(dir, 'FAILED', 'release_failed', now, { message: error });
  await appendIndex(env, indexEntryOf(readAgentView(dir)));
}

/**
 * Ends a parked `%repeat` slot because an earlier slot stopped the chain: `done.json` with outcome `completed`,
 * `repeat_stopped: true`, `stopped_by` and status `STOPPED` (so waits on it still cascade). spec/runtime.md §b.
 */
export async function stopParkedRun(env: Env, dir: string, stoppedBy: string, now: Date): Promise<void> {
  const v = readAgentView(dir);
  const ok = await writeDone(dir, doneMarkerFor(v, { outcome: 'completed', status_label: 'STOPPED', error: null, repeat_stopped: true, stopped_by: stoppedBy }, now));
  if (!ok) return;
  await appendEvent(dir, 'STOPPED', 'repeat_stopped', now, { stopped_by: stoppedBy });
  await appendIndex(env, indexEntryOf(readAgentView(dir)));
}

/** True when `record` is parked: waiting.json present, not released, not finished. */
export function isParked(dir: string): boolean {
  return existsSync(join(dir, RECORD_FILES.waiting)) && !existsSync(join(dir, RECORD_FILES.ready)) && !existsSync(join(dir, RECORD_FILES.done));
}

/** True when a release was started but its runner never got going (ready.json; no workspace.json, done.json or live runner). */
export function isHalfReleased(dir: string): boolean {
  return (
    existsSync(join(dir, RECORD_FILES.waiting)) &&
    existsSync(join(dir, RECORD_FILES.ready)) &&
    !existsSync(join(dir, RECORD_FILES.done)) &&
    !existsSync(join(dir, RECORD_FILES.workspace)) &&
    !isPidAlive(readJsonOrNull<{ pid?: number }>(join(dir, RECORD_FILES.running))?.pid)
  );
}
