/**
 * Shorthand preprocessing: `#name: text`, `#name:: text`, `#name(args): text` and `#name(args):: text` become
 * ordinary paren references with a `[[text block]]` argument. Only names the catalog knows are rewritten.
 * Rules: spec/xprompts.md §1.4 (SASE `_parsing_shorthand.py: preprocess_shorthand_syntax`); vectors C1–C13.
 * Decision: single-colon forms (`: `) apply only at the start of a line (seed-era target); the double-colon form
 * (`:: `), which has no other meaning, applies at any reference boundary.
 */
import { findClosingParen } from './args.js';
import { normalizeRefName } from './lexer.js';
import { MAX_PROMPT_CHARS, promptTooLarge } from './errors.js';

const NAME = String.raw`[a-zA-Z_][a-zA-Z0-9_]*(?:\/[a-zA-Z_][a-zA-Z0-9_]*)*`;
const PAREN_START_RE = new RegExp(String.raw`^(#!?)(${NAME})\(`, 'gm');
const DOUBLE_RE = new RegExp(String.raw`(?:^|(?<=[\s(\[{"']))(#!?)(${NAME})::(?: |(?=\n)|$)`, 'gm');
const SINGLE_RE = new RegExp(String.raw`^(#!?)(${NAME}): `, 'gm');
const NEXT_CALL_RE = new RegExp(String.raw`\n(?=#!?${NAME}(?:\(|: |:: |::$))`, 'm');

/** End (exclusive) of single-colon shorthand text starting at `start`: the first blank line (`\n\n`) or EOF. */
export function findShorthandTextEnd(text: string, start: number): number {
  const i = text.indexOf('\n\n', start);
  return i < 0 ? text.length : i;
}

/** End (exclusive) of double-colon text starting at `start`: before the next line that starts a call, or EOF. */
export function findDoubleColonTextEnd(text: string, start: number): number {
  const m = NEXT_CALL_RE.exec(text.slice(start));
  return m ? start + m.index : text.length;
}

/** Formats captured text as a text-block argument: right-stripped, continuation lines indented by two spaces. */
function textBlock(captured: string): string {
  return `[[${captured.trimEnd().split('\n').join('\n  ')}]]`;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies edits (non-overlapping or processed last-to-first): each edit's end is recomputed by its callback. */
function applyLastToFirst(text: string, starts: number[], edit: (text: string, start: number) => Edit | null): string {
  let out = text;
  for (let i = starts.length - 1; i >= 0; i--) {
    const e = edit(out, starts[i]!);
    if (e) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    if (out.length > MAX_PROMPT_CHARS) throw promptTooLarge(out.length);
  }
  return out;
}

function matchStarts(re: RegExp, text: string, isKnown: (name: string) => boolean): number[] {
  const starts: number[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (isKnown(normalizeRefName(m[2]!))) starts.push(m.index);
    if (m[0] === '') re.lastIndex++;
  }
  return starts;
}

/**
 * Rewrites shorthand calls of known names into paren calls, in three passes (paren shorthand, double colon,
 * single colon), each last-to-first. Text after a terminator is preserved exactly. Never throws.
 */
export function preprocessShorthand(text: string, isKnown: (name: string) => boolean): string {
  if (!text.includes(':')) return text;
  let out = text;
  // 1. #name(args): text  /  #name(args):: text
  out = applyLastToFirst(out, matchStarts(PAREN_START_RE, out, isKnown), (t, start) => {
    const m = new RegExp(String.raw`^(#!?)(${NAME})\(`).exec(t.slice(start));
    if (!m) return null;
    const open = start + m[0].length - 1;
    const close = findClosingParen(t, open);
    if (close < 0) return null;
    const after = t.slice(close + 1);
    let textStart: number;
    let textEnd: number;
    if (after.startsWith(':: ')) {
      textStart = close + 4;
      textEnd = findDoubleColonTextEnd(t, textStart);
    } else if (after.startsWith(': ')) {
      textStart = close + 3;
      textEnd = findShorthandTextEnd(t, textStart);
    } else return null;
    const inner = t.slice(open + 1, close).trim();
    const block = textBlock(t.slice(textStart, textEnd));
    return { start, end: textEnd, text: `${m[1]}${m[2]}(${inner === '' ? block : `${inner}, ${block}`})` };
  });
  // 2. #name:: text
  out = applyLastToFirst(out, matchStarts(DOUBLE_RE, out, isKnown), (t, start) => {
    const m = new RegExp(String.raw`^(#!?)(${NAME})::( ?)`).exec(t.slice(start));
    if (!m) return null;
    const textStart = start + m[0].length;
    const textEnd = findDoubleColonTextEnd(t, textStart);
    return { start, end: textEnd, text: `${m[1]}${m[2]}(${textBlock(t.slice(textStart, textEnd))})` };
  });
  // 3. #name: text (line start only)
  out = applyLastToFirst(out, matchStarts(SINGLE_RE, out, isKnown), (t, start) => {
    const m = new RegExp(String.raw`^(#!?)(${NAME}): `).exec(t.slice(start));
    if (!m) return null;
    const textStart = start + m[0].length;
    const textEnd = findShorthandTextEnd(t, textStart);
    return { start, end: textEnd, text: `${m[1]}${m[2]}(${textBlock(t.slice(textStart, textEnd))})` };
  });
  return out;
}
