/**
 * A small argv parser for the common case, so most commands never load commander (start-up time: commander costs
 * more than the rest of the dispatcher together). A command's `define(cmd)` is first run against a
 * {@link CommandSpec} that records the options and arguments it declares, using the same calls as commander
 * (`option`, `requiredOption`, `argument`, …). {@link fastParse} then parses argv with commander's own rules for the
 * successful case and returns exactly what commander would hand the action (positional values, options object).
 *
 * Anything unusual — help, a missing or excess argument, an unknown option, grouped short flags, variadic options,
 * a declaration this recorder does not know — returns `undefined` and the caller parses with commander instead, so
 * errors, help text and rare syntax keep commander's exact behaviour. Rules mirrored: commander 14
 * `Command.parseOptions`, `_processArguments`, `_checkNumberOfArguments`, `Option`/`Argument` constructors.
 */

type ParseFn = (value: string, previous: unknown) => unknown;

interface OptionDecl {
  flags: string;
  short?: string;
  long?: string;
  /** Attribute name in the options object (camelCase, `no-` stripped for negations). */
  key: string;
  required: boolean;
  optional: boolean;
  variadic: boolean;
  negate: boolean;
  mandatory: boolean;
  parseArg?: ParseFn;
}

interface ArgumentDecl {
  required: boolean;
  variadic: boolean;
  defaultValue: unknown;
  parseArg?: ParseFn;
}

/** Raised by the recorder for declarations it cannot mirror; the caller then uses commander. */
class Unsupported extends Error {}

function camelcase(s: string): string {
  return s.split('-').reduce((acc, word) => acc + word[0]!.toUpperCase() + word.slice(1));
}

/** commander's `splitOptionFlags`, reduced to the forms it accepts. */
function splitFlags(flags: string): { short?: string; long?: string } {
  const parts = flags.split(/[ |,]+/).concat('guard');
  const isShort = (p: string) => /^-[^-]$/.test(p);
  const isLong = (p: string) => /^--[^-]/.test(p);
  let short: string | undefined;
  let long: string | undefined;
  if (isShort(parts[0]!)) short = parts.shift();
  if (isLong(parts[0]!)) long = parts.shift();
  if (!short && isShort(parts[0]!)) short = parts.shift();
  if (!short && isLong(parts[0]!)) {
    short = long;
    long = parts.shift();
  }
  if (parts[0]!.startsWith('-') || (short === undefined && long === undefined)) throw new Unsupported(flags);
  return { short, long };
}

/**
 * Records what a command's `define()` declares, through the subset of commander's `Command` API our commands use.
 * Chainable like commander. Unknown methods are absent, so a `define()` using them throws and the caller falls
 * back to commander.
 */
export class CommandSpec {
  readonly options: OptionDecl[] = [];
  readonly arguments: ArgumentDecl[] = [];
  /** Option values before parsing (defaults), in declaration order — commander's `_optionValues`. */
  readonly defaults: Record<string, unknown> = {};
  private excessAllowed = true;

  /** commander `option(flags, description, default | parseFn, default)`. */
  option(flags: string, _description?: string, fn?: unknown, defaultValue?: unknown): this {
    return this.add(flags, false, fn, defaultValue);
  }

  /** commander `requiredOption(...)`: must be given (or have a default). */
  requiredOption(flags: string, _description?: string, fn?: unknown, defaultValue?: unknown): this {
    return this.add(flags, true, fn, defaultValue);
  }

  /** commander `argument(name, description, default | parseFn, default)`. */
  argument(name: string, _description?: string, fn?: unknown, defaultValue?: unknown): this {
    let inner = name;
    let required = true;
    if (name[0] === '<' || name[0] === '[') {
      required = name[0] === '<';
      inner = name.slice(1, -1);
    }
    const variadic = inner.endsWith('...');
    const parseArg = typeof fn === 'function' ? (fn as ParseFn) : undefined;
    if (fn instanceof RegExp) throw new Unsupported('regexp argument');
    this.arguments.push({ required, variadic, parseArg, defaultValue: parseArg ? defaultValue : fn });
    return this;
  }

  /** commander `allowExcessArguments(allow)`. */
  allowExcessArguments(allow = true): this {
    this.excessAllowed = allow;
    return this;
  }

  /** Accepted and ignored (help-only declarations). */
  description(): this {
    return this;
  }

  /** Accepted and ignored (help-only declarations). */
  addHelpText(): this {
    return this;
  }

  /** Accepted and ignored (help-only declarations). */
  summary(): this {
    return this;
  }

  /** Accepted and ignored (help-only declarations). */
  usage(): this {
    return this;
  }

  /** Whether excess positional arguments are allowed (commander's default: yes). */
  get allowsExcess(): boolean {
    return this.excessAllowed;
  }

  private add(flags: string, mandatory: boolean, fn: unknown, defaultValue: unknown): this {
    if (fn instanceof RegExp) throw new Unsupported('regexp option');
    const { short, long } = splitFlags(flags);
    for (const o of this.options) {
      if ((short && (o.short === short || o.long === short)) || (long && (o.short === long || o.long === long))) throw new Unsupported(`duplicate ${flags}`);
    }
    const negate = long !== undefined && long.startsWith('--no-');
    const name = long ? long.replace(/^--/, '') : short!.replace(/^-/, '');
    const key = camelcase(negate ? name.replace(/^no-/, '') : name);
    const parseArg = typeof fn === 'function' ? (fn as ParseFn) : undefined;
    const def = parseArg ? defaultValue : fn;
    const decl: OptionDecl = {
      flags,
      short,
      long,
      key,
      required: flags.includes('<'),
      optional: flags.includes('['),
      variadic: /\w\.\.\.[>\]]$/.test(flags),
      negate,
      mandatory,
      parseArg,
    };
    if (negate) {
      const positive = long!.replace(/^--no-/, '--');
      if (!this.find(positive)) this.defaults[key] = def === undefined ? true : def;
    } else if (def !== undefined) {
      this.defaults[key] = def;
    }
    this.options.push(decl);
    return this;
  }

  /** The declared option with this exact flag (`-x` or `--long`). */
  find(flag: string): OptionDecl | undefined {
    return this.options.find((o) => o.short === flag || o.long === flag);
  }
}

/** What commander's action receives: declared positional values in order, and the options object. */
export interface FastParsed {
  args: unknown[];
  opts: Record<string, unknown>;
}

const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;

/**
 * Parses argv (arguments after the command name) against a recorded spec with commander's rules.
 * @returns the parsed values, or `undefined` when commander must handle this argv (help, errors, rare syntax)
 */
export function fastParse(spec: CommandSpec, argv: readonly string[]): FastParsed | undefined {
  if (spec.options.some((o) => o.variadic)) return undefined;
  const opts: Record<string, unknown> = { ...spec.defaults };
  const operands: string[] = [];
  // commander's `handleOptionValue`: val is null for an optional value left out, undefined for a flag.
  const set = (o: OptionDecl, val: string | null | undefined): void => {
    let v: unknown = val;
    if (v !== null && o.parseArg) v = o.parseArg(v as string, opts[o.key]);
    if (v == null) v = o.negate ? false : !o.required ? true : '';
    opts[o.key] = v;
  };
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i++]!;
    if (arg === '--') {
      operands.push(...argv.slice(i));
      break;
    }
    if (arg.length <= 1 || arg[0] !== '-') {
      operands.push(arg);
      continue;
    }
    if (arg === '-h' || arg === '--help') return undefined;
    const o = spec.find(arg);
    if (o) {
      if (o.required) {
        if (i >= argv.length) return undefined;
        set(o, argv[i++]!);
      } else if (o.optional) {
        const next = argv[i];
        if (next !== undefined && next.length > 1 && next[0] === '-') {
          if (NEGATIVE_NUMBER.test(next)) return undefined;
          set(o, null);
        } else if (next !== undefined) {
          set(o, next);
          i++;
        } else {
          set(o, null);
        }
      } else {
        set(o, undefined);
      }
      continue;
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 2) {
      const withValue = spec.find(arg.slice(0, eq));
      if (withValue && (withValue.required || withValue.optional)) {
        set(withValue, arg.slice(eq + 1));
        continue;
      }
    }
    // Grouped short flags, attached short values, unknown options, negative numbers: commander decides.
    return undefined;
  }
  for (const o of spec.options) if (o.mandatory && opts[o.key] === undefined) return undefined;
  const declared = spec.arguments;
  for (let k = 0; k < declared.length; k++) if (declared[k]!.required && operands[k] == null) return undefined;
  const lastVariadic = declared.length > 0 && declared[declared.length - 1]!.variadic;
  if (!lastVariadic && operands.length > declared.length && !spec.allowsExcess) return undefined;
  const args: unknown[] = [];
  declared.forEach((d, k) => {
    let value = d.defaultValue;
    if (d.variadic) {
      if (k < operands.length) {
        const rest = operands.slice(k);
        value = d.parseArg ? rest.reduce<unknown>((prev, v) => d.parseArg!(v, prev), d.defaultValue) : rest;
      } else if (value === undefined) {
        value = [];
      }
    } else if (k < operands.length) {
      value = d.parseArg ? d.parseArg(operands[k]!, d.defaultValue) : operands[k];
    }
    args[k] = value;
  });
  return { args, opts };
}

/** True when `e` is the recorder's own "cannot mirror this declaration" signal. */
export function isUnsupported(e: unknown): boolean {
  return e instanceof Unsupported;
}
