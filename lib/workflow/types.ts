/**
 * The YAML workflow model: what `loadWorkflow` produces and what a workflow executor runs. Rules:
 * spec/xprompts.md §6.1 (top-level keys), §6.2 (step kinds, common keys), §6.3 (outputs, control flow), §4.5
 * (output specs). An executor walks `steps` in order: pre-steps, the `prompt_part` injection point (embeddable
 * workflows), post-steps, then `finally` steps; loops/conditions are Jinja expressions rendered against the
 * context (inputs, earlier step results, loop variables).
 */
import type { InputSpec } from '../xprompt/types.js';

/** Which body a step runs (exactly one per step; `prompt:` is the legacy spelling of `agent`). */
export type StepKind = 'agent' | 'bash' | 'python' | 'prompt_part' | 'parallel';

/** How loop/parallel results are combined (spec §6.2 `join`). */
export type JoinMode = 'array' | 'object' | 'text' | 'lastOf';

/** A JSON Schema (subset) describing a step's structured output. */
export type JsonSchema = Record<string, unknown>;

/** A step's `output:` declaration, normalised (spec §4.5). */
export interface OutputSpec {
  /** JSON Schema the parsed output is validated against. */
  schema: JsonSchema;
  /** Declared top-level fields of an object output (for `{{ step.field }}` checks); null for array/raw outputs. */
  fields: string[] | null;
  /** Semantic type per field (`word`, `int`, …) when declared in shortform. */
  semanticTypes: Record<string, string>;
}

/** A condition-driven loop: `while` (checked after each run, runs at least once) or `repeat … until`. */
export interface LoopSpec {
  /** Jinja expression (usually `{{ … }}`). */
  condition: string;
  /** Iteration cap (default 100). */
  max: number;
}

/** One workflow step. */
export interface WorkflowStep {
  /** Unique within its list; default `step_<index>`. Later steps reference results as `{{ name.field }}`. */
  name: string;
  kind: StepKind;
  /** Template of agent/bash/python/prompt_part steps (Jinja-rendered before running); null for parallel. */
  body: string | null;
  /** Nested steps of a `parallel` step (run concurrently). */
  steps: WorkflowStep[];
  output: OutputSpec | null;
  /** `artifact: stdout` — store stdout at `{artifacts_dir}/{step}.stdout` (exposed as `_artifact`). */
  artifact: 'stdout' | null;
  /** `if:` expression; the step is skipped when it renders falsy. */
  if: string | null;
  /** `for:` loop variables → list expressions (equal lengths; iterated together). */
  for: Record<string, string> | null;
  while: LoopSpec | null;
  /** `repeat: {until, max}` — do-while until the condition holds. */
  repeat: LoopSpec | null;
  /** Declared join; null = default (`array` for `for`, `object` for `parallel`). */
  join: JoinMode | null;
  /** Pause for human approval after the step (sets `approved`). */
  hitl: boolean;
  /** Runs even after failures; only trailing steps. */
  finally: boolean;
  hidden: boolean;
  /** Parallel only: stop the others when one fails (default true). */
  failFast: boolean;
  /** `on_error` of `for` steps: `stop` (default) or `continue`. */
  onError: 'stop' | 'continue' | null;
  /** `use:` import this step was built from (already merged), with the file it resolved to. */
  use: { ref: string; path: string } | null;
  /** True when the legacy `prompt:` key was used instead of `agent:`. */
  legacyPromptKey: boolean;
  /** 1-based line of the step in the workflow file. */
  line: number;
  /** 1-based line where the body text starts (the line after `|`/`>` for block scalars), when known. */
  bodyLine?: number;
}

/** A loaded workflow. */
export interface Workflow {
  /** `name:` or the file stem (not namespaced; the catalog adds namespaces). */
  name: string;
  description: string;
  tags: string[];
  /** Declared inputs (implicit per-step inputs are in `stepInputs`). */
  inputs: InputSpec[];
  /**
   * Implicit optional inputs, one per step with an `output:` — callers may supply a step's result up front to skip
   * it (SASE `is_step_input`). Never listed in catalogs.
   */
  stepInputs: string[];
  /** Environment variables set before the steps (values are Jinja templates over the inputs). */
  environment: Record<string, string>;
  steps: WorkflowStep[];
  /** Workflow-local xprompts: name → content. */
  xprompts: Record<string, { content: string; inputs: InputSpec[]; line: number }>;
  /** Legacy `wraps_all: true` (implies tag `vcs`). */
  wrapsAll: boolean;
  /** `embeddable_workflow` when a `prompt_part` step exists, else `standalone_workflow`. */
  kind: 'embeddable_workflow' | 'standalone_workflow';
  path: string;
}

/** One validation finding, printed `file:line:col: message`. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
  /** Stable short code, e.g. `unused-output`, `prompt-part-control-flow`, `yaml`. */
  code: string;
}
