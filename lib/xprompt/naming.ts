/**
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
