/**
 * Turning a step's stdout into its result and combining loop/parallel results — the pure part of running a step,
 * shared with the executor. Rules: spec/xprompts.md §6.3 (stdout parsing: JSON → `key=value` lines → raw text as
 * `_raw`/`_output`), §6.2 `join` (vectors J4, J5).
 */
import { InvalidDataError } from '../errors/index.js';
import { ArgTypeError, convertArg } from '../xprompt/inputs.js';
import type { JoinMode, OutputSpec } from './types.js';

/** A step result: an object of fields, or a list for array outputs. */
export type StepResult = Record<string, unknown> | unknown[];

const KV_PART = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/;
/** Splits one line into `key=value` parts: a comma starts a new part only when a `key=` follows it. */
const KV_SPLIT = /,(?=[A-Za-z_][A-Za-z0-9_]*=)/;

/** The shape of a step's stdout per spec/xprompts.md §6.3, before any typing. */
export type StdoutShape =
  | { kind: 'json'; value: Record<string, unknown> | unknown[] }
  | { kind: 'fields'; fields: Record<string, string> }
  | { kind: 'text' };

/**
 * Classifies a step's stdout — the one rule both {@link parseStepOutput} and the executor's `parseStepStdout`
 * (lib/workflow/run/output.ts) use: (trimmed) text that parses as a JSON object or array is `json`; else every
 * `key=value` part (lines split on LF, a trailing CR dropped, several parts per line when separated by `,key=`;
 * other lines ignored) forms `fields` (values kept as strings); else it is plain `text`.
 * SASE rule: spec/xprompts.md §6.3.
 */
export function readStdoutShape(stdout: string): StdoutShape {
  const text = stdout.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object') return { kind: 'json', value: v as Record<string, unknown> | unknown[] };
    } catch {
      // not JSON: fall through
    }
  }
  const fields: Record<string, string> = {};
  let found = false;
  for (const line of stdout.split('\n')) {
    for (const part of line.replace(/\r$/, '').split(KV_SPLIT)) {
      const m = KV_PART.exec(part);
      if (!m) continue;
      fields[m[1]!] = m[2]!;
      found = true;
    }
  }
  return found ? { kind: 'fields', fields } : { kind: 'text' };
}

function convertFields(obj: Record<string, unknown>, spec: OutputSpec | null, step: string): Record<string, unknown> {
  if (!spec) return obj;
  const out: Record<string, unknown> = { ...obj };
  for (const [field, type] of Object.entries(spec.semanticTypes)) {
    const v = out[field];
    if (v === undefined || v === null || typeof v !== 'string') continue;
    try {
      out[field] = convertArg({ name: field, type }, v);
    } catch (e) {
      if (e instanceof ArgTypeError) throw new InvalidDataError(`Step '${step}' output: ${e.message}`, { data: { step, field } });
      throw e;
    }
  }
  return out;
}

/**
 * Parses a step's stdout (shape per {@link readStdoutShape}) into a typed result: a JSON array/object or the
 * `key=value` fields, with object fields converted per the declared semantic types (`success=true` with
 * `success: bool` → `true`, `count=42` with `count: int` → `42`); plain text becomes `{_raw, _output}` (`_output`
 * trimmed).
 * @param step step name for error messages
 * @throws InvalidDataError when a declared field cannot be converted
 */
export function parseStepOutput(stdout: string, spec: OutputSpec | null, step = 'step'): StepResult {
  const shape = readStdoutShape(stdout);
  if (shape.kind === 'json') {
    const v = shape.value;
    if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? convertFields(x as Record<string, unknown>, spec, step) : x));
    return convertFields(v, spec, step);
  }
  if (shape.kind === 'fields') return convertFields(shape.fields, spec, step);
  return { _raw: stdout, _output: stdout.trim() };
}

/** One iteration's (or one parallel branch's) outcome. */
export interface IterationResult {
  /** Branch name (parallel) or iteration index as a string. */
  key: string;
  stdout: string;
  result: StepResult;
}

/**
 * Combines loop iterations or parallel branches: `array` → list of results (default for `for`), `object` → merged
 * fields (for loops: the fields of object results, later iterations winning, `_`-prefixed bookkeeping such as
 * `_raw` left out, non-object results skipped) or `{branch: result}` (parallel; default), `text` → trimmed stdouts
 * joined with newlines, `lastOf` → the last result (null when none). Used by the executor
 * (lib/workflow/run/executor.ts). spec/xprompts.md §6.2 `join` (vector J5).
 */
export function joinResults(mode: JoinMode, items: IterationResult[], kind: 'for' | 'parallel' = 'for'): unknown {
  switch (mode) {
    case 'array':
      return items.map((i) => i.result);
    case 'text':
      return items.map((i) => i.stdout.trim()).join('\n');
    case 'lastOf':
      return items.length ? items[items.length - 1]!.result : null;
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const i of items) {
        if (kind === 'parallel') out[i.key] = i.result;
        else if (i.result && typeof i.result === 'object' && !Array.isArray(i.result)) {
          for (const [k, v] of Object.entries(i.result)) if (!k.startsWith('_')) out[k] = v;
        }
      }
      return out;
    }
  }
}

/** The join a step uses when none is declared: `array` for `for` loops, `object` for parallel steps. */
export function defaultJoin(kind: 'for' | 'parallel'): JoinMode {
  return kind === 'for' ? 'array' : 'object';
}
