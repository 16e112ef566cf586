/**
 * Reading and writing one agent record directory (docs/formats.md "Agent records"). Whole files go through
 * lib/store atomic writes; status events are appended one line per write. Writers' helpers (jsonl, names, atomic)
 * load inside the functions that use them: readers such as `sase agent list` import this module on start-up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, UsageError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import { agentsRoot, isAgentId, recordDirOf } from './paths.js';
import { deriveStatus } from './status.js';
import type { AgentRecord, AgentView, DoneMarker, IndexEntry, RunningMarker, StatusEvent, WaitingMarker, WorkspaceFacts } from './types.js';
import { isPidAlive } from '../store/pid.js';
import { replaceFileSync } from '../store/replace.js';

/** File names inside a record directory. SASE marker names are kept verbatim (spec/runtime.md §a.2). */
export const RECORD_FILES = {
  agent: 'agent.json',
  meta: 'agent_meta.json',
  rawPrompt: 'raw_xprompt.md',
  prompt: 'expanded_prompt.md',
  workspace: 'workspace.json',
  running: 'running.json',
  waiting: 'waiting.json',
  ready: 'ready.json',
  done: 'done.json',
  kill: 'kill.json',
  events: 'events.jsonl',
  transcript: 'transcript.jsonl',
  liveReply: 'live_reply.md',
  reply: 'reply.md',
  usage: 'usage.json',
  diff: 'diff.json',
  patch: 'diff.patch',
  retryState: 'retry_state.json',
  runnerLog: 'runner.log',
  pendingQuestion: 'pending_question.json',
  /** Variables of this run only (bead work, plan follow-ups); see {@link readRunEnv}. */
  runEnv: 'run_env.json',
  config: 'config.json',
  attempts: 'attempts',
} as const;

/**
 * Atomic but not fsynced write (temp file in the same directory + rename) for launch-time record files, which
 * sit on the launch latency path: readers see the old or the new file, never a torn one; a machine crash right
 * after launch may lose them (terminal files — done.json, reply, usage, diff — use fsynced writes).
 */
export function writeRecordFile(path: string, data: string): void {
  replaceFileSync(path, data);
}

/** {@link writeRecordFile} of pretty JSON. */
export function writeRecordJson(path: string, value: unknown): void {
  writeRecordFile(path, JSON.stringify(value, null, 2) + '\n');
}

/** Reads a JSON file synchronously; null when missing or unreadable. */
export function readJsonOrNull<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * The run's own variables from `<dir>/run_env.json` (written at launch from `LaunchOptions.runEnv`, merged into the
 * provider's environment by the runner; docs/formats.md "Bead work and plan follow-up files"): `{NAME: value}`,
 * `{}` when the run has none or the file is unreadable.
 */
export function readRunEnv(dir: string): Record<string, string> {
  return readJsonOrNull<Record<string, string>>(join(dir, RECORD_FILES.runEnv)) ?? {};
}

/**
 * True when `pid` is alive and is the runner of record `dir`: on Linux its `/proc/<pid>/cmdline` must name the
 * record directory or be a standby or spare runner (guards against pid reuse); elsewhere a live pid is enough.
 */
export function isRunnerAlive(pid: number | null | undefined, dir: string): boolean {
  if (!isPidAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true;
  }
  const argv = cmdline.split('\0');
  return argv.includes(dir) || argv.includes('--standby') || argv.includes('--spare');
}

/** Appends one status event to `events.jsonl`. */
export async function appendEvent(dir: string, status: string, event: string, now: Date, detail?: Record<string, unknown>): Promise<void> {
  const ev: StatusEvent = { ts: now.toISOString(), status, event };
  if (detail) ev.detail = detail;
  const { appendJsonl } = await import('../store/jsonl.js');
  await appendJsonl(join(dir, RECORD_FILES.events), ev);
}

/** Reads `events.jsonl` (a torn last line is ignored). */
export async function readEvents(dir: string): Promise<StatusEvent[]> {
  const { readJsonl } = await import('../store/jsonl.js');
  return (await readJsonl<StatusEvent>(join(dir, RECORD_FILES.events))).records;
}

/**
 * Reads a record directory into an {@link AgentView}, deriving the status from its markers.
 * A RUNNING record whose runner pid is dead shows as `STALE` (see {@link reconcileStale}).
 * @throws NotFoundError when `agent.json` is missing or unreadable
 */
export function readAgentView(dir: string): AgentView {
  const record = readJsonOrNull<AgentRecord>(join(dir, RECORD_FILES.agent));
  if (!record) throw new NotFoundError(`no agent record in ${dir}`, { data: { record_dir: dir } });
  const doneExists = existsSync(join(dir, RECORD_FILES.done));
  const done = doneExists ? readJsonOrNull<DoneMarker>(join(dir, RECORD_FILES.done)) : null;
  const running = doneExists ? null : readJsonOrNull<RunningMarker>(join(dir, RECORD_FILES.running));
  const waiting = readJsonOrNull<WaitingMarker>(join(dir, RECORD_FILES.waiting));
  const status = deriveStatus({
    done,
    doneExists,
    pendingQuestion: !doneExists && existsSync(join(dir, RECORD_FILES.pendingQuestion)),
    plan: !doneExists && existsSync(join(dir, 'pending_plan.json')),
    waiting: waiting !== null,
    ready: existsSync(join(dir, RECORD_FILES.ready)),
    running: running !== null,
    runnerAlive: running !== null && isRunnerAlive(running.pid, dir),
  });
  // After a plan answer the still-running planner shows the answer (TALE APPROVED, EPIC APPROVED, …; lib/plans/actions.ts).
  const planStatus = status === 'RUNNING' ? readJsonOrNull<{ agent_status?: string }>(join(dir, 'plan_status.json'))?.agent_status : undefined;
  return {
    id: record.id,
    name: record.name,
    status: planStatus ?? status,
    record_dir: dir,
    record,
    workspace: readJsonOrNull<WorkspaceFacts>(join(dir, RECORD_FILES.workspace)),
    running,
    done,
    waiting,
  };
}

/** The index line of a view. */
export function indexEntryOf(v: AgentView): IndexEntry {
  return {
    id: v.id,
    status: v.status,
    name: v.name,
    created_at: v.record.created_at,
    finished_at: v.done ? new Date(v.done.finished_at * 1000).toISOString() : null,
    pid: v.running?.pid ?? null,
    model: `${v.record.model.provider}/${v.record.model.model}`,
    group: v.record.group,
    hidden: v.record.hidden,
    workspace_dir: v.workspace?.dir ?? null,
    retry_of: v.record.retry_of,
  };
}

/**
 * Writes `done.json` (atomically) and removes `running.json`. Never overwrites an existing done.json unless
 * `overwrite` is set (the runner's own final write).
 * @returns false when a done.json already existed and was kept
 */
export async function writeDone(dir: string, done: DoneMarker, overwrite = false): Promise<boolean> {
  const path = join(dir, RECORD_FILES.done);
  if (!overwrite && existsSync(path)) return false;
  const { writeJsonAtomic } = await import('../store/atomic.js');
  await writeJsonAtomic(path, done);
  await unlink(join(dir, RECORD_FILES.running)).catch(() => {});
  return true;
}

/**
 * Waits until `sase run` (or the release of a parked run) has written the record's `workspace.json`.
 * @param maxMs give up after this long (ms)
 * @param pollMs polling interval (ms)
 * @returns the facts, or null when `done.json` appeared first or the time ran out
 */
export async function waitForWorkspace(dir: string, maxMs: number, pollMs = 3): Promise<WorkspaceFacts | null> {
  const until = Date.now() + maxMs;
  for (;;) {
    if (existsSync(join(dir, RECORD_FILES.done))) return null;
    const ws = readJsonOrNull<WorkspaceFacts>(join(dir, RECORD_FILES.workspace));
    if (ws) return ws;
    if (Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * The `running.json` a run starts with (SASE RunningMarkerWire subset): written by `sase run` and parked-run release
 * with the runner's pid before the workspace is known (`ws` null), and by the runners once it is.
 */
export function runningMarkerFor(record: AgentRecord, pid: number, now: Date, ws: Pick<WorkspaceFacts, 'type' | 'dir'> | null = null, attempt = 0): RunningMarker {
  return {
    pid,
    cl_name: null,
    model: record.model.model,
    llm_provider: record.model.provider,
    vcs_provider: ws && ws.type !== 'cd' ? ws.type : null,
    workspace_dir: ws?.dir ?? null,
    provider_pid: null,
    attempt,
    started_at: now.toISOString(),
  };
}

/** Builds a done marker from a view's facts. */
export function doneMarkerFor(v: Pick<AgentView, 'record' | 'workspace' | 'running'>, fields: Pick<DoneMarker, 'outcome' | 'status_label' | 'error'> & Partial<DoneMarker>, now: Date): DoneMarker {
  const out: DoneMarker = {
    outcome: fields.outcome,
    status_label: fields.status_label,
    finished_at: now.getTime() / 1000,
    name: v.record.name,
    pid: v.running?.pid ?? null,
    model: v.record.model.model,
    llm_provider: v.record.model.provider,
    workspace_num: v.workspace?.num ?? null,
    workspace_dir: v.workspace?.dir ?? null,
    response_path: null,
    diff_path: null,
    error: null,
  };
  return Object.assign(out, fields);
}

/** Kills a process group (negative pid) or process, ignoring "no such process". */
export function killGroup(pid: number | null | undefined, signal: NodeJS.Signals): void {
  if (!pid || pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** A STARTING record older than this with no live runner is treated as dead, in ms. */
export const STARTING_GRACE_MS = 120_000;

/**
 * Detects a run whose runner died without a terminal status (dead runner pid, no done.json; or STARTING for longer
 * than {@link STARTING_GRACE_MS} with no runner) and marks it FAILED with `finished_at_estimated: true`, killing the
 * orphaned provider process group if one is left. Idempotent.
 * @returns the (possibly updated) view
 */
export async function reconcileStale(env: Env, v: AgentView, now: Date): Promise<AgentView> {
  const stale = v.status === 'STALE' || (v.status === 'STARTING' && now.getTime() - Date.parse(v.record.created_at) > STARTING_GRACE_MS);
  if (!stale) return v;
  killGroup(v.running?.provider_pid, 'SIGKILL');
  const why = v.running ? `runner (pid ${v.running.pid}) exited without writing a terminal status` : 'runner never started';
  await writeDone(v.record_dir, doneMarkerFor(v, { outcome: 'failed', status_label: 'FAILED', error: why, finished_at_estimated: true }, now));
  await appendEvent(v.record_dir, 'FAILED', 'runner_lost', now, { reason: why });
  const next = readAgentView(v.record_dir);
  const { appendIndex } = await import('./index-append.js');
  await appendIndex(env, indexEntryOf(next));
  return next;
}

/**
 * Finds a run by id, id prefix (≥ 6 chars) or name (the newest run holding the name).
 * @throws NotFoundError when nothing matches; UsageError when an id prefix is ambiguous
 */
export async function findAgentDir(env: Env, ref: string): Promise<string> {
  if (isAgentId(ref)) {
    const dir = recordDirOf(env, ref);
    if (existsSync(join(dir, RECORD_FILES.agent))) return dir;
    throw new NotFoundError(`no agent with id ${ref}`, { data: { ref } });
  }
  const { readNameClaim } = await import('./names.js');
  const claim = await readNameClaim(env, ref);
  if (claim && isAgentId(claim.id)) {
    const dir = recordDirOf(env, claim.id);
    if (existsSync(join(dir, RECORD_FILES.agent))) return dir;
  }
  if (/^\d{6,}/.test(ref)) {
    const months = await readdir(agentsRoot(env)).catch(() => [] as string[]);
    const hits: string[] = [];
    for (const m of months.filter((x) => /^\d{6}$/.test(x) && ref.startsWith(x.slice(0, Math.min(6, ref.length))))) {
      for (const id of await readdir(join(agentsRoot(env), m)).catch(() => [] as string[])) if (id.startsWith(ref)) hits.push(join(agentsRoot(env), m, id));
    }
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) throw new UsageError(`agent id prefix ${ref} is ambiguous (${hits.length} matches)`);
  }
  throw new NotFoundError(`no agent named '${ref}'`, { hint: "run 'sase agent list -a' to see agents", data: { ref } });
}

/** Lists every record directory (newest month first, ids descending). */
export async function listRecordDirs(env: Env): Promise<string[]> {
  const root = agentsRoot(env);
  const months = (await readdir(root).catch(() => [] as string[])).filter((m) => /^\d{6}$/.test(m)).sort().reverse();
  const out: string[] = [];
  for (const m of months) {
    const ids = (await readdir(join(root, m)).catch(() => [] as string[])).filter(isAgentId).sort().reverse();
    for (const id of ids) out.push(join(root, m, id));
  }
  return out;
}

/** Reads a text file of a record, '' when missing. */
export async function readRecordText(dir: string, file: string): Promise<string> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch {
    return '';
  }
}
