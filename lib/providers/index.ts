/**
 * Agent providers: the registry (`getProvider`, `listProviders`), model-string resolution (`resolveModel`) and the
 * contract types. Rules: spec/runtime.md §c. Each provider builds SASE's argv, feeds the prompt (stdin or argv) and
 * parses its CLI's stream into normalized transcript entries and usage.
 */
import { execFile } from 'node:child_process';
import { NotFoundError } from '../errors/index.js';
import { agyProvider } from './agy.js';
import { claudeProvider } from './claude.js';
import { codexProvider } from './codex.js';
import { commandFor, findBinary, type FoundBinary } from './common.js';
import { fakeyProvider, findFakey } from './fakey.js';
import { opencodeProvider } from './opencode.js';
import { qwenProvider } from './qwen.js';
import type { Provider } from './types.js';
import { definedEnv } from '../store/paths.js';

export type * from './types.js';
export { resolveModel, resolveWorkerModel, splitEffort, defaultProvider, execProviderName, knownModelProvider, TIER_MODELS, EFFORT_LEVELS, DEFAULT_PROVIDER } from './model.js';
export { BUNDLED_FAKEY } from './fakey.js';

const PROVIDERS: Record<string, Provider> = {
  claude: claudeProvider,
  codex: codexProvider,
  qwen: qwenProvider,
  opencode: opencodeProvider,
  agy: agyProvider,
  fakey: fakeyProvider,
};

/** Autodetect priority (lower first), spec/runtime.md §c.2: claude 0, codex 10, qwen 15, opencode 18, agy 30, fakey 1000. */
export const AUTODETECT_PRIORITY: Readonly<Record<string, number>> = { claude: 0, codex: 10, qwen: 15, opencode: 18, agy: 30, fakey: 1000 };

/** Names of all providers, in autodetect order. */
export function providerNames(): string[] {
  return Object.keys(PROVIDERS).sort((a, b) => AUTODETECT_PRIORITY[a]! - AUTODETECT_PRIORITY[b]!);
}

/**
 * The provider called `name`.
 * @throws NotFoundError for an unknown provider (the hint lists the known ones)
 */
export function getProvider(name: string): Provider {
  const p = Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : undefined; // not Object.prototype members
  if (!p) throw new NotFoundError(`unknown provider '${name}'`, { hint: `known providers: ${providerNames().join(', ')}` });
  return p;
}

/** One provider as `sase doctor` shows it. */
export interface ProviderInfo {
  name: string;
  /** The CLI executable name looked up on PATH. */
  cli: string;
  /** Where the binary was found, null when it was not. */
  binary: FoundBinary | null;
  /** argv that prints the CLI's version (empty when the binary was not found). */
  versionCommand: string[];
  autodetectPriority: number;
}

/** Every provider with the binary it would run (config → `SASE_<NAME>_PATH` → PATH; fakey: the bundled one). */
export function listProviders(opts: { env: Record<string, string | undefined>; config: Record<string, unknown>; cwd?: string }): ProviderInfo[] {
  return providerNames().map((name) => {
    const p = PROVIDERS[name]!;
    const binary = name === 'fakey' ? findFakey(opts.env, opts.config) : findBinary(name, name, opts);
    const versionCommand = binary ? (({ command, pre }) => [command, ...pre, ...p.versionArgs])(commandFor(binary.path)) : [];
    return { name, cli: name, binary, versionCommand, autodetectPriority: AUTODETECT_PRIORITY[name]! };
  });
}

/**
 * Runs a provider's version command; resolves to its first output line, or null when it fails or takes longer than
 * `timeoutMs` (default 10_000 ms).
 */
export function probeVersion(info: ProviderInfo, env: Record<string, string | undefined>, timeoutMs = 10_000): Promise<string | null> {
  if (info.versionCommand.length === 0) return Promise.resolve(null);
  const [cmd, ...args] = info.versionCommand;
  return new Promise((res) => {
    execFile(cmd!, args, { env: definedEnv(env), timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) return res(null);
      const line = (stdout || stderr).split('\n').find((l) => l.trim() !== '');
      res(line ? line.trim() : null);
    });
  });
}
