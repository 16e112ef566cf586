/**
 * The reference lexer: finds `#name…` / `#!name…` references with SASE's boundary rules and reads their arguments.
 * Rules: spec/xprompts.md §1.1 (regex, boundaries, `__` → `/`), §1.2 (argument forms), §1.5 (`#!`, `!!`/`??`).
 */
import { findClosingParen, parseArgs, parseColonArg, type RefArgs } from './args.js';

/**
 * SASE's shared reference regex (`_parsing_references.py`). Groups: 1 marker, 2 name, 3 hitl, 4 open paren,
 * 5 colon arg, 6 plus. The leading boundary is start of line, whitespace, or one of `( [ { " '`.
 */
const REF_SOURCE =
  String.raw`(?:^|(?<=[\s(\[{"']))(#!|#)([a-zA-Z_][a-zA-Z0-9_]*(?:\/[a-zA-Z_][a-zA-Z0-9_]*)*)(!!|\?\?)?` +
  String.raw`(?:(\()|:(` + '`[^`]*`' + String.raw`|\$\([^)]*\)|\{\{[^}]*\}\}|\{[^}]*\}|[a-zA-Z0-9_.~,+/@-]*[a-zA-Z0-9_~,+/@-])|(\+))?`;

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
