/**
 * Helpers every provider shares: finding the CLI binary (config → `SASE_<PROVIDER>_PATH` → PATH), the tier's extra
 * args (`SASE_LLM_<TIER>_ARGS` before `SASE_<PROVIDER>_<TIER>_ARGS`, spec/runtime.md §c.1), retry matching and the
 * model a choice resolves to.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ExternalToolError, UsageError } from '../errors/index.js';
import { TIER_MODELS } from './model.js';
import type { ModelChoice, ModelTier } from './types.js';

/** Where a provider binary was found. */
export interface FoundBinary {
  path: string;
  /** `config` (llm_provider.<name>.path / llm_provider.paths.<name>), `env` (SASE_<NAME>_PATH), `path` or `bundled`. */
  via: 'config' | 'env' | 'path' | 'bundled';
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Searches `PATH` (from `env`) for an executable `name`; null when absent. */
export function whichBinary(name: string, env: Record<string, string | undefined>): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

/** The binary path configured in sase.yml: `llm_provider.<name>.path`, else `llm_provider.paths.<name>`. */
export function configuredBinary(name: string, config: Record<string, unknown>): string | null {
  const s = config.llm_provider as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object') return null;
  const own = s[name] as Record<string, unknown> | undefined;
  if (own && typeof own === 'object' && typeof own.path === 'string' && own.path) return own.path;
  const paths = s.paths as Record<string, unknown> | undefined;
  if (paths && typeof paths === 'object' && typeof paths[name] === 'string' && paths[name]) return paths[name] as string;
  return null;
}

/**
 * Finds a provider CLI: sase.yml, then `SASE_<NAME>_PATH`, then `PATH` (`cli` = the executable's name).
 * Relative configured/env paths are resolved against `cwd`. Returns null when nothing is found.
 */
export function findBinary(
  name: string,
  cli: string,
  opts: { env: Record<string, string | undefined>; config: Record<string, unknown>; cwd?: string },
): FoundBinary | null {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(opts.cwd ?? '.', p));
  const fromConfig = configuredBinary(name, opts.config);
  if (fromConfig) return { path: abs(fromConfig), via: 'config' };
  const fromEnv = opts.env[`SASE_${name.toUpperCase()}_PATH`];
  if (fromEnv) return { path: abs(fromEnv), via: 'env' };
  const onPath = whichBinary(cli, opts.env);
  return onPath ? { path: onPath, via: 'path' } : null;
}

/** Like {@link findBinary} but throws. @throws ExternalToolError naming the three places searched */
export function requireBinary(
  name: string,
  cli: string,
  opts: { env: Record<string, string | undefined>; config: Record<string, unknown>; cwd?: string },
): FoundBinary {
  const found = findBinary(name, cli, opts);
  if (!found) {
    throw new ExternalToolError(`cannot find the ${name} CLI ('${cli}')`, {
      hint: `install it, put '${cli}' on PATH, set SASE_${name.toUpperCase()}_PATH, or set llm_provider.${name}.path in sase.yml`,
      data: { provider: name, cli },
    });
  }
  return found;
}

/** Extra CLI args for the tier: `SASE_LLM_<TIER>_ARGS`, else `SASE_<PROVIDER>_<TIER>_ARGS`, split on whitespace. */
export function extraArgs(provider: string, tier: ModelTier, env: Record<string, string | undefined>): string[] {
  const t = tier.toUpperCase();
  const v = env[`SASE_LLM_${t}_ARGS`] ?? env[`SASE_${provider.toUpperCase()}_${t}_ARGS`];
  return v ? v.split(/\s+/).filter(Boolean) : [];
}

/** The concrete model for a choice: its model, else the provider's tier default. */
export function concreteModel(provider: string, choice: ModelChoice): string {
  return choice.model !== '' ? choice.model : TIER_MODELS[provider]![choice.tier ?? 'large'];
}

/**
 * Effort CLI args from a table of supported levels.
 * @throws UsageError when an explicit effort is not supported (spec/runtime.md §c.2: "raises an error")
 */
export function effortArgs(provider: string, effort: string | null, supported: Record<string, string[]>): string[] {
  if (effort === null) return [];
  const args = supported[effort];
  if (!args) {
    const levels = Object.keys(supported);
    throw new UsageError(`${provider} cannot honour reasoning effort '${effort}'`, {
      hint: levels.length ? `supported: ${levels.join(', ')}` : `${provider} takes no effort level; drop the @${effort} suffix`,
    });
  }
  return args;
}

/** True when `output` contains any of `patterns` (plain substrings, as SASE's retry config). */
export function matchesAny(output: string, patterns: string[]): boolean {
  return patterns.some((p) => output.includes(p));
}

/** Retry delays (ms) of length `maxRetries`: `waitsS` in seconds, the last repeated (SASE ProviderRetryConfig). */
export function retryDelays(waitsS: number[], maxRetries: number): number[] {
  return Array.from({ length: maxRetries }, (_, i) => (waitsS[Math.min(i, waitsS.length - 1)] ?? 0) * 1000);
}

/** Command + leading args that run a binary: `.js`/`.mjs`/`.cjs` files run under the current node. */
export function commandFor(path: string): { command: string; pre: string[] } {
  return /\.[cm]?js$/.test(path) ? { command: process.execPath, pre: [path] } : { command: path, pre: [] };
}
