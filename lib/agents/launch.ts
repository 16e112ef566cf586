/**
 * `sase run`'s domain side: turns planned launches into agent records and starts one detached runner per launch.
 * spec/runtime.md §b (launch pipeline). Order per launch: allocate id and name (all launches first, so a name
 * conflict launches nothing) → write agent.json, prompts, agent_meta.json → spawn the runner detached (own process
 * group, unref'd) → write running.json with its pid → resolve the workspace with the runner's pid as the claim
 * owner → write workspace.json (the runner starts the provider once it appears).
 *
 * `%wait` / `#t` launches are recorded WAITING (waiting.json) and get no runner yet: lib/orchestration releases them
 * when their dependencies are satisfied (a finishing run's tick or `sase agent tick`), through {@link startWaitingRun}.
 */
import { mkdir, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { binScript, packageVersion } from '../package.js';
import type { Env } from '../store/paths.js';
import type { ModelChoice } from '../providers/types.js';
import type { PlannedLaunch } from '../xprompt/launch-types.js';
import { appendIndex } from './index-append.js';
import { allocateName, nameClaimPath } from './names.js';
import { launchTimestamp, newAgentId, recordDirOf } from './paths.js';
import { appendEvent, doneMarkerFor, indexEntryOf, killGroup, readAgentView, RECORD_FILES, runningMarkerFor, writeDone, writeRecordFile, writeRecordJson } from './records.js';
import { AGENT_RECORD_SCHEMA_VERSION, type AgentRecord, type WaitingMarker, type WorkspaceFacts } from './types.js';
import { parseWorkspaceRef, resolveRunWorkspace } from './workspace-ref.js';
import { spawnDetachedRunner } from './spawn-runner.js';
import type { StandbyRunner } from './standby.js';
import { resolveCdPath } from '../workspace/cd.js';

/** Inputs of {@link launchRuns}. */
export interface LaunchOptions {
  env: Env;
  cwd: string;
  now(): Date;
  config: Record<string, unknown>;
  /** Whole-run limit, ms (0 = none). */
  timeoutMs: number;
  /** SIGTERM → SIGKILL grace, ms. */
  killGraceMs: number;
  /** Resolves a `%model` string (lib/providers resolveModel). */
  resolveModel(spec: string | null, config: Record<string, unknown>): ModelChoice;
  /** Retry lineage for `sase agent retry`. */
  lineage?: { retry_of: string; retry_chain_root: string; retry_attempt: number };
  /** Script of the runner (default: bin/sase-runner.js of this build). */
  runnerScript?: string;
  /** A runner started ahead of planning (see standby.ts); the first agent launch is handed to it. */
  standby?: StandbyRunner | null;
  /** Variables for these runs only, written to `run_env.json` and merged into the provider's env by the runner (bead work, plan follow-ups). */
  runEnv?: Record<string, string>;
}

/** One launched (or parked) run, as `sase run --json` reports it. */
export interface LaunchedAgent {
  id: string;
  name: string;
  status: string;
  record_dir: string;
  workspace_dir: string | null;
  runner_pid: number | null;
  model: string;
}

/** True when a launch is parked WAITING: `%wait` on agents, a time floor, `runners=` or `bead=` closure waits. */
export function isWaitLaunch(l: PlannedLaunch): boolean {
  const d = l.directives;
  return d.waits.length > 0 || d.wait_time !== null || d.wait_runners !== null || (d.wait_beads?.length ?? 0) > 0;
}

interface Prepared {
  launch: PlannedLaunch;
  id: string;
  dir: string;
  name: string;
  model: ModelChoice;
  now: Date;
}

async function makeRecordDir(env: Env, now: Date): Promise<{ id: string; dir: string }> {
  for (;;) {
    const id = newAgentId(now);
    const dir = recordDirOf(env, id);
    await mkdir(dirname(dir), { recursive: true });
    try {
      await mkdir(dir);
      return { id, dir };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Launches every planned run.
 * @throws UsageError (workflow launches, bad workspace refs), NotFoundError (missing #cd dir), ConflictError
 *   (a taken `%name`, with the next free name as hint) — before any runner starts
 */
export async function launchRuns(launches: PlannedLaunch[], opts: LaunchOptions): Promise<LaunchedAgent[]> {
  const { env } = opts;
  for (const l of launches) {
    const ref = parseWorkspaceRef(l.workspace_ref);
    if (ref.type === 'cd') resolveCdPath(ref.value, opts.cwd, env);
  }
  const prepared: Prepared[] = [];
  try {
    for (const launch of launches) {
      const now = opts.now();
      const model = opts.resolveModel(launch.directives.model, opts.config);
      const { id, dir } = await makeRecordDir(env, now);
      prepared.push({ launch, id, dir, name: '', model, now });
      prepared[prepared.length - 1]!.name = await allocateName(env, launch.name, id, now, launch.directives.name_reuse);
    }
  } catch (e) {
    for (const p of prepared) {
      if (p.name) await unlink(nameClaimPath(env, p.name)).catch(() => {});
      await rm(p.dir, { recursive: true, force: true });
    }
    throw e;
  }
  const out: LaunchedAgent[] = [];
  for (const p of prepared) out.push(await startOne(p, opts));
  // Orchestration (lib/orchestration): release parked runs whose waits are already satisfied, arm `#t` timers.
  if (out.some((a) => a.status === 'WAITING')) await (await import('../orchestration/tick.js')).onRunFinished('', env);
  return out;
}

async function startOne(p: Prepared, opts: LaunchOptions): Promise<LaunchedAgent> {
  const { env } = opts;
  const l = p.launch;
  const d = l.directives;
  const record: AgentRecord = {
    schema_version: AGENT_RECORD_SCHEMA_VERSION,
    id: p.id,
    name: p.name,
    timestamp: launchTimestamp(p.now),
    created_at: p.now.toISOString(),
    model: { spec: p.model.spec ?? d.model, provider: p.model.provider, model: p.model.model, effort: p.model.effort },
    workspace_ref: l.workspace_ref,
    launch_cwd: opts.cwd,
    directives: d,
    hidden: d.hide,
    group: d.group,
    segment: l.segment,
    index: l.index,
    alt_id: l.alt_id,
    repeat_slot: l.repeat_slot,
    deferred: l.deferred,
    timeout_ms: opts.timeoutMs,
    kill_grace_ms: opts.killGraceMs,
    retry_of: opts.lineage?.retry_of ?? null,
    retry_chain_root: opts.lineage?.retry_chain_root ?? null,
    retry_attempt: opts.lineage?.retry_attempt ?? 0,
    sase_version: packageVersion(),
  };
  const dir = p.dir;
  writeRecordFile(join(dir, RECORD_FILES.rawPrompt), l.raw_prompt);
  writeRecordFile(join(dir, RECORD_FILES.prompt), l.prompt);
  writeRecordJson(join(dir, RECORD_FILES.config), opts.config);
  writeRecordJson(join(dir, RECORD_FILES.agent), record);
  if (opts.runEnv && Object.keys(opts.runEnv).length > 0) writeRecordJson(join(dir, RECORD_FILES.runEnv), opts.runEnv);
  if (l.workflow) writeRecordJson(join(dir, 'workflow.json'), l.workflow);
  // Embedded workflows with pre/post steps (lib/orchestration/embedded.ts) run under the workflow runner too.
  const wfRunner = l.workflow !== null || (await (await import('../orchestration/embedded.js')).recordEmbedded(dir, l, opts));
  const waiting = isWaitLaunch(l);
  // Start the runner first: its start-up overlaps the remaining writes (it waits for workspace.json).
  const pid = waiting ? 0 : !wfRunner && opts.standby?.assign(dir) ? opts.standby.pid : spawnRunner(dir, wfRunner ? { ...opts, runnerScript: binScript('sase-workflow-runner') } : opts);
  if (waiting) {
    writeRecordJson(join(dir, RECORD_FILES.meta), agentMeta(record, null, null));
    const marker: WaitingMarker = {
      waiting_for: d.waits,
      wait_duration: d.wait_time?.duration_s ?? null,
      wait_until: d.wait_time?.until ?? null,
      wait_runners: d.wait_runners,
      ...(d.wait_beads?.length ? { wait_beads: d.wait_beads } : {}),
      slot_requested_at: p.now.toISOString(),
    };
    writeRecordJson(join(dir, RECORD_FILES.waiting), marker);
    await appendEvent(dir, 'WAITING', 'created', p.now, { waiting_for: d.waits });
    const v = readAgentView(dir);
    await appendIndex(env, indexEntryOf(v));
    return { id: p.id, name: p.name, status: v.status, record_dir: dir, workspace_dir: null, runner_pid: null, model: `${record.model.provider}/${record.model.model}` };
  }
  await appendEvent(dir, 'STARTING', 'created', p.now);
  writeRecordJson(join(dir, RECORD_FILES.running), runningMarkerFor(record, pid, p.now));
  let ws: WorkspaceFacts | null = null;
  try {
    ws = await resolveRunWorkspace(l.workspace_ref, { cwd: opts.cwd, env, config: opts.config, agent_name: p.name, agent_id: p.id, pid });
    writeRecordJson(join(dir, RECORD_FILES.workspace), ws);
    writeRecordJson(join(dir, RECORD_FILES.meta), agentMeta(record, ws, pid));
  } catch (e) {
    const v = readAgentView(dir);
    await writeDone(dir, doneMarkerFor(v, { outcome: 'failed', status_label: 'FAILED', error: `workspace: ${(e as Error).message}` }, opts.now()));
    killGroup(pid, 'SIGTERM');
    await appendEvent(dir, 'FAILED', 'workspace_failed', opts.now(), { message: (e as Error).message });
    await appendIndex(env, indexEntryOf(readAgentView(dir)));
    throw e;
  }
  const v = readAgentView(dir);
  await appendIndex(env, { ...indexEntryOf(v), status: v.status === 'STALE' ? 'STARTING' : v.status });
  return { id: p.id, name: p.name, status: v.status === 'RUNNING' ? 'RUNNING' : 'STARTING', record_dir: dir, workspace_dir: ws.dir, runner_pid: pid, model: `${record.model.provider}/${record.model.model}` };
}

function spawnRunner(dir: string, opts: LaunchOptions): number {
  return spawnDetachedRunner(dir, opts.runnerScript ?? binScript('sase-runner'), opts.env);
}

/** SASE's `agent_meta.json` (AgentMetaWire subset) for a record. */
export function agentMeta(r: AgentRecord, ws: WorkspaceFacts | null, pid: number | null): Record<string, unknown> {
  return {
    name: r.name,
    artifact_agent_id: r.id,
    workflow_name: `ace(run)-${r.timestamp}`,
    hidden: r.hidden,
    tribe: r.group,
    model: r.model.model,
    llm_provider: r.model.provider,
    reasoning_effort: r.model.effort,
    model_alias: r.model.spec,
    vcs_provider: ws && ws.type !== 'cd' ? ws.type : null,
    pid,
    workspace_num: ws?.num ?? null,
    workspace_dir: ws?.dir ?? null,
    run_started_at: r.created_at,
    approve: r.directives.auto !== null,
    auto_approve_plan_action: r.directives.auto,
    wait_for: r.directives.waits,
    wait_duration: r.directives.wait_time?.duration_s ?? null,
    wait_until: r.directives.wait_time?.until ?? null,
    retry_of_timestamp: r.retry_of,
    retry_attempt: r.retry_attempt,
    retry_chain_root_timestamp: r.retry_chain_root,
  };
}

/**
 * Starts a parked WAITING run whose dependencies are satisfied (implemented by lib/orchestration/release.ts
 * `startParkedRun`: resolves `#fork`, writes ready.json, spawns the runner, resolves the workspace).
 * @throws Error from workspace resolution (the run is marked FAILED first)
 */
export async function startWaitingRun(recordDir: string, opts: LaunchOptions): Promise<LaunchedAgent> {
  return (await import('../orchestration/release.js')).startParkedRun(recordDir, opts);
}
