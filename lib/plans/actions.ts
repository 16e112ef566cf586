/**
 * Acting on a plan answer (spec/beads-sdd-changespecs.md §A.5, spec/runtime.md §d.1 step 6): the proposing run's
 * status (`PLAN` while pending; `TALE APPROVED`, `EPIC APPROVED`, `PLAN REJECTED`, … after), then the follow-up
 * `approvePlan`/`rejectPlan` asked for in `next`: a coder run for a tale/plan (through the same launch pipeline as
 * `sase run`), bead work for an epic, a relaunched planner carrying the reviewer's feedback.
 *
 * Run-status files in the run's record directory: `pending_plan.json` (written by `proposePlan`) and
 * `plan_status.json` `{id, agent_status, kind, at}` (written here). A finished planner's `done.json` label becomes
 * `PLAN` while its plan waits and the terminal form of the answer afterwards ({@link terminalPlanLabel}).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import type { LaunchedAgent } from '../agents/launch.js';
import type { AnswerResult } from './respond.js';
import { findPlanEntry } from './store.js';

/** File in a run's record directory holding the answer's agent status. */
export const PLAN_STATUS_FILE = 'plan_status.json';

/** Terminal display label of a finished planner whose plan got `agentStatus` (SASE's Done-bucket vocabulary). */
export function terminalPlanLabel(agentStatus: string): string {
  if (agentStatus === 'PLAN APPROVED') return 'PLAN DONE';
  if (agentStatus === 'TALE APPROVED') return 'TALE DONE';
  return agentStatus;
}

/** The record directory of the run that proposed plan `prefix` (its `SASE_ARTIFACTS_DIR`), or null. Read it before answering: a `--wait` poller consumes the request. */
export function planRunDir(env: Env, prefix: string | undefined): string | null {
  try {
    const dir = findPlanEntry(env, prefix).request?.artifacts_dir ?? null;
    return dir && existsSync(join(dir, 'agent.json')) ? dir : null;
  } catch {
    return null;
  }
}

/** Re-derives a run's status from its record and appends it to the agents index (what `sase agent list` shows). */
export async function refreshRunIndex(env: Env, dir: string): Promise<string | null> {
  const { readAgentView, indexEntryOf } = await import('../agents/records.js');
  const { appendIndex } = await import('../agents/index-append.js');
  try {
    const v = readAgentView(dir);
    await appendIndex(env, indexEntryOf(v));
    return v.status;
  } catch {
    return null;
  }
}

/**
 * Settles the label of a finished planner run: `PLAN` while `pending_plan.json` exists, the terminal answer label
 * when `plan_status.json` exists. Only a completed run is relabelled. @returns the label written, or null
 */
export async function settlePlanLabel(env: Env, dir: string): Promise<string | null> {
  const { readJsonOrNull, writeDone } = await import('../agents/records.js');
  const done = readJsonOrNull<import('../agents/types.js').DoneMarker>(join(dir, 'done.json'));
  if (!done || done.outcome !== 'completed') return null;
  let label: string | null = null;
  if (existsSync(join(dir, 'pending_plan.json'))) label = 'PLAN';
  else {
    const st = readJsonOrNull<{ agent_status?: string }>(join(dir, PLAN_STATUS_FILE));
    if (st?.agent_status) label = terminalPlanLabel(st.agent_status);
  }
  if (!label || label === done.status_label) return null;
  await writeDone(dir, { ...done, status_label: label }, true);
  await refreshRunIndex(env, dir);
  return label;
}

/** Inputs of {@link actOnAnswer}. */
export interface ActOptions {
  env: Env;
  cwd: string;
  now: () => Date;
  /** The proposing run's record directory ({@link planRunDir}, read before answering). */
  runDir: string | null;
}

/** What {@link actOnAnswer} did. */
export interface ActResult {
  /** The proposing run's status after the answer, null when the plan was not proposed from a run. */
  run_status: string | null;
  /** Runs launched (coder, relaunched planner; phase runs are in `bead_work`). */
  launched: LaunchedAgent[];
  /** Result of `sase bead work` for an epic. */
  bead_work: Record<string, unknown> | null;
  /** Why the follow-up failed (the answer itself stands). */
  error: string | null;
  /** Command that retries the follow-up after an error. */
  resume_command: string | null;
}

async function launchNamed(text: (name: string | null) => string, name: string | null, o: ActOptions, runEnv: Record<string, string>, cwd: string): Promise<LaunchedAgent[]> {
  const { launchPrompt } = await import('../beadwork/launch.js');
  try {
    return await launchPrompt(text(name), { env: o.env, cwd, now: o.now, runEnv });
  } catch (e) {
    if (!(e instanceof ConflictError) || name === null) throw e;
    return launchPrompt(text(null), { env: o.env, cwd, now: o.now, runEnv });
  }
}

/**
 * Marks the proposing run and performs `r.next` (skipped when `$SASE_PLAN_FOLLOW_UP` is `0`). Never throws for a failed follow-up: the error and a resume
 * command are returned (the answer is already written and stays valid).
 */
export async function actOnAnswer(r: AnswerResult, o: ActOptions): Promise<ActResult> {
  const out: ActResult = { run_status: null, launched: [], bead_work: null, error: null, resume_command: null };
  if (o.runDir) {
    const { writeRecordJson } = await import('../agents/records.js');
    writeRecordJson(join(o.runDir, PLAN_STATUS_FILE), { id: r.id, agent_status: r.agent_status, kind: r.kind, at: o.now().toISOString() });
    await settlePlanLabel(o.env, o.runDir);
    out.run_status = await refreshRunIndex(o.env, o.runDir);
  }
  const next = r.next;
  if (o.env.SASE_PLAN_FOLLOW_UP === '0') return out; // answer-only mode (tests of the file contract, external launchers)
  try {
    if (next.action === 'launch_coder') {
      const cwd = next.cwd ?? o.cwd;
      const head = (name: string | null): string => [name ? `%name:${name}` : '', next.model ? `%m:${next.model}` : '', `#cd:${cwd}`].filter(Boolean).join(' ');
      out.launched = await launchNamed((n) => `${head(n)}\n${next.prompt}`, next.name, o, { ...next.env }, cwd);
    } else if (next.action === 'bead_work') {
      out.resume_command = `sase bead work ${next.plan_file} --yes-to-all`;
      const { beadWork } = await import('../beadwork/work.js');
      out.bead_work = (await beadWork(next.plan_file, { env: o.env, cwd: next.cwd ?? o.cwd, now: o.now })) as unknown as Record<string, unknown>;
      out.resume_command = null;
    } else if (next.action === 'relaunch_planner') {
      const dir = o.runDir ?? next.artifacts_dir;
      const { readJsonOrNull, readRecordText, readRunEnv, RECORD_FILES } = await import('../agents/records.js');
      const rec = dir ? readJsonOrNull<import('../agents/types.js').AgentRecord>(join(dir, RECORD_FILES.agent)) : null;
      if (!dir || !rec) throw new Error('the planner run is unknown; relaunch it by hand with the feedback');
      const prompt = (await readRecordText(dir, RECORD_FILES.prompt)).trim();
      const runEnv = readRunEnv(dir);
      const head = [rec.model.spec ? `%m:${rec.model.spec}` : '', rec.workspace_ref].filter(Boolean).join(' ');
      const body = `${prompt}\n\nYour previous plan (${next.plan_file}) was rejected. Reviewer feedback:\n${next.feedback}\n\nRevise the plan and propose it again.`;
      out.launched = await launchNamed(() => `${head}\n${body}`, null, o, runEnv, rec.launch_cwd);
    }
  } catch (e) {
    out.error = (e as Error).message;
  }
  return out;
}
