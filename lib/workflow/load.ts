/**
 * Loading a YAML workflow file into the step model (lib/workflow/types.ts), collecting schema diagnostics with
 * SASE's messages (`workflow_loader_parse.py: parse_workflow_step`, spec/xprompts.md §6.2) instead of stopping at
 * the first. Step imports (`use:`) are resolved and merged (local keys win); `..` and absolute paths are rejected
 * (vector J6).
 */
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { isSaseError } from '../errors/index.js';
import { InputDeclError, parseInputs } from '../xprompt/inputs.js';
import { parseTags } from '../xprompt/loader.js';
import { parseYamlDoc, type YamlDoc } from '../xprompt/yaml-doc.js';
import { Collector, isMapping, parseStep, str } from './step-parse.js';
import type { Diagnostic, Workflow, WorkflowStep } from './types.js';

/** Result of {@link parseWorkflow}: the model (null when unusable) and every finding. */
export interface LoadedWorkflow {
  workflow: Workflow | null;
  diagnostics: Diagnostic[];
}

/** Options of {@link parseWorkflow}. */
export interface ParseWorkflowOptions {
  /** Default name (the file stem). */
  stem?: string;
  /** Directories searched for `use:` step files (`<dir>/<ref>.yml|.yaml`), in order. */
  stepDirs?: string[];
}

const TOP_KEYS = new Set(['name', 'description', 'tags', 'input', 'environment', 'steps', 'xprompts', 'wraps_all', 'hidden', 'output', 'snippet']);

/**
 * Parses YAML text for {@link parseWorkflow}/{@link parseStepFile}; a YAML syntax error becomes the `failed`
 * result (no workflow, one located `yaml` diagnostic) instead of a throw.
 * @throws only non-SaseError failures (bugs)
 */
function parseYamlOrDiagnose(text: string, file: string): { doc: YamlDoc } | { failed: LoadedWorkflow } {
  try {
    return { doc: parseYamlDoc(text, file, 1) };
  } catch (e) {
    if (!isSaseError(e)) throw e;
    return { failed: { workflow: null, diagnostics: [{ file, line: e.location?.line ?? 1, column: e.location?.column ?? 1, message: e.message, severity: 'error', code: 'yaml' }] } };
  }
}

/**
 * Parses workflow YAML text. Never throws for bad content: YAML errors, schema violations and unknown keys become
 * diagnostics; `workflow` is null when the file cannot be used at all (not YAML, not a mapping, no `steps` list).
 * spec/xprompts.md §6.1–6.2.
 */
export function parseWorkflow(text: string, file: string, opts: ParseWorkflowOptions = {}): LoadedWorkflow {
  const parsed = parseYamlOrDiagnose(text, file);
  if ('failed' in parsed) return parsed.failed;
  const doc = parsed.doc;
  const c = new Collector(file, doc);
  const data = doc.value;
  if (!isMapping(data)) {
    c.error([], 'top-level YAML is not a mapping', 'not-mapping');
    return { workflow: null, diagnostics: c.diagnostics };
  }
  for (const k of Object.keys(data)) if (!TOP_KEYS.has(k)) c.warn([k], `unknown top-level key '${k}'`, 'unknown-key');
  if (!Array.isArray(data.steps)) {
    c.error(data.steps === undefined ? [] : ['steps'], data.steps === undefined ? `workflow has no 'steps' list` : 'steps must be a list', 'steps');
    return { workflow: null, diagnostics: c.diagnostics };
  }
  const stem = opts.stem ?? basename(file, extname(file));
  const name = data.name !== undefined && data.name !== null && str(data.name) !== '' ? str(data.name) : stem;
  let inputs: Workflow['inputs'] = [];
  try {
    inputs = parseInputs(data.input, (k) => doc.lineOf(['input', k]));
  } catch (e) {
    if (!(e instanceof InputDeclError)) throw e;
    c.diagnostics.push({ file, line: e.line ?? doc.lineOf(['input']) ?? 1, column: 1, message: e.message, severity: 'error', code: 'input' });
  }
  const environment: Record<string, string> = {};
  if (data.environment !== undefined && data.environment !== null) {
    if (!isMapping(data.environment)) c.error(['environment'], `'environment' must be a mapping of variable names to values`, 'environment');
    else for (const [k, v] of Object.entries(data.environment)) environment[k] = str(v);
  }
  const xprompts: Workflow['xprompts'] = {};
  if (data.xprompts !== undefined && data.xprompts !== null) {
    if (!isMapping(data.xprompts)) c.error(['xprompts'], `'xprompts' must be a mapping of name to content`, 'xprompts');
    else {
      for (const [k, v] of Object.entries(data.xprompts)) {
        let xin: Workflow['inputs'] = [];
        if (isMapping(v)) {
          try {
            xin = parseInputs(v.input, (key) => doc.lineOf(['xprompts', k, 'input', key]));
          } catch (e) {
            if (!(e instanceof InputDeclError)) throw e;
            c.error(['xprompts', k], `Xprompt '${k}': ${e.message}`, 'input');
          }
        }
        xprompts[k] = { content: isMapping(v) ? str(v.content) : str(v), inputs: xin, line: doc.lineOf(['xprompts', k]) ?? 1 };
      }
    }
  }
  const steps: WorkflowStep[] = [];
  const names = new Set<string>();
  data.steps.forEach((s, i) => {
    if (!isMapping(s)) {
      c.error(['steps', i], `step ${i + 1} must be a mapping`, 'step-shape');
      return;
    }
    const step = parseStep(s, i, ['steps', i], c, opts, false);
    if (!step) return;
    if (names.has(step.name)) c.error(['steps', i], `Duplicate step name '${step.name}'`, 'duplicate-step');
    names.add(step.name);
    steps.push(step);
  });
  const parts = steps.filter((s) => s.kind === 'prompt_part');
  if (parts.length > 1) c.error(['steps'], `Workflow has ${parts.length} prompt_part steps, but at most one is allowed`, 'prompt-part-count');
  let sawFinally = false;
  steps.forEach((s, i) => {
    if (s.finally) sawFinally = true;
    else if (sawFinally) c.error(['steps', i], `Step '${s.name}' follows a 'finally: true' step; finally steps must be trailing`, 'finally-order');
  });
  if (data.steps.length > 0 && steps.length === 0 && !c.diagnostics.some((d) => d.severity === 'error')) {
    c.error(['steps'], 'no valid workflow steps parsed', 'steps');
  }
  if (data.steps.length === 0) c.error(['steps'], 'no valid workflow steps parsed', 'steps');
  const tags = parseTags(data.tags);
  const wrapsAll = data.wraps_all === true || tags.includes('vcs');
  if (data.wraps_all === true && !tags.includes('vcs')) tags.push('vcs');
  const declared = new Set(inputs.map((i) => i.name));
  const workflow: Workflow = {
    name,
    description: str(data.description),
    tags,
    inputs,
    stepInputs: steps.filter((s) => s.output && !declared.has(s.name)).map((s) => s.name),
    environment,
    steps,
    xprompts,
    wrapsAll,
    kind: parts.length > 0 ? 'embeddable_workflow' : 'standalone_workflow',
    path: file,
  };
  return { workflow, diagnostics: c.diagnostics };
}

/**
 * Parses a step-import file (`steps/<path>.yml`: a single step mapping) for validation.
 */
export function parseStepFile(text: string, file: string, opts: ParseWorkflowOptions = {}): LoadedWorkflow {
  const parsed = parseYamlOrDiagnose(text, file);
  if ('failed' in parsed) return parsed.failed;
  const doc = parsed.doc;
  const c = new Collector(file, doc);
  if (!isMapping(doc.value)) {
    c.error([], 'step import file must be a YAML mapping (one step)', 'not-mapping');
    return { workflow: null, diagnostics: c.diagnostics };
  }
  parseStep(doc.value, 0, [], c, opts, false);
  return { workflow: null, diagnostics: c.diagnostics };
}

/** Default `use:` search directories for a workflow at `file` (spec §6.2 `use`). */
export function stepDirsFor(file: string, cwd: string, home: string, builtinDir: string): string[] {
  const dirs = [
    join(cwd, '.xprompts', 'steps'),
    join(cwd, 'xprompts', 'steps'),
    join(home, '.xprompts', 'steps'),
    join(home, 'xprompts', 'steps'),
    join(file, '..', 'steps'),
    join(builtinDir, 'steps'),
  ];
  return [...new Set(dirs)];
}

/**
 * Reads and parses a workflow file.
 * @throws NodeJS errors when the file cannot be read
 */
export function loadWorkflowFile(file: string, opts: ParseWorkflowOptions = {}): LoadedWorkflow {
  return parseWorkflow(readFileSync(file, 'utf8'), file, opts);
}
