/**
 * Step output parsing and typing (spec/xprompts.md §6.3, §4.5): stdout that is a JSON document is the output;
 * else `key=value` lines (several per line when separated by `,key=`) form an object; else the raw text is stored
 * as `_raw`/`_output`. Declared shortform types coerce values (`bool`, `int`, `float`); the result is checked
 * against the step's JSON schema subset (type, required, property types, array items).
 */
import { readStdoutShape } from '../output.js';
import type { OutputSpec } from '../types.js';

/**
 * Parses raw step stdout into an output value (shape per `readStdoutShape`, lib/workflow/output.ts): a JSON
 * array as is, a JSON object or the `key=value` fields plus `_raw` (the full text; it wins over a `_raw` field), plain
 * text as `{_raw, _output}` (both untrimmed). Values stay strings; {@link typeOutput} coerces them.
 */
export function parseStepStdout(stdout: string): unknown {
  const shape = readStdoutShape(stdout);
  if (shape.kind === 'json') return Array.isArray(shape.value) ? shape.value : { ...shape.value, _raw: stdout };
  if (shape.kind === 'fields') return { ...shape.fields, _raw: stdout };
  return { _raw: stdout, _output: stdout };
}

/** Extracts a JSON value from an agent reply: a ```json fenced block, else the whole reply; undefined when none parses. */
export function jsonFromReply(reply: string): unknown {
  const fence = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(reply);
  for (const cand of [fence?.[1], reply]) {
    if (cand === undefined) continue;
    try {
      return JSON.parse(cand.trim());
    } catch {
      // next
    }
  }
  return undefined;
}

function coerce(v: unknown, semantic: string | undefined, jsonType: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = (semantic ?? (Array.isArray(jsonType) ? jsonType[0] : jsonType) ?? '').toString().toLowerCase();
  if (t === 'bool' || t === 'boolean') {
    if (/^(true|yes|1)$/i.test(v.trim())) return true;
    if (/^(false|no|0|)$/i.test(v.trim())) return false;
  }
  if ((t === 'int' || t === 'integer') && /^-?\d+$/.test(v.trim())) return parseInt(v, 10);
  if ((t === 'float' || t === 'number') && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

function typeOk(v: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  if (type === undefined) return true;
  return types.some((t) => {
    switch (t) {
      case 'string':
        return typeof v === 'string';
      case 'integer':
        return Number.isInteger(v);
      case 'number':
        return typeof v === 'number';
      case 'boolean':
        return typeof v === 'boolean';
      case 'array':
        return Array.isArray(v);
      case 'object':
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      case 'null':
        return v === null || v === undefined;
      default:
        return true;
    }
  });
}

function checkObject(v: Record<string, unknown>, schema: Record<string, unknown>, semantic: Record<string, string>, where: string): string[] {
  const errs: string[] = [];
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [f, p] of Object.entries(props)) {
    if (f in v) v[f] = coerce(v[f], semantic[f], p.type);
    else if ('default' in p) v[f] = p.default;
  }
  for (const f of (schema.required ?? []) as string[]) if (!(f in v)) errs.push(`${where}missing field '${f}'`);
  for (const [f, p] of Object.entries(props)) if (f in v && !typeOk(v[f], p.type)) errs.push(`${where}field '${f}' should be ${JSON.stringify(p.type)}, got ${JSON.stringify(v[f])}`);
  return errs;
}

/**
 * Coerces an output to its declared types and validates it.
 * @returns the typed value and the problems found (empty when valid)
 */
export function typeOutput(value: unknown, spec: OutputSpec | null): { value: unknown; errors: string[] } {
  if (!spec) return { value, errors: [] };
  const s = spec.schema;
  if (s.type === 'array') {
    if (!Array.isArray(value)) return { value, errors: [`expected a JSON array, got ${typeof value === 'object' ? 'an object' : typeof value}`] };
    const items = (s.items ?? {}) as Record<string, unknown>;
    const errors: string[] = [];
    value.forEach((it, i) => {
      if (items.type === 'object' && it && typeof it === 'object') errors.push(...checkObject(it as Record<string, unknown>, items, spec.semanticTypes, `[${i}] `));
      else if (!typeOk(it, items.type)) errors.push(`[${i}] has the wrong type`);
    });
    return { value, errors };
  }
  if (s.type === 'object' || s.properties) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { value, errors: ['expected an object'] };
    const v = { ...(value as Record<string, unknown>) };
    return { value: v, errors: checkObject(v, s, spec.semanticTypes, '') };
  }
  return { value, errors: typeOk(value, s.type) ? [] : [`expected ${JSON.stringify(s.type)}`] };
}
