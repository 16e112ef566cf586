/**
 * Static scanning of workflow templates for the validator: Jinja variable references (`{{ a.b }}`, `{% if a %}`)
 * and xprompt calls (`#name(args)`, `#name:arg`, `#name+`, `#name: text`). A deliberately small scanner that
 * mirrors SASE's validator (`workflow_validator.py`), not the full expander (lib/xprompt).
 */

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

const CALL_RE = /(?:^|(?<=\s)|(?<=[(\[{"']))#!?([A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*)(?:(\()|:([A-Za-z0-9_.-]+)|(\+))?/gm;

/** Index of the `)` matching the `(` at `open`, honouring quotes and `[[…]]` blocks; -1 when unclosed. spec §1.3. */
export function matchingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  let block = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (block) {
      if (c === ']' && s[i + 1] === ']') {
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
    else if (c === '[' && s[i + 1] === '[') {
      block = true;
      i++;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  if (t.startsWith('[[') && t.endsWith(']]')) return t.slice(2, -2).trim();
  return t;
}

/** Splits paren-argument text into positional and named args (commas/`=` outside quotes and `[[…]]`). spec §1.3. */
export function parseCallArgs(inner: string): { positional: string[]; named: Record<string, string> } {
  const tokens: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let block = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (block) {
      cur += c;
      if (c === ']' && inner[i + 1] === ']') {
        cur += ']';
        i++;
        block = false;
      }
      continue;
    }
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' && inner[i + 1] === '[') {
      block = true;
      cur += '[';
      i++;
    } else if (c === ',') {
      tokens.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  tokens.push(cur);
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (const raw of tokens) {
    const tok = raw.trim();
    if (tok === '') continue;
    const eq = topLevelEquals(tok);
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(tok.slice(0, eq).trim())) named[tok.slice(0, eq).trim()] = unquote(tok.slice(eq + 1));
    else positional.push(unquote(tok));
  }
  return { positional, named };
}

function topLevelEquals(tok: string): number {
  let quote: string | null = null;
  for (let i = 0; i < tok.length; i++) {
    const c = tok[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' && tok[i + 1] === '[') return -1;
    else if (c === '=') return i;
  }
  return -1;
}

/** Finds xprompt calls in a template (the validator's view: paren, colon, plus and shorthand forms). */
export function xpromptCalls(content: string): XpromptCall[] {
  const out: XpromptCall[] = [];
  for (const m of content.matchAll(CALL_RE)) {
    const name = m[1]!;
    const call: XpromptCall = { name, positional: [], named: {}, offset: m.index!, form: 'bare' };
    const end = m.index! + m[0].length;
    if (m[2]) {
      call.form = 'paren';
      const close = matchingParen(content, end - 1);
      if (close !== -1) Object.assign(call, parseCallArgs(content.slice(end, close)));
      if (close !== -1 && /^::? \S/.test(content.slice(close + 1, close + 4))) call.positional.push('<shorthand text>');
    } else if (m[3] !== undefined) {
      call.form = 'colon';
      call.positional = m[3].split(',').filter((s) => s !== '');
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
