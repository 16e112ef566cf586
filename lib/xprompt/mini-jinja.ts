/**
 * A tiny Jinja subset rendered without loading Nunjucks (start-up time): text, `{{ path }}` / `{{ path | tojson }}`
 * and `{% if C %}…{% elif C %}…{% else %}…{% endif %}` where C is `path`, `not path`, `path is [not] defined` or
 * `path ==/!= literal`. Anything else (other tags, filters, expressions, whitespace control, comments) makes
 * {@link renderMiniJinja} return null and the caller uses the real engine. Output matches the Nunjucks path
 * (Python-style `True`/`False`/`None`, strict undefined on output, undefined is falsy in conditions). Also owns
 * {@link pyTruthy}, the Python truthiness both render paths use.
 */
import { deferredPath } from './deferred.js';

/** A value lookup: `undefined` when the path does not exist. */
export type Lookup = (path: string) => unknown;

/** Thrown for output of an undefined variable (the caller turns it into its located error). */
export class MiniUndefined extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
  ) {
    super(`'${path}' is undefined`);
  }
}

type Cond =
  | { kind: 'truthy'; path: string; negate: boolean }
  | { kind: 'defined'; path: string; negate: boolean }
  | { kind: 'compare'; path: string; op: '==' | '!='; lit: string | number | boolean | null };
type Node =
  | { t: 'text'; s: string }
  | { t: 'out'; path: string; tojson: boolean; offset: number }
  | { t: 'if'; branches: Array<{ cond: Cond | null; body: Node[] }> };

const PATH = String.raw`[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*`;
const OUT_RE = new RegExp(String.raw`^\s*(${PATH})\s*(\|\s*tojson\s*)?$`);
const LIT = String.raw`"[^"]*"|'[^']*'|-?\d+|true|false|none|True|False|None`;
const COND_RE = new RegExp(String.raw`^\s*(?:(not)\s+)?(${PATH})\s*(?:(is\s+(?:not\s+)?defined)|(==|!=)\s*(${LIT}))?\s*$`);
const KEYWORDS = new Set(['not', 'and', 'or', 'is', 'in', 'if', 'else', 'true', 'false', 'none', 'True', 'False', 'None']);

function parseLit(s: string): string | number | boolean | null {
  if (s.startsWith('"') || s.startsWith("'")) return s.slice(1, -1);
  if (/^-?\d+$/.test(s)) return Number(s);
  if (s === 'true' || s === 'True') return true;
  if (s === 'false' || s === 'False') return false;
  return null;
}

function parseCond(src: string): Cond | null {
  const m = COND_RE.exec(src);
  if (!m || KEYWORDS.has(m[2]!.split('.')[0]!)) return null;
  const negate = m[1] === 'not';
  if (m[3]) {
    if (negate) return null;
    return { kind: 'defined', path: m[2]!, negate: /\bnot\b/.test(m[3]) };
  }
  if (m[4]) {
    if (negate) return null;
    return { kind: 'compare', path: m[2]!, op: m[4] as '==' | '!=', lit: parseLit(m[5]!) };
  }
  return { kind: 'truthy', path: m[2]!, negate };
}

/** Parses `src` into nodes, or null when it uses anything outside the subset. */
function parse(src: string): Node[] | null {
  if (src.includes('{#') || /\{[{%]-|-[}%]\}/.test(src)) return null;
  const root: Node[] = [];
  const stack: Array<{ t: 'if'; branches: Array<{ cond: Cond | null; body: Node[] }> }> = [];
  let cur = root;
  const re = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    if (m.index > last) cur.push({ t: 'text', s: src.slice(last, m.index) });
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      const o = OUT_RE.exec(m[1]);
      if (!o || KEYWORDS.has(o[1]!.split('.')[0]!)) return null;
      cur.push({ t: 'out', path: o[1]!, tojson: !!o[2], offset: m.index });
      continue;
    }
    const tag = m[2]!.trim();
    const word = tag.split(/\s+/, 1)[0];
    if (word === 'if' || word === 'elif') {
      const cond = parseCond(tag.slice(word.length));
      if (!cond) return null;
      if (word === 'if') {
        const node = { t: 'if' as const, branches: [{ cond, body: [] as Node[] }] };
        cur.push(node);
        stack.push(node);
        cur = node.branches[0]!.body;
      } else {
        const top = stack[stack.length - 1];
        if (!top || top.branches[top.branches.length - 1]!.cond === null) return null;
        top.branches.push({ cond, body: [] });
        cur = top.branches[top.branches.length - 1]!.body;
      }
    } else if (tag === 'else') {
      const top = stack[stack.length - 1];
      if (!top || top.branches[top.branches.length - 1]!.cond === null) return null;
      top.branches.push({ cond: null, body: [] });
      cur = top.branches[top.branches.length - 1]!.body;
    } else if (tag === 'endif') {
      if (!stack.pop()) return null;
      const top = stack[stack.length - 1];
      cur = top ? top.branches[top.branches.length - 1]!.body : root;
    } else return null;
  }
  if (stack.length > 0) return null;
  if (last < src.length) root.push({ t: 'text', s: src.slice(last) });
  if (src.slice(last).includes('{{') || src.slice(last).includes('{%')) return null;
  return root;
}

/** True when `src` fits the subset — then it is also valid Jinja, so checking its syntax needs no engine. */
export function inMiniSubset(src: string): boolean {
  return parse(src) !== null;
}

/**
 * Python truthiness, as Jinja2 decides `if`, `not`, `and`, `or` (spec §4.4: a port must match Jinja's Python
 * values): None/undefined, False, 0, '' and empty lists, dicts, sets and maps are false; everything else —
 * NaN and deferred runtime values included — is true. The engine is patched to use it too (loadTemplateEngine).
 */
export function pyTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof String) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (deferredPath(v) !== undefined) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null ? Object.keys(v).length > 0 : true;
}

const BAIL = Symbol('bail');

function evalCond(c: Cond, lookup: Lookup, isDeferred: (v: unknown) => boolean): boolean | typeof BAIL {
  const v = lookup(c.path);
  if (c.kind === 'defined') return (v !== undefined) !== c.negate;
  if (c.kind === 'truthy') return pyTruthy(v) !== c.negate;
  if (isDeferred(v)) return c.op === '!=';
  const ok =
    (typeof c.lit === 'string' && typeof v === 'string') ||
    (typeof c.lit === 'number' && typeof v === 'number') ||
    (typeof c.lit === 'boolean' && typeof v === 'boolean') ||
    (c.lit === null && (v === null || v === undefined));
  if (!ok) return v === undefined ? c.op === '!=' : BAIL;
  const eq = c.lit === null ? true : v === c.lit;
  return c.op === '==' ? eq : !eq;
}

/**
 * Renders `src` when it fits the subset; null otherwise (or when a value needs the real engine's rendering, such as a
 * list or a non-integer number).
 * @param render turns a scalar (or deferred) value into output text
 * @param tojson renders a value through the `tojson` filter
 * @throws MiniUndefined for output of an undefined variable
 */
export function renderMiniJinja(
  src: string,
  lookup: Lookup,
  render: (v: unknown) => string | null,
  tojson: (v: unknown) => string,
  isDeferred: (v: unknown) => boolean,
): string | null {
  const nodes = parse(src);
  if (!nodes) return null;
  let out = '';
  const walk = (ns: Node[]): boolean => {
    for (const n of ns) {
      if (n.t === 'text') out += n.s;
      else if (n.t === 'out') {
        const v = lookup(n.path);
        if (v === undefined) throw new MiniUndefined(n.path, n.offset);
        if (n.tojson) out += tojson(v);
        else {
          const s = render(v);
          if (s === null) return false;
          out += s;
        }
      } else {
        for (const b of n.branches) {
          const ok = b.cond === null ? true : evalCond(b.cond, lookup, isDeferred);
          if (ok === BAIL) return false;
          if (ok) {
            if (!walk(b.body)) return false;
            break;
          }
        }
      }
    }
    return true;
  };
  return walk(nodes) ? out : null;
}
