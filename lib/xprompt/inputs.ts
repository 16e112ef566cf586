/**
 * Input declarations of xprompts and workflows: parsing the `input:` grammar and converting argument values per
 * input type. Rules: spec/xprompts.md §4.2 (types, defaults, error texts) and Appendix A (`agent`, `enum`, `code`,
 * `repeatable`). No YAML import here: callers hand in already-parsed values plus a line lookup.
 */
import type { InputSpec } from './types.js';

/** Canonical input types (after alias folding). Unknown type strings become `line` (spec §4.2). */
export type CanonicalInputType = 'word' | 'line' | 'text' | 'path' | 'int' | 'float' | 'bool' | 'agent' | 'enum' | 'code';

const TYPE_ALIASES: Readonly<Record<string, CanonicalInputType>> = {
  word: 'word',
  line: 'line',
  text: 'text',
  path: 'path',
  int: 'int',
  integer: 'int',
  float: 'float',
  bool: 'bool',
  boolean: 'bool',
  agent: 'agent',
  enum: 'enum',
  code: 'code',
};

/**
 * Folds a declared type string to its canonical type, case-insensitively; unknown or non-string → `line`.
 * SASE rule `parse_input_type` (spec §4.2; vector I4: `string` → `line`, `Integer` → `int`, `boolean` → `bool`).
 */
export function parseInputType(raw: unknown): CanonicalInputType {
  if (typeof raw !== 'string') return 'line';
  return TYPE_ALIASES[raw.trim().toLowerCase()] ?? 'line';
}

/** Valid input names: identifiers (they become template variables). */
const INPUT_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A problem in an `input:` declaration; `line` is the 1-based file line of the offending item when known. */
export class InputDeclError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * Parses an `input:` value in longform (list of `{name, type, default, description, repeatable, choices}`; items
 * without `name` and non-mapping items are skipped) or shortform (`name: type` / `name: {type, default, …}`) into ordered InputSpecs.
 * Default rule: key absent → required; `default: null` → optional with value null; anything else → optional with
 * that YAML-typed value (not converted). spec/xprompts.md §4.2.
 * @param lineOf returns the 1-based file line of `input[index or key]`, or undefined
 * Stricter than SASE on purpose (these are authoring mistakes): `input:` that is neither a list nor a mapping,
 * names that are not identifiers (they could not be used as template variables), duplicate names, non-list
 * `choices`, and a `repeatable` input that is not last.
 * @throws InputDeclError with the offending item's line
 */
export function parseInputs(raw: unknown, lineOf: (key: string | number) => number | undefined = () => undefined): InputSpec[] {
  if (raw === undefined || raw === null) return [];
  const out: InputSpec[] = [];
  const add = (name: unknown, spec: unknown, key: string | number): void => {
    const line = lineOf(key);
    if (typeof name !== 'string' || !INPUT_NAME_RE.test(name)) {
      throw new InputDeclError(`input name ${JSON.stringify(name)} must be an identifier (letters, digits, _)`, line);
    }
    if (out.some((i) => i.name === name)) throw new InputDeclError(`duplicate input '${name}'`, line);
    let type: unknown = 'line';
    let fields: Record<string, unknown> = {};
    if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
      fields = spec as Record<string, unknown>;
      type = fields.type ?? 'line';
    } else if (spec !== null && spec !== undefined) {
      type = typeof spec === 'string' ? spec : String(spec); // SASE: str(value) — a non-type scalar means `line`
    }
    const input: InputSpec = {
      name,
      type: parseInputType(type),
      required: !('default' in fields),
      position: out.length,
    };
    if ('default' in fields) input.default = fields.default ?? null;
    if (fields.description !== undefined && fields.description !== null) input.description = String(fields.description);
    if (fields.repeatable === true) input.repeatable = true;
    if (fields.choices !== undefined && fields.choices !== null) {
      if (!Array.isArray(fields.choices)) throw new InputDeclError(`input '${name}': choices must be a list`, line);
      input.choices = fields.choices.map((c) => String(c));
    }
    if (line !== undefined) input.line = line;
    out.push(input);
  };
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return; // SASE skips non-mapping items
      const rec = item as Record<string, unknown>;
      if (rec.name === undefined || rec.name === null) return; // SASE skips items without a name
      add(rec.name, rec, i);
    });
  } else if (typeof raw === 'object') {
    for (const [name, spec] of Object.entries(raw as Record<string, unknown>)) add(name, spec, name);
  } else {
    throw new InputDeclError(`'input' must be a list or a mapping, got ${JSON.stringify(raw)}`, lineOf('input'));
  }
  const rep = out.findIndex((i) => i.repeatable);
  if (rep !== -1 && rep !== out.length - 1) {
    throw new InputDeclError(`input '${out[rep]!.name}' is repeatable but is not the last input`, out[rep]!.line);
  }
  return out;
}

/** Why a value failed conversion; the message is SASE's text (spec §4.2), e.g. `Argument 'n' expects int, got 'abc'`. */
export class ArgTypeError extends Error {}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const FLOAT_RE = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+)?|\d+\.|inf(?:inity)?|nan)$/i;

/**
 * Converts one argument value to its input's type. Strings are checked and parsed; `null` passes through (it means
 * "use the default" upstream); already-typed values (numbers, booleans from YAML/workflows) are accepted when they
 * fit. spec/xprompts.md §4.2 table; bool words per `InputArg.validate_and_convert` (vector B15).
 * @throws ArgTypeError with SASE's message
 */
export function convertArg(input: Pick<InputSpec, 'name' | 'type' | 'choices'>, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const t = parseInputType(input.type);
  const n = input.name;
  const s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  switch (t) {
    case 'word':
    case 'agent':
      if (s.trim() === '') throw new ArgTypeError(`Argument '${n}' expects a non-empty word`);
      if (/\s/.test(s)) throw new ArgTypeError(`Argument '${n}' expects word (no spaces), got '${s}'`);
      return value;
    case 'line':
      if (s.includes('\n')) throw new ArgTypeError(`Argument '${n}' expects line (no newlines), got value with newlines`);
      return value;
    case 'path':
      if (s.includes('\n')) throw new ArgTypeError(`Argument '${n}' expects single-line path (no newlines), got value with newlines`);
      return value;
    case 'text':
    case 'code':
      return value;
    case 'int': {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      const t2 = s.trim();
      if (!/^[+-]?\d+(?:_\d+)*$/.test(t2)) throw new ArgTypeError(`Argument '${n}' expects int, got '${s}'`);
      return Number.parseInt(t2.replace(/_/g, ''), 10);
    }
    case 'float': {
      if (typeof value === 'number') return value;
      const t2 = s.trim();
      if (!FLOAT_RE.test(t2)) throw new ArgTypeError(`Argument '${n}' expects float, got '${s}'`);
      const low = t2.toLowerCase().replace(/^[+]/, '');
      if (low.endsWith('nan')) return Number.NaN;
      if (low.endsWith('inf') || low.endsWith('infinity')) return low.startsWith('-') ? -Infinity : Infinity;
      return Number.parseFloat(t2.replace(/_/g, ''));
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const low = s.trim().toLowerCase();
      if (TRUE.has(low)) return true;
      if (FALSE.has(low)) return false;
      throw new ArgTypeError(`Argument '${n}' expects bool, got '${s}'`);
    }
    case 'enum': {
      const choices = input.choices ?? [];
      if (!choices.includes(s)) throw new ArgTypeError(`Argument '${n}' expects one of ${choices.join(', ')}, got '${s}'`);
      return value;
    }
  }
}

// Listing helpers live with the catalog entry (keeps `sase xprompt list` from loading this module).
export { displayDefault, inputSignature } from './catalog-entry.js';
