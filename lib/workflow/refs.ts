/**
 * Static scanning of workflow templates for the validator: Jinja variable references (`{{ a.b }}`, `{% if a %}`)
 * and xprompt calls (`#name(args)`, `#name:arg`, `#name+`, `#name: text`). A deliberately small scanner that
 * mirrors SASE's validator (`workflow_validator.py`); argument text is parsed with the expander's own grammar
 * (lib/xprompt/lexer.ts) so both agree.
 */
import { COLON_ARG_SOURCE, findClosingParen, parseArgs, parseColonArg } from '../xprompt/lexer.js';

const JINJA_BLOCK_RE = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
const IDENT_RE = /\b([A-Za-z_]\w*(?:\.\w+)*)\b/g;

/** Dotted identifiers inside `{{ … }}` and `{% … %}` blocks, in order (may include filter names and words in strings). */
export function templateRefs(content: string): string[] {
  const out: string[] = [];
  for (const m of content.matchAll(JINJA_BLOCK_RE)) {
    const block = m[1] ?? m[2] ?? '';
    for (const id of block.matchAll(IDENT_RE)) {
      const before = block[id.index! - 1];
      if (before === '.' ) continue; // `x.y` continuation handled by the dotted match
      out.push(id[1]!);
    }
  }
  return out;
}

/** Like {@link templateRefs} but only `{{ … }}` blocks, with each ref's offset inside `content`. */
export function expressionRefs(content: string): Array<{ ref: string; offset: number }> {
  const out: Array<{ ref: string; offset: number }> = [];
  for (const m of content.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const block = m[1]!;
    const stripped = block.replace(/'[^']*'|"[^"]*"/g, (s) => ' '.repeat(s.length));
    for (const id of stripped.matchAll(IDENT_RE)) {
      out.push({ ref: id[1]!, offset: m.index! + 2 + id.index! });
    }
  }
  return out;
}

/** One xprompt call found in a template. */
export interface XpromptCall {
  name: string;
  positional: string[];
  named: Record<string, string>;
  /** Offset of the `#` in the scanned content. */
  offset: number;
  /** Which argument form the reference used. */
  form: 'bare' | 'paren' | 'colon' | 'plus' | 'shorthand';
}

/** The expander's reference shape (boundary, name, `!!`/`??`, colon argument: lib/xprompt/lexer.ts), groups 1–4 below. */
const CALL_RE = new RegExp(
  String.raw`(?:^|(?<=\s)|(?<=[(\[{"']))#!?([A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*)(?:!!|\?\?)?(?:(\()|:(${COLON_ARG_SOURCE})|(\+))?`,
  'gm',
);

/** Finds xprompt calls in a template (the validator's view: paren, colon, plus and shorthand forms). */
export function xpromptCalls(content: string): XpromptCall[] {
  const out: XpromptCall[] = [];
  for (const m of content.matchAll(CALL_RE)) {
    const name = m[1]!;
    const call: XpromptCall = { name, positional: [], named: {}, offset: m.index!, form: 'bare' };
    const end = m.index! + m[0].length;
    if (m[2]) {
      call.form = 'paren';
      const close = findClosingParen(content, end - 1);
      if (close !== -1) Object.assign(call, parseArgs(content.slice(end, close)));
      if (close !== -1 && /^::? \S/.test(content.slice(close + 1, close + 4))) call.positional.push('<shorthand text>');
    } else if (m[3] !== undefined) {
      call.form = 'colon';
      call.positional = parseColonArg(m[3]);
    } else if (m[4]) {
      call.form = 'plus';
      call.positional = ['true'];
    } else if (/^::? ?\S/.test(content.slice(end, end + 4)) && content[end] === ':') {
      call.form = 'shorthand';
      call.positional = ['<shorthand text>'];
    }
    out.push(call);
  }
  return out;
}

/** Python-style list repr used in SASE's messages: `['a', 'b']`. */
export function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
