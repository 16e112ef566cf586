/**
 * Parsing one workflow step (or a step-import file's step) into the step model with SASE's schema messages
 * (`workflow_loader_parse.py: parse_workflow_step`, spec/xprompts.md §6.2). Problems are collected, not thrown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSaseError } from '../errors/index.js';
import { parseYamlDoc, type YamlDoc } from '../xprompt/yaml-doc.js';
import { OutputSpecError, parseOutputSpec } from './output-spec.js';
import type { Diagnostic, JoinMode, LoopSpec, WorkflowStep } from './types.js';

/** Options of step parsing. */
export interface StepParseOptions {
  /** Directories searched for `use:` step files (`<dir>/<ref>.yml|.yaml`), in order. */
  stepDirs?: string[];
}

const STEP_KEYS = new Set([
  'name', 'agent', 'prompt', 'prompt_part', 'bash', 'python', 'parallel', 'use', 'output', 'artifact', 'if', 'for',
  'while', 'repeat', 'join', 'hitl', 'finally', 'hidden', 'fail_fast', 'on_error', 'description',
]);
const JOIN_MODES: JoinMode[] = ['array', 'lastOf', 'object', 'text'];

/** True for a plain YAML mapping (not null, not a list). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A YAML scalar as text ('' for null/undefined, JSON for collections). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Collects located diagnostics for one file; `at(path)` maps a YAML path to its line/column. */
export class Collector {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly doc: YamlDoc | null,
  ) {}
  at(path: ReadonlyArray<string | number>): { line: number; column: number } {
    return { line: this.doc?.lineOf(path) ?? 1, column: this.doc?.colOf(path) ?? 1 };
  }
  error(path: ReadonlyArray<string | number>, message: string, code: string): void {
    this.diagnostics.push({ file: this.file, ...this.at(path), message, severity: 'error', code });
  }
  warn(path: ReadonlyArray<string | number>, message: string, code: string): void {
    this.diagnostics.push({ file: this.file, ...this.at(path), message, severity: 'warning', code });
  }
}

function resolveUse(ref: string, dirs: string[]): string | null {
  for (const d of dirs) {
    for (const ext of ['.yml', '.yaml']) {
      const p = join(d, `${ref}${ext}`);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

function positiveInt(v: unknown, fallback: number): number | null {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * Parses one step mapping (resolving a `use:` import first). Returns null when the step is unusable (the reason is in `c.diagnostics`).
 * @param path location of the step inside the document (for lines)
 */
export function parseStep(
  raw: Record<string, unknown>,
  index: number,
  path: Array<string | number>,
  c: Collector,
  opts: StepParseOptions,
  nested: boolean,
): WorkflowStep | null {
  let data = raw;
  let use: WorkflowStep['use'] = null;
  const name0 = raw.name !== undefined && raw.name !== null ? str(raw.name) : `step_${index}`;
  if (raw.use !== undefined) {
    const ref = str(raw.use);
    if (ref.includes('..') || ref.startsWith('/')) {
      c.error([...path, 'use'], `Step '${name0}': unsafe step import '${ref}'`, 'unsafe-step-import');
      return null;
    }
    const file = resolveUse(ref, opts.stepDirs ?? []);
    if (!file) {
      c.error([...path, 'use'], `Step '${name0}': step import '${ref}' not found`, 'step-import-not-found');
      return null;
    }
    let base: unknown;
    try {
      base = parseYamlDoc(readFileSync(file, 'utf8'), file).value;
    } catch (e) {
      c.error([...path, 'use'], `Step '${name0}': failed to load step import '${ref}': ${isSaseError(e) ? e.located : String(e)}`, 'step-import-invalid');
      return null;
    }
    if (!isMapping(base)) {
      c.error([...path, 'use'], `Step '${name0}': step import '${ref}' did not parse to a mapping`, 'step-import-invalid');
      return null;
    }
    data = { ...base };
    for (const [k, v] of Object.entries(raw)) if (k !== 'use') data[k] = v;
    use = { ref, path: file };
  }
  const name = data.name !== undefined && data.name !== null ? str(data.name) : `step_${index}`;
  const err = (key: string | null, msg: string, code: string): void => c.error(key ? [...path, key] : path, msg, code);
  const before = c.diagnostics.filter((d) => d.severity === 'error').length;
  for (const k of Object.keys(raw)) if (!STEP_KEYS.has(k)) c.warn([...path, k], `Step '${name}': unknown key '${k}'`, 'unknown-key');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) err('name', `Step '${name}': name must be an identifier (letters, digits, _) to be referenced as '{{ ${name}.field }}'`, 'step-name');

  const agentKey = data.agent !== undefined && data.agent !== null ? 'agent' : data.prompt !== undefined && data.prompt !== null ? 'prompt' : null;
  const kinds: Array<[WorkflowStep['kind'], string]> = [];
  if (agentKey) kinds.push(['agent', agentKey]);
  for (const k of ['bash', 'python', 'prompt_part', 'parallel'] as const) if (data[k] !== undefined && data[k] !== null) kinds.push([k, k]);
  if (agentKey === 'agent' && data.prompt !== undefined && data.prompt !== null) kinds.push(['agent', 'prompt']);
  if (kinds.length > 1) {
    err(null, `Step '${name}' can only have one of 'agent', 'bash', 'python', 'prompt_part', or 'parallel' fields`, 'step-kind');
    return null;
  }
  if (kinds.length === 0) {
    err(null, `Step '${name}' must have one of 'agent', 'bash', 'python', 'prompt_part', or 'parallel' field`, 'step-kind');
    return null;
  }
  const [kind, kindKey] = kinds[0]!;
  const hitl = data.hitl === true || data.hitl === 'true';
  const fin = data.finally === true || data.finally === 'true';
  const hasFor = data.for !== undefined && data.for !== null && data.for !== false;
  const hasRepeat = data.repeat !== undefined && data.repeat !== null && data.repeat !== false;
  const hasWhile = data.while !== undefined && data.while !== null && data.while !== false && data.while !== '';
  const hasIf = data.if !== undefined && data.if !== null && data.if !== '';

  let output = null;
  try {
    output = parseOutputSpec(data.output);
  } catch (e) {
    if (!(e instanceof OutputSpecError)) throw e;
    err('output', `Step '${name}': ${e.message}`, 'output-spec');
  }
  let onError: WorkflowStep['onError'] = null;
  if (data.on_error !== undefined && data.on_error !== null) {
    const v = str(data.on_error);
    if (v !== 'stop' && v !== 'continue') err('on_error', `Step '${name}' 'on_error' must be 'stop' or 'continue', got '${v}'`, 'on-error');
    else if (!hasFor) err('on_error', `Step '${name}' 'on_error' is only supported on 'for:' loop steps`, 'on-error');
    else onError = v;
  }
  let artifact: 'stdout' | null = null;
  if (data.artifact !== undefined && data.artifact !== null) {
    const v = str(data.artifact);
    if (v !== 'stdout') err('artifact', `Step '${name}' 'artifact' must be 'stdout', got '${v}'`, 'artifact');
    else if (kind === 'prompt_part') err('artifact', `Step '${name}' with 'prompt_part' cannot have 'artifact'`, 'artifact');
    else if (kind === 'agent') err('artifact', `Step '${name}' with 'agent' cannot have 'artifact'`, 'artifact');
    else if (kind === 'parallel') err('artifact', `Step '${name}' with 'parallel' cannot have 'artifact'`, 'artifact');
    else if (nested) err('artifact', `Nested step '${name}' cannot have 'artifact'`, 'artifact');
    else artifact = 'stdout';
  }
  if ([hasFor, hasRepeat, hasWhile].filter(Boolean).length > 1) err(null, `Step '${name}' can only have one of 'for', 'repeat', or 'while' fields`, 'loop-kind');
  if (kind === 'parallel' && (hasRepeat || hasWhile)) err(null, `Step '${name}' cannot combine 'parallel' with 'repeat' or 'while'`, 'loop-kind');
  if (kind === 'prompt_part') {
    if (hasIf) err('if', `Step '${name}' with 'prompt_part' cannot have 'if' condition`, 'prompt-part-control-flow');
    if (hasFor) err('for', `Step '${name}' with 'prompt_part' cannot have 'for' loop`, 'prompt-part-control-flow');
    if (hasRepeat) err('repeat', `Step '${name}' with 'prompt_part' cannot have 'repeat' loop`, 'prompt-part-control-flow');
    if (hasWhile) err('while', `Step '${name}' with 'prompt_part' cannot have 'while' loop`, 'prompt-part-control-flow');
    if (data.output !== undefined && data.output !== null) err('output', `Step '${name}' with 'prompt_part' cannot have 'output' specification`, 'prompt-part-output');
    if (hitl) err('hitl', `Step '${name}' with 'prompt_part' cannot have 'hitl: true'`, 'prompt-part-hitl');
    if (fin) err('finally', `Step '${name}' with 'prompt_part' cannot have 'finally: true'`, 'prompt-part-finally');
  }
  if (nested) {
    if (hasFor || hasRepeat || hasWhile || kind === 'parallel') err(null, `Nested step '${name}' cannot have 'for', 'repeat', 'while', or 'parallel' fields`, 'nested-step');
    if (hitl) err('hitl', `Nested step '${name}' cannot have 'hitl: true'`, 'nested-step');
    if (fin) err('finally', `Nested step '${name}' cannot have 'finally: true'`, 'nested-step');
  }
  let forLoop: Record<string, string> | null = null;
  if (hasFor) {
    if (!isMapping(data.for)) err('for', `Step '${name}' 'for' field must be a dict mapping variable names to list expressions`, 'for');
    else {
      forLoop = {};
      for (const [k, v] of Object.entries(data.for)) forLoop[k] = Array.isArray(v) ? JSON.stringify(v) : str(v);
    }
  }
  let repeat: LoopSpec | null = null;
  if (hasRepeat) {
    if (!isMapping(data.repeat)) err('repeat', `Step '${name}' 'repeat' field must be a dict with 'until' key`, 'repeat');
    else if (!data.repeat.until) err('repeat', `Step '${name}' 'repeat' field requires 'until' condition`, 'repeat');
    else {
      const max = positiveInt(data.repeat.max, 100);
      if (max === null) err('repeat', `Step '${name}' 'repeat' max must be a positive integer`, 'repeat');
      repeat = { condition: str(data.repeat.until), max: max ?? 100 };
    }
  }
  let whileLoop: LoopSpec | null = null;
  if (hasWhile) {
    if (typeof data.while === 'string') whileLoop = { condition: data.while, max: 100 };
    else if (isMapping(data.while)) {
      if (!data.while.condition) err('while', `Step '${name}' 'while' field requires 'condition' key`, 'while');
      else {
        const max = positiveInt(data.while.max, 100);
        if (max === null) err('while', `Step '${name}' 'while' max must be a positive integer`, 'while');
        whileLoop = { condition: str(data.while.condition), max: max ?? 100 };
      }
    } else err('while', `Step '${name}' 'while' field must be a string or dict`, 'while');
  }
  let join: JoinMode | null = null;
  if (data.join !== undefined && data.join !== null && data.join !== '') {
    const v = str(data.join);
    if (!(JOIN_MODES as string[]).includes(v)) err('join', `Step '${name}' 'join' must be one of: ${JOIN_MODES.join(', ')}`, 'join');
    else join = v as JoinMode;
  }
  const steps: WorkflowStep[] = [];
  if (kind === 'parallel') {
    const list = data.parallel;
    if (!Array.isArray(list)) err('parallel', `Step '${name}' 'parallel' field must be a list of steps`, 'parallel');
    else {
      if (list.length < 2) err('parallel', `Step '${name}' 'parallel' field requires at least 2 steps`, 'parallel');
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (!isMapping(item)) {
          c.error([...path, 'parallel', i], `Step '${name}' parallel item ${i} must be a dict`, 'parallel');
          return;
        }
        const s = parseStep(item, i, [...path, 'parallel', i], c, opts, true);
        if (!s) return;
        if (seen.has(s.name)) c.error([...path, 'parallel', i], `Step '${name}' has duplicate nested step name: '${s.name}'`, 'duplicate-step');
        seen.add(s.name);
        steps.push(s);
      });
    }
  }
  if (data.fail_fast !== undefined && kind !== 'parallel') c.warn([...path, 'fail_fast'], `Step '${name}': 'fail_fast' only applies to 'parallel' steps`, 'fail-fast');
  if (c.diagnostics.filter((d) => d.severity === 'error').length > before) return null;
  return {
    name,
    kind,
    body: kind === 'parallel' ? null : str(data[kindKey]),
    steps,
    output,
    artifact,
    if: hasIf ? str(data.if) : null,
    for: forLoop,
    while: whileLoop,
    repeat,
    join,
    hitl,
    finally: fin,
    hidden: data.hidden === true,
    failFast: data.fail_fast !== false,
    onError,
    use,
    legacyPromptKey: kindKey === 'prompt',
    line: c.at(path).line,
    ...(kind !== 'parallel' && !use ? { bodyLine: c.doc?.valueLineOf([...path, kindKey]) } : {}),
  };
}
