/**
 * Input declarations of xprompts and workflows: parsing the `input:` grammar and converting argument values per
 * input type. Rules: spec/xprompts.md §4.2 (types, defaults, error texts) and Appendix A (`agent`, `enum`, `code`,
 * `repeatable`). No YAML import here: callers hand in already-parsed values plus a line lookup.
 */
import type { InputSpec, XpromptDef } from './types.js';
import { InvalidDataError } from '../errors/index.js';

/*
 * ---- Argument binding (formerly `binding.ts`).
 *
 * Binding call arguments to an xprompt's declared inputs. SASE rule `input_binding.py: bind_input_args`
 * (spec/xprompts.md §4.3; vectors B11–B16).
 */
/** Result of {@link bindInputArgs}. */
export interface BoundArgs {
  /**
   * Template variables: `_1…_n` and `_args` (the positional list as given), extra named args, then every input
   * (converted value, or its default when unbound). Later keys win, as in SASE's render context.
   */
  vars: Record<string, unknown>;
  /** The positional args as given (nulls kept; they bind nothing). */
  positional: Array<string | null>;
  /** Named values after binding: inputs bound positionally or by name (converted), plus extra named args. */
  named: Record<string, unknown>;
  /** Required inputs that received no value (empty unless `allowMissing`). */
  missing: string[];
}

/** Options of {@link bindInputArgs}. */
export interface BindOptions {
  /**
   * Do not throw for missing required inputs; report them in `missing` instead and leave them out of `vars`
   * (SASE's runtime behaviour: the template then fails with `'<var>' is undefined`, spec §4.3 step 8).
   */
  allowMissing?: boolean;
}

/** The definition fields binding needs. */
export type BindableDef = Pick<XpromptDef, 'name' | 'inputs' | 'path' | 'bodyLine'> & { configFile?: string };

/**
 * Binds positional and named arguments to `def`'s inputs:
 * 1. no inputs declared → positionals pass through (`_1`, `_args`), named args become variables;
 * 2. positional i → input i (a final `repeatable` input takes the rest as a list); too many →
 *    `Too many positional arguments: input N has no declaration`;
 * 3. a positional `null` binds nothing; 4. named args override positional ones, unknown names are kept as extra
 *    variables, a named `null` removes the binding; 5. values are converted per type; 6. defaults fill the rest;
 * 7. missing required inputs → error (unless `allowMissing`).
 * spec/xprompts.md §4.3.
 * @throws InvalidDataError `XPrompt '#<name>' argument error: <detail>` located at the definition file and the
 *   input's declaration line (field = input name)
 */
export function bindInputArgs(
  def: BindableDef,
  positional: ReadonlyArray<string | null>,
  named: Readonly<Record<string, unknown>>,
  opts: BindOptions = {},
): BoundArgs {
  const fail = (detail: string, inputName?: string): never => {
    const input = def.inputs.find((i) => i.name === inputName);
    const file = def.path ?? def.configFile;
    throw new InvalidDataError(`XPrompt '#${def.name}' argument error: ${detail}`, {
      location: file ? { file, line: input?.line ?? def.bodyLine, field: inputName } : undefined,
      data: { xprompt: def.name },
    });
  };
  const pos = [...positional];
  const vars: Record<string, unknown> = {};
  pos.forEach((v, i) => (vars[`_${i + 1}`] = v));
  vars._args = pos;
  const bound: Record<string, unknown> = {};
  const inputs = def.inputs;
  if (inputs.length === 0) {
    for (const [k, v] of Object.entries(named)) bound[k] = v;
    Object.assign(vars, bound);
    return { vars, positional: pos, named: bound, missing: [] };
  }
  for (let i = 0; i < pos.length; i++) {
    const input = inputs[i];
    const last = inputs[inputs.length - 1]!;
    if (!input) {
      if (last.repeatable) continue; // swallowed below
      fail(`Too many positional arguments: input ${i + 1} has no declaration`);
    }
    if (input!.repeatable) {
      const rest = pos.slice(i).filter((v): v is string => v !== null);
      bound[input!.name] = rest;
      break;
    }
    if (pos[i] === null) continue;
    bound[input!.name] = pos[i];
  }
  for (const [k, v] of Object.entries(named)) {
    if (v === null) delete bound[k];
    else bound[k] = v;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bound)) {
    const input = inputs.find((i) => i.name === k);
    if (!input) {
      out[k] = v;
      continue;
    }
    try {
      out[k] = input.repeatable && Array.isArray(v) ? v.map((x) => convertArg(input, x)) : convertArg(input, v);
    } catch (e) {
      if (e instanceof ArgTypeError) fail(e.message, k);
      throw e;
    }
  }
  const missing: string[] = [];
  for (const input of inputs) {
    if (input.name in out) continue;
    if (!input.required) out[input.name] = input.default ?? null;
    else if (input.repeatable) out[input.name] = [];
    else missing.push(input.name);
  }
  if (missing.length > 0 && !opts.allowMissing) {
    fail(`Missing required argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(', ')}`, missing[0]);
  }
  Object.assign(vars, out);
  return { vars, positional: pos, named: out, missing };
}

/*
 * ---- Input declarations and type conversion.
 */
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

