/**
 * Statement blocks decided at run time (spec/xprompts.md §4.4 "Runtime names"). `{% if wait_chats %}…{% endif %}`
 * cannot be decided when a prompt is planned: SASE's runtime names (`wait_chats`, `agents`, `n`, …) only exist when
 * the agent starts. So a `{% if %}` / `{% for %}` block whose tags read a name that is deferred at render time, and
 * that reads no other kind of name anywhere inside, is left exactly as written (syntax-checked, not rendered); the runner
 * renders it once the names are known. A block that also reads an xprompt input cannot wait (the input is gone by
 * then): it is decided at expansion with the runtime names counting as set — docs/xprompts.md says so.
 *
 * Whitespace control on a kept block (`{%-` before, `-%}` after) is applied when the runner renders it.
 */
import type { TemplateOrigin } from './template.js';
import { isDeferredValue } from './deferred.js';
import { checkJinjaSyntax, renderJinja, templateVariables } from './template.js';

/** One `{% if %}` or `{% for %}` block: offsets into the template and the names it reads. */
export interface StatementBlock {
  /** Offset of `{%` of the opening tag. */
  start: number;
  /** Offset just past `%}` of the closing tag. */
  end: number;
  kind: 'if' | 'for';
  /** Names read by the block's own tags (`if`/`elif` conditions, the `for` iterable). */
  tagNames: Set<string>;
  /** Loop variables the block and its nested blocks bind. */
  loopVars: Set<string>;
  /** A tag other than if/elif/else/for/endif/endfor (set, macro, …) occurs inside: never kept for the runner. */
  other: boolean;
  children: StatementBlock[];
}

const TAG_RE = /\{%(-?)\s*([A-Za-z_]+)\b([\s\S]*?)-?%\}/g;
const ENDRAW_RE = /\{%-?\s*endraw\s*-?%\}/g;

function exprNames(expr: string): Set<string> {
  return templateVariables(`{{ ${expr} }}`);
}

/**
 * The tree of `{% if %}` / `{% for %}` blocks of `src` (outermost first, in text order), or null when the tags do
 * not balance (the template engine reports that error). `{% raw %}` regions are skipped.
 */
export function statementBlocks(src: string): StatementBlock[] | null {
  const roots: StatementBlock[] = [];
  const stack: StatementBlock[] = [];
  TAG_RE.lastIndex = 0;
  for (let m = TAG_RE.exec(src); m !== null; m = TAG_RE.exec(src)) {
    const kw = m[2]!;
    const expr = m[3]!;
    const top = stack[stack.length - 1];
    if (kw === 'raw') {
      ENDRAW_RE.lastIndex = TAG_RE.lastIndex;
      const end = ENDRAW_RE.exec(src);
      if (!end) return null;
      TAG_RE.lastIndex = end.index + end[0].length;
    } else if (kw === 'if' || kw === 'for') {
      const b: StatementBlock = { start: m.index, end: -1, kind: kw, tagNames: new Set(), loopVars: new Set(), other: false, children: [] };
      if (kw === 'for') {
        const f = /^\s*([\w\s,()]+?)\s+in\s+([\s\S]*)$/.exec(expr);
        if (!f) return null;
        for (const v of f[1]!.replace(/[()]/g, ' ').split(/[\s,]+/)) if (v) b.loopVars.add(v);
        for (const n of exprNames(f[2]!)) b.tagNames.add(n);
      } else {
        for (const n of exprNames(expr)) b.tagNames.add(n);
      }
      (top ? top.children : roots).push(b);
      stack.push(b);
    } else if (kw === 'elif') {
      if (!top || top.kind !== 'if') return null;
      for (const n of exprNames(expr)) top.tagNames.add(n);
    } else if (kw === 'endif' || kw === 'endfor') {
      const b = stack.pop();
      if (!b || `end${b.kind}` !== kw) return null;
      b.end = m.index + m[0].length;
      const parent = stack[stack.length - 1];
      if (parent) for (const v of b.loopVars) parent.loopVars.add(v);
    } else if (kw !== 'else') {
      for (const b of stack) b.other = true;
    }
  }
  return stack.length ? null : roots;
}

/** Every name a block reads (its tags and everything inside), without the loop variables it binds. */
export function blockNames(src: string, b: StatementBlock): Set<string> {
  const out = templateVariables(src.slice(b.start, b.end));
  for (const v of b.loopVars) out.delete(v);
  return out;
}

/** The outermost blocks `pick` accepts; a block it rejects is searched for nested ones. */
export function pickBlocks(src: string, pick: (b: StatementBlock) => boolean): StatementBlock[] {
  const out: StatementBlock[] = [];
  const walk = (list: StatementBlock[]): void => {
    for (const b of list) {
      if (!b.other && pick(b)) out.push(b);
      else walk(b.children);
    }
  };
  walk(statementBlocks(src) ?? []);
  return out;
}

/** Kept-block placeholders (private-use characters distinct from lib/xprompt/segments.ts's region placeholders). */
const OPEN = '\uE002';
const CLOSE = '\uE003';
const SLOT_RE = /\uE002(\d+)(\n*)\uE003/g;

/** `src` with each block replaced by a placeholder that keeps the block's newlines (error lines stay true). */
function hideBlocks(src: string, blocks: readonly StatementBlock[], slots: string[]): string {
  let out = '';
  let at = 0;
  for (const b of blocks) {
    const text = src.slice(b.start, b.end);
    slots.push(text);
    out += src.slice(at, b.start) + OPEN + String(slots.length - 1) + '\n'.repeat(text.split('\n').length - 1) + CLOSE;
    at = b.end;
  }
  return out + src.slice(at);
}

function restoreBlocks(text: string, slots: readonly string[]): string {
  return text.replace(SLOT_RE, (m, n: string) => slots[Number(n)] ?? m);
}

/**
 * Renders a template whose `scope` holds deferred values (deferred.ts `deferredValue`) for names that exist only
 * later, keeping the blocks that must wait for them as written (see the module comment). Each kept block's syntax is
 * checked now (its names are all deferred, so none can be undefined).
 * @throws XpromptError as `renderJinja` (the location of an error inside a kept block is the block's line)
 * @throws NeedsNunjucks when the engine is needed and not loaded
 */
export function renderKeepingDeferredBlocks(src: string, scope: Record<string, unknown>, origin: TemplateOrigin): string {
  if (!src.includes('{%')) return renderJinja(src, scope, origin);
  const deferred = (name: string): boolean => Object.prototype.hasOwnProperty.call(scope, name) && isDeferredValue(scope[name]);
  const kept = pickBlocks(src, (b) => [...b.tagNames].some(deferred) && [...blockNames(src, b)].every(deferred));
  if (kept.length === 0) return renderJinja(src, scope, origin);
  for (const b of kept) {
    const line = (origin.line ?? 1) + src.slice(0, b.start).split('\n').length - 1;
    checkJinjaSyntax(src.slice(b.start, b.end), { ...origin, line });
  }
  const slots: string[] = [];
  return restoreBlocks(renderJinja(hideBlocks(src, kept, slots), scope, origin), slots);
}

/**
 * Run-time step for blocks: renders every block whose tags read only names in `known` (at least one) with `vars`;
 * other names inside render back as written (`deferred`). Whitespace control of a rendered block trims the text
 * around it as Jinja would have. Returns the text with the rendered blocks hidden behind placeholders (so later
 * passes leave their output alone) and the function that puts them back.
 * @throws XpromptError (`Jinja2 template error in prompt: …`), NeedsNunjucks
 */
export function renderKnownBlocks(
  src: string,
  vars: Record<string, unknown>,
  known: (name: string) => boolean,
  deferred: (name: string) => unknown,
): { text: string; restore: (text: string) => string } {
  const none = { text: src, restore: (t: string) => t };
  if (!src.includes('{%')) return none;
  const blocks = pickBlocks(src, (b) => b.tagNames.size > 0 && [...b.tagNames].every(known));
  if (blocks.length === 0) return none;
  const slots: string[] = [];
  let out = '';
  let at = 0;
  for (const b of blocks) {
    const text = src.slice(b.start, b.end);
    const scope: Record<string, unknown> = {};
    for (const n of blockNames(src, b)) scope[n] = Object.prototype.hasOwnProperty.call(vars, n) ? vars[n] : deferred(n);
    let before = src.slice(at, b.start);
    if (text.startsWith('{%-')) before = before.trimEnd();
    if (/-%\}$/.test(text)) {
      const rest = src.slice(b.end);
      at = b.end + (rest.length - rest.trimStart().length);
    } else at = b.end;
    slots.push(renderJinja(text, scope, { label: 'prompt' }));
    out += before + OPEN + String(slots.length - 1) + CLOSE;
  }
  return { text: out + src.slice(at), restore: (t) => restoreBlocks(t, slots) };
}
