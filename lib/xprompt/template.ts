/**
 * Template rendering of xprompt bodies, configured like SASE's Jinja use (spec/xprompts.md §4.4): Jinja syntax via
 * Nunjucks (loaded lazily, only when a body actually contains `{{`, `{%` or `{#`), strict undefined on output,
 * no autoescape, Python-style `True`/`False`/`None` output and Python truthiness, filters `tojson` and
 * `plan_ref_path`; bodies without Jinja syntax use legacy `{N}` / `{N:default}` placeholders. Fenced code blocks are
 * never rendered. Bodies in the mini subset skip Nunjucks (mini-jinja.ts); runtime names render as deferred values
 * (deferred.ts).
 */
import { deferredPath } from './deferred.js';
import { XpromptError } from './lexer.js';
import { inMiniSubset, MiniUndefined, pyTruthy, renderMiniJinja } from './mini-jinja.js';
import { protectRegions, restoreRegions } from './segments.js';
import type { SourceLocation } from '../errors/index.js';

/** Minimal view of the Nunjucks API we use. */
interface NunjucksEnv {
  renderString(src: string, ctx: Record<string, unknown>): string;
  addFilter(name: string, fn: (...args: any[]) => unknown): unknown;
}

let env: NunjucksEnv | null = null;
/** Compiles a template eagerly (Nunjucks `new Template(src, env, path, true)`), throwing its syntax error. */
let compileTemplate: ((src: string) => void) | null = null;
let loading: Promise<NunjucksEnv> | null = null;

/** Thrown (internally) by sync renderers when Nunjucks is needed but not loaded yet; callers load and retry. */
export class NeedsNunjucks extends Error {
  constructor() {
    super('nunjucks not loaded');
  }
}

const UNDEFINED_MARK = '__sase_undefined__';

/** Renders a JS value the way Jinja renders the Python value (`True`, `False`, `None`). */
function pythonish(v: unknown): unknown {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  return v;
}

/**
 * Loads and configures Nunjucks once (idempotent). The runtime's output hooks are wrapped so that undefined output is
 * an error (StrictUndefined), null prints `None` and booleans print `True`/`False`.
 */
export async function loadTemplateEngine(): Promise<void> {
  if (env) return;
  loading ??= (async () => {
    const mod: any = (await import('nunjucks')).default;
    const rt = mod.runtime;
    if (!rt.__saseWrapped) {
      const origSuppress = rt.suppressValue;
      rt.suppressValue = (val: unknown, autoescape: boolean) => origSuppress(pythonish(val), autoescape);
      rt.ensureDefined = (val: unknown, lineno: number, colno: number) => {
        if (val === undefined) throw new mod.lib.TemplateError(UNDEFINED_MARK, lineno + 1, colno + 1);
        return val;
      };
      rt.saseTruthy = pyTruthy;
      rt.saseOr = (l: unknown, r: () => unknown) => (pyTruthy(l) ? l : r());
      rt.saseAnd = (l: unknown, r: () => unknown) => (pyTruthy(l) ? r() : l);
      pythonTruthiness(mod);
      rt.__saseWrapped = true;
    }
    const e: NunjucksEnv = new mod.Environment(null, { autoescape: false, throwOnUndefined: true });
    e.addFilter('tojson', (v: unknown, name?: string) => {
      // StrictUndefined: filters may not consume undefined. `name` is added by renderJinja for `{{ path | tojson }}`.
      if (v === undefined) throw new Error(`${UNDEFINED_MARK}${name === undefined ? '' : `:${name}`}`);
      const path = deferredPath(v);
      return path !== undefined ? `{{ ${path} | tojson }}` : JSON.stringify(v === undefined ? null : v);
    });
    e.addFilter('plan_ref_path', (v: unknown) => v);
    compileTemplate = (src) => void new mod.Template(src, e, undefined, true);
    env = e;
    return e;
  })();
  await loading;
}

/**
 * Makes compiled templates decide `if`/`elif`, inline `… if … else …`, `not`, `and` and `or` by Python truthiness
 * ({@link pyTruthy}) instead of JavaScript's (where `[]` and `{}` are true): conditions are wrapped in
 * `runtime.saseTruthy(…)`; `a or b` / `a and b` return an operand as Python does, the right one evaluated only when
 * needed. Patches Nunjucks' Compiler prototype once (3.2.x method names).
 */
function pythonTruthiness(mod: any): void {
  const C = mod.compiler.Compiler.prototype;
  const N = mod.nodes;
  // An expression node (it passes the compiler's type checks as a Not) that compiles as runtime.saseTruthy(target).
  const truthyOf = (target: any): unknown => {
    const n = new N.Not(target.lineno, target.colno, target);
    Object.defineProperty(n, 'typename', { value: 'SaseTruthy' });
    return n;
  };
  C.compileSaseTruthy = function (this: any, node: any, frame: unknown) {
    this._emit('runtime.saseTruthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  const compileIf = C.compileIf;
  C.compileIf = function (this: any, node: any, frame: unknown, async: boolean) {
    if (node.cond?.typename !== 'SaseTruthy') node.cond = truthyOf(node.cond);
    return compileIf.call(this, node, frame, async);
  };
  const compileInlineIf = C.compileInlineIf;
  C.compileInlineIf = function (this: any, node: any, frame: unknown) {
    if (node.cond?.typename !== 'SaseTruthy') node.cond = truthyOf(node.cond);
    return compileInlineIf.call(this, node, frame);
  };
  C.compileNot = function (this: any, node: any, frame: unknown) {
    this._emit('!runtime.saseTruthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  for (const [method, helper] of [['compileOr', 'saseOr'], ['compileAnd', 'saseAnd']] as const) {
    C[method] = function (this: any, node: any, frame: unknown) {
      this._emit(`runtime.${helper}(`);
      this.compile(node.left, frame);
      this._emit(', () => (');
      this.compile(node.right, frame);
      this._emit('))');
    };
  }
}

/** True when the template engine is loaded (sync renderers can run). */
export function templateEngineLoaded(): boolean {
  return env !== null;
}

/** True when `body` (fences protected) uses Jinja syntax: `{{…}}`, `{%…%}` or `{#…#}` (spec §4.4 mode detection). */
export function isJinjaTemplate(body: string): boolean {
  if (!body.includes('{')) return false;
  const slots: string[] = [];
  const t = protectRegions(body, slots, { disabled: false });
  return /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/.test(t);
}

/** What a template is, for error messages: `#name` and the file/line its body starts at. */
export interface TemplateOrigin {
  /** Display of the xprompt (`#greet`) or `prompt` for top-level text. */
  label: string;
  file?: string | null;
  /** 1-based line in `file` where the template text starts. */
  line?: number;
}

/** Extracts the variable expression at a 1-based line/column of `src` (the `{{ … }}` Nunjucks reported). */
function exprAt(src: string, line: number | undefined, col: number | undefined): string | null {
  if (!line || !col) return null;
  const l = src.split('\n')[line - 1];
  if (l === undefined) return null;
  const m = /^\{\{-?\s*([A-Za-z_][A-Za-z0-9_.]*)/.exec(l.slice(col - 1)) ?? /\{\{-?\s*([A-Za-z_][A-Za-z0-9_.]*)/.exec(l);
  return m ? m[1]! : null;
}

/** The first `{{ path … }}` whose path is undefined in `vars` (for errors Nunjucks reports without a position). */
function firstUndefinedOutput(src: string, vars: Record<string, unknown>): string | null {
  for (const m of src.matchAll(/\{\{-?\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g)) {
    let v: unknown = vars;
    for (const part of m[1]!.split('.')) {
      if (deferredPath(v) !== undefined) break;
      v = v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, part) ? (v as Record<string, unknown>)[part] : undefined;
    }
    if (v === undefined) return m[1]!;
  }
  return null;
}

/**
 * Renders Jinja-syntax `source` against `vars` synchronously (fenced blocks left literal; one trailing newline
 * dropped as Jinja2 does by default). Templates in the mini subset skip Nunjucks unless `opts.engineOnly`.
 * @throws NeedsNunjucks when the engine is not loaded yet ({@link loadTemplateEngine} first)
 * @throws XpromptError `XPrompt '#x' template error: 'var' is undefined` (location: file and line when known)
 */
export function renderJinja(
  source: string,
  vars: Record<string, unknown>,
  origin: TemplateOrigin,
  opts: { engineOnly?: boolean } = {},
): string {
  // Jinja2's default `keep_trailing_newline=False`: one trailing newline of the template is dropped.
  const src = source.endsWith('\r\n') ? source.slice(0, -2) : source.endsWith('\n') ? source.slice(0, -1) : source;
  const slots: string[] = [];
  const protectedSrc = protectRegions(src, slots, { disabled: false });
  const simple = opts.engineOnly ? null : renderSimple(protectedSrc, vars, origin);
  if (simple !== null) return restoreRegions(simple, slots);
  if (!env) throw new NeedsNunjucks();
  let named = protectedSrc;
  try {
    named = protectedSrc.replace(/\{\{(-?\s*)([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\s*\|\s*tojson)(\s*-?)\}\}/g, '{{$1$2$3("$2")$4}}');
    return restoreRegions(env.renderString(named, vars), slots);
  } catch (e) {
    throw templateError(e, named, protectedSrc, vars, origin);
  }
}

/**
 * Checks the Jinja syntax of `source` without rendering it (fenced blocks left out). A template in the mini-Jinja
 * subset is valid as it is; anything else is compiled by the engine.
 * @throws NeedsNunjucks when the template is outside the subset and the engine is not loaded yet
 * @throws XpromptError `Jinja2 template error in prompt: …` / `XPrompt '#x' template error: …` for a syntax error
 */
export function checkJinjaSyntax(source: string, origin: TemplateOrigin): void {
  const protectedSrc = protectRegions(source, [], { disabled: false });
  if (inMiniSubset(protectedSrc)) return;
  if (!compileTemplate) throw new NeedsNunjucks();
  try {
    compileTemplate(protectedSrc);
  } catch (e) {
    throw templateError(e, protectedSrc, protectedSrc, {}, origin);
  }
}

/** The located XpromptError for an error Nunjucks threw while compiling or rendering `named` (`protectedSrc` with tojson names). */
function templateError(e: unknown, named: string, protectedSrc: string, vars: Record<string, unknown>, origin: TemplateOrigin): XpromptError {
  const err = e as { message?: string; lineno?: number; colno?: number };
  const raw = String(err.message ?? e);
  const pos = /\[Line (\d+), Column (\d+)\]/.exec(raw);
  const line = err.lineno ?? (pos ? Number(pos[1]) : undefined);
  const col = err.colno ?? (pos ? Number(pos[2]) : undefined);
  let detail: string;
  if (raw.includes(UNDEFINED_MARK)) {
    const filtered = new RegExp(`${UNDEFINED_MARK}:([\\w.]+)`).exec(raw)?.[1];
    detail = `'${filtered ?? exprAt(named, line, col) ?? firstUndefinedOutput(protectedSrc, vars) ?? 'value'}' is undefined`;
  }
  else detail = raw.replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '').replace(/^Error: /, '').trim();
  const location: SourceLocation | undefined = origin.file
    ? { file: origin.file, line: (origin.line ?? 1) + (line ?? 1) - 1 }
    : undefined;
  const msg =
    origin.label === 'prompt' ? `Jinja2 template error in prompt: ${detail}` : `XPrompt '${origin.label}' template error: ${detail}`;
  return new XpromptError(msg, { location, data: { xprompt: origin.label } });
}

/**
 * Fast path without the template engine for bodies in the {@link renderMiniJinja} subset (`{{ path }}`,
 * `{{ path | tojson }}`, simple `{% if %}`): identical output, no Nunjucks start-up cost. Null = use the engine.
 */
function renderSimple(src: string, vars: Record<string, unknown>, origin: TemplateOrigin): string | null {
  const lookup = (path: string): unknown => {
    let v: unknown = vars;
    for (const part of path.split('.')) {
      if (deferredPath(v) !== undefined) v = (v as Record<string, unknown>)[part];
      else if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, part)) v = (v as Record<string, unknown>)[part];
      else return undefined;
    }
    return v;
  };
  const render = (v: unknown): string | null => {
    if (v !== null && typeof v === 'object' && deferredPath(v) === undefined) return null;
    if (typeof v === 'number' && !Number.isInteger(v)) return null;
    return String(pythonish(v));
  };
  const tojson = (v: unknown): string => {
    const path = deferredPath(v);
    return path !== undefined ? `{{ ${path} | tojson }}` : JSON.stringify(v === undefined ? null : v);
  };
  try {
    return renderMiniJinja(src, lookup, render, tojson, (v) => deferredPath(v) !== undefined);
  } catch (e) {
    if (!(e instanceof MiniUndefined)) throw e;
    const line = src.slice(0, e.offset).split('\n').length;
    throw new XpromptError(
      origin.label === 'prompt' ? `Jinja2 template error in prompt: '${e.path}' is undefined` : `XPrompt '${origin.label}' template error: '${e.path}' is undefined`,
      { location: origin.file ? { file: origin.file, line: (origin.line ?? 1) + line - 1 } : undefined, data: { xprompt: origin.label } },
    );
  }
}

/**
 * Legacy placeholders `{N}` / `{N:default}` (1-based positional). spec §4.4; vector H1.
 * @throws XpromptError `XPrompt '#x' requires argument {N} but only K argument(s) provided`
 */
export function renderLegacy(body: string, positional: string[], origin: TemplateOrigin): string {
  if (!body.includes('{')) return body;
  const slots: string[] = [];
  const t = protectRegions(body, slots, { disabled: false });
  const out = t.replace(/\{(\d+)(?::([^}]*))?\}/g, (_m, n: string, def: string | undefined) => {
    const i = Number(n);
    if (i >= 1 && i <= positional.length) return String(positional[i - 1]);
    if (def !== undefined) return def;
    throw new XpromptError(
      `XPrompt '${origin.label}' requires argument {${n}} but only ${positional.length} argument(s) provided`,
      { location: origin.file ? { file: origin.file, line: origin.line } : undefined },
    );
  });
  return restoreRegions(out, slots);
}

/**
 * Variables SASE injects only when an agent actually runs (spec §4.4 "Runtime names"), plus the ref-template names.
 * At plan time they render back as `{{ name }}` so the runner can fill them in.
 */
export const RUNTIME_VARIABLES: ReadonlySet<string> = new Set([
  'provider_name',
  'cl_name',
  'workspace_num',
  'n',
  'N',
  'wait_chats',
  'agents',
  'root',
  'resolved_file_path',
  'fragment_annotation',
]);

const JINJA_WORDS = new Set([
  'if', 'else', 'elif', 'endif', 'for', 'endfor', 'in', 'and', 'or', 'not', 'is', 'defined', 'undefined', 'none',
  'true', 'false', 'True', 'False', 'None', 'loop', 'set', 'endset', 'raw', 'endraw', 'with', 'endwith', 'filter',
  'endfilter', 'macro', 'endmacro', 'call', 'import', 'include', 'from', 'as', 'recursive',
]);

/**
 * Root variable names a Jinja template reads (best effort: identifiers inside `{{…}}`/`{%…%}` that are not
 * attributes, filters, tests, keywords or string contents).
 */
export function templateVariables(src: string): Set<string> {
  const out = new Set<string>();
  for (const m of src.matchAll(/\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g)) {
    const expr = (m[1] ?? m[2] ?? '').replace(/"[^"]*"|'[^']*'/g, '""');
    for (const id of expr.matchAll(/(^|[^.\w|])\s*([A-Za-z_]\w*)/g)) {
      const name = id[2]!;
      const before = expr.slice(0, id.index! + id[0].length - name.length).trimEnd();
      if (before.endsWith('|') || /\bis(\s+not)?$/.test(before) || JINJA_WORDS.has(name)) continue;
      out.add(name);
    }
  }
  return out;
}
