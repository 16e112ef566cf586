/**
 * The pure rules of a step's result: the shape of its stdout and the combining of loop/parallel results. The
 * executor (lib/workflow/run/) turns the shape into an output (`parseStepStdout`) and types it (`typeOutput`).
 * Rules: spec/xprompts.md §6.3 (stdout parsing: JSON → `key=value` lines → raw text as `_raw`/`_output`), §6.2
 * `join` (vectors J4, J5).
 */
import type { JoinMode } from './types.js';

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
 * Classifies a step's stdout — the rule behind the executor's `parseStepStdout` (lib/workflow/run/output.ts):
 * (trimmed) text that parses as a JSON object or array is `json`; else every `key=value` part (lines split on LF,
 * a trailing CR dropped, several parts per line when separated by `,key=`; other lines ignored) forms `fields`
 * (values kept as strings); else it is plain `text`.
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
