/**
 * Runner of an agent run whose prompt embeds workflows (`embedded.json`, see lib/orchestration/embedded.ts):
 * runs each embedded workflow's pre-steps (concurrently per workflow, in step order within one), then — once every
 * workflow has reached its `prompt_part` — renders the step references the planner left in the prompt
 * (`{{ step.field }}`) with their outputs, runs the agent in this process (lib/agents/runner.ts `runAgent`, same
 * record), hands its reply to the workflows (`_response`, `_prompt`) and runs their post-steps before `done.json`
 * is written (`beforeDone`). A failed pre-step fails the run before the agent starts; a failed post-step makes a
 * successful agent run FAILED. spec/xprompts.md §6.2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendIndex } from '../../agents/index-append.js';
import { appendEvent, doneMarkerFor, indexEntryOf, readAgentView, readJsonOrNull, RECORD_FILES, writeDone, writeRecordFile } from '../../agents/records.js';
import type { WorkspaceFacts } from '../../agents/types.js';
import type { EmbeddedRef } from '../../orchestration/embedded.js';
import type { AgentRequest, AgentResult, WorkflowOutcome } from './executor.js';
import type { WorkflowRunnerDeps } from './record-runner.js';
import { evaluateValue } from './template.js';
import { setTimeout as sleep } from 'node:timers/promises';


/** A deferred value: resolve/reject from outside. */
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const REF_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(\|\s*tojson\s*)?\}\}/g;

/**
 * Renders what the planner left for the workflows in the prompt, with the collected step outputs: each
 * `{% if %}`/`{% for %}` block whose tags read only known steps (lib/xprompt/blocks.ts; other names inside render
 * back as written), then each `{{ step.field }}` reference whose root is a known step (or `_prompt`).
 * @throws XpromptError for a block that does not render
 */
export async function renderStepRefs(prompt: string, scope: Record<string, unknown>, roots: Set<string>): Promise<string> {
  const { renderKnownBlocks } = await import('../../xprompt/blocks.js');
  const { deferredValue } = await import('../../xprompt/deferred.js');
  const known = (name: string): boolean => roots.has(name);
  let blocks: ReturnType<typeof renderKnownBlocks>;
  try {
    blocks = renderKnownBlocks(prompt, scope, known, deferredValue);
  } catch (e) {
    const template = await import('../../xprompt/template.js');
    if (!(e instanceof template.NeedsNunjucks)) throw e;
    await template.loadTemplateEngine();
    blocks = renderKnownBlocks(prompt, scope, known, deferredValue);
  }
  const text = blocks.text;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(REF_RE)) {
    if (!roots.has(m[1]!)) continue;
    const v = await evaluateValue(`{{ ${m[1]}${m[2]} }}`, scope, 'embedded prompt');
    const rendered = m[3] ? JSON.stringify(v ?? null) : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    out += text.slice(last, m.index) + rendered;
    last = m.index! + m[0].length;
  }
  return blocks.restore(out + text.slice(last));
}

/**
 * Runs the agent record `dir` with its embedded workflows.
 * @returns the process exit code (0 when the run finished DONE)
 */
export async function runEmbeddedRecord(dir: string, deps: WorkflowRunnerDeps): Promise<number> {
  const emb = readJsonOrNull<{ workflows: EmbeddedRef[] }>(join(dir, 'embedded.json'));
  const view0 = readAgentView(dir);
  if (!emb) return 2;
  const { env, now } = deps;
  const ctrl = new AbortController();
  let agentStop: (() => void) | null = null;
  deps.onStopSignal(() => {
    ctrl.abort();
    agentStop?.();
  });
  let ws: WorkspaceFacts | null = null;
  for (const until = Date.now() + 60_000; !ws && Date.now() < until && !existsSync(join(dir, RECORD_FILES.done)); ) {
    ws = readJsonOrNull<WorkspaceFacts>(join(dir, RECORD_FILES.workspace));
    if (!ws) await sleep(20);
  }
  if (!ws) return fail(dir, env, now, 'workspace was never resolved');
  const { loadWorkflowFile } = await import('../load.js');
  const { executeWorkflow } = await import('./executor.js');
  const n = emb.workflows.length;
  const arrived: Array<{ scope: Record<string, unknown>; part: string } | null> = new Array(n).fill(null);
  const reachedOrEnded = emb.workflows.map(() => deferred<void>());
  const agentDone = deferred<AgentResult>();
  const outcomes: Array<Promise<WorkflowOutcome>> = emb.workflows.map(async (ref, i) => {
    const wf = loadWorkflowFile(ref.path).workflow;
    if (!wf) throw new Error(`workflow ${ref.name} could not be loaded`);
    try {
      return await executeWorkflow(wf, ref.args, {
        rootDir: join(dir, 'embedded', String(i + 1).padStart(2, '0') + '-' + ref.name.replace(/[^A-Za-z0-9_.-]/g, '_')),
        workflowName: ref.name,
        cwd: ws!.dir,
        env: { ...env, ...ws!.env, SASE_AGENT_NAME: view0.name, SASE_AGENT_ID: view0.id },
        now,
        signal: ctrl.signal,
        embedded: true,
        runAgent: async (req: AgentRequest) => {
          arrived[i] = { scope: req.part?.scope ?? {}, part: req.part?.text ?? '' };
          reachedOrEnded[i]!.resolve();
          return agentDone.promise;
        },
      });
    } finally {
      reachedOrEnded[i]!.resolve();
    }
  });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'embedded'), { recursive: true });
  await Promise.all(reachedOrEnded.map((d) => d.promise));
  const early = await Promise.all(outcomes.map((o, i) => (arrived[i] ? null : o.catch((e: Error) => ({ status: 'failed', error: e.message }) as WorkflowOutcome))));
  const preFailure = early.find((o) => o && o.status !== 'completed');
  if (preFailure || arrived.some((a) => !a)) {
    ctrl.abort();
    agentDone.resolve({ ok: false, reply: '', ids: [], error: 'not run' });
    await Promise.allSettled(outcomes);
    const which = emb.workflows[early.findIndex((o) => o && o.status !== 'completed')]?.name ?? emb.workflows[arrived.findIndex((a) => !a)]?.name;
    return fail(dir, env, now, `embedded workflow #${which}: ${preFailure?.error ?? 'ended before its prompt_part'}`);
  }
  // Render the planner's deferred step references with the pre-step outputs, then run the agent on this record.
  const scope: Record<string, unknown> = {};
  const roots = new Set<string>();
  emb.workflows.forEach((ref, i) => {
    const wf = loadWorkflowFile(ref.path).workflow!;
    for (const s of wf.steps) roots.add(s.name);
    for (const [k, v] of Object.entries(arrived[i]!.scope)) if (!(k in scope)) scope[k] = v;
  });
  const promptPath = join(dir, RECORD_FILES.prompt);
  const prompt = await renderStepRefs(readFileSync(promptPath, 'utf8'), scope, roots);
  writeRecordFile(promptPath, prompt);
  await appendEvent(dir, 'RUNNING', 'embedded_pre_steps', now(), { workflows: emb.workflows.map((w) => w.name) });
  const { runAgent } = await import('../../agents/runner.js');
  return runAgent(dir, {
    env,
    now,
    pid: deps.pid,
    onStopSignal: (h) => {
      agentStop = h;
      if (ctrl.signal.aborted) h();
    },
    // Post-steps run after the agent but before done.json exists, so no one ever sees a status that then flips.
    beforeDone: async (done) => {
      let reply = '';
      try {
        reply = readFileSync(join(dir, RECORD_FILES.reply), 'utf8').replace(/\n$/, '');
      } catch {
        // none
      }
      agentDone.resolve({ ok: done.outcome === 'completed', reply, ids: [], error: done.error ?? null });
      const results = await Promise.all(outcomes.map((o) => o.catch((e: Error) => ({ status: 'failed', error: e.message }) as WorkflowOutcome)));
      const bad = results.findIndex((r) => r.status !== 'completed');
      if (done.outcome !== 'completed' || bad < 0) return done;
      return { ...done, outcome: 'failed', status_label: 'FAILED', error: `embedded workflow #${emb.workflows[bad]!.name}: ${results[bad]!.error}` };
    },
  });
}

async function fail(dir: string, env: NodeJS.ProcessEnv | Record<string, string | undefined>, now: () => Date, error: string): Promise<number> {
  const v = readAgentView(dir);
  await writeDone(dir, doneMarkerFor(v, { outcome: 'failed', status_label: 'FAILED', error }, now()));
  await appendEvent(dir, 'FAILED', 'embedded_failed', now(), { error });
  await appendIndex(env, indexEntryOf(readAgentView(dir)));
  await (await import('../../orchestration/tick.js')).onRunFinished(dir, env, now);
  return 1;
}
