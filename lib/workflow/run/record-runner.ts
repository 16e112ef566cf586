/**
 * The detached runner of a workflow run (`bin/sase-workflow-runner.js <record_dir>`), the counterpart of
 * lib/agents/runner.ts for records holding `workflow.json` (`{name, args}`, written by `sase run '#!name …'`):
 * waits for the workspace, loads the workflow from the catalog of the launch directory, executes it (./executor.ts)
 * with agent steps as child runs (`<workflow>.<step>` records whose `parent.json` points back; listed in the root's
 * `children.jsonl`), then writes `reply.md` (the last step's output), the terminal `done.json` (status derived
 * from the steps: DONE, FAILED, `FAILED (rejected)`, KILLED) and releases the runs waiting on it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appendIndex } from '../../agents/index-append.js';
import { appendEvent, doneMarkerFor, indexEntryOf, readAgentView, readJsonOrNull, RECORD_FILES, runningMarkerFor, waitForWorkspace, writeDone, writeRecordJson } from '../../agents/records.js';
import type { AgentRecord, DoneMarker, WorkspaceFacts } from '../../agents/types.js';
import { appendJsonl } from '../../store/jsonl.js';
import { writeFileAtomic } from '../../store/atomic.js';
import type { Env } from '../../store/paths.js';
import { CHILDREN_FILE } from '../../orchestration/wait.js';
import type { AgentRequest, AgentResult, WorkflowOutcome } from './executor.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the workflow runner needs from its process. */
export interface WorkflowRunnerDeps {
  env: Env;
  now(): Date;
  pid: number;
  onStopSignal(handler: () => void): void;
}


/**
 * Runs the workflow whose record is `dir` to completion.
 * @returns the process exit code (0 when the workflow finished DONE, 1 otherwise)
 */
export async function runWorkflowRecord(dir: string, deps: WorkflowRunnerDeps): Promise<number> {
  const record = readJsonOrNull<AgentRecord>(join(dir, RECORD_FILES.agent));
  const wfRef = readJsonOrNull<{ name: string; args: Record<string, unknown>; hitl?: boolean | null }>(join(dir, 'workflow.json'));
  if (!record || !wfRef) return 2;
  const { env, now } = deps;
  const ctrl = new AbortController();
  deps.onStopSignal(() => ctrl.abort());
  const ws = await waitForWorkspace(dir, 60_000, 20);
  if (!ws) {
    if (!existsSync(join(dir, RECORD_FILES.done))) await finish(dir, env, now, { outcome: 'failed', status_label: 'FAILED', error: 'workspace was never resolved' }, null);
    return 1;
  }
  writeRecordJson(join(dir, RECORD_FILES.running), runningMarkerFor(record, deps.pid, now(), ws, 1));
  await appendEvent(dir, 'RUNNING', 'workflow_started', now(), { workflow: wfRef.name, pid: deps.pid });
  await appendIndex(env, indexEntryOf(readAgentView(dir)));
  if (existsSync(join(dir, RECORD_FILES.kill))) ctrl.abort();
  let outcome: WorkflowOutcome | null = null;
  let fatal: string | null = null;
  try {
    const config = readJsonOrNull<Record<string, unknown>>(join(dir, RECORD_FILES.config)) ?? (await import('../../config/index.js')).loadConfig(record.launch_cwd, env).merged;
    const wf = await loadWorkflowByName(wfRef.name, record.launch_cwd, env, config);
    const { executeWorkflow } = await import('./executor.js');
    const childEnv: Env = { ...env, ...ws.env, SASE_WORKFLOW_NAME: wfRef.name, SASE_AGENT_NAME: record.name, SASE_AGENT_ID: record.id };
    outcome = await executeWorkflow(wf, wfRef.args, {
      rootDir: dir,
      workflowName: wfRef.name,
      cwd: ws.dir,
      env: childEnv,
      now,
      signal: ctrl.signal,
      hitlOverride: wfRef.hitl ?? null,
      runAgent: (req) => runChildAgent(dir, record, req, env, config, ctrl.signal, now),
    });
  } catch (e) {
    fatal = (e as Error).message;
  }
  let fields: Pick<DoneMarker, 'outcome' | 'status_label' | 'error'> & Partial<DoneMarker>;
  if (ctrl.signal.aborted || outcome?.status === 'killed') {
    const by = readJsonOrNull<{ by?: string }>(join(dir, RECORD_FILES.kill));
    fields = { outcome: 'killed', status_label: 'KILLED', error: `killed${by?.by ? ` by ${by.by}` : ''}`, stopped_by: by?.by ?? null };
  } else if (fatal) fields = { outcome: 'failed', status_label: 'FAILED', error: fatal };
  else if (outcome!.status === 'completed') fields = { outcome: 'completed', status_label: 'DONE', error: null };
  else if (outcome!.status === 'rejected') fields = { outcome: 'failed', status_label: 'FAILED (rejected)', error: outcome!.error };
  else fields = { outcome: 'failed', status_label: 'FAILED', error: outcome!.error };
  await finish(dir, env, now, fields, outcome, ws);
  return fields.outcome === 'completed' ? 0 : 1;
}

async function finish(
  dir: string,
  env: Env,
  now: () => Date,
  fields: Pick<DoneMarker, 'outcome' | 'status_label' | 'error'> & Partial<DoneMarker>,
  outcome: WorkflowOutcome | null,
  ws: WorkspaceFacts | null = null,
): Promise<void> {
  const last = outcome?.last;
  const reply = last === undefined || last === null ? '' : typeof last === 'string' ? last : typeof last === 'object' && !Array.isArray(last) && '_response' in last ? String((last as { _response: unknown })._response) : JSON.stringify(last, null, 2);
  await writeFileAtomic(join(dir, RECORD_FILES.reply), reply.endsWith('\n') || reply === '' ? reply : reply + '\n');
  const v = readAgentView(dir);
  const done = doneMarkerFor({ record: v.record, workspace: ws ?? v.workspace, running: v.running }, { ...fields, response_path: join(dir, RECORD_FILES.reply), step_output: outcome?.outputs ?? {} } as typeof fields, now());
  await writeDone(dir, done, true);
  await appendEvent(dir, done.status_label, 'finished', now(), { outcome: done.outcome, error: done.error });
  await appendIndex(env, indexEntryOf(readAgentView(dir)));
  await (await import('../../orchestration/tick.js')).onRunFinished(dir, env, now);
}

/**
 * Loads a workflow definition by catalog name from the launch directory's catalog.
 * @throws NotFoundError when the name is unknown; InvalidDataError when the file has errors
 */
export async function loadWorkflowByName(name: string, cwd: string, env: Env, config: Record<string, unknown>) {
  const { loadCatalog } = await import('../../xprompt/catalog.js');
  const { NotFoundError, InvalidDataError } = await import('../../errors/index.js');
  const catalog = await loadCatalog({ cwd, env, config });
  const def = catalog.get(name);
  if (!def?.path) throw new NotFoundError(`no workflow named '${name}'`);
  const { loadWorkflowFile, stepDirsFor } = await import('../load.js');
  const { assetPath } = await import('../../package.js');
  const { homeDir } = await import('../../store/paths.js');
  const loaded = loadWorkflowFile(def.path, { stepDirs: stepDirsFor(def.path, cwd, homeDir(env), assetPath('xprompts')) });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.workflow || errors.length) throw new InvalidDataError(`workflow ${name} is invalid: ${errors.map((d) => `${d.line}:${d.column}: ${d.message}`).join('; ')}`);
  return loaded.workflow;
}

/** Launches an agent step as a child run of the workflow record and waits for it. */
async function runChildAgent(rootDir: string, root: AgentRecord, req: AgentRequest, env: Env, config: Record<string, unknown>, signal: AbortSignal, now: () => Date): Promise<AgentResult> {
  const { loadPlanner } = await import('../../agents/planner-bridge.js');
  const { launchRuns } = await import('../../agents/launch.js');
  const { resolveModel } = await import('../../providers/model.js');
  const planLaunches = await loadPlanner();
  // An agent step is one prompt: its `---` lines are markdown rules, not segment separators (spec/xprompts.md §6.2).
  const RULE = '\uE000---';
  const launches = await planLaunches(req.prompt.replace(/^---(\s*)$/gm, `${RULE}$1`), { cwd: req.cwd, env, config, now: now() });
  for (const l of launches) {
    l.prompt = l.prompt.split(RULE).join('---');
    l.raw_prompt = l.raw_prompt.split(RULE).join('---');
  }
  if (launches.length === 0) return { ok: false, reply: '', ids: [], error: 'the agent step planned no launches' };
  launches.forEach((l, i) => {
    l.workspace_ref = `#cd:${req.cwd}`;
    l.name = `${root.name}.${req.label}${launches.length > 1 ? `.${i + 1}` : ''}`;
    l.directives = { ...l.directives, name: l.name, name_reuse: true, hide: l.directives.hide || root.hidden };
  });
  const agents = await launchRuns(launches, {
    env,
    cwd: req.cwd,
    now,
    config,
    timeoutMs: root.timeout_ms,
    killGraceMs: root.kill_grace_ms,
    resolveModel: (spec, cfg) => resolveModel(spec, cfg),
  });
  for (const a of agents) {
    writeRecordJson(join(a.record_dir, 'parent.json'), { parent_id: root.id, parent_name: root.name, step: req.label, record_dir: rootDir });
    await appendJsonl(join(rootDir, CHILDREN_FILE), { id: a.id, name: a.name, step: req.label });
  }
  const { isTerminalStatus } = await import('../../agents/status.js');
  const { reconcileStale } = await import('../../agents/records.js');
  let killed = false;
  for (;;) {
    if (signal.aborted && !killed) {
      killed = true;
      const { killAgent } = await import('../../agents/control.js');
      for (const a of agents) await killAgent(env, a.id, { now, by: `workflow ${root.name}`, extraWaitMs: 2000 }).catch(() => {});
    }
    const views = [];
    for (const a of agents) views.push(await reconcileStale(env, readAgentView(a.record_dir), now()));
    if (views.every((v) => isTerminalStatus(v.status))) {
      const { outcomeSatisfiesWait } = await import('../../agents/status.js');
      const bad = views.find((v) => !outcomeSatisfiesWait(v.done?.outcome));
      const { readFileSync } = await import('node:fs');
      let reply = '';
      try {
        reply = readFileSync(join(views[views.length - 1]!.record_dir, RECORD_FILES.reply), 'utf8');
      } catch {
        // none
      }
      return { ok: !bad, reply: reply.replace(/\n$/, ''), ids: agents.map((a) => a.id), error: bad ? `${bad.name} ${bad.status}${bad.done?.error ? `: ${bad.done.error}` : ''}` : null };
    }
    await sleep(100);
  }
}
