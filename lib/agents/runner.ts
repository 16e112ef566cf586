/**
 * The detached runner of one agent run (`bin/sase-runner.js <record_dir>`): waits for its workspace, snapshots
 * the prompt and the workspace, spawns the provider CLI in its own process group, streams its output into the
 * record as it arrives, retries per provider rules, enforces the timeout, obeys SIGTERM (kill: SIGTERM to the
 * provider group, SIGKILL after the grace period), then writes reply, usage, diff and the terminal done.json.
 * spec/runtime.md §b.8–11, §c.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { definedEnv, type Env } from '../store/paths.js';
import type { Provider, StreamParser, TranscriptEntry, Usage } from '../providers/types.js';
import { addUsage } from '../providers/parsers/lines.js';
import { diffWorkspace, snapshotWorkspace, type WorkspaceSnapshot } from './diff.js';
import { appendIndex } from './index-append.js';
import { providerFor } from './provider-bridge.js';
import { appendEvent, doneMarkerFor, indexEntryOf, killGroup, readAgentView, readJsonOrNull, readRunEnv, RECORD_FILES, runningMarkerFor, waitForWorkspace, writeDone, writeRecordJson } from './records.js';
import type { AgentRecord, DoneMarker, RunningMarker, WorkspaceFacts } from './types.js';
import { stripWorkspaceEnv } from './workspace-ref.js';

/** What the runner needs from its process. */
export interface RunnerDeps {
  env: Env;
  now(): Date;
  pid: number;
  /** Registers the stop handler for SIGTERM/SIGINT. */
  onStopSignal(handler: () => void): void;
  /** How long to wait for `workspace.json`, ms (default 60 000). */
  workspaceWaitMs?: number;
  /** Last word on the terminal marker before it is written (embedded workflows' post-steps; lib/workflow/run). */
  beforeDone?(done: DoneMarker): Promise<DoneMarker>;
}

interface AttemptResult {
  /** Message of the last `error` transcript entry of the attempt, null when none. */
  lastError: string | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  parser: StreamParser;
  spawnError: string | null;
}

const TAIL_BYTES = 256 * 1024;

function sleep(ms: number, cancel: { fn?: () => void }): Promise<void> {
  return new Promise((res) => {
    const t = setTimeout(res, ms);
    cancel.fn = () => {
      clearTimeout(t);
      res();
    };
  });
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await (await import('../store/atomic.js')).writeJsonAtomic(path, value);
}

async function writeFileAtomic(path: string, data: string): Promise<void> {
  await (await import('../store/atomic.js')).writeFileAtomic(path, data);
}

/**
 * SASE's runtime Jinja names for this run (spec/xprompts.md §4.4): `cl_name` (agent name), `workspace_num`, `n`/`N`
 * (repeat slot, else 1/1), `agents` (names of the `%wait` agents), `wait_chats` (their transcript paths, newest record
 * of each name in the same agents root), `root` (workspace dir).
 */
function runtimeNames(dir: string, record: AgentRecord, ws: WorkspaceFacts): Record<string, unknown> {
  const waits = record.directives.waits ?? [];
  const chats: string[] = [];
  if (waits.length > 0) {
    const root = dirname(dir);
    let ids: string[] = [];
    try {
      ids = readdirSync(root).sort().reverse();
    } catch {
      ids = [];
    }
    for (const w of waits) {
      const id = ids.find((i) => readJsonOrNull<AgentRecord>(join(root, i, RECORD_FILES.agent))?.name === w);
      if (id) chats.push(join(root, id, RECORD_FILES.transcript));
    }
  }
  return {
    root: ws.dir,
    cl_name: record.name,
    workspace_num: ws.num ?? 0,
    n: record.repeat_slot?.iteration ?? 1,
    N: record.repeat_slot?.total ?? 1,
    agents: [...waits],
    wait_chats: chats,
  };
}

const ZERO_USAGE: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: null };

/**
 * Runs the agent whose record is `dir` to completion.
 * @returns the process exit code (0 when the run finished DONE, 1 otherwise)
 */
export async function runAgent(dir: string, deps: RunnerDeps): Promise<number> {
  const record = readJsonOrNull<AgentRecord>(join(dir, RECORD_FILES.agent));
  if (!record) return 2;
  const { env, now } = deps;
  // The provider's module loads while the runner waits for its workspace (launch time, docs/adr/0004).
  const providerP = import('../providers/model.js').then((m) => providerFor(m.execProviderName({ ...record.model }, env)));
  providerP.catch(() => {});
  let stopReason: 'killed' | 'timeout' | null = null;
  let child: ReturnType<typeof spawn> | null = null;
  const cancelSleep: { fn?: () => void } = {};
  let graceTimer: NodeJS.Timeout | undefined;
  const requestStop = (reason: 'killed' | 'timeout'): void => {
    if (stopReason) return;
    stopReason = reason;
    cancelSleep.fn?.();
    if (child?.pid) {
      killGroup(child.pid, 'SIGTERM');
      const pid = child.pid;
      graceTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), Math.max(0, record.kill_grace_ms));
    }
  };
  deps.onStopSignal(() => requestStop('killed'));

  const ws = await waitForWorkspace(dir, deps.workspaceWaitMs ?? 60_000);
  if (!ws) {
    if (!existsSync(join(dir, RECORD_FILES.done))) {
      const v = readAgentView(dir);
      await writeDone(dir, doneMarkerFor(v, { outcome: 'failed', status_label: 'FAILED', error: 'workspace was never resolved' }, now()));
      await appendEvent(dir, 'FAILED', 'workspace_missing', now());
      await appendIndex(env, indexEntryOf(readAgentView(dir)));
    }
    return 1;
  }
  if (stopReason === 'killed' || existsSync(join(dir, RECORD_FILES.kill))) stopReason = 'killed';

  const timeoutTimer = record.timeout_ms > 0 ? setTimeout(() => requestStop('timeout'), record.timeout_ms) : undefined;
  const running: RunningMarker = runningMarkerFor(record, deps.pid, now(), ws);
  const savedConfig = readJsonOrNull<Record<string, unknown>>(join(dir, RECORD_FILES.config));
  const configP = savedConfig
    ? Promise.resolve(savedConfig)
    : import('../config/index.js').then((c) => c.mergedConfigOrEmpty(record.launch_cwd, env));
  writeRecordJson(join(dir, RECORD_FILES.running), running);
  const startedP = appendEvent(dir, 'RUNNING', 'runner_started', now(), { pid: deps.pid }).then(() => appendIndex(env, indexEntryOf(readAgentView(dir))));
  startedP.catch(() => {});
  const savedPrompt = readFileSync(join(dir, RECORD_FILES.prompt), 'utf8');
  let prompt = savedPrompt;
  let promptError: string | null = null;
  if (savedPrompt.includes('{')) {
    // Runtime names deferred at plan time (spec/xprompts.md §4.4): rendered now that they are known.
    try {
      prompt = await (await import('../xprompt/toplevel.js')).renderRuntimeNames(savedPrompt, runtimeNames(dir, record, ws));
    } catch (e) {
      promptError = (e as Error).message;
    }
  }
  let snapshotPath: string | null = null;
  const writeSnapshot = async (): Promise<void> => {
    try {
      // Runs inside a git work tree save their expanded prompt through lib/sdd (SASE naming, `_N`, the tree's layout).
      const { findRepoRoot } = await import('../store/paths.js');
      const repoRoot = findRepoRoot(ws.dir);
      if (!repoRoot) return;
      const { writePromptSnapshot } = await import('../sdd/snapshot.js');
      const extra = { agent: record.name, agent_id: record.id, model: `${record.model.provider}/${record.model.model}`, workspace_ref: record.workspace_ref, created_at: record.created_at };
      snapshotPath = (await writePromptSnapshot(repoRoot, { prompt: prompt.trim(), name: record.name, now: now(), extra, env })).path;
      await appendEvent(dir, 'RUNNING', 'prompt_snapshot', now(), { path: snapshotPath });
    } catch (e) {
      await appendEvent(dir, 'RUNNING', 'warning', now(), { message: `prompt snapshot failed: ${(e as Error).message}` });
    }
  };

  const childEnvBase: Record<string, string | undefined> = {
    ...stripWorkspaceEnv(env),
    ...ws.env,
    ...readRunEnv(dir),
    SASE_AGENT: '1',
    SASE_AGENT_NAME: record.name,
    SASE_AGENT_ID: record.id,
    SASE_AGENT_TIMESTAMP: record.timestamp,
    SASE_ARTIFACTS_DIR: dir,
    ...(record.repeat_slot ? { SASE_REPEAT_ITERATION: String(record.repeat_slot.iteration), SASE_REPEAT_TOTAL: String(record.repeat_slot.total) } : {}),
  };
  let snapshot: WorkspaceSnapshot | null = null;
  let provider: Provider | null = null;
  let last: AttemptResult | null = null;
  let usage: Usage = ZERO_USAGE;
  const usages: Usage[] = [];
  let fatal: string | null = null;
  let attempt = 0;
  try {
    if (promptError) throw new Error(promptError);
    snapshot = await snapshotWorkspace(ws.dir, join(dir, 'diff-base.index'), childEnvBase);
    provider = await providerP;
    const config = await configP;
    while (!stopReason) {
      attempt++;
      running.attempt = attempt;
      const attemptP = runAttempt(dir, attempt, provider, record, ws, prompt, childEnvBase, config, (c) => {
        child = c;
        running.provider_pid = c.pid ?? null;
        writeRecordJson(join(dir, RECORD_FILES.running), running);
        if (stopReason && c.pid) {
          const pid = c.pid;
          killGroup(pid, 'SIGTERM');
          graceTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), Math.max(0, record.kill_grace_ms));
        }
      });
      if (attempt === 1) await writeSnapshot();
      const spawned = child as ReturnType<typeof spawn> | null;
      last = await attemptP;
      child = null;
      if (graceTimer) clearTimeout(graceTimer);
      // A stopped run leaves nothing behind: whatever is left of the provider's process group is killed.
      if (stopReason && spawned?.pid) killGroup(spawned.pid, 'SIGKILL');
      const u = last.parser.usage();
      usages.push(u);
      usage = addUsage(usage, u);
      if (stopReason) break;
      if (last.code === 0 && !last.spawnError) break;
      const delays = provider.retryDelaysMs;
      if (!last.spawnError && attempt <= delays.length && provider.isRetryable(last.code, last.output)) {
        const delay = delays[attempt - 1]!;
        await writeJsonAtomic(join(dir, RECORD_FILES.retryState), { attempt, max_retries: delays.length, next_delay_ms: delay, last_exit_code: last.code, updated_at: now().toISOString() });
        await appendEvent(dir, 'RUNNING', 'retrying', now(), { attempt, exit_code: last.code, delay_ms: delay });
        await sleep(delay, cancelSleep);
        continue;
      }
      break;
    }
  } catch (e) {
    fatal = (e as Error).message;
  }
  if (timeoutTimer) clearTimeout(timeoutTimer);

  // Finalize: reply, usage, diff, done.
  const reply = last?.parser.reply() ?? '';
  await writeFileAtomic(join(dir, RECORD_FILES.reply), reply.endsWith('\n') || reply === '' ? reply : reply + '\n');
  await writeJsonAtomic(join(dir, RECORD_FILES.usage), { schema_version: 1, total: usage, attempts: usages, session_id: last?.parser.sessionId() ?? null });
  let diffPath: string | null = null;
  if (snapshot) {
    try {
      const { summary, patch } = await diffWorkspace(snapshot, childEnvBase, snapshotPath ? [snapshotPath] : []);
      await writeJsonAtomic(join(dir, RECORD_FILES.diff), summary);
      await writeFileAtomic(join(dir, RECORD_FILES.patch), patch);
      diffPath = join(dir, RECORD_FILES.patch);
    } catch (e) {
      await appendEvent(dir, 'RUNNING', 'warning', now(), { message: `diff failed: ${(e as Error).message}` });
    }
  }
  const stop = stopReason as 'killed' | 'timeout' | null;
  let fields: Pick<DoneMarker, 'outcome' | 'status_label' | 'error'> & Partial<DoneMarker>;
  if (stop === 'killed') {
    const by = readJsonOrNull<{ by?: string }>(join(dir, RECORD_FILES.kill));
    fields = { outcome: 'killed', status_label: 'KILLED', error: `killed${by?.by ? ` by ${by.by}` : ''}`, stopped_by: by?.by ?? null };
  } else if (stop === 'timeout') fields = { outcome: 'failed', status_label: 'FAILED (timeout)', error: `timed out after ${record.timeout_ms} ms` };
  else if (fatal) fields = { outcome: 'failed', status_label: 'FAILED', error: fatal };
  else if (last && last.code === 0 && !last.spawnError) fields = { outcome: 'completed', status_label: 'DONE', error: null };
  else {
    const tail = last?.lastError ?? (last?.output ?? '').trim().split('\n').slice(-3).join('\n');
    fields = {
      outcome: 'failed',
      status_label: 'FAILED',
      error: last?.spawnError ?? `provider exited with ${last?.signal ? `signal ${last.signal}` : `code ${last?.code}`}${tail ? `: ${tail}` : ''}`,
    };
  }
  await startedP.catch(() => {});
  const view = readAgentView(dir);
  const done = doneMarkerFor(
    { record, workspace: ws, running: { ...running } },
    { ...fields, exit_code: last?.code ?? null, response_path: join(dir, RECORD_FILES.reply), diff_path: diffPath },
    now(),
  );
  done.pid = deps.pid;
  if (deps.beforeDone) Object.assign(done, await deps.beforeDone({ ...done }));
  // Release the claim first: whoever sees done.json (a waiter, a %wait successor) may reuse the workspace.
  await releaseWorkspace(ws, env, deps.pid).catch(() => {});
  await writeDone(dir, done, true);
  await appendEvent(dir, done.status_label, 'finished', now(), { outcome: done.outcome, attempts: attempt });
  await appendIndex(env, indexEntryOf({ ...view, status: done.status_label, done, running: null }));
  // Bead work / plan hooks (close the phase bead, PLAN status) before waiters are released.
  await (await import('../beadwork/on-finish.js')).afterRunFinished(dir, env, now).catch(() => {});
  await (await import('../orchestration/tick.js')).onRunFinished(dir, env);
  return done.outcome === 'completed' ? 0 : 1;
}

/** Ends the run's hold on a numbered workspace: its claim and its `.sase/occupant.json` (docs/workspaces.md). */
async function releaseWorkspace(ws: WorkspaceFacts, env: Env, pid: number): Promise<void> {
  if (ws.type === 'cd' || !ws.project) return;
  const { releaseWorkspaceFacts } = await import('../workspace/release.js');
  await releaseWorkspaceFacts(ws, env, pid);
}

function runAttempt(
  dir: string,
  attempt: number,
  provider: Provider,
  record: AgentRecord,
  ws: WorkspaceFacts,
  prompt: string,
  envBase: Record<string, string | undefined>,
  config: Record<string, unknown>,
  onSpawn: (c: ReturnType<typeof spawn>) => void,
): Promise<AttemptResult> {
  const adir = join(dir, RECORD_FILES.attempts, String(attempt));
  mkdirSync(adir, { recursive: true });
  const parser = provider.createParser();
  let inv;
  try {
    inv = provider.invocation({ model: { ...record.model }, prompt, cwd: ws.dir, env: envBase, config });
  } catch (e) {
    return Promise.resolve({ lastError: null, code: null, signal: null, output: '', parser, spawnError: (e as Error).message });
  }
  const env = definedEnv({ ...envBase, ...inv.env });
  const startedAt = new Date().toISOString();
  void writeJsonAtomic(join(adir, 'invocation.json'), {
    attempt,
    command: inv.command,
    args: inv.args,
    cwd: inv.cwd ?? ws.dir,
    stdin_bytes: inv.stdin === null ? null : Buffer.byteLength(inv.stdin),
    env: inv.env,
    session_id: inv.sessionId ?? null,
    started_at: startedAt,
  });
  const outFd = openSync(join(adir, 'stdout'), 'a');
  const errFd = openSync(join(adir, 'stderr'), 'a');
  const trFd = openSync(join(dir, RECORD_FILES.transcript), 'a');
  const liveFd = openSync(join(dir, RECORD_FILES.liveReply), 'a');
  let lastError: string | null = null;
  const writeEntries = (entries: TranscriptEntry[]): void => {
    for (const e of entries) {
      writeSync(trFd, JSON.stringify({ ...e, ts: e.ts ?? new Date().toISOString(), attempt }) + '\n');
      if (e.type === 'error') lastError = e.message;
      if (e.type === 'assistant') writeSync(liveFd, e.text.endsWith('\n') ? e.text : e.text + '\n');
    }
  };
  let outTail = '';
  let errTail = '';
  return new Promise((resolve) => {
    let spawnError: string | null = null;
    let settled = false;
    let childPid: number | null = null;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      try {
        writeEntries(parser.end());
      } catch (e) {
        writeEntries([{ type: 'error', message: `stream parser failed: ${(e as Error).message}` }]);
      }
      for (const fd of [outFd, errFd, trFd, liveFd]) closeSync(fd);
      void writeJsonAtomic(join(adir, 'exit.json'), { pid: childPid, code, signal, spawn_error: spawnError, started_at: startedAt, finished_at: new Date().toISOString() });
      for (const p of inv.cleanupPaths ?? []) rmSync(p, { recursive: true, force: true });
      resolve({ lastError, code, signal, output: outTail + '\n' + errTail, parser, spawnError });
    };
    let c: ReturnType<typeof spawn>;
    try {
      c = spawn(inv.command, inv.args, {
        cwd: inv.cwd ?? ws.dir,
        env,
        detached: true,
        stdio: [inv.stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
    } catch (e) {
      spawnError = `cannot start ${inv.command}: ${(e as Error).message}`;
      finish(null, null);
      return;
    }
    c.on('error', (e) => {
      spawnError = `cannot start ${inv.command}: ${e.message}`;
      finish(null, null);
    });
    childPid = c.pid ?? null;
    onSpawn(c);
    c.stdout!.setEncoding('utf8').on('data', (s: string) => {
      writeSync(outFd, s);
      outTail = (outTail + s).slice(-TAIL_BYTES);
      try {
        writeEntries(parser.feed(s));
      } catch (e) {
        writeEntries([{ type: 'error', message: `stream parser failed: ${(e as Error).message}` }]);
      }
    });
    c.stderr!.setEncoding('utf8').on('data', (s: string) => {
      writeSync(errFd, s);
      errTail = (errTail + s).slice(-TAIL_BYTES);
    });
    if (c.stdin) {
      c.stdin.on('error', () => {});
      c.stdin.end(inv.stdin ?? '');
    }
    c.on('close', (code, signal) => finish(code, signal));
  });
}
