/**
 * Small catalog helpers for the expander: overlaying local definitions (prompt frontmatter `_locals`, file-local
 * `xprompts:`, built-in fallbacks) over a catalog without touching it, and building simple definitions from text.
 */
import { hasSeparator } from './segments.js';
import type { Catalog, XpromptDef } from './types.js';

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
