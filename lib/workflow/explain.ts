/**
 * The `explain` dry-run model: which definition a reference resolves to (source, shadows), its inputs, the bound
 * arguments, and for workflows the step list with types, control-flow annotations, output schemas and bodies with
 * the bound inputs substituted (fully rendered — `static` — when they use nothing else). spec/xprompts.md §6.5, §7.
 * Nothing is executed.
 */
import { isSaseError } from '../errors/index.js';
import { bindInputArgs } from '../xprompt/inputs.js';
import { catalogEntry, type CatalogEntry } from '../xprompt/catalog-entry.js';
import type { XpromptDef } from '../xprompt/types.js';
import { stepAnnotations } from './graph.js';
import { loadWorkflowFile } from './load.js';
import type { Diagnostic, JsonSchema, Workflow, WorkflowStep } from './types.js';
import { validateWorkflow, type InputLookup } from './validate.js';

/** One step of the dry run. */
export interface ExplainStep {
  name: string;
  kind: WorkflowStep['kind'];
  /** Control-flow annotations (`if …`, `for item`, `join:text`, `hitl`, …). */
  annotations: string[];
  /** `pre` (before the prompt_part), `inject`, `post`, `finally`, or `main` (standalone workflows). */
  phase: 'pre' | 'inject' | 'post' | 'main' | 'finally';
  /** The body with bound inputs substituted (other template expressions left as written). */
  body: string | null;
  /** True when the body was fully rendered from the bound inputs. */
  static: boolean;
  output_schema: JsonSchema | null;
  steps: ExplainStep[];
}

/** Result of {@link explainDefinition}. */
export interface ExplainResult {
  entry: CatalogEntry;
  /** Arguments as given. */
  args: { positional: Array<string | null>; named: Record<string, string | null> };
  /** Bound input values (defaults applied), or null when binding failed. */
  resolved_args: Record<string, unknown> | null;
  /** Missing required inputs (explain never fails for these). */
  missing_args: string[];
  /** Binding error message (bad type, too many positional args), if any. */
  arg_error: string | null;
  /** Markdown xprompts: the body, rendered when static. */
  body: { text: string; static: boolean; segments: number } | null;
  /** Workflows: the steps. */
  steps: ExplainStep[] | null;
  environment: Record<string, string> | null;
  diagnostics: Diagnostic[];
}

/** Python-style rendering of a value as Jinja would print it (`True`, `None`, lists as reprs). */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : pyStr(x))).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Substitutes bound names in `template`: every `{{ name }}` / `{{ name | tojson }}` whose name is in `vars` becomes
 * its value (Python-style rendering, as Jinja prints it); other expressions and `{% … %}` blocks are left as written.
 * `static` is true when nothing template-like remains.
 */
export function renderStatic(template: string, vars: Record<string, unknown>): { text: string; static: boolean } {
  let complete = !/\{%|\{#/.test(template);
  const text = template.replace(/\{\{\s*([\s\S]*?)\s*\}\}/g, (m, expr: string) => {
    const mm = /^([A-Za-z_][A-Za-z0-9_]*)(\s*\|\s*tojson)?$/.exec(expr.trim());
    if (!mm || !(mm[1]! in vars)) {
      complete = false;
      return m;
    }
    const v = vars[mm[1]!];
    return mm[2] ? JSON.stringify(v ?? null) : pyStr(v);
  });
  return { text, static: complete };
}

function explainSteps(steps: WorkflowStep[], vars: Record<string, unknown>, wf: Workflow, nested: boolean): ExplainStep[] {
  const pp = wf.steps.findIndex((s) => s.kind === 'prompt_part');
  return steps.map((s) => {
    const i = wf.steps.indexOf(s);
    const phase: ExplainStep['phase'] = nested
      ? 'main'
      : s.finally
        ? 'finally'
        : pp === -1
          ? 'main'
          : i < pp
            ? 'pre'
            : i === pp
              ? 'inject'
              : 'post';
    const r = s.body === null ? { text: '', static: true } : renderStatic(s.body, vars);
    return {
      name: s.name,
      kind: s.kind,
      annotations: stepAnnotations(s),
      phase,
      body: s.body === null ? null : r.text,
      static: r.static,
      output_schema: s.output?.schema ?? null,
      steps: explainSteps(s.steps, vars, wf, true),
    };
  });
}

/**
 * Builds the dry-run model of `def` called with `positional`/`named` arguments. Missing required inputs and bad
 * values are reported in the result (never thrown), so explain always shows the plan.
 * @param lookup catalog lookup used to validate xprompt calls inside workflow steps
 * @throws InvalidDataError only when a workflow file can no longer be read
 */
export function explainDefinition(
  def: XpromptDef,
  positional: Array<string | null>,
  named: Record<string, string | null>,
  opts: { stepDirs?: string[]; lookup?: InputLookup } = {},
): ExplainResult {
  let resolved: Record<string, unknown> | null = null;
  let missing: string[] = [];
  let argError: string | null = null;
  let vars: Record<string, unknown> = {};
  try {
    const b = bindInputArgs(def, positional, named, { allowMissing: true });
    resolved = b.named;
    missing = b.missing;
    vars = b.vars;
  } catch (e) {
    if (!isSaseError(e)) throw e;
    argError = e.message;
  }
  const result: ExplainResult = {
    entry: catalogEntry(def),
    args: { positional, named },
    resolved_args: resolved,
    missing_args: missing,
    arg_error: argError,
    body: null,
    steps: null,
    environment: null,
    diagnostics: [],
  };
  if (def.body !== null) {
    const r = renderStatic(def.body, vars);
    const segments = def.multiAgent ? def.body.split(/^---\s*$/m).filter((s) => s.trim() !== '').length : 1;
    result.body = { text: r.text, static: r.static, segments };
  } else if (def.path && (def.kind === 'embeddable_workflow' || def.kind === 'standalone_workflow')) {
    const loaded = loadWorkflowFile(def.path, { stepDirs: opts.stepDirs });
    result.diagnostics = loaded.diagnostics;
    if (loaded.workflow) {
      result.steps = explainSteps(loaded.workflow.steps, vars, loaded.workflow, false);
      result.environment = loaded.workflow.environment;
      result.diagnostics.push(...validateWorkflow(loaded.workflow, opts.lookup));
    }
  }
  return result;
}
