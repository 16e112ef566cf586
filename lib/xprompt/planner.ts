/**
 * The launch planner: a user prompt becomes the list of agent launches `sase run` performs. Pipeline (spec
 * §0): aliases and workspace shorthands → frontmatter + `---` segments → leading workspace reference (default
 * `#git:home`) → multi-agent xprompts → per-segment expansion (`#fork` deferred) → model/alt fan-out → `%repeat`
 * slots → directive extraction. Rules: spec/xprompts.md §0, §1.6, §1.8, §2, §5; vectors D13, D15, F*, G*.
 */
import { fanOutAlternatives, type AltAxis, fanOutSuffixes, type NamingSlot } from './alt.js';
import { bindInputArgs } from './inputs.js';
import {
  isStandaloneWorkflow,
  overlayCatalog,
  textDef,
  BUILTIN_FALLBACKS,
  protectRegions,
  restoreRegions,
  parsePromptLocals,
  splitPrompt,
  isMultiAgentDef,
  splitOnSeparators,
} from './segments.js';
import { extractDirectives, findDirectives, parseRepeatCount, type DirectiveToken } from './directives.js';
import { expandPromptSync, type ExpandOptions, type TraceEvent, renderReference } from './expand.js';
import { findReferences, refArgs, type XpromptRef, XpromptError, stripQuotes } from './lexer.js';
import type { PlanLaunches, PlannedLaunch, PlanOptions } from './launch-types.js';
import { loadTemplateEngine, NeedsNunjucks, templateVariables } from './template.js';
import { renderTopLevelPrompt } from './toplevel.js';
import type { Catalog, XpromptDef } from './types.js';
import { isAbsolute, resolve } from 'node:path';

/*
 * ---- XPrompt aliases (formerly `aliases.ts`).
 *
 * XPrompt aliases (`xprompt_aliases` in sase.yml; built-ins `c → commit`, `p → propose`): raw text substitution of
 * `#alias` at a reference boundary when not followed by `[A-Za-z0-9_/]`. Rules: spec/xprompts.md §1.8; vector H9.
 */
/** SASE's built-in aliases. */
export const BUILTIN_XPROMPT_ALIASES: Readonly<Record<string, string>> = Object.freeze({ c: 'commit', p: 'propose' });

/** Reads `xprompt_aliases` from merged config: string → string entries only (others ignored). */
export function configAliases(config: Record<string, unknown> | undefined): Record<string, string> {
  const raw = config?.xprompt_aliases;
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/.test(k)) out[k] = v.replace(/^#/, '');
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Replaces `#alias` by `#target` (single pass over all aliases; targets are not re-aliased). Never throws. */
export function resolveXpromptAliases(text: string, aliases: Record<string, string>): string {
  const names = Object.keys(aliases);
  if (names.length === 0 || !text.includes('#')) return text;
  const re = new RegExp(
    String.raw`(?<=^|[\s(\[{"'])#(${names.sort((a, b) => b.length - a.length).map(escapeRe).join('|')})(?![A-Za-z0-9_/])`,
    'gm',
  );
  return text.replace(re, (_m, n: string) => `#${aliases[n]}`);
}

/*
 * ---- Workspace references (formerly `workspace-ref.ts`).
 *
 * Workspace references (`#cd:`, `#git:`, `#gh:`, `#hg:`, `#jj:`, `#p4:`): raw normalisation of `#gh@ref` and
 * `#gh_ref`, detection of the leading workspace reference of a segment, canonical form, and the default `#git:home`.
 * Rules: spec/xprompts.md §0 step 1, §1.6 (SASE `_parsing.py: extract_vcs_workflow_tag`).
 */
/** Workspace workflow names known without any plugin. */
export const WORKSPACE_WORKFLOWS: readonly string[] = ['cd', 'git', 'gh', 'hg', 'jj', 'p4'];

/** The workspace used when a segment names none. */
export const DEFAULT_WORKSPACE_REF = '#git:home';

function namesRe(names: readonly string[]): string {
  return names.map((n) => n.replace(/[^A-Za-z0-9_/]/g, '')).filter(Boolean).join('|');
}

/**
 * Raw normalisation: `#gh@ref` → `#gh:ref` outside inline code spans, and `#gh_ref` → `#gh:ref` unless `gh_ref`
 * is itself a defined xprompt. Only for workspace workflow names. spec §0 step 1.
 */
export function normalizeWorkspaceShorthands(
  text: string,
  names: readonly string[] = WORKSPACE_WORKFLOWS,
  isDefined: (name: string) => boolean = () => false,
): string {
  if (!text.includes('#')) return text;
  const alt = namesRe(names);
  const at = new RegExp(String.raw`(?<=^|[\s(\[{"'])#(${alt})(!!|\?\?)?@(?=[A-Za-z0-9_.~/-])`, 'gm');
  const under = new RegExp(String.raw`(?<=^|[\s(\[{"'])#(${alt})_([A-Za-z0-9.~/-][A-Za-z0-9_.~/-]*)`, 'gm');
  const parts = text.split('`');
  for (let i = 0; i < parts.length; i += 2) {
    parts[i] = parts[i]!.replace(at, (_m, n: string, h: string | undefined) => `#${n}${h ?? ''}:`).replace(
      under,
      (m, n: string, ref: string) => (isDefined(`${n}_${ref}`) ? m : `#${n}:${ref}`),
    );
  }
  return parts.join('`');
}

/** A segment's leading workspace reference. */
export interface WorkspaceRefMatch {
  /** Canonical form, e.g. `#cd:/abs/dir`, `#git:home`, `#gh:owner/repo`. */
  ref: string;
  /** Workflow name (`cd`, `gh`, …). */
  name: string;
  /** Argument as written (quotes stripped for the paren form). */
  arg: string;
  /** `!!` / `??` HITL override, null when none. */
  hitl: boolean | null;
  /** The lexed reference (offsets into the segment). */
  token: XpromptRef;
}

/** Context for canonicalising `#cd:` paths. */
export interface WorkspaceContext {
  cwd: string;
  home?: string;
}

/** Canonical text of a workspace reference: `#cd:` paths become absolute (`~` = home); others `#name:arg`. */
export function canonicalWorkspaceRef(name: string, arg: string, ctx: WorkspaceContext): string {
  if (name !== 'cd') return arg === '' ? `#${name}` : `#${name}:${arg}`;
  let p = arg === '' ? '.' : arg;
  if (ctx.home && (p === '~' || p.startsWith('~/'))) p = ctx.home + p.slice(1);
  return `#cd:${isAbsolute(p) ? resolve(p) : resolve(ctx.cwd, p)}`;
}

/**
 * Finds the workspace reference a segment starts with: leading `%directive` tokens are skipped, then the first
 * token must be a reference to a workspace workflow (`names`). Returns null when the segment has none.
 */
export function findLeadingWorkspaceRef(
  segment: string,
  ctx: WorkspaceContext,
  names: readonly string[] = WORKSPACE_WORKFLOWS,
): WorkspaceRefMatch | null {
  const lead = /^\s*(?:%\S+\s+)*/.exec(segment)![0].length;
  if (segment[lead] !== '#') return null;
  const refs = findReferences(segment);
  let tok = refs.find((r) => r.start === lead);
  if (!tok || tok.marker !== '#' || !names.includes(tok.name)) return null;
  let arg = '';
  if (tok.form === 'paren') {
    if (tok.unclosed) return null;
    arg = stripQuotes((tok.parenInner ?? '').trim());
  } else {
    // Workspace refs use SASE's wider REF class (`#cd:.`, `#cd:..`): run to the next blank.
    const m = /^:([A-Za-z0-9_.~\/@+,-]+)(?=\s|$)/.exec(segment.slice(lead + 1 + tok.rawName.length + (tok.hitl === null ? 0 : 2)));
    if (m) {
      arg = m[1]!;
      const end = lead + 1 + tok.rawName.length + (tok.hitl === null ? 0 : 2) + m[0].length;
      tok = { ...tok, form: 'colon', colonArg: arg, end, raw: segment.slice(lead, end) };
    } else if (tok.form === 'colon') arg = tok.colonArg ?? '';
  }
  return { ref: canonicalWorkspaceRef(tok.name, arg, ctx), name: tok.name, arg, hitl: tok.hitl, token: tok };
}

/** Removes a lexed reference from `text` with the blanks after it (and its line when it stood alone). */
export function removeToken(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  let after = text.slice(end).replace(/^[ \t]+/, '');
  const atLineStart = /(^|\n)[ \t]*$/.test(before);
  if (atLineStart && after.startsWith('\n')) after = after.slice(1);
  return before + after;
}

/*
 * ---- Multi-agent expansion (formerly `multi-agent.ts`).
 *
 * Dispatch-time expansion of multi-agent markdown xprompts: a segment that is only `#!name(args)` (plus leading
 * directive lines) for an xprompt whose body has top-level `---` becomes one segment per body part.
 * Rules: spec/xprompts.md §5.3 (SASE `multi_agent_xprompt.py: expand_multi_agent_xprompts`); vectors G5–G10.
 */
/** Recursion budget for multi-agent expansion (spec §5.3). */
export const MULTI_AGENT_MAX_DEPTH = 8;

const DIRECTIVE_LINE_RE = /^%[a-zA-Z][a-zA-Z0-9_]*(?:[:(].*)?\s*$/;

/** A segment split into its leading directive lines and the rest. */
export interface SegmentHead {
  /** Leading directive lines (each without its newline). */
  directiveLines: string[];
  /** The remainder after leading blank and directive lines. */
  rest: string;
}

/** Splits leading blank lines and directive lines (`%name…` lines) off a segment. */
export function splitSegmentHead(segment: string): SegmentHead {
  const lines = segment.split('\n');
  const directiveLines: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    if (DIRECTIVE_LINE_RE.test(l.trim())) directiveLines.push(l.trim());
    else break;
  }
  return { directiveLines, rest: lines.slice(i).join('\n').trim() };
}

/** The reference when `text` is exactly one reference (nothing else), else null. */
export function soleReference(text: string): XpromptRef | null {
  const t = text.trim();
  if (!t.startsWith('#')) return null;
  const refs = findReferences(t);
  const r = refs[0];
  return r && r.start === 0 && r.end === t.length && !r.unclosed ? r : null;
}

/**
 * Expands multi-agent references in `segments` (depth-limited recursion). Leading directive lines of a call site
 * attach to its first sub-segment only (G7). Segments that merely mention a `#!multi` reference among prose are
 * rejected (strict target, G9).
 * @throws XpromptError G6 (`#name` on a multi-agent xprompt), G8 (`#!` on an ordinary xprompt), G9, G10 (depth)
 */
export function expandMultiAgentSegments(
  segments: string[],
  catalog: Catalog,
  opts: ExpandOptions = {},
  depth = MULTI_AGENT_MAX_DEPTH,
): string[] {
  const out: string[] = [];
  for (const seg of segments) out.push(...expandOneSegment(seg, catalog, opts, depth));
  return out;
}

function expandOneSegment(seg: string, catalog: Catalog, opts: ExpandOptions, depth: number): string[] {
  const head = splitSegmentHead(seg);
  const r = soleReference(head.rest);
  const def: XpromptDef | undefined = r ? catalog.get(r.name) : undefined;
  if (r && def) {
    if (isMultiAgentDef(def)) {
      if (r.marker === '#') {
        throw new XpromptError(
          `Multi-agent xprompt '#${r.name}' must be invoked as '#!${r.name}' because it expands to multiple agent prompts.`,
        );
      }
      if (depth <= 0) {
        throw new XpromptError(`multi-agent xprompt expansion exceeded max depth at #!${r.name} (possible self-reference)`);
      }
      const parts = splitOnSeparators(renderReference(r, def, catalog, opts));
      if (parts.length > 0 && head.directiveLines.length > 0) parts[0] = `${head.directiveLines.join('\n')}\n${parts[0]}`;
      return expandMultiAgentSegments(parts, catalog, opts, depth - 1);
    }
    if (r.marker === '#!' && !isStandaloneWorkflow(def)) {
      throw new XpromptError(
        `Only standalone workflows and multi-agent xprompts use '#!'; '${r.raw}' resolves to an embeddable xprompt. Use '#${r.name}' for inline expansion.`,
      );
    }
    return [seg];
  }
  const slots: string[] = [];
  for (const ref of findReferences(protectRegions(seg, slots))) {
    const d = catalog.get(ref.name);
    if (ref.marker === '#!' && d && isMultiAgentDef(d)) {
      throw new XpromptError(
        `Multi-agent xprompt reference must be invoked as a sole '#!' reference in its segment (no surrounding prose). Segment:\n${seg}`,
      );
    }
  }
  return [seg];
}

/*
 * ---- The launch planner.
 */
/** Names whose expansion waits until launch (after `%wait` barriers): spec §0 step 5, §1.10. */
export const DEFERRED_XPROMPTS: readonly string[] = ['fork'];

/**
 * Plans the launches of `text`. Loads the catalog (unless `opts.catalog`) and the template engine only when needed.
 * @throws XpromptError (an InvalidDataError) for any prompt, reference, directive or template error
 */
export const planLaunches: PlanLaunches = async (text, opts) => {
  let catalog = opts.catalog;
  if (!catalog) {
    const { loadCatalog } = await import('./catalog.js');
    // The catalog reads the configuration layers itself (exact per-layer precedence and namespacing);
    // `opts.config` (merged) is used here for `xprompt_aliases`.
    catalog = await loadCatalog({ cwd: opts.cwd, env: opts.env, extraDirs: opts.extraDirs });
  }
  const split = splitPrompt(text);
  const locals = split.frontmatter !== null ? await parsePromptLocals(split.frontmatter) : {};
  const commandCache = new Map<string, string>();
  let runCommand = opts.runCommand ?? undefined;
  if (opts.runCommand === undefined && text.includes('$(')) {
    const { execSync } = await import('node:child_process');
    runCommand = (cmd) =>
      execSync(cmd, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
  }
  for (;;) {
    const events: TraceEvent[] = [];
    try {
      const out = planLaunchesSync(
        text,
        { ...opts, catalog, runCommand, trace: opts.trace ? (e) => events.push(e) : undefined },
        locals,
        commandCache,
      );
      if (opts.trace) for (const e of events) opts.trace(e);
      return out;
    } catch (e) {
      if (!(e instanceof NeedsNunjucks)) throw e;
      await loadTemplateEngine();
    }
  }
};

/** Leading-directive-aware view of the tokens the naming rules need. */
function peek(text: string): { tokens: DirectiveToken[]; protectedText: string; slots: string[] } {
  const slots: string[] = [];
  const p = protectRegions(text, slots);
  let tokens: DirectiveToken[] = [];
  try {
    tokens = findDirectives(p);
  } catch {
    tokens = [];
  }
  return { tokens, protectedText: p, slots };
}

function tokenValue(tok: DirectiveToken): string | null {
  if (tok.form === 'colon') return tok.colon!.replace(/^`([\s\S]*)`$/, '$1');
  if (tok.form === 'paren') {
    const m = /^\s*("([^"]*)"|'([^']*)'|[^,]*)/.exec(tok.parenInner ?? '');
    const v = m ? (m[2] ?? m[3] ?? m[1]!.trim()) : '';
    return v === '' ? null : v;
  }
  if (tok.form === 'plus') return 'true';
  return null;
}

/** Removes directive tokens of the given canonical names from `text`, then prepends `lines`. */
function rewriteHead(text: string, drop: string[], lines: string[]): string {
  const { tokens, protectedText, slots } = peek(text);
  let t = protectedText;
  for (const tok of tokens.filter((x) => drop.includes(x.canonical)).sort((a, b) => b.start - a.start)) {
    t = removeToken(t, tok.start, tok.end);
  }
  t = restoreRegions(t, slots).replace(/^\s*\n/, '');
  return lines.length > 0 ? `${lines.join('\n')}\n${t}` : t;
}

/** Base name for derived names: explicit `%name`, else `<wait>.w@` for one explicit wait, else null. */
function derivedBase(tokens: DirectiveToken[]): { base: string | null; explicit: boolean } {
  const name = tokens.find((t) => t.canonical === 'name');
  const nv = name ? tokenValue(name) : null;
  if (nv) return { base: nv.replace(/^!/, ''), explicit: true };
  const waits = tokens.filter((t) => t.canonical === 'wait');
  if (!name && waits.length === 1 && waits[0]!.form === 'colon') {
    const w = tokenValue(waits[0]!)!;
    if (!w.includes(',')) return { base: `${w}.w@`, explicit: false };
  }
  return { base: null, explicit: false };
}

/** One fan-out variant: its prompt text (with `%name:<base>.<suffix>` prepended) and alt id. */
export interface FanOutVariant {
  text: string;
  /** Branch ids joined with `.`; null when the prompt did not fan out. */
  altId: string | null;
}

/**
 * Model/alt fan-out of one expanded segment with fan-out names (spec §2.5–2.6, SASE `split_prompt_for_models` /
 * `split_prompt_for_alternatives_with_ids`). A prompt without alternatives yields itself (altId null).
 * @throws XpromptError for unclosed alternative directives
 */
export function fanOutPrompt(text: string): FanOutVariant[] {
  const slots: string[] = [];
  const p = protectRegions(text, slots);
  const res = fanOutAlternatives(p);
  if (!res) return [{ text, altId: null }];
  const texts = res.variants.map((v) => restoreRegions(v.text, slots));
  const modelAxis = findModelAxis(res.axes);
  const naming: NamingSlot[] = res.variants.map((v, i) => {
    const model = peek(texts[i]!).tokens.find((t) => t.canonical === 'model');
    return {
      ids: v.ids,
      named: v.ids.map((id, ax) => res.axes[ax]!.directives.some((d) => d.branches.some((b) => b.id === id && b.named))),
      model: model ? tokenValue(model) : null,
    };
  });
  const suffixes = fanOutSuffixes(naming, modelAxis);
  let base: string | null = null;
  for (const t of texts) {
    const b = derivedBase(peek(t).tokens);
    if (b.explicit) {
      base = b.base;
      break;
    }
    base ??= b.base;
  }
  const baseName = base ?? '@';
  return texts.map((t, i) => ({
    text: rewriteHead(t, ['name'], [`%name:${baseName}.${suffixes[i]}`]),
    altId: res.variants[i]!.ids.join('.'),
  }));
}

function findModelAxis(axes: AltAxis[]): number | null {
  const re = /(?:^|[\s(\[{"'])%(?:m|model)(?![A-Za-z0-9_])/;
  const i = axes.findIndex((ax) => ax.directives.some((d) => d.branches.some((b) => re.test(b.value))));
  return i < 0 ? null : i;
}

/** Launch texts of one variant after `%repeat` (spec §2.7): slot names `<base>.k`, slot k+1 waits on slot k. */
function repeatSlots(
  text: string,
  autoName: () => string,
): Array<{ text: string; slot: { iteration: number; total: number } | null }> {
  const tok = peek(text).tokens.find((t) => t.canonical === 'repeat');
  if (!tok) return [{ text, slot: null }];
  const n = parseRepeatCount(tokenValue(tok));
  if (n <= 1) return [{ text, slot: null }];
  const name = peek(text).tokens.find((t) => t.canonical === 'name');
  const base = (name && tokenValue(name)?.replace(/^!/, '')) || autoName();
  const out: Array<{ text: string; slot: { iteration: number; total: number } }> = [];
  for (let k = 1; k <= n; k++) {
    const lines = [`%name:${base}.${k}`];
    if (k > 1) lines.push(`%wait:${base}.${k - 1}`);
    const t = rewriteHead(text, ['repeat', 'name'], lines).replace(/\{\{\s*(n|N)\s*\}\}/g, (_m, v: string) =>
      String(v === 'n' ? k : n),
    );
    out.push({ text: t, slot: { iteration: k, total: n } });
  }
  return out;
}

/** Synchronous core of {@link planLaunches}. @throws NeedsNunjucks when a Jinja body needs the engine */
export function planLaunchesSync(
  text: string,
  opts: PlanOptions & { catalog: Catalog },
  locals: Record<string, string> = {},
  commandCache: Map<string, string> = new Map(),
): PlannedLaunch[] {
  const base = opts.catalog;
  const catalog = overlayCatalog(base, Object.entries(locals).map(([n, b]) => textDef(n, b)), BUILTIN_FALLBACKS);
  const wsNames = [
    ...WORKSPACE_WORKFLOWS,
    ...catalog
      .entries()
      .filter((d) => d.tags?.includes('vcs') || d.meta?.wraps_all === true)
      .map((d) => d.name),
  ];
  const aliases = { ...BUILTIN_XPROMPT_ALIASES, ...configAliases(opts.config) };
  for (const k of Object.keys(aliases)) if (catalog.get(k)) delete aliases[k];
  let raw = resolveXpromptAliases(text, aliases);
  raw = normalizeWorkspaceShorthands(raw, wsNames, (n) => catalog.get(n) !== undefined);
  const wctx: WorkspaceContext = { cwd: opts.cwd, home: opts.env.HOME };
  const xopts: ExpandOptions = {
    deferred: DEFERRED_XPROMPTS,
    runCommand: opts.runCommand ?? undefined,
    trace: opts.trace,
    commandCache,
  };
  const expandValue = (v: string): string => expandPromptSync(v, catalog, xopts);
  const autoName = opts.autoName ?? (() => `r${opts.now.getTime().toString(36)}`);
  const launches: PlannedLaunch[] = [];
  let previousName: string | null = opts.previousAgentName ?? null;
  splitPrompt(raw).segments.forEach((segText, segIndex) => {
    const callWs = findLeadingWorkspaceRef(segText, wctx, wsNames);
    const seg = callWs ? removeToken(segText, callWs.token.start, callWs.token.end) : segText;
    for (const sub of expandMultiAgentSegments([seg], catalog, xopts)) {
      const ownWs = findLeadingWorkspaceRef(sub, wctx, wsNames);
      const body = ownWs ? removeToken(sub, ownWs.token.start, ownWs.token.end) : sub;
      const workspaceRef = ownWs?.ref ?? callWs?.ref ?? DEFAULT_WORKSPACE_REF;
      const common = { raw_prompt: segText, segment: segIndex, workspace_ref: workspaceRef };
      const head = splitSegmentHead(body);
      const sole = soleReference(head.rest);
      const soleDef = sole ? catalog.get(sole.name) : undefined;
      if (sole && soleDef && isStandaloneWorkflow(soleDef)) {
        const a = refArgs(sole);
        const bound = bindInputArgs(soleDef, a.positional, a.named);
        const ex = extractDirectives(head.directiveLines.join('\n'), { now: opts.now, previousName, expandValue });
        const name = ex.directives.name;
        launches.push({
          ...common,
          index: launches.length,
          name,
          directives: ex.directives,
          prompt: '',
          workflow: { name: soleDef.name, args: bound.named, hitl: sole.hitl },
          deferred: [],
          repeat_slot: null,
          alt_id: null,
          warnings: sole.marker === '#' ? [`Use '#!${soleDef.name}' to launch the standalone workflow '${soleDef.name}'.`] : [],
        });
        if (name) previousName = name;
        continue;
      }
      const expanded = expandPromptSync(body, catalog, xopts);
      // Names the user wrote must be defined; names an expansion left deferred belong to its workflow (spec §4.4).
      const userNames = body.includes('{') ? templateVariables(body) : new Set<string>();
      for (const variant of fanOutPrompt(expanded)) {
        for (const slot of repeatSlots(variant.text, autoName)) {
          const ex = extractDirectives(renderTopLevelPrompt(slot.text, {}, { strict: (n) => userNames.has(n) }), { now: opts.now, previousName, expandValue });
          const d = ex.directives;
          if (slot.slot) d.repeat = slot.slot.total;
          const deferredRefs = deferredReferences(ex.prompt);
          let name = d.name;
          if (name === null) {
            const fork = deferredRefs.map((r) => /^#fork[:(]\s*([A-Za-z0-9_.@-]+)/.exec(r)?.[1]).find(Boolean);
            if (fork) name = `${fork}.f@`;
            else {
              const b = derivedBase(peek(slot.text).tokens);
              if (b.base && !b.explicit) name = b.base;
            }
          }
          launches.push({
            ...common,
            index: launches.length,
            name,
            directives: d,
            prompt: ex.prompt.trim(),
            workflow: null,
            deferred: deferredRefs,
            repeat_slot: slot.slot,
            alt_id: variant.altId,
            warnings: [],
          });
          if (name) previousName = name;
        }
      }
    }
  });
  return launches;
}

/** Deferred references (`#fork…`) left verbatim in a prompt, outside protected regions. */
function deferredReferences(prompt: string): string[] {
  const slots: string[] = [];
  return findReferences(protectRegions(prompt, slots))
    .filter((r) => DEFERRED_XPROMPTS.includes(r.name))
    .map((r) => r.raw);
}
