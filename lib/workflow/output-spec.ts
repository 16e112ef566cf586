/**
 * Normalising `output:` declarations into JSON Schema. SASE rule `parse_output_from_front_matter`
 * (spec/xprompts.md §4.5): shortform object `{f: type}` (a field `{type, default}` becomes nullable with that
 * default), shortform array `[{…}]` (array of objects; `required` = fields without defaults), longform
 * `{type: json_schema, schema}`, or a raw JSON Schema.
 */
import { parseInputType } from '../xprompt/inputs.js';
import type { OutputSpec } from './types.js';

/** Thrown for a malformed declaration; the message is shown after `Step '<s>': `. */
export class OutputSpecError extends Error {}

const JSON_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'null']);

/** JSON Schema type of a semantic input type (`word`/`line`/`text`/`path` → string, `int` → integer, …). */
export function jsonTypeOf(semantic: string): string {
  const t = semantic.trim().toLowerCase();
  if (JSON_TYPES.has(t)) return t;
  switch (parseInputType(t)) {
    case 'int':
      return 'integer';
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    default:
      return 'string';
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectSchema(fields: Record<string, unknown>): { schema: Record<string, unknown>; semantic: Record<string, string> } {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const semantic: Record<string, string> = {};
  for (const [f, decl] of Object.entries(fields)) {
    if (isMapping(decl)) {
      const t = String(decl.type ?? 'line');
      semantic[f] = t;
      if ('default' in decl) properties[f] = { type: [jsonTypeOf(t), 'null'], default: decl.default ?? null };
      else {
        properties[f] = { type: jsonTypeOf(t) };
        required.push(f);
      }
    } else if (typeof decl === 'string' || decl === null || decl === undefined) {
      const t = decl ?? 'line';
      semantic[f] = t;
      properties[f] = { type: jsonTypeOf(t) };
      required.push(f);
    } else {
      throw new OutputSpecError(`output field '${f}' must be a type name or {type, default}`);
    }
  }
  return { schema: { type: 'object', properties, required }, semantic };
}

/**
 * Normalises an `output:` value.
 * @returns null when `raw` is empty (no output declared)
 * @throws OutputSpecError for shapes that are none of the accepted forms
 */
export function parseOutputSpec(raw: unknown): OutputSpec | null {
  if (raw === undefined || raw === null) return null;
  if (Array.isArray(raw)) {
    if (raw.length === 0) return null;
    const item = raw[0];
    if (!isMapping(item)) throw new OutputSpecError(`array output must contain one mapping of fields, e.g. [{ name: word }]`);
    const { schema, semantic } = objectSchema(item);
    return { schema: { type: 'array', items: schema }, fields: null, semanticTypes: semantic };
  }
  if (!isMapping(raw)) throw new OutputSpecError(`'output' must be a mapping of fields, a list, or a JSON schema`);
  if (Object.keys(raw).length === 0) return null;
  if (raw.type === 'json_schema') {
    if (!isMapping(raw.schema)) throw new OutputSpecError(`'output' with type json_schema needs a 'schema' mapping`);
    return fromSchema(raw.schema);
  }
  if (typeof raw.type === 'string' && JSON_TYPES.has(raw.type) && ('properties' in raw || 'items' in raw || raw.type !== 'object')) {
    if (!('properties' in raw) && !('items' in raw) && Object.keys(raw).length === 1) {
      // `{type: string}` alone is a shortform field named "type"
      const { schema, semantic } = objectSchema(raw);
      return { schema, fields: Object.keys(raw), semanticTypes: semantic };
    }
    return fromSchema(raw);
  }
  const { schema, semantic } = objectSchema(raw);
  return { schema, fields: Object.keys(raw), semanticTypes: semantic };
}

function fromSchema(schema: Record<string, unknown>): OutputSpec {
  const props = schema.type === 'object' && isMapping(schema.properties) ? Object.keys(schema.properties) : null;
  return { schema, fields: props, semanticTypes: {} };
}
