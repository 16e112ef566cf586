/**
 * The YAML workflow executor (spec/xprompts.md §6.2–6.3, spec/runtime.md §a.3 `workflow_state.json`): runs the
 * steps of a loaded {@link Workflow} in order — `if` skips, `for` maps (joined per `join`), `while` and
 * `repeat/until` loop (default max 100), `parallel` runs nested steps concurrently (`fail_fast`), `hitl` pauses
 * for an answer, `prompt_part` injects its text into the agent prompt of an embeddable workflow (pre-steps run
 * before, post-steps after with `_prompt`/`_response`), `finally` steps always run. Step outputs are parsed and
 * typed (./output.ts) and referenced by later steps as `{{ step.field }}`; `artifact: stdout` stores stdout at
 * `<root>/artifacts/<step>.stdout` (`_artifact`); `_chdir=<dir>` moves later steps and the agent.
 *
 * Each step is recorded under `<root>/steps/<NN>-<name>/` (`step.json` with status, output, error, times; `log`);
 * the whole run is mirrored in `<root>/workflow_state.json`. A failed step stops the workflow (later non-`finally`
 * steps are `skipped`) unless it is a `for` step with `on_error: continue`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../store/atomic.js';
import { defaultJoin, joinResults, type StepResult } from '../output.js';
import type { Workflow, WorkflowStep } from '../types.js';
import { awaitHitl } from './hitl.js';
import { jsonFromReply, parseStepStdout, typeOutput } from './output.js';
import { runBody } from './process.js';
import { evaluateCondition, evaluateValue, renderTemplate } from './template.js';

/** Status of one step. */
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'waiting_hitl' | 'rejected' | 'killed';

/** `step.json` and one `workflow_state.json` `steps[]` entry. */
export interface StepState {
  name: string;
  kind: WorkflowStep['kind'];
  status: StepStatus;
  output: unknown;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** Step directory (relative to the workflow record). */
  dir: string;
  /** Agent runs started by the step (record ids). */
  agents: string[];
  /** Loop iterations run. */
  iterations: number;
  hidden: boolean;
  steps?: StepState[];
}

/** What an agent step asks the host for. */
export interface AgentRequest {
  prompt: string;
  /** `<step>` or `<step>.<iteration>`, used for the child's name. */
  label: string;
  cwd: string;
  /** `prompt_part` steps: the rendered part alone and the context (inputs, earlier step outputs) it was rendered in. */
  part?: { text: string; scope: Record<string, unknown> };
}

/** What an agent step gets back. */
export interface AgentResult {
  ok: boolean;
  reply: string;
  ids: string[];
  error: string | null;
}

/** The environment the executor runs in (the workflow runner, or a test). */
export interface ExecHost {
  /** Record directory of the workflow run. */
  rootDir: string;
  workflowName: string;
  /** Initial working directory (the workspace). */
  cwd: string;
  /** Base environment of bash/python steps. */
  env: Record<string, string | undefined>;
  now(): Date;
  signal: AbortSignal;
  /** Runs an agent (a child run) and waits for it. */
  runAgent(req: AgentRequest): Promise<AgentResult>;
  /** Caller prompt for an embeddable workflow's `prompt_part` (the agent receives the part, then this). */
  prompt?: string | null;
  /** The workflow is embedded in an agent run: `prompt_part` always hands over to the host (which runs the agent). */
  embedded?: boolean;
  /**
   * `#!name!!` (true): every top-level agent/bash/python step pauses for approval; `#!name??` (false): no step
   * pauses, `hitl` steps are approved automatically; null/absent: the steps' own `hitl`. spec/xprompts.md §1.5.
   */
  hitlOverride?: boolean | null;
}

/** Outcome of {@link executeWorkflow}. */
export interface WorkflowOutcome {
  status: 'completed' | 'failed' | 'rejected' | 'killed';
  error: string | null;
  /** Outputs by step name. */
  outputs: Record<string, unknown>;
  /** Output of the last step that ran (the workflow's result). */
  last: unknown;
  steps: StepState[];
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly status: StepStatus = 'failed',
  ) {
    super(message);
  }
}

interface Run {
  wf: Workflow;
  host: ExecHost;
  ctx: Record<string, unknown>;
  cwd: string;
  env: Record<string, string | undefined>;
  states: StepState[];
  persist(): Promise<void>;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Coerces bound argument strings to their input types (bool, int, float). */
export function typedArgs(wf: Workflow, args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const i of wf.inputs) {
    let v = out[i.name];
    if (v === undefined) v = (i as { default?: unknown }).default ?? null;
    const t = String(i.type);
    if (typeof v === 'string') {
      if (t === 'bool' && /^(true|false|yes|no|1|0)$/i.test(v)) v = /^(true|yes|1)$/i.test(v);
      else if (t === 'int' && /^-?\d+$/.test(v)) v = parseInt(v, 10);
      else if (t === 'float' && Number.isFinite(Number(v))) v = Number(v);
    }
    out[i.name] = v;
  }
  return out;
}

/**
 * Executes a workflow to completion.
 * @param args bound input values (strings are coerced to the declared input types)
 */
export async function executeWorkflow(wf: Workflow, args: Record<string, unknown>, host: ExecHost): Promise<WorkflowOutcome> {
  const ctx: Record<string, unknown> = { ...typedArgs(wf, args) };
  const env: Record<string, string | undefined> = { ...host.env };
  for (const [k, v] of Object.entries(wf.environment)) env[k] = await renderTemplate(v, ctx, `environment ${k}`);
  const startedAt = host.now().toISOString();
  const states: StepState[] = wf.steps.map((s, i) => blankState(s, `steps/${pad(i + 1)}-${s.name}`));
  let status: WorkflowOutcome['status'] = 'completed';
  let error: string | null = null;
  let current = 0;
  let chain = Promise.resolve();
  const persist = (): Promise<void> => {
    const snap = JSON.parse(JSON.stringify({ workflow_name: wf.name, status: status === 'completed' && current < wf.steps.length ? 'running' : status, pid: process.pid, current_step_index: current, start_time: startedAt, error, steps: states }));
    chain = chain.then(() => writeJsonAtomic(join(host.rootDir, 'workflow_state.json'), snap)).catch(() => {});
    return chain;
  };
  const run: Run = { wf, host, ctx, cwd: host.cwd, env, states, persist };
  await persist();
  let last: unknown = null;
  for (let i = 0; i < wf.steps.length; i++) {
    const step = wf.steps[i]!;
    current = i;
    const st = states[i]!;
    if ((status !== 'completed' && !step.finally) || (host.signal.aborted && !step.finally)) {
      st.status = 'skipped';
      await writeStep(run, st);
      continue;
    }
    try {
      const out = await runStep(run, step, st);
      if (out !== undefined) last = out;
    } catch (e) {
      const f = e instanceof StepFailure ? e : new StepFailure((e as Error).message);
      if (status === 'completed') {
        status = host.signal.aborted ? 'killed' : f.status === 'rejected' ? 'rejected' : 'failed';
        error = `step '${step.name}': ${f.message}`;
      }
    }
  }
  current = wf.steps.length;
  await persist();
  const outputs: Record<string, unknown> = {};
  for (const s of wf.steps) if (s.name in ctx) outputs[s.name] = ctx[s.name];
  return { status, error, outputs, last, steps: states };
}

function blankState(s: WorkflowStep, dir: string): StepState {
  const st: StepState = { name: s.name, kind: s.kind, status: 'pending', output: null, error: null, started_at: null, finished_at: null, dir, agents: [], iterations: 0, hidden: s.hidden };
  if (s.kind === 'parallel') st.steps = s.steps.map((n, i) => blankState(n, `${dir}/${pad(i + 1)}-${n.name}`));
  return st;
}

async function writeStep(run: Run, st: StepState): Promise<void> {
  const dir = join(run.host.rootDir, st.dir);
  mkdirSync(dir, { recursive: true });
  await writeJsonAtomic(join(dir, 'step.json'), st);
  await run.persist();
}

/** Runs one step with its control flow; records its state; stores its output in the context. @throws StepFailure */
async function runStep(run: Run, step: WorkflowStep, st: StepState, extra: Record<string, unknown> = {}): Promise<unknown> {
  const { host } = run;
  const scope = (): Record<string, unknown> => ({ ...run.ctx, ...extra });
  mkdirSync(join(host.rootDir, st.dir), { recursive: true });
  st.started_at = host.now().toISOString();
  st.status = 'running';
  await writeStep(run, st);
  try {
    if (step.if !== null && !(await evaluateCondition(step.if, scope(), `step '${step.name}' if`))) {
      st.status = 'skipped';
      return undefined;
    }
    let output: unknown;
    if (step.for) output = await runFor(run, step, st, extra);
    else if (step.while || step.repeat) {
      const loop = (step.while ?? step.repeat)!;
      for (let n = 1; ; n++) {
        output = await runOnce(run, step, st, extra, null);
        st.iterations = n;
        run.ctx[step.name] = output;
        const cond = await evaluateCondition(loop.condition, scope(), `step '${step.name}' ${step.while ? 'while' : 'until'}`);
        if ((step.while ? !cond : cond) || n >= loop.max) break;
      }
    } else output = await runOnce(run, step, st, extra, null);
    const override = host.hitlOverride ?? null;
    const wantsHitl = override === null ? step.hitl : override && (step.kind === 'agent' || step.kind === 'bash' || step.kind === 'python');
    if (wantsHitl) output = await hitlLoop(run, step, st, extra, output);
    else if (step.hitl && override === false) output = output && typeof output === 'object' && !Array.isArray(output) ? { ...(output as object), approved: true } : output;
    st.output = output;
    st.status = 'completed';
    run.ctx[step.name] = output;
    return output;
  } catch (e) {
    const f = e instanceof StepFailure ? e : new StepFailure((e as Error).message);
    st.status = host.signal.aborted ? 'killed' : f.status;
    st.error = f.message;
    throw f;
  } finally {
    st.finished_at = host.now().toISOString();
    await writeStep(run, st);
  }
}

async function hitlLoop(run: Run, step: WorkflowStep, st: StepState, extra: Record<string, unknown>, first: unknown): Promise<unknown> {
  let output = first;
  for (;;) {
    st.status = 'waiting_hitl';
    st.output = output;
    await writeStep(run, st);
    const ans = await awaitHitl(run.host.rootDir, join(run.host.rootDir, st.dir), { workflow: run.wf.name, step: step.name, output, now: run.host.now() }, run.host.signal);
    if (!ans) throw new StepFailure('killed while waiting for approval', 'killed');
    const merge = (o: unknown, f: Record<string, unknown>): unknown => (o && typeof o === 'object' && !Array.isArray(o) ? { ...(o as object), ...f } : Array.isArray(o) ? Object.assign([...o], f) : { _raw: o, ...f });
    if (ans.action === 'accept') return merge(output, { approved: true });
    if (ans.action === 'reject') {
      st.output = merge(output, { approved: false });
      run.ctx[step.name] = st.output;
      throw new StepFailure('rejected by the reviewer', 'rejected');
    }
    st.status = 'running';
    await writeStep(run, st);
    output = await runOnce(run, step, st, { ...extra, feedback: ans.feedback ?? '' }, ans.feedback ?? '');
  }
}

async function runFor(run: Run, step: WorkflowStep, st: StepState, extra: Record<string, unknown>): Promise<unknown> {
  const lists: Array<[string, unknown[]]> = [];
  for (const [v, expr] of Object.entries(step.for!)) {
    const val = await evaluateValue(expr, { ...run.ctx, ...extra }, `step '${step.name}' for ${v}`);
    if (!Array.isArray(val)) throw new StepFailure(`'for' variable '${v}' is not a list: ${JSON.stringify(val)}`);
    lists.push([v, val]);
  }
  const n = lists[0]?.[1].length ?? 0;
  if (lists.some(([, l]) => l.length !== n)) throw new StepFailure(`'for' lists have different lengths: ${lists.map(([v, l]) => `${v}=${l.length}`).join(', ')}`);
  const results: unknown[] = [];
  const errors: string[] = [];
  for (let i = 0; i < n; i++) {
    const vars: Record<string, unknown> = { ...extra };
    for (const [v, l] of lists) vars[v] = l[i];
    try {
      results.push(await runOnce(run, step, st, vars, null, i + 1));
    } catch (e) {
      if (step.onError !== 'continue') throw e;
      errors.push(`iteration ${i + 1}: ${(e as Error).message}`);
      results.push(null);
    }
    st.iterations = i + 1;
  }
  if (errors.length) st.error = errors.join('; ');
  const items = results.map((r, i) => ({ key: String(i), stdout: rawOf(r), result: r as StepResult }));
  return joinResults(step.join ?? defaultJoin('for'), items, 'for');
}

function rawOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '_raw' in v) return String((v as { _raw: unknown })._raw);
  return JSON.stringify(v);
}

/** Runs a step body once. @throws StepFailure */
async function runOnce(run: Run, step: WorkflowStep, st: StepState, extra: Record<string, unknown>, feedback: string | null, iteration?: number): Promise<unknown> {
  const { host } = run;
  if (host.signal.aborted) throw new StepFailure('killed', 'killed');
  const scope = { ...run.ctx, ...extra };
  const stepDir = join(host.rootDir, st.dir);
  const label = iteration ? `${step.name}.${iteration}` : step.name;
  let output: unknown;
  let stdout: string | null = null;
  switch (step.kind) {
    case 'bash':
    case 'python': {
      const body = await renderTemplate(step.body ?? '', scope, `step '${step.name}'`);
      const env = { ...run.env, SASE_ARTIFACTS_DIR: host.rootDir, SASE_STEP_DIR: stepDir, SASE_WORKFLOW_STEP: step.name, ...(feedback !== null ? { SASE_HITL_FEEDBACK: feedback } : {}) };
      const r = await runBody(step.kind, body, { cwd: run.cwd, env, stepDir, signal: host.signal });
      if (r.spawnError) throw new StepFailure(r.spawnError);
      if (r.code !== 0) {
        const tail = r.stderr.trim().split('\n').slice(-3).join('\n');
        throw new StepFailure(`${step.kind} exited with ${r.signal ? `signal ${r.signal}` : `code ${r.code}`}${tail ? `: ${tail}` : ''}`);
      }
      stdout = r.stdout;
      output = parseStepStdout(r.stdout);
      break;
    }
    case 'agent': {
      let prompt = await renderTemplate(step.body ?? '', scope, `step '${step.name}'`);
      if (feedback) prompt += `\n\n# Reviewer feedback\n\n${feedback}\n`;
      output = await agentOutput(run, step, st, prompt, label);
      break;
    }
    case 'prompt_part': {
      const part = await renderTemplate(step.body ?? '', scope, `step '${step.name}'`);
      const prompt = [part.trim(), (host.prompt ?? '').trim()].filter(Boolean).join('\n\n');
      run.ctx._prompt = prompt;
      if (!prompt && !host.embedded) {
        output = { _prompt: '', _response: '' };
        break;
      }
      const res = await agentOutput(run, step, st, prompt, label, { text: part, scope });
      run.ctx._response = (res as Record<string, unknown>)._response;
      output = res;
      break;
    }
    case 'parallel': {
      const ctrl = new AbortController();
      const onAbort = (): void => ctrl.abort();
      host.signal.addEventListener('abort', onAbort, { once: true });
      const sub: Run = { ...run, host: { ...host, signal: ctrl.signal, hitlOverride: null } };
      const subStates = st.steps!;
      const settled = await Promise.allSettled(
        step.steps.map((s, i) =>
          runStep(sub, s, subStates[i]!, extra).catch((e) => {
            if (step.failFast) ctrl.abort();
            throw e;
          }),
        ),
      );
      host.signal.removeEventListener('abort', onAbort);
      const failed = settled.map((r, i) => [r, step.steps[i]!.name] as const).filter(([r]) => r.status === 'rejected');
      if (failed.length) throw new StepFailure(failed.map(([r, n]) => `${n}: ${((r as PromiseRejectedResult).reason as Error).message}`).join('; '));
      const o: Record<string, unknown> = {};
      step.steps.forEach((s, i) => (o[s.name] = (settled[i] as PromiseFulfilledResult<unknown>).value ?? null));
      return o;
    }
  }
  if (stdout !== null && step.artifact === 'stdout') {
    const path = join(host.rootDir, 'artifacts', `${step.name}.stdout`);
    mkdirSync(join(host.rootDir, 'artifacts'), { recursive: true });
    await writeFileAtomic(path, stdout);
    if (output && typeof output === 'object' && !Array.isArray(output)) (output as Record<string, unknown>)._artifact = path;
  }
  if (output && typeof output === 'object' && !Array.isArray(output) && typeof (output as Record<string, unknown>)._chdir === 'string') run.cwd = (output as Record<string, string>)._chdir!;
  const typed = typeOutput(output, step.output);
  if (typed.errors.length) throw new StepFailure(`output does not match its spec: ${typed.errors.join('; ')}`);
  return typed.value;
}

async function agentOutput(run: Run, step: WorkflowStep, st: StepState, prompt: string, label: string, part?: AgentRequest['part']): Promise<unknown> {
  const res = await run.host.runAgent({ prompt, label, cwd: run.cwd, ...(part ? { part } : {}) });
  st.agents.push(...res.ids);
  await writeStep(run, st);
  if (!res.ok) throw new StepFailure(`agent failed: ${res.error ?? 'unknown error'}`);
  const base = { _raw: res.reply, _response: res.reply, _prompt: prompt };
  if (!step.output) return base;
  const v = jsonFromReply(res.reply);
  if (v === undefined) throw new StepFailure('agent reply is not JSON but the step declares an output');
  if (v && typeof v === 'object' && !Array.isArray(v)) return { ...(v as object), ...base };
  return v;
}
