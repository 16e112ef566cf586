/**
 * The launch planner: a user prompt becomes the list of agent launches `sase run` performs. Pipeline (spec
 * §0): aliases and workspace shorthands → frontmatter + `---` segments → leading workspace reference (default
 * `#git:home`) → multi-agent xprompts → per-segment expansion (`#fork` deferred) → model/alt fan-out → `%repeat`
 * slots → directive extraction. Rules: spec/xprompts.md §0, §1.6, §1.8, §2, §5; vectors D13, D15, F*, G*.
 */
import { BUILTIN_XPROMPT_ALIASES, configAliases, resolveXpromptAliases } from './aliases.js';
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
} from './segments.js';
import { extractDirectives, findDirectives, parseRepeatCount, type DirectiveToken } from './directives.js';
import { expandPromptSync, type ExpandOptions, type TraceEvent } from './expand.js';
import { findReferences, refArgs } from './lexer.js';
import type { PlanLaunches, PlannedLaunch, PlanOptions } from './launch-types.js';
import { expandMultiAgentSegments, soleReference, splitSegmentHead } from './multi-agent.js';
import { loadTemplateEngine, NeedsNunjucks, templateVariables } from './template.js';
import { renderTopLevelPrompt } from './toplevel.js';
import type { Catalog } from './types.js';
import {
  DEFAULT_WORKSPACE_REF,
  findLeadingWorkspaceRef,
  normalizeWorkspaceShorthands,
  removeToken,
  WORKSPACE_WORKFLOWS,
  type WorkspaceContext,
} from './workspace-ref.js';

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
