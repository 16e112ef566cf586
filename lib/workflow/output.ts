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

const KV_RE = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/;

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
 * Parses a step's stdout: a JSON object/array first; else `key=value` lines (other lines ignored); else the raw
 * text as `{_raw, _output}`. Object fields are converted per the declared semantic types (`success=true` with
 * `success: bool` → `true`, `count=42` with `count: int` → `42`).
 * @param step step name for error messages
 * @throws InvalidDataError when a declared field cannot be converted
 */
export function parseStepOutput(stdout: string, spec: OutputSpec | null, step = 'step'): StepResult {
  const text = stdout.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? convertFields(x as Record<string, unknown>, spec, step) : x));
      if (v && typeof v === 'object') return convertFields(v as Record<string, unknown>, spec, step);
    } catch {
      // not JSON: fall through
    }
  }
  const kv: Record<string, unknown> = {};
  let found = false;
  for (const line of text.split('\n')) {
    const m = KV_RE.exec(line.trim());
    if (!m) continue;
    kv[m[1]!] = m[2]!;
    found = true;
  }
  if (found) return convertFields(kv, spec, step);
  return { _raw: stdout, _output: text };
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
 * fields (for loops) or `{branch: result}` (parallel; default), `text` → trimmed stdouts joined with newlines,
 * `lastOf` → the last result. spec/xprompts.md §6.2 `join` (vector J5).
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
        else if (!Array.isArray(i.result)) Object.assign(out, i.result);
      }
      return out;
    }
  }
}

/** The join a step uses when none is declared: `array` for `for` loops, `object` for parallel steps. */
export function defaultJoin(kind: 'for' | 'parallel'): JoinMode {
  return kind === 'for' ? 'array' : 'object';
}
