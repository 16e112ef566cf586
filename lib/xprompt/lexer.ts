/**
 * The reference lexer: finds `#name…` / `#!name…` references with SASE's boundary rules and reads their arguments.
 * Rules: spec/xprompts.md §1.1 (regex, boundaries, `__` → `/`), §1.2 (argument forms), §1.5 (`#!`, `!!`/`??`).
 */
import { InvalidDataError, type SaseErrorOptions } from '../errors/index.js';

/*
 * ---- The language error (formerly `errors.ts`).
 *
 * The error the XPrompt language core throws for bad prompts, references, directives and templates.
 * It is an {@link InvalidDataError} (exit 6, code `INVALID`) so the CLI renders it like any bad-input error,
 * with `location` (xprompt file and line) when the fault sits in a definition file.
 */
/** A prompt/reference/directive/template error (SASE's `XPromptError` / `DirectiveError`). */
export class XpromptError extends InvalidDataError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super(message, opts);
  }
}

/** Largest prompt text the expander will build (characters): a guard against runaway expansion (sase's, not SASE's). */
export const MAX_PROMPT_CHARS = 1_000_000;

/** The error for a prompt that grew past {@link MAX_PROMPT_CHARS}. */
export function promptTooLarge(size: number): XpromptError {
  return new XpromptError(`Expanded prompt is too large (${size} characters; limit ${MAX_PROMPT_CHARS})`, {
    hint: 'Check for shorthand or xprompts that nest or repeat without bound.',
  });
}

/*
 * ---- Argument grammar (formerly `args.ts`).
 *
 * Argument grammar of xprompt references: the paren form `#name(pos, key=val, [[text block]])`, the colon form
 * `#name:a,b` (with backtick / `$(…)` / `{{…}}` literals) and the plus form. Rules: spec/xprompts.md §1.2–1.3
 * (SASE `_parsing_args.py: parse_args`).
 */
/** Positional and named arguments of one reference. Values are strings as written (binding converts types). */
export interface RefArgs {
  positional: string[];
  named: Record<string, string>;
}

/**
 * Walks `text` from index `from`, calling `visit(c, i)` for every character outside quotes (`"`/`'`, no escapes)
 * and `[[…]]` text blocks — the one hiding rule of the paren-form grammar (spec/xprompts.md §1.3). Quote characters
 * and block delimiters themselves are not visited. Stops at the first character for which `visit` returns true.
 * @returns the index where `visit` returned true, or -1 when it never did
 */
function scanTopLevel(text: string, from: number, visit: (c: string, i: number) => boolean): number {
  let quote: string | null = null;
  let block = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (block) {
      if (c === ']' && text[i + 1] === ']') {
        block = false;
        i++;
      }
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' && text[i + 1] === '[') {
      block = true;
      i++;
    } else if (visit(c, i)) return i;
  }
  return -1;
}

/**
 * Finds the `)` matching the `(` at `openIdx`: quotes (`"`/`'`, no escapes) and `[[…]]` text blocks hide parens;
 * depth counts only outside them. Returns the index of the `)`, or -1 when unclosed (not an error: spec §1.3).
 */
export function findClosingParen(text: string, openIdx: number): number {
  if (text.lastIndexOf(')') < openIdx) return -1;
  let depth = 0;
  return scanTopLevel(text, openIdx, (c) => {
    if (c === '(') depth++;
    else if (c === ')') return --depth === 0;
    return false;
  });
}

/** Splits on `sep` outside quotes and `[[…]]` blocks (nested parens do NOT protect: spec §1.3 step 2). */
function splitOutside(text: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scanTopLevel(text, 0, (c, i) => {
    if (c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    return false;
  });
  parts.push(text.slice(start));
  return parts;
}

/** Index of the first `=` outside quotes and text blocks, or -1. */
function topLevelEquals(token: string): number {
  return scanTopLevel(token, 0, (c) => c === '=');
}

/** Removes one pair of matching surrounding quotes (`"…"` or `'…'`). */
export function stripQuotes(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/**
 * Text-block processing of a value wrapped in `[[…]]`: drop the delimiters, left-strip the first line, remove the
 * common indentation of non-blank continuation lines, blank lines become empty, strip the result. Values not wrapped
 * in `[[…]]` are returned unchanged. spec §1.3.
 */
export function processTextBlock(v: string): string {
  if (!(v.startsWith('[[') && v.endsWith(']]') && v.length >= 4)) return v;
  const lines = v.slice(2, -2).split('\n');
  lines[0] = lines[0]!.replace(/^\s+/, '');
  let min = Infinity;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    min = Math.min(min, l.length - l.replace(/^[ \t]+/, '').length);
  }
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    lines[i] = l.trim() === '' ? '' : l.slice(min === Infinity ? 0 : min);
  }
  return lines.join('\n').trim();
}

/**
 * Parses the inner text of a paren argument list (without the parentheses). Commas split outside quotes and text
 * blocks; empty tokens are dropped; a token with a top-level `=` (non-empty name) is named, otherwise positional.
 * Named duplicates: last wins. spec §1.3; vectors B2–B6.
 */
export function parseArgs(inner: string): RefArgs {
  const out: RefArgs = { positional: [], named: {} };
  for (const raw of splitOutside(inner, ',')) {
    const token = raw.trim();
    if (token === '') continue;
    const eq = topLevelEquals(token);
    const name = eq > 0 ? token.slice(0, eq).trim() : '';
    if (eq > 0 && name !== '') {
      out.named[name] = processTextBlock(stripQuotes(token.slice(eq + 1).trim()));
    } else {
      out.positional.push(processTextBlock(stripQuotes(token)));
    }
  }
  return out;
}

/**
 * Arguments of the colon form: backtick literal → one value without backticks; `$(…)`, `{{…}}`, `{…}` → one value
 * kept as written; anything else split on `,` (empty pieces dropped). spec §1.2; vectors B8, B9, A12.
 */
export function parseColonArg(arg: string): string[] {
  if (arg.startsWith('`') && arg.endsWith('`') && arg.length >= 2) return [arg.slice(1, -1)];
  if (arg.startsWith('$(') || arg.startsWith('{')) return [arg];
  return arg.split(',').filter((s) => s !== '');
}

/*
 * ---- Reference lexing.
 */
/**
 * Regex source (no groups) of a colon argument after `#name:` (spec §1.2, SASE `_parsing_references.py`): a backtick
 * literal, `$(…)`, `{{…}}`, `{…}`, or a run of `[A-Za-z0-9_.~,+/@-]` not ending in `.`. Shared with the workflow
 * validator's call scanner (lib/workflow/refs.ts) so both read the same argument.
 */
export const COLON_ARG_SOURCE = '`[^`]*`' + String.raw`|\$\([^)]*\)|\{\{[^}]*\}\}|\{[^}]*\}|[a-zA-Z0-9_.~,+/@-]*[a-zA-Z0-9_~,+/@-]`;

/**
 * SASE's shared reference regex (`_parsing_references.py`). Groups: 1 marker, 2 name, 3 hitl, 4 open paren,
 * 5 colon arg, 6 plus. The leading boundary is start of line, whitespace, or one of `( [ { " '`.
 */
const REF_SOURCE =
  String.raw`(?:^|(?<=[\s(\[{"']))(#!|#)([a-zA-Z_][a-zA-Z0-9_]*(?:\/[a-zA-Z_][a-zA-Z0-9_]*)*)(!!|\?\?)?` +
  String.raw`(?:(\()|:(${COLON_ARG_SOURCE})|(\+))?`;

/** A fresh global+multiline copy of the reference regex (callers own its `lastIndex`). */
export function referenceRegex(): RegExp {
  return new RegExp(REF_SOURCE, 'gm');
}

/** How a reference passes arguments. */
export type ArgForm = 'none' | 'paren' | 'colon' | 'plus';

/** One lexed reference. Offsets are UTF-16 indices into the scanned text; `end` is exclusive. */
export interface XpromptRef {
  /** Index of the `#`. */
  start: number;
  /** End of the whole reference: after `)` for a closed paren form, after `(` when unclosed, else after the match. */
  end: number;
  marker: '#' | '#!';
  /** Name as written (may contain `__`). */
  rawName: string;
  /** Canonical name (`__` → `/`). */
  name: string;
  /** `!!` → true, `??` → false, none → null. */
  hitl: boolean | null;
  form: ArgForm;
  /** The raw colon argument text (without the `:`), for colon forms. */
  colonArg: string | null;
  /** Inner text of the parens (closed paren form only). */
  parenInner: string | null;
  /** Paren form whose `)` was never found: expanded with no args, only `#name(` is replaced (spec §1.3). */
  unclosed: boolean;
  /** The full reference text `text.slice(start, end)`. */
  raw: string;
}

/** Canonical xprompt name: every `__` becomes `/` (spec §1.1, vector A18). */
export function normalizeRefName(name: string): string {
  return name.includes('__') ? name.replace(/__/g, '/') : name;
}

/** Lexes every reference in `text`, in order. Never throws. */
export function findReferences(text: string): XpromptRef[] {
  const out: XpromptRef[] = [];
  if (!text.includes('#')) return out;
  const re = referenceRegex();
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    const ref = refFromMatch(text, m);
    out.push(ref);
    if (ref.end > re.lastIndex) re.lastIndex = ref.end;
  }
  return out;
}

function refFromMatch(text: string, m: RegExpExecArray): XpromptRef {
  const start = m.index;
  let end = start + m[0].length;
  let form: ArgForm = 'none';
  let parenInner: string | null = null;
  let unclosed = false;
  if (m[4] !== undefined) {
    form = 'paren';
    const open = end - 1;
    const close = findClosingParen(text, open);
    if (close < 0) unclosed = true;
    else {
      parenInner = text.slice(open + 1, close);
      end = close + 1;
    }
  } else if (m[5] !== undefined) form = 'colon';
  else if (m[6] !== undefined) form = 'plus';
  return {
    start,
    end,
    marker: m[1] as '#' | '#!',
    rawName: m[2]!,
    name: normalizeRefName(m[2]!),
    hitl: m[3] === '!!' ? true : m[3] === '??' ? false : null,
    form,
    colonArg: m[5] ?? null,
    parenInner,
    unclosed,
    raw: text.slice(start, end),
  };
}

/** The arguments a reference passes (spec §1.2): paren → {@link parseArgs}; colon → split; plus → `["true"]`. */
export function refArgs(ref: XpromptRef): RefArgs {
  switch (ref.form) {
    case 'paren':
      return ref.parenInner === null ? { positional: [], named: {} } : parseArgs(ref.parenInner);
    case 'colon':
      return { positional: parseColonArg(ref.colonArg ?? ''), named: {} };
    case 'plus':
      return { positional: ['true'], named: {} };
    default:
      return { positional: [], named: {} };
  }
}

/** The reference text as written for messages: `#!name!!` plus its argument source. */
export function describeRef(ref: XpromptRef): string {
  return ref.raw;
}
