/**
 * Embeddable workflows referenced inline in an agent prompt (`#file(notes) Summarize…`; spec/xprompts.md §1.5,
 * §6.2): the planner injects their `prompt_part` text (step references left as `{{ step.field }}`); at run time
 * their pre-steps must run before the agent and their post-steps after it. At launch, {@link recordEmbedded} finds
 * such references and writes `embedded.json` (`{workflows[{name, args, path}]}`); a record holding it is run by
 * the workflow runner (lib/workflow/run/embedded-runner.ts) instead of the plain agent runner.
 */
import { join } from 'node:path';
import type { Env } from '../store/paths.js';
import type { PlannedLaunch } from '../xprompt/launch-types.js';
import { writeRecordJson } from '../agents/records.js';

/** Record file listing the embedded workflows of an agent run. */
export const EMBEDDED_FILE = 'embedded.json';

/** One embedded workflow reference, bound. */
export interface EmbeddedRef {
  name: string;
  args: Record<string, unknown>;
  /** The workflow file. */
  path: string;
}

const NOT_XPROMPTS = new Set(['cd', 'git', 'gh', 'hg', 'fork', 't']);

/**
 * Finds embeddable YAML workflows with steps besides `prompt_part` referenced in `rawPrompt` (in order, first
 * reference of each name). Cheap when the prompt has no xprompt references (the catalog is not loaded).
 */
export async function findEmbedded(rawPrompt: string, cwd: string, env: Env, config: Record<string, unknown>): Promise<EmbeddedRef[]> {
  if (!rawPrompt.includes('#')) return [];
  const { xpromptCalls } = await import('../workflow/refs.js');
  const calls = xpromptCalls(rawPrompt).filter((c) => !NOT_XPROMPTS.has(c.name));
  if (calls.length === 0) return [];
  const { loadCatalog } = await import('../xprompt/catalog.js');
  const catalog = await loadCatalog({ cwd, env, config });
  const out: EmbeddedRef[] = [];
  for (const c of calls) {
    const def = catalog.get(c.name);
    if (!def || def.kind !== 'embeddable_workflow' || !def.path || !/\.ya?ml$/.test(def.path) || out.some((o) => o.name === def.name)) continue;
    const { loadWorkflowFile } = await import('../workflow/load.js');
    const wf = loadWorkflowFile(def.path).workflow;
    if (!wf || wf.steps.every((s) => s.kind === 'prompt_part')) continue;
    const { bindInputArgs } = await import('../xprompt/binding.js');
    let args: Record<string, unknown> = {};
    try {
      args = bindInputArgs(def, c.positional, c.named).named;
    } catch {
      continue;
    }
    out.push({ name: def.name, args, path: def.path });
  }
  return out;
}

/**
 * Writes `embedded.json` into a new record when its prompt references embeddable workflows with steps.
 * @returns true when the record needs the workflow runner
 */
export async function recordEmbedded(dir: string, launch: PlannedLaunch, opts: { cwd: string; env: Env; config: Record<string, unknown> }): Promise<boolean> {
  if (launch.workflow) return false;
  let refs: EmbeddedRef[];
  try {
    refs = await findEmbedded(launch.raw_prompt, opts.cwd, opts.env, opts.config);
  } catch {
    return false;
  }
  if (refs.length === 0) return false;
  writeRecordJson(join(dir, EMBEDDED_FILE), { workflows: refs });
  return true;
}
