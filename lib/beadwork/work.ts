/**
 * `sase bead work <epic-plan-file|bead-id>` (spec/beads-sdd-changespecs.md §A.6 step 6, §B.9):
 * - epic (a plan file or a plan bead): materialize the beads ({@link materializeEpic}), schedule Kahn waves
 *   ({@link scheduleEpic}; errors stop everything before any write), mark the epic ready, preclaim every phase to
 *   launch (`epic_work_preclaimed{agent_name=<phase id>}`) and the epic (`<epic>.land`), then launch one run per
 *   phase named by its bead id with `%wait` on its open in-epic blockers, and a land run waiting on all of them.
 *   Phase size routes the model. Re-running resumes: closed phases and phases whose run is still live are left
 *   alone; a phase whose newest run failed is relaunched under the same name (waiters on it follow the new run).
 * - task: accepts open|ready|in_progress; sets in_progress + assignee=<task id>, launches one run.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConflictError, InvalidDataError, UsageError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import type { BeadIssue } from '../beads/types.js';
import { materializeEpic } from './epic.js';
import { scheduleEpic, type EpicSchedule, type ScheduleIssue } from './schedule.js';

/** Inputs of {@link beadWork}. */
export interface BeadWorkOptions {
  env: Env;
  cwd: string;
  now: () => Date;
  /** Bead store directory (default: `$SASE_BEADS_DIR`, else `<repo>/sdd/beads`). */
  store?: string;
  /** Workspace reference for phase runs (default: `#git:<origin>` when the repo's origin is a local bare repo, else `#cd:<repo>`). */
  workspace?: string;
  /** Plan only: report what would launch, write nothing. */
  dryRun?: boolean;
  /** Actor for store writes (default: `$SASE_AGENT_NAME`, else `$USER`, else `sase`). */
  actor?: string;
}

/** One run bead work started or found. */
export interface WorkRun {
  bead: string;
  role: 'phase' | 'land' | 'task';
  agent: string;
  /** `launched`, `running` (a live run was kept), `closed` (nothing to do). */
  action: 'launched' | 'kept' | 'closed' | 'planned';
  status: string;
  agent_id: string | null;
  record_dir: string | null;
  waits: string[];
  model: string | null;
}

/** Result of {@link beadWork}. */
export interface BeadWorkResult {
  kind: 'epic' | 'task';
  store: string;
  epic: string | null;
  created: boolean;
  plan_file: string | null;
  schedule: EpicSchedule | null;
  warnings: ScheduleIssue[];
  runs: WorkRun[];
  resumed: boolean;
  /** The `chore(beads): checkpoint approved epic graph <id>` commit (store + plan), when the store is in a git repo. */
  checkpoint?: { committed: boolean; sha?: string; error?: string } | null;
}

const SIZE_ORDER = ['xsmall', 'small', 'medium', 'large', 'xlarge'];

/**
 * The model for a phase: the phase bead's `model`, else the size route (`bead_work.size_models.<size>` in
 * sase.yml, else `$SASE_BEAD_WORK_MODEL_<SIZE>`), else the epic's `model`, else the default (null).
 */
export function routeModel(phase: Pick<BeadIssue, 'model' | 'size'>, epic: Pick<BeadIssue, 'model'> | null, config: Record<string, unknown>, env: Env): string | null {
  if (phase.model) return phase.model;
  const size = phase.size && SIZE_ORDER.includes(phase.size) ? phase.size : 'small';
  const bw = config.bead_work as { size_models?: Record<string, unknown> } | undefined;
  const routed = bw?.size_models?.[size];
  if (typeof routed === 'string' && routed) return routed;
  const fromEnv = env[`SASE_BEAD_WORK_MODEL_${size.toUpperCase()}`];
  if (fromEnv) return fromEnv;
  return epic?.model || null;
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return import('node:child_process').then(
    ({ execFile }) =>
      new Promise((res) => {
        execFile('git', args, { cwd }, (err, stdout) => res(err ? null : stdout.trim()));
      }),
  );
}

/** Default workspace for phase runs: the repo's origin when it is a local bare repository, else the repo itself. */
export async function defaultWorkspace(repo: string): Promise<string> {
  const url = await git(repo, ['remote', 'get-url', 'origin']);
  if (url && isAbsolute(url) && existsSync(url) && (await git(url, ['rev-parse', '--is-bare-repository'])) === 'true') return `#git:${url}`;
  return `#cd:${repo}`;
}

function phasePrompt(p: BeadIssue, epic: BeadIssue, planFile: string | null, phaseKey: string | null): string {
  return [
    `Phase ${p.id}${phaseKey ? ` (${phaseKey})` : ''} of epic ${epic.id}: ${p.title}`,
    '',
    p.description,
    '',
    `Epic: ${epic.title}${planFile ? ` — approved plan ${planFile}` : ''}.`,
    `Work only on this phase. Commit your work (the commit footer links it to bead ${p.id}); the phase bead is closed when you finish successfully.`,
  ].join('\n');
}

function landPrompt(epic: BeadIssue, phases: BeadIssue[], planFile: string | null): string {
  return [
    `Land epic ${epic.id}: ${epic.title}`,
    '',
    `All phases are done: ${phases.map((p) => `${p.id} (${p.title})`).join(', ')}.`,
    `Integrate and verify the epic's work${planFile ? ` against the plan ${planFile}` : ''}; the epic bead is closed when you finish successfully.`,
  ].join('\n');
}

interface RunState {
  status: string;
  terminal: boolean;
  ok: boolean;
  id: string;
  dir: string;
}

async function newestRun(env: Env, name: string): Promise<RunState | null> {
  const { findAgentDir, readAgentView } = await import('../agents/records.js');
  const { isTerminalStatus } = await import('../agents/status.js');
  try {
    const dir = await findAgentDir(env, name);
    const v = readAgentView(dir);
    if (v.record.name !== name) return null;
    const ok = v.done?.outcome === 'completed' || v.done?.outcome === 'noop';
    return { status: v.status, terminal: isTerminalStatus(v.status) || v.done !== null, ok, id: v.id, dir };
  } catch {
    return null;
  }
}

function actorOf(o: BeadWorkOptions): string {
  return o.actor ?? o.env.SASE_BEAD_ACTOR ?? o.env.SASE_AGENT_NAME ?? o.env.USER ?? 'sase';
}

/**
 * Starts (or resumes) bead work on `target`: a plan file path or a bead id (epic plan, phase → its epic, task).
 * @throws NotFoundError (no plan/bead/store), InvalidDataError (strict plan errors; schedule errors
 *   `cross_epic_blocker`/`cycle` in `data.issues`), ConflictError (a closed task), UsageError
 */
export async function beadWork(target: string, o: BeadWorkOptions): Promise<BeadWorkResult> {
  const { locateStore } = await import('../beads/paths.js');
  const { findRepoRoot } = await import('../store/paths.js');
  const path = isAbsolute(target) ? target : resolve(o.cwd, target);
  const isFile = existsSync(path) && statSync(path).isFile();
  const storeDir = locateStore({ store: o.store, env: o.env, cwd: isFile ? (findRepoRoot(path) ?? o.cwd) : o.cwd, mustExist: !isFile });
  const w = { storeDir, actor: actorOf(o), now: o.now };
  let epicId: string;
  let created = false;
  let planFile: string | null = null;
  const phaseKeys = new Map<string, string>();
  if (isFile) {
    if (o.dryRun) {
      const { loadPlanFile } = await import('../sdd/plan-file.js');
      await loadPlanFile(path, 'epic', 'launch');
    }
    const m = await materializeEpic(path, w);
    epicId = m.epic;
    created = m.created;
    planFile = path;
    for (const p of m.phases) phaseKeys.set(p.bead, p.phase);
  } else {
    const { loadIssues } = await import('../beads/load.js');
    const { resolveId } = await import('../beads/ids.js');
    const issues = await loadIssues(storeDir, { noCache: true });
    const id = resolveId(target, issues.map((i) => i.id));
    const b = issues.find((i) => i.id === id)!;
    if (b.issue_type === 'task') return workTask(b, storeDir, o);
    epicId = b.issue_type === 'phase' ? b.parent_id! : b.id;
    const epic = issues.find((i) => i.id === epicId);
    if (!epic || epic.issue_type !== 'plan') throw new UsageError(`${b.id} is not part of an epic`);
    if (epic.design) {
      const repo = findRepoRoot(storeDir);
      const cand = isAbsolute(epic.design) ? epic.design : repo ? resolve(repo, epic.design) : null;
      if (cand && existsSync(cand)) planFile = cand;
    }
    if (planFile) {
      // Plan phase ids (SASE_PHASE_ID) by position: phase beads are created in plan order.
      const { loadPlanFile } = await import('../sdd/plan-file.js');
      const { phaseBeadsOf } = await import('./epic.js');
      const plan = await loadPlanFile(planFile, 'epic', 'launch').catch(() => null);
      const beads = phaseBeadsOf(epicId, issues);
      if (plan && plan.plan.phases.length === beads.length) plan.plan.phases.forEach((ph, i) => phaseKeys.set(beads[i]!.id, ph.id));
    }
  }
  return workEpic(epicId, { ...o, store: storeDir }, { created, planFile, phaseKeys });
}

async function workEpic(epicId: string, o: BeadWorkOptions & { store: string }, info: { created: boolean; planFile: string | null; phaseKeys: Map<string, string> }): Promise<BeadWorkResult> {
  const { loadIssues } = await import('../beads/load.js');
  const { findRepoRoot } = await import('../store/paths.js');
  const storeDir = o.store;
  let issues = await loadIssues(storeDir, { noCache: true });
  const epic = issues.find((i) => i.id === epicId)!;
  const sched = scheduleEpic(epicId, issues);
  const warnings = sched.issues.filter((i) => i.severity === 'warning');
  if (sched.blocked) {
    const errs = sched.issues.filter((i) => i.severity === 'error');
    throw new InvalidDataError(`cannot start epic ${epicId}: ${errs.map((e) => `${e.code}: ${e.message}`).join('; ')}`, { data: { issues: sched.issues }, details: errs.map((e) => e.message) });
  }
  const result: BeadWorkResult = { kind: 'epic', store: storeDir, epic: epicId, created: info.created, plan_file: info.planFile, schedule: sched, warnings, runs: [], resumed: !info.created };
  if (epic.status === 'closed') return result;
  const repo = findRepoRoot(info.planFile ?? storeDir) ?? o.cwd;
  const workspace = o.workspace ?? (await defaultWorkspace(repo));
  const { runConfig, launchPrompt } = await import('./launch.js');
  const config = await runConfig(repo, o.env);
  const byId = new Map(issues.map((i) => [i.id, i]));

  // Decide per phase: keep a live run, relaunch a failed/missing one.
  interface Decision { phase: BeadIssue; state: RunState | null; launch: boolean; waits: string[]; beadWaits: string[]; model: string | null }
  const decisions: Decision[] = [];
  for (const sp of sched.phases) {
    const phase = byId.get(sp.id)!;
    const state = await newestRun(o.env, phase.id);
    const live = state !== null && !state.terminal;
    decisions.push({ phase, state, launch: !live, waits: sp.blockers, beadWaits: sp.bead_waits, model: routeModel(phase, epic, config, o.env) });
  }
  const openPhases = issues.filter((i) => i.parent_id === epicId && i.issue_type === 'phase' && i.status !== 'closed');
  const landName = `${epicId}.land`;
  const landState = await newestRun(o.env, landName);
  const launchLand = !(landState !== null && !landState.terminal);
  const landWaits = openPhases.filter((p) => !sched.delegated.includes(p.id)).map((p) => p.id);

  for (const d of decisions) {
    result.runs.push({ bead: d.phase.id, role: 'phase', agent: d.phase.id, action: d.launch ? 'planned' : 'kept', status: d.state?.status ?? 'NEW', agent_id: d.state?.id ?? null, record_dir: d.state?.dir ?? null, waits: d.waits, model: d.model });
  }
  result.runs.push({ bead: epicId, role: 'land', agent: landName, action: launchLand ? 'planned' : 'kept', status: landState?.status ?? 'NEW', agent_id: landState?.id ?? null, record_dir: landState?.dir ?? null, waits: landWaits, model: epic.model || null });
  if (o.dryRun) return result;

  // Checkpoint: ready + preclaims for everything about to launch (one store write).
  const { mutateStore } = await import('../beads/write.js');
  const toLaunch = decisions.filter((d) => d.launch);
  const r = await mutateStore(
    storeDir,
    (ctx) => {
      if (!ctx.issues.get(epicId)!.is_ready_to_work) ctx.emit(epicId, { kind: 'ready_marked' });
      for (const d of toLaunch) ctx.emit(d.phase.id, { kind: 'epic_work_preclaimed', agent_name: d.phase.id });
      if (launchLand) ctx.emit(epicId, { kind: 'epic_work_preclaimed', agent_name: landName });
      return null;
    },
    { actor: actorOf(o), now: o.now, operation: 'bead work', wait: true, timeoutMs: 60_000 },
  );
  issues = r.issues;
  result.checkpoint = await checkpointCommit(storeDir, info.planFile, epicId, o.env);

  const baseEnv = (role: string, bead: string, extra: Record<string, string> = {}): Record<string, string> => ({
    SASE_BEAD_WORK_ROLE: role,
    SASE_BEAD_ID: bead,
    SASE_EPIC_BEAD_ID: epicId,
    SASE_BEADS_DIR: storeDir,
    ...(info.planFile ? { SASE_PLAN: info.planFile } : {}),
    ...extra,
  });
  const refs: Array<[string, string]> = [];
  for (const d of toLaunch) {
    const head = [`%name:!${d.phase.id}`, ...d.waits.map((b) => `%wait:${b}`), ...d.beadWaits.map((b) => `%wait(bead=${b})`), d.model ? `%m:${d.model}` : '', workspace].filter(Boolean).join(' ');
    const key = info.phaseKeys.get(d.phase.id) ?? null;
    const [a] = await launchPrompt(`${head}\n${phasePrompt(d.phase, epic, info.planFile, key)}`, {
      env: o.env,
      cwd: repo,
      now: o.now,
      config,
      runEnv: baseEnv('phase', d.phase.id, { SASE_PHASE_BEAD_ID: d.phase.id, ...(key ? { SASE_PHASE_ID: key } : {}) }),
    });
    const row = result.runs.find((x) => x.bead === d.phase.id && x.role === 'phase')!;
    Object.assign(row, { action: 'launched', status: a!.status, agent_id: a!.id, record_dir: a!.record_dir });
    refs.push([d.phase.id, `agent:${a!.id}`]);
  }
  if (launchLand) {
    const head = [`%name:!${landName}`, ...landWaits.map((b) => `%wait:${b}`), ...openPhases.map((p) => `%wait(bead=${p.id})`), epic.model ? `%m:${epic.model}` : '', `#cd:${repo}`].filter(Boolean).join(' ');
    const [a] = await launchPrompt(`${head}\n${landPrompt(epic, openPhases, info.planFile)}`, { env: o.env, cwd: repo, now: o.now, config, runEnv: baseEnv('land', epicId, { SASE_BEAD_ID: epicId }) });
    const row = result.runs.find((x) => x.role === 'land')!;
    Object.assign(row, { action: 'launched', status: a!.status, agent_id: a!.id, record_dir: a!.record_dir });
    refs.push([epicId, `agent:${a!.id}`]);
  }
  if (refs.length > 0) {
    const { changeReference } = await import('../beads/mutations.js');
    await mutateStore(storeDir, (ctx) => refs.forEach(([id, ref]) => changeReference(ctx, id, ref, true)), { actor: actorOf(o), now: o.now, operation: 'bead work refs', wait: true, timeoutMs: 60_000 });
  }
  return result;
}

/**
 * Commits the store and the plan as `chore(beads): checkpoint approved epic graph <id>` (§A.6 step 6), through the
 * bead store's private-index commit (nothing else staged is swept in, hooks do not run). Never throws.
 */
async function checkpointCommit(storeDir: string, planFile: string | null, epicId: string, env: Env): Promise<BeadWorkResult['checkpoint']> {
  const { findRepoRoot } = await import('../store/paths.js');
  const repo = findRepoRoot(storeDir);
  if (!repo) return null;
  try {
    const { commitBeadMutation } = await import('../beads/git-commit.js');
    const files = [storeDir, ...(planFile && findRepoRoot(planFile) === repo ? [planFile] : [])];
    const ga = resolve(repo, '.gitattributes');
    if (existsSync(ga)) files.push(ga);
    const c = await commitBeadMutation(repo, files, 'checkpoint approved epic graph', [epicId], { env });
    return { committed: c.committed, sha: c.sha };
  } catch (e) {
    return { committed: false, error: (e as Error).message };
  }
}

async function workTask(task: BeadIssue, storeDir: string, o: BeadWorkOptions): Promise<BeadWorkResult> {
  const { findRepoRoot } = await import('../store/paths.js');
  const result: BeadWorkResult = { kind: 'task', store: storeDir, epic: null, created: false, plan_file: null, schedule: null, warnings: [], runs: [], resumed: false };
  if (task.status === 'closed') throw new ConflictError(`task ${task.id} is closed`, { hint: `reopen it with 'sase bead open ${task.id}'` });
  if (task.status === 'snoozed' || task.status === 'claimed') throw new ConflictError(`task ${task.id} is ${task.status}; bead work accepts open, ready or in_progress tasks`);
  const state = await newestRun(o.env, task.id);
  if (state && !state.terminal) {
    result.runs.push({ bead: task.id, role: 'task', agent: task.id, action: 'kept', status: state.status, agent_id: state.id, record_dir: state.dir, waits: [], model: task.model || null });
    return result;
  }
  const repo = findRepoRoot(storeDir) ?? o.cwd;
  const { runConfig, launchPrompt } = await import('./launch.js');
  const config = await runConfig(repo, o.env);
  const model = routeModel(task, null, config, o.env);
  const workspace = o.workspace ?? (await defaultWorkspace(repo));
  if (o.dryRun) {
    result.runs.push({ bead: task.id, role: 'task', agent: task.id, action: 'planned', status: 'NEW', agent_id: null, record_dir: null, waits: [], model });
    return result;
  }
  const { mutateStore } = await import('../beads/write.js');
  const { updateBead, changeReference } = await import('../beads/mutations.js');
  await mutateStore(storeDir, (ctx) => updateBead(ctx, task.id, { status: 'in_progress', assignee: task.id }), { actor: actorOf(o), now: o.now, operation: 'bead work task', wait: true, timeoutMs: 60_000 });
  const head = [`%name:!${task.id}`, model ? `%m:${model}` : '', workspace].filter(Boolean).join(' ');
  const body = `Task ${task.id}: ${task.title}\n\n${task.description}\n\nCommit your work; the task bead is closed when you finish successfully.`;
  const [a] = await launchPrompt(`${head}\n${body}`, { env: o.env, cwd: repo, now: o.now, config, runEnv: { SASE_BEAD_WORK_ROLE: 'task', SASE_BEAD_ID: task.id, SASE_BEADS_DIR: storeDir } });
  await mutateStore(storeDir, (ctx) => changeReference(ctx, task.id, `agent:${a!.id}`, true), { actor: actorOf(o), now: o.now, operation: 'bead work refs', wait: true, timeoutMs: 60_000 });
  result.runs.push({ bead: task.id, role: 'task', agent: task.id, action: 'launched', status: a!.status, agent_id: a!.id, record_dir: a!.record_dir, waits: [], model });
  return result;
}
