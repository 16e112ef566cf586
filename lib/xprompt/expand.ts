/**
 * Iterative xprompt expansion (SASE `processor.py`): shorthand preprocessing, reference lexing, argument binding,
 * rendering, file-local xprompts, inline use of multi-agent bodies (first segment only), section-marker handling,
 * re-protection of fenced blocks — repeated until no known reference remains, at most 100 iterations.
 * Rules: spec/xprompts.md §4.6, §1.4, §1.7, §1.9, §1.5; vectors H1–H8, C*, G8, G11.
 */
import {
  MAX_PROMPT_CHARS,
  promptTooLarge,
  XpromptError,
  findReferences,
  refArgs,
  type XpromptRef,
  findClosingParen,
  normalizeRefName,
} from './lexer.js';
import {
  protectRegions,
  restoreRegions,
  splitOnSeparators,
  isMultiAgentDef,
  isStandaloneWorkflow,
  overlayCatalog,
  textDef,
  BUILTIN_FALLBACKS,
} from './segments.js';
import { deferredValue } from './deferred.js';
import {
  isJinjaTemplate,
  loadTemplateEngine,
  NeedsNunjucks,
  renderLegacy,
  RUNTIME_VARIABLES,
  templateVariables,
} from './template.js';
import { bindInputArgs } from './inputs.js';
import { renderKeepingDeferredBlocks } from './blocks.js';
import type { Catalog, XpromptDef } from './types.js';

/*
 * ---- Shorthand preprocessing (formerly `shorthand.ts`).
 *
 * Shorthand preprocessing: `#name: text`, `#name:: text`, `#name(args): text` and `#name(args):: text` become
 * ordinary paren references with a `[[text block]]` argument. Only names the catalog knows are rewritten.
 * Rules: spec/xprompts.md §1.4 (SASE `_parsing_shorthand.py: preprocess_shorthand_syntax`); vectors C1–C13.
 * Decision: single-colon forms (`: `) apply only at the start of a line (seed-era target); the double-colon form
 * (`:: `), which has no other meaning, applies at any reference boundary.
 */
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

/*
 * ---- The expander.
 */
/** SASE's iteration cap for recursive expansion (spec §4.6 step 5). */
export const MAX_EXPANSION_ITERATIONS = 100;

/** One resolved reference, reported to `opts.trace` (`sase xprompt expand --trace`). */
export interface TraceEvent {
  iteration: number;
  reference: string;
  name: string;
  file: string | null;
  args: { positional: string[]; named: Record<string, string> };
  result: string;
}

/** Options of {@link expandPrompt}. */
export interface ExpandOptions {
  /** Names never expanded here (left verbatim), e.g. `fork` at launch analysis (spec §0 step 5). */
  deferred?: Iterable<string>;
  /**
   * Runs a `$(cmd)` found in an argument and returns its stdout (spec §1.9). Without it `$(…)` stays literal.
   * The CLI passes a shell runner; the library never spawns processes on its own.
   */
  runCommand?: (cmd: string) => string;
  /** Receives one event per resolved reference. */
  trace?: (ev: TraceEvent) => void;
  /** Variables visible to every rendered body beneath its own arguments (caller scope, spec §4.4). */
  scope?: Record<string, unknown>;
  /** Iteration cap (default {@link MAX_EXPANSION_ITERATIONS}). */
  maxIterations?: number;
  /** Cache of `$(cmd)` outputs for one expansion pass (created per {@link expandPrompt} call when absent). */
  commandCache?: Map<string, string>;
  /** Add the built-in fallbacks (`#t`) when the catalog lacks them (default true). */
  builtins?: boolean;
}

/**
 * Expands every known reference in `text` and returns the result (protected regions restored, `%xprompts_enabled`
 * markers kept for directive extraction). Unknown references stay verbatim. Loads the template engine only when a
 * Jinja body is actually rendered.
 * @throws XpromptError for template/binding errors (located at the xprompt file and line), `#!` misuse, inline
 *   standalone workflows and the iteration cap (`Maximum xprompt expansion depth (100) exceeded…`, naming the chain)
 */
export async function expandPrompt(text: string, catalog: Catalog, opts: ExpandOptions = {}): Promise<string> {
  const commandCache = opts.commandCache ?? new Map<string, string>();
  for (;;) {
    const events: TraceEvent[] = [];
    const attempt: ExpandOptions = { ...opts, commandCache };
    if (opts.trace) attempt.trace = (ev) => events.push(ev);
    try {
      const out = expandPromptSync(text, catalog, attempt);
      for (const ev of events) opts.trace!(ev);
      return out;
    } catch (e) {
      if (!(e instanceof NeedsNunjucks)) throw e;
      await loadTemplateEngine();
    }
  }
}

/**
 * Synchronous {@link expandPrompt}.
 * @throws NeedsNunjucks when a Jinja body must be rendered before the engine was loaded (`loadTemplateEngine()`)
 */
export function expandPromptSync(text: string, catalog: Catalog, opts: ExpandOptions = {}): string {
  if (!text.includes('#')) return text;
  const cat = opts.builtins === false ? catalog : overlayCatalog(catalog, [], BUILTIN_FALLBACKS);
  const deferred = new Set(opts.deferred ?? []);
  const max = opts.maxIterations ?? MAX_EXPANSION_ITERATIONS;
  const slots: string[] = [];
  let t = protectRegions(text, slots);
  const known = (name: string): boolean => !deferred.has(name) && cat.get(name) !== undefined;
  const chain: string[][] = [];
  for (let iter = 0; ; iter++) {
    t = preprocessShorthand(t, known);
    const refs = findReferences(t).filter((r) => known(r.name));
    if (refs.length === 0) break;
    if (iter >= max) throw capError(max, chain);
    chain.push(refs.map((r) => `#${r.name}`));
    for (let i = refs.length - 1; i >= 0; i--) {
      const r = refs[i]!;
      const def = cat.get(r.name)!;
      let out = expandOne(r, def, cat, opts, iter);
      out = sectionMarkers(t, r, out);
      t = t.slice(0, r.start) + out + t.slice(r.end);
    }
    if (t.length > MAX_PROMPT_CHARS) throw promptTooLarge(t.length);
    t = protectRegions(t, slots);
  }
  return restoreRegions(t, slots);
}

function capError(max: number, chain: string[][]): XpromptError {
  const tail = chain.slice(-6).map((names) => names.join(', '));
  return new XpromptError(
    `Maximum xprompt expansion depth (${max}) exceeded. Check for circular references. Chain: ${tail.join(' -> ')} -> …`,
    { data: { chain: tail }, hint: 'An xprompt references itself directly or through others; break the cycle.' },
  );
}

/** Places an expansion starting with `###`/`---` on its own line; separates a trailing heading from following text. */
function sectionMarkers(text: string, r: XpromptRef, out: string): string {
  let s = out;
  if ((s.startsWith('###') || s.startsWith('---')) && r.start > 0 && text[r.start - 1] !== '\n') s = `\n${s}`;
  const after = text[r.end];
  if (after !== undefined && after !== '\n') {
    const lastLine = s.slice(s.lastIndexOf('\n') + 1);
    if (/^#{1,6} \S/.test(lastLine)) s = `${s}\n\n`;
  }
  return s;
}

/** Replaces `$(cmd)` spans (nested parens allowed) with command output; `\$(` stays a literal `$(` (spec §1.9). */
export function substituteCommands(value: string, run: ((cmd: string) => string) | undefined, cache: Map<string, string>): string {
  if (!value.includes('$(')) return value;
  let out = '';
  for (let i = 0; i < value.length; ) {
    if (value[i] === '\\' && value.startsWith('$(', i + 1)) {
      out += '$(';
      i += 3;
      continue;
    }
    if (run && value.startsWith('$(', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < value.length; j++) {
        if (value[j] === '(') depth++;
        else if (value[j] === ')' && --depth === 0) break;
      }
      if (j < value.length) {
        const cmd = value.slice(i + 2, j);
        if (!cache.has(cmd)) {
          let res = '';
          try {
            res = run(cmd);
            while (res.endsWith('\n')) res = res.slice(0, -1);
          } catch {
            res = '';
          }
          cache.set(cmd, res);
        }
        out += cache.get(cmd)!;
        i = j + 1;
        continue;
      }
    }
    out += value[i];
    i++;
  }
  return out;
}

/** Body text a definition injects inline: markdown body, or an embeddable workflow's `prompt_part`. */
function inlineSource(def: XpromptDef): { text: string; line: number } | null {
  if (def.body !== null && def.body !== undefined) return { text: def.body, line: def.bodyLine };
  if (def.promptPart) return { text: def.promptPart.text, line: def.promptPart.line };
  return null;
}

function expandOne(r: XpromptRef, def: XpromptDef, cat: Catalog, opts: ExpandOptions, iteration: number): string {
  let out = renderReference(r, def, cat, opts, iteration);
  if (isMultiAgentDef(def)) out = splitOnSeparators(out)[0] ?? '';
  return out;
}

/**
 * Renders one reference to `def`: checks the marker, substitutes `$(…)` in arguments, binds, renders (Jinja or
 * legacy placeholders) and expands file-local xprompts. Multi-agent bodies are returned whole (all segments).
 * @throws XpromptError (G8 `#!` misuse, inline standalone workflow, binding/template errors); NeedsNunjucks
 */
export function renderReference(r: XpromptRef, def: XpromptDef, cat: Catalog, opts: ExpandOptions, iteration = 0): string {
  const multi = isMultiAgentDef(def);
  if (r.marker === '#!' && !multi && !isStandaloneWorkflow(def)) {
    throw new XpromptError(
      `Only standalone workflows and multi-agent xprompts use '#!'; '${r.raw}' resolves to an embeddable xprompt. Use '#${r.name}' for inline expansion.`,
    );
  }
  const src = inlineSource(def);
  if (isStandaloneWorkflow(def) || src === null) {
    throw new XpromptError(
      `Standalone workflow '#!${r.name}' cannot be used inline; launch it on its own as '#!${r.name}'.`,
      { location: def.path ? { file: def.path } : undefined },
    );
  }
  const cache = (opts.commandCache ??= new Map());
  const a = refArgs(r);
  const positional = a.positional.map((v) => substituteCommands(v, opts.runCommand, cache));
  const named: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.named)) named[k] = substituteCommands(v, opts.runCommand, cache);
  const origin = { label: `#${def.name}`, file: def.path, line: src.line };
  let out: string;
  if (isJinjaTemplate(src.text)) {
    const bound = bindInputArgs(def, positional.map(nullArg), named, { allowMissing: true });
    const vars: Record<string, unknown> = { ...(opts.scope ?? {}), ...bound.vars };
    out = renderKeepingDeferredBlocks(src.text, { ...deferredScope(def, src.text, vars), ...vars }, origin);
  } else {
    if (def.inputs.length > 0) bindInputArgs(def, positional.map(nullArg), named, { allowMissing: true });
    out = renderLegacy(src.text, positional, origin);
  }
  const locals = def.localXprompts ? Object.entries(def.localXprompts) : [];
  if (locals.length > 0) {
    const local = overlayCatalog(cat, locals.map(([n, b]) => textDef(n, b, { path: def.path })));
    out = expandPromptSync(out, local, { ...opts, builtins: false });
  }
  opts.trace?.({ iteration, reference: r.raw, name: def.name, file: def.path, args: { positional, named }, result: out });
  return out;
}

/**
 * Variables that exist only at run time, rendered back as `{{ name }}`: SASE's runtime names everywhere; in a
 * workflow `prompt_part` or a `ref: true` template also every other undeclared name (step outputs, ref fields).
 * Declared inputs are never deferred, so a missing required input still fails (vector H2).
 */
function deferredScope(def: XpromptDef, src: string, vars: Record<string, unknown>): Record<string, unknown> {
  const declared = new Set(def.inputs.map((i) => i.name));
  const all = def.body === null || def.meta?.ref === true;
  const out: Record<string, unknown> = {};
  for (const name of templateVariables(src)) {
    if (name in vars || declared.has(name)) continue;
    if (all || RUNTIME_VARIABLES.has(name)) out[name] = deferredValue(name);
  }
  return out;
}

/** A positional `null` binds nothing (spec §4.3 step 3). */
function nullArg(v: string): string | null {
  return v === 'null' ? null : v;
}
