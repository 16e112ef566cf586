/**
 * Model strings → {@link ModelChoice}. Rules: spec/runtime.md §c.2 (SASE `docs/llms.md`, sase-core `effort.rs`,
 * `model_route.rs`): `provider/model` split on the first `/`, `@effort` suffixes, short aliases, size/tier aliases,
 * `llm_provider.model_aliases` (chained, cycles ignored), bare known model names, and `llm_provider.worker_models`.
 */
import { UsageError } from '../errors/index.js';
import type { ModelChoice, ModelTier } from './types.js';

/** Valid reasoning-effort levels (sase-core effort.rs). */
export const EFFORT_LEVELS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

/** Providers a model string may name explicitly (`<provider>/<model>`). */
export const PROVIDER_NAMES = ['claude', 'codex', 'qwen', 'opencode', 'agy', 'fakey'] as const;

/** The embedded default provider when nothing is given and nothing is configured (issue 4: fakey). */
export const DEFAULT_PROVIDER = 'fakey';

/** Tier defaults per provider (spec/runtime.md §c.1 tier table). */
export const TIER_MODELS: Readonly<Record<string, Record<ModelTier, string>>> = {
  claude: { large: 'opus', small: 'sonnet' },
  codex: { large: 'gpt-5.5', small: 'codex-mini-latest' },
  qwen: { large: 'qwen3.6-plus', small: 'qwen3-coder-flash' },
  opencode: { large: 'anthropic/claude-sonnet-4-5', small: 'openai/gpt-5-mini' },
  agy: { large: 'Gemini 3.5 Flash (High)', small: 'Gemini 3.5 Flash (Low)' },
  fakey: { large: 'fakey-large', small: 'fakey-small' },
};

/** Short aliases → `provider/model` (SASE providers' `llm_model_short_aliases`). */
export const SHORT_ALIASES: Readonly<Record<string, string>> = {
  fable: 'claude/claude-fable-5',
  opus46t: 'claude/opus',
  mini: 'codex/codex-mini-latest',
  gpt55: 'codex/gpt-5.5',
  gpt54: 'codex/gpt-5.4',
  gpt53: 'codex/gpt-5.3-codex',
  gpt41: 'codex/gpt-4.1',
  gpt41m: 'codex/gpt-4.1-mini',
  gpt4om: 'codex/gpt-4o-mini',
  flash35h: 'agy/Gemini 3.5 Flash (High)',
  flash35l: 'agy/Gemini 3.5 Flash (Low)',
  fakeyl: 'fakey/fakey-large',
  fakeys: 'fakey/fakey-small',
};

/** Size aliases → tier of the default provider (SASE `model_alias_defaults.yml`, simplified: no pools). */
const SIZE_ALIASES: Readonly<Record<string, ModelTier>> = {
  '@xsmall': 'small',
  '@small': 'small',
  '@medium': 'large',
  '@large': 'large',
  '@xlarge': 'large',
  '@max': 'large',
  '@default': 'large',
};

/** Which provider owns a bare model name (SASE `llm_known_model_names`), null when none does. */
export function knownModelProvider(model: string): string | null {
  if ((PROVIDER_NAMES as readonly string[]).includes(model)) return model;
  if (/^(opus|sonnet|haiku)(\b|[-\d.])/.test(model) || model.startsWith('claude-')) return 'claude';
  if (/^gpt-/.test(model) || ['o3', 'o4-mini', 'codex-mini-latest'].includes(model)) return 'codex';
  if (/^qwen/.test(model)) return 'qwen';
  if (/^(anthropic|openai|google|openrouter)\//.test(model)) return 'opencode';
  if (/^Gemini /.test(model)) return 'agy';
  if (model === 'fakey-large' || model === 'fakey-small') return 'fakey';
  return null;
}

/**
 * Splits a trailing `@<effort>` (sase-core effort.rs): `opus@xhigh` → [`opus`, `xhigh`]; `@default@turbo` and `@max`
 * stay whole (unknown level / nothing before it).
 */
export function splitEffort(spec: string): [string, string | null] {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return [spec, null];
  const level = spec.slice(at + 1);
  const head = spec.slice(0, at);
  if (!(EFFORT_LEVELS as readonly string[]).includes(level) || head.endsWith('/')) return [spec, null];
  return [head, level];
}

function llmSection(config: Record<string, unknown>): Record<string, unknown> {
  const s = config.llm_provider;
  return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
}

/**
 * The configured default provider: `llm_provider.provider` (SASE's key), else `llm_provider.default`, else fakey.
 * A `default` holding a model string (`claude/opus`) contributes its provider part.
 */
export function defaultProvider(config: Record<string, unknown>): string {
  const s = llmSection(config);
  for (const key of ['provider', 'default']) {
    const v = s[key];
    if (typeof v === 'string' && v.trim() !== '') {
      const name = v.trim().split('/')[0]!;
      if ((PROVIDER_NAMES as readonly string[]).includes(name)) return name;
    }
  }
  return DEFAULT_PROVIDER;
}

function configAlias(config: Record<string, unknown>, name: string): string | null {
  const aliases = llmSection(config).model_aliases;
  if (typeof aliases !== 'object' || aliases === null) return null;
  const table = aliases as Record<string, unknown>;
  const bare = name.startsWith('@') ? name.slice(1) : name;
  for (const key of [name, bare]) {
    const v = table[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).target === 'string') return (v as { target: string }).target;
  }
  return null;
}

function firstOfPool(target: string): string {
  return target.split(/\|\|?/)[0]!.trim();
}

/**
 * Resolves a model string against sase.yml (`config` = the merged sase.yml mapping).
 *
 * Order: `@effort` split → `llm_provider.model_aliases` (chained; cycles ignored; pools `A | B` take the first) →
 * size aliases (`@small`, `@large`, …: tier of the default provider) → short aliases (`gpt55`) → explicit
 * `provider/model` (split on the first `/`; an unknown prefix such as `anthropic/…` is an opencode model) → a bare
 * provider name (its tier default; `fakey` alone runs the default scenario) → a bare known model → an unknown bare
 * model on the default provider. Null/empty spec: the default provider's tier model (`fakey` when unconfigured).
 *
 * @param opts.tier tier for defaults (default `large`)
 * @throws UsageError for `provider/` with an empty model part
 */
export function resolveModel(spec: string | null, config: Record<string, unknown>, opts: { tier?: ModelTier } = {}): ModelChoice {
  let tier: ModelTier = opts.tier ?? 'large';
  const original = spec && spec.trim() !== '' ? spec.trim() : null;
  if (original === null) {
    const provider = defaultProvider(config);
    const configured = provider !== DEFAULT_PROVIDER || Boolean(llmSection(config).provider ?? llmSection(config).default);
    return { provider, model: TIER_MODELS[provider]![tier], effort: null, tier, spec: null, source: configured ? 'config' : 'default' };
  }
  let [name, effort] = splitEffort(original);
  let source: ModelChoice['source'] | null = null;
  const seen = new Set<string>();
  for (let target = configAlias(config, name); target !== null && !seen.has(name); target = configAlias(config, name)) {
    seen.add(name);
    const [t, e] = splitEffort(firstOfPool(target));
    name = t;
    effort = effort ?? e;
    source = 'alias';
  }
  const sized = SIZE_ALIASES[name];
  if (sized) {
    tier = sized;
    const provider = defaultProvider(config);
    return { provider, model: TIER_MODELS[provider]![tier], effort, tier, spec: original, source: 'alias' };
  }
  if (SHORT_ALIASES[name]) {
    name = SHORT_ALIASES[name]!;
    source = 'alias';
  }
  const slash = name.indexOf('/');
  if (slash > 0) {
    const prefix = name.slice(0, slash);
    const model = name.slice(slash + 1);
    if ((PROVIDER_NAMES as readonly string[]).includes(prefix)) {
      if (model === '') throw new UsageError(`model string '${original}' names provider '${prefix}' but no model`, { hint: `write ${prefix}/<model>, or just ${prefix}` });
      return { provider: prefix, model, effort, tier: tierOf(prefix, model, tier), spec: original, source: source ?? 'explicit' };
    }
  }
  const known = knownModelProvider(name);
  if (known !== null) {
    const model = known === name ? TIER_MODELS[known]![tier] : name;
    return { provider: known, model, effort, tier: tierOf(known, model, tier), spec: original, source: source ?? 'known_model' };
  }
  const provider = defaultProvider(config);
  return { provider, model: name, effort, tier, spec: original, source: source ?? 'config' };
}

function tierOf(provider: string, model: string, fallback: ModelTier): ModelTier {
  const t = TIER_MODELS[provider];
  if (t?.small === model) return 'small';
  if (t?.large === model) return 'large';
  return fallback;
}

/**
 * The worker-lane model for a primary provider: `llm_provider.worker_models.<primary>` resolved as a model string
 * (seed 000: `{claude: codex/gpt-5.5}` — "if the planner is Claude, workers use Codex"); null when unconfigured.
 */
export function resolveWorkerModel(primaryProvider: string, config: Record<string, unknown>): ModelChoice | null {
  const table = llmSection(config).worker_models;
  if (typeof table !== 'object' || table === null) return null;
  const v = (table as Record<string, unknown>)[primaryProvider];
  return typeof v === 'string' && v.trim() !== '' ? resolveModel(v, config) : null;
}

/**
 * The provider that actually executes: `SASE_LLM_EXEC_PROVIDER` when set (e.g. `fakey` for hermetic runs that keep
 * the displayed model), else the choice's own provider (spec/runtime.md §c.2 "Override split").
 */
export function execProviderName(choice: ModelChoice, env: Record<string, string | undefined>): string {
  const o = env.SASE_LLM_EXEC_PROVIDER?.trim();
  return o ? o : choice.provider;
}
