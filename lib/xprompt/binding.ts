/**
 * Binding call arguments to an xprompt's declared inputs. SASE rule `input_binding.py: bind_input_args`
 * (spec/xprompts.md §4.3; vectors B11–B16).
 */
import { InvalidDataError } from '../errors/index.js';
import { ArgTypeError, convertArg } from './inputs.js';
import type { XpromptDef } from './types.js';

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
