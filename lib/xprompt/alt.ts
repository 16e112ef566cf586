/**
 * Alternative directives `%alt(…)`, `%(…)` and `%{a | b}`: lexing, branch parsing and the Cartesian fan-out of a
 * prompt into variants. Rules: spec/xprompts.md §2.5 (SASE `split_prompt_for_alternatives_with_ids`); vectors
 * F12, F17–F20.
 */
import { processTextBlock, XpromptError } from './lexer.js';

/*
 * ---- Launch naming (formerly `naming.ts`).
 *
 * Names of fanned-out launches: base name (explicit `%name`, else wait-derived, else the auto template `@`) plus a
 * suffix from the alt ids, with the model axis replaced by runtime labels (`cld`, `cdx`, `cld_opus`).
 * Rules: spec/xprompts.md §2.6 (SASE `_directive_alt_naming.py`); vectors F2, F3, F10, F17.
 */
/** Runtime short names by provider (spec §2.6). */
const RUNTIME_SHORT: Readonly<Record<string, string>> = {
  claude: 'cld',
  codex: 'cdx',
  gemini: 'gem',
  qwen: 'qwn',
  opencode: 'opc',
};

/** Provider of a bare model name (`opus` → claude). Unknown names → null. */
function providerOfBare(model: string): string | null {
  const m = model.toLowerCase();
  if (/^(opus|sonnet|haiku|claude)/.test(m)) return 'claude';
  if (/^(o\d|gpt|codex)/.test(m)) return 'codex';
  if (m.startsWith('gemini')) return 'gemini';
  if (m.startsWith('qwen')) return 'qwen';
  return null;
}

/** Runtime label and model alias of a `%model` value: `claude/opus` → (`cld`, `opus`); `o3` → (`cdx`, `o3`). */
export function modelRuntime(model: string): { runtime: string; alias: string } {
  const slash = model.indexOf('/');
  if (slash > 0) {
    const provider = model.slice(0, slash);
    return { runtime: RUNTIME_SHORT[provider] ?? provider, alias: model.slice(slash + 1) };
  }
  const p = providerOfBare(model);
  return { runtime: p ? RUNTIME_SHORT[p]! : model, alias: model };
}

/** Sanitises a name suffix: `-` → `_`, other runs outside `[A-Za-z0-9_.]` → `_`, dots collapsed, ends trimmed. */
export function sanitizeSuffix(s: string): string {
  return s
    .replace(/-/g, '_')
    .replace(/[^A-Za-z0-9_.]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+|[._-]+$/g, '');
}

/** One fan-out slot as the naming rule sees it. */
export interface NamingSlot {
  /** Branch id per axis. */
  ids: string[];
  /** Whether the chosen branch on each axis was explicitly named. */
  named: boolean[];
  /** The slot's `%model` value, or null. */
  model: string | null;
}

/**
 * Suffixes for fan-out slots. When the slots use ≥ 2 distinct models, the model axis component (`modelAxis`) is
 * replaced by the runtime label, or `runtime-alias` for models sharing a runtime; a named branch keeps its name.
 * Colliding suffixes fall back to the raw alt ids.
 */
export function fanOutSuffixes(slots: NamingSlot[], modelAxis: number | null): string[] {
  const models = [...new Set(slots.map((s) => s.model).filter((m): m is string => m !== null))];
  const labels = new Map<string, string>();
  if (models.length >= 2 && modelAxis !== null) {
    const rt = new Map(models.map((m) => [m, modelRuntime(m)]));
    const count = new Map<string, number>();
    for (const { runtime } of rt.values()) count.set(runtime, (count.get(runtime) ?? 0) + 1);
    for (const [m, { runtime, alias }] of rt) labels.set(m, count.get(runtime)! > 1 ? `${runtime}-${alias}` : runtime);
  }
  const raw = slots.map((s) => sanitizeSuffix(s.ids.join('.')));
  const out = slots.map((s) => {
    const parts = s.ids.map((id, i) =>
      i === modelAxis && !s.named[i] && s.model !== null && labels.has(s.model) ? labels.get(s.model)! : id,
    );
    return sanitizeSuffix(parts.join('.'));
  });
  return new Set(out).size === out.length ? out : raw;
}

/*
 * ---- Alternative directives and fan-out.
 */
/** One branch of an alternative directive. */
export interface AltBranch {
  /** Explicit name (`sec=`) or allocated number (`1`, `2`, …). */
  id: string;
  /** Replacement text (unquoted; `[[…]]` text-block processed). */
  value: string;
  named: boolean;
}

/** One alternative directive in a text. */
export interface AltDirective {
  /** Index of the `%`. */
  start: number;
  /** After the closing delimiter. */
  end: number;
  form: 'alt' | 'paren' | 'brace';
  branches: AltBranch[];
}

/** Detection: paren forms need a boundary (incl. `:`), `%{` matches anywhere. */
const ALT_RE = /(?<=^|[\s(\[{"':])%(?:alt)?\(|%\{/g;

/** Index of the delimiter closing the one at `open` (only that pair counted; backtick and `"` spans skipped), or -1. */
function findClose(text: string, open: number, o: string, c: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '`' || ch === '"') quote = ch;
    else if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i;
  }
  return -1;
}

/** Splits on `sep` at depth 0 (depth counts `( [ {`), protecting backtick and `"` spans. */
function splitBranches(body: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote: string | null = null;
  for (const ch of body) {
    if (quote) {
      if (ch === quote) quote = null;
      cur += ch;
      continue;
    }
    if (ch === '`' || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    else if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/** Index of a top-level `=` in a branch (depth 0, outside backtick/`"` spans), or -1. */
function topLevelEquals(s: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '`' || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    else if (ch === '=' && depth === 0) return i;
  }
  return -1;
}

/** Unquotes a branch value: `[[…]]` (text block), `"…"`, `'…'` or backticks. */
export function unquoteBranch(v: string): string {
  if (v.startsWith('[[') && v.endsWith(']]') && v.length >= 4) return processTextBlock(v);
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'" || v[0] === '`') && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/** Parses a directive body into branches with ids (named first-come; unnamed numbered skipping taken names). */
export function parseBranches(body: string, sep: string): AltBranch[] {
  const raw: Array<{ id: string | null; value: string }> = [];
  for (const piece of splitBranches(body, sep)) {
    const t = piece.trim();
    const eq = topLevelEquals(t);
    const left = eq > 0 ? t.slice(0, eq).trim() : '';
    if (eq > 0 && /^[A-Za-z0-9_.-]+$/.test(left)) raw.push({ id: left, value: unquoteBranch(t.slice(eq + 1).trim()) });
    else if (t !== '') raw.push({ id: null, value: unquoteBranch(t) });
  }
  if (raw.length === 0) return [];
  if (raw.length === 1) raw.push({ id: null, value: '' });
  const used = new Set(raw.filter((b) => b.id !== null).map((b) => b.id!));
  let next = 1;
  return raw.map((b) => {
    if (b.id !== null) return { id: b.id, value: b.value, named: true };
    while (used.has(String(next))) next++;
    const id = String(next++);
    return { id, value: b.value, named: false };
  });
}

/**
 * Finds every alternative directive with at least one branch (zero-branch directives are ignored and stay in the
 * text). Directives are not nested: the scan resumes after each closing delimiter.
 * @throws XpromptError `Unclosed %alt directive (missing ')')` / `Unclosed %{ directive (missing '}')`
 */
export function findAltDirectives(text: string): AltDirective[] {
  const out: AltDirective[] = [];
  if (!text.includes('%')) return out;
  const re = new RegExp(ALT_RE.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    const brace = m[0] === '%{';
    const form: AltDirective['form'] = brace ? 'brace' : m[0] === '%alt(' ? 'alt' : 'paren';
    const open = start + m[0].length - 1;
    const close = brace ? findClose(text, open, '{', '}') : findClose(text, open, '(', ')');
    if (close < 0) {
      const label = brace ? '%{' : form === 'alt' ? '%alt' : '%(';
      throw new XpromptError(`Unclosed ${label} directive (missing '${brace ? '}' : ')'}')`, {
        data: { offset: start },
      });
    }
    const branches = parseBranches(text.slice(open + 1, close), brace ? '|' : ',');
    if (branches.length > 0) out.push({ start, end: close + 1, form, branches });
    re.lastIndex = close + 1;
  }
  return out;
}

/**
 * Replaces `text[start, end)` with `value`. An empty value collapses horizontal whitespace around the hole: a hole
 * at the start of a line keeps the indentation and drops the blanks after it; elsewhere one space is kept only
 * between two alphanumerics or before a `%`/`#` (so a following directive or reference stays parseable).
 * Newlines are always kept. spec §2.5 step 5.
 */
export function replaceSpan(text: string, start: number, end: number, value: string): string {
  const left = text.slice(0, start);
  const right = text.slice(end);
  if (value !== '') return left + value + right;
  const prefix = left.slice(left.lastIndexOf('\n') + 1);
  if (/^[ \t]*$/.test(prefix)) return left + right.replace(/^[ \t]+/, '');
  let cut = left.length;
  while (cut > 0 && (left[cut - 1] === ' ' || left[cut - 1] === '\t')) cut--;
  const l = left.slice(0, cut);
  const r = right.replace(/^[ \t]+/, '');
  const a = l[l.length - 1] ?? '';
  const b = r[0] ?? '';
  const hadSpace = l.length < left.length || r.length < right.length;
  let join = '';
  if (hadSpace && /[A-Za-z0-9]/.test(a) && /[A-Za-z0-9]/.test(b)) join = ' ';
  else if (hadSpace && (b === '%' || b === '#') && a !== '') join = ' ';
  return l + join + r;
}

/** Most variants one segment may fan out into (sase's guard; SASE has no stated limit). */
export const MAX_FANOUT = 256;

/** One fan-out axis: directives correlated by shared branch names, and the ordered branch ids. */
export interface AltAxis {
  directives: AltDirective[];
  keys: string[];
}

/** Groups directives into axes (union-find over explicit branch names), sorted by position. */
export function altAxes(dirs: AltDirective[]): AltAxis[] {
  const parent = dirs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  dirs.forEach((d, i) => {
    for (const b of d.branches) {
      if (!b.named) continue;
      const o = owner.get(b.id);
      if (o === undefined) owner.set(b.id, i);
      else parent[find(i)] = find(o);
    }
  });
  const groups = new Map<number, AltDirective[]>();
  dirs.forEach((d, i) => {
    const r = find(i);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(d);
  });
  const axes: AltAxis[] = [];
  for (const ds of groups.values()) {
    const keys: string[] = [];
    for (const d of ds) for (const b of d.branches) if (!keys.includes(b.id)) keys.push(b.id);
    axes.push({ directives: ds, keys });
  }
  return axes.sort((x, y) => x.directives[0]!.start - y.directives[0]!.start);
}

/** One rendered variant: text and the branch id chosen on each axis. */
export interface AltVariant {
  text: string;
  /** Branch id per axis, in axis order. */
  ids: string[];
}

/**
 * Fans `text` out over its alternative directives: the Cartesian product of the axes, first axis slowest. Returns
 * null when the text has no alternative directive.
 * @throws XpromptError for unclosed directives and for more than {@link MAX_FANOUT} variants
 */
export function fanOutAlternatives(text: string): { axes: AltAxis[]; variants: AltVariant[] } | null {
  const dirs = findAltDirectives(text);
  if (dirs.length === 0) return null;
  const axes = altAxes(dirs);
  const total = axes.reduce((n, ax) => n * ax.keys.length, 1);
  if (total > MAX_FANOUT) {
    throw new XpromptError(`Alternatives would fan out into ${total} launches (limit ${MAX_FANOUT})`, {
      hint: 'Use fewer %{…}/%(…) directives or fewer branches per directive.',
    });
  }
  let combos: string[][] = [[]];
  for (const ax of axes) combos = combos.flatMap((c) => ax.keys.map((k) => [...c, k]));
  const variants = combos.map((ids) => {
    const choice = new Map<AltDirective, string>();
    axes.forEach((ax, i) => {
      for (const d of ax.directives) choice.set(d, d.branches.find((b) => b.id === ids[i])?.value ?? '');
    });
    let t = text;
    for (const d of [...dirs].sort((x, y) => y.start - x.start)) t = replaceSpan(t, d.start, d.end, choice.get(d)!);
    return { text: t, ids };
  });
  return { axes, variants };
}
