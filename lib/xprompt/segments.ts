/**
 * Multi-prompt segments: optional leading YAML frontmatter (prompt-local `_` xprompts), then top-level `---` lines
 * outside fenced code blocks split a prompt into separate agent launches. Rules: spec/xprompts.md §5.1, §4.1
 * (the user-prompt frontmatter must look like YAML: some line contains `:`); vectors G1–G4.
 */
import { XpromptError } from './lexer.js';
import type { Catalog, XpromptDef } from './types.js';

/*
 * ---- Catalog overlays (formerly `catalog-overlay.ts`).
 *
 * Small catalog helpers for the expander: overlaying local definitions (prompt frontmatter `_locals`, file-local
 * `xprompts:`, built-in fallbacks) over a catalog without touching it, and building simple definitions from text.
 */
/** A plain markdown-like definition with no inputs, for local and built-in xprompts. */
export function textDef(name: string, body: string, extra: Partial<XpromptDef> = {}): XpromptDef {
  return {
    name,
    kind: 'xprompt',
    description: '',
    inputs: [],
    body,
    bodyLine: 1,
    source: 'extra',
    path: null,
    meta: {},
    shadows: [],
    ...extra,
  };
}

/** A catalog where `top` definitions win over `base` (and `base` over `fallback`). */
export function overlayCatalog(base: Catalog, top: XpromptDef[], fallback: XpromptDef[] = []): Catalog {
  if (top.length === 0 && fallback.length === 0) return base;
  const topMap = new Map(top.map((d) => [d.name, d]));
  const fbMap = new Map(fallback.map((d) => [d.name, d]));
  return {
    get: (name) => topMap.get(name) ?? base.get(name) ?? fbMap.get(name),
    entries: () => {
      const seen = new Set<string>();
      const out: XpromptDef[] = [];
      for (const d of [...top, ...base.entries(), ...fallback]) {
        if (seen.has(d.name)) continue;
        seen.add(d.name);
        out.push(d);
      }
      return out;
    },
    issues: () => base.issues?.() ?? [],
  };
}

/** A catalog over an in-memory list (later entries win). */
export function catalogOf(defs: XpromptDef[]): Catalog {
  const map = new Map(defs.map((d) => [d.name, d]));
  return { get: (n) => map.get(n), entries: () => [...map.values()] };
}

/**
 * Built-in fallbacks used when the catalog does not define them (spec §1.10): `#t` → `%wait(time=…)`.
 * `#fork` needs no fallback: it is deferred and left verbatim.
 */
export const BUILTIN_FALLBACKS: XpromptDef[] = [
  textDef('t', '%wait(time={{ time }})', {
    description: 'Defer launch until a duration elapses or an absolute wall-clock time.',
    inputs: [{ name: 'time', type: 'line', required: true, position: 0 }],
    source: 'built-in',
  }),
];

/** True when `def` expands to several agent prompts (markdown body with top-level `---`, spec §5.3). */
export function isMultiAgentDef(def: XpromptDef): boolean {
  if (def.multiAgent !== undefined) return def.multiAgent;
  return def.body !== null && hasSeparator(def.body);
}

/** True when `def` is a YAML workflow with no `prompt_part` (must be launched as `#!name`). */
export function isStandaloneWorkflow(def: XpromptDef): boolean {
  return def.kind === 'standalone_workflow' && !isMultiAgentDef(def);
}

/*
 * ---- Protected regions (formerly `protect.ts`).
 *
 * Protected regions: fenced code blocks and `%xprompts_enabled:false … true` regions are swapped for opaque
 * placeholders before expansion, directive extraction, fan-out and segment splitting, and restored afterwards.
 * Rules: spec/xprompts.md §1.7. Inline code spans are NOT protected (seed-era target).
 */
/** Placeholder delimiters (Unicode private-use characters, which no reference or directive pattern matches). */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER_RE = /\uE000(\d+)\uE001/g;

/** Fenced code block: triple backticks to the next triple backticks (non-greedy, across lines). */
export const FENCE_RE = /```[\s\S]*?```/g;

/** Disabled region, markers included (SASE's Rust regex, spec §1.7). */
export const DISABLED_RE = /^[ \t]*%xprompts_enabled:false[ \t]*\n[\s\S]*?(?:^[ \t]*|[ \t]+)%xprompts_enabled:true[ \t]*\n?/gm;

/** Which regions {@link protectRegions} hides. */
export interface ProtectOptions {
  fences?: boolean;
  disabled?: boolean;
}

/**
 * Replaces fenced blocks and disabled regions in `text` with placeholders, appending the hidden text to `slots`.
 * Disabled regions are hidden first (they may contain fences). Call again on new text to protect content produced
 * by an expansion; placeholders already present are left alone.
 */
export function protectRegions(text: string, slots: string[], opts: ProtectOptions = {}): string {
  const hide = (m: string): string => {
    // A trailing newline stays outside the placeholder so the next line still starts a line.
    const nl = m.endsWith('\n') ? '\n' : '';
    slots.push(nl ? m.slice(0, -1) : m);
    return `${OPEN}${slots.length - 1}${CLOSE}${nl}`;
  };
  let out = text;
  if (opts.disabled !== false && out.includes('%xprompts_enabled:false')) out = out.replace(DISABLED_RE, hide);
  if (opts.fences !== false && out.includes('```')) out = out.replace(FENCE_RE, hide);
  return out;
}

/** Puts protected text back (nested placeholders included). Unknown placeholder numbers are left as they are. */
export function restoreRegions(text: string, slots: string[]): string {
  let out = text;
  for (let pass = 0; pass < 8 && out.includes(OPEN); pass++) {
    out = out.replace(PLACEHOLDER_RE, (m, n: string) => slots[Number(n)] ?? m);
  }
  return out;
}

/** True when `text` contains a placeholder. */
export function hasPlaceholder(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * Removes `%xprompts_enabled:false/true` markers: whole marker lines disappear with their newline; an inline
 * closing marker at the end of a content line is removed with its leading blanks. spec/xprompts.md §1.7, §2.2 step 8.
 */
export function stripEnabledMarkers(text: string): string {
  if (!text.includes('%xprompts_enabled:')) return text;
  return text
    .replace(/^[ \t]*%xprompts_enabled:(?:false|true)[ \t]*(?:\n|$)/gm, '')
    .replace(/[ \t]+%xprompts_enabled:true[ \t]*$/gm, '');
}

/*
 * ---- Segments and frontmatter.
 */
const SEPARATOR_RE = /^---\s*$/m;

/**
 * Splits `text` on `---` lines outside fenced blocks and disabled regions; pieces are trimmed and empty ones dropped.
 * Never throws.
 */
export function splitOnSeparators(text: string): string[] {
  if (!text.includes('---')) {
    const t = text.trim();
    return t === '' ? [] : [t];
  }
  const slots: string[] = [];
  const p = protectRegions(text, slots);
  return p
    .split(/^---[ \t\r]*$/m)
    .map((s) => restoreRegions(s, slots).trim())
    .filter((s) => s !== '');
}

/** True when `body` has a top-level `---` separator outside fences (a multi-agent body). */
export function hasSeparator(body: string): boolean {
  if (!body.includes('---')) return false;
  const slots: string[] = [];
  return SEPARATOR_RE.test(protectRegions(body, slots));
}

/** A user prompt split into frontmatter and segments. */
export interface SplitPrompt {
  /** Raw YAML of the leading frontmatter block, or null. */
  frontmatter: string | null;
  /** 1-based line where frontmatter YAML starts (2) — for error locations. */
  segments: string[];
}

/**
 * Splits a user prompt: a leading `---` block whose lines include a `:` is frontmatter (vector G4: otherwise the
 * leading `---` is a separator), the rest is split into segments (G2, G3).
 */
export function splitPrompt(text: string): SplitPrompt {
  const m = /^[ \t]*---[ \t]*\r?\n([\s\S]*?)^[ \t]*---[ \t]*$/m.exec(text);
  if (m && m.index === 0 && text.trimStart().startsWith('---') && m[1]!.includes(':')) {
    return { frontmatter: m[1]!, segments: splitOnSeparators(text.slice(m[0].length)) };
  }
  return { frontmatter: null, segments: splitOnSeparators(text) };
}

/**
 * Parses prompt frontmatter and returns its `xprompts:` map (name → body). Names must start with `_` (spec §4.1).
 * Loads `yaml` lazily — only prompts with frontmatter pay for it.
 * @throws XpromptError for invalid YAML or a local name without a leading `_`
 */
export async function parsePromptLocals(frontmatter: string): Promise<Record<string, string>> {
  const YAML = await import('yaml');
  let data: unknown;
  try {
    data = YAML.parse(frontmatter);
  } catch (e) {
    throw new XpromptError(`Invalid YAML frontmatter in prompt: ${(e as Error).message.split('\n')[0]}`, {
      location: { file: '<prompt>', line: 2 },
    });
  }
  const out: Record<string, string> = {};
  if (!data || typeof data !== 'object' || Array.isArray(data)) return out;
  const xp = (data as Record<string, unknown>).xprompts;
  if (!xp || typeof xp !== 'object' || Array.isArray(xp)) return out;
  for (const [name, v] of Object.entries(xp as Record<string, unknown>)) {
    if (!name.startsWith('_')) {
      throw new XpromptError(`Prompt-local xprompt '${name}' must start with '_'`, { location: { file: '<prompt>', field: name } });
    }
    if (typeof v === 'string') out[name] = v;
    else if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).content === 'string') {
      out[name] = (v as Record<string, string>).content!;
    } else out[name] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}
