/**
 * Loads one provider by name without importing the others (the runner needs exactly one; importing the registry
 * in lib/providers/index.ts loads all six and their stream parsers — start-up time on the launch path).
 * Same objects as `getProvider(name)`; unknown names go through the registry so the NotFoundError and its hint stay
 * identical.
 */
import type { Provider } from './types.js';

const LOADERS: Readonly<Record<string, () => Promise<Provider>>> = {
  claude: async () => (await import('./claude.js')).claudeProvider,
  codex: async () => (await import('./codex.js')).codexProvider,
  qwen: async () => (await import('./qwen.js')).qwenProvider,
  opencode: async () => (await import('./opencode.js')).opencodeProvider,
  agy: async () => (await import('./agy.js')).agyProvider,
  fakey: async () => (await import('./fakey.js')).fakeyProvider,
};

/**
 * The provider called `name`, importing only its module.
 * @throws NotFoundError for an unknown provider (from the registry, with the list of known ones as hint)
 */
export async function loadProvider(name: string): Promise<Provider> {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  if (load) return load();
  return (await import('./index.js')).getProvider(name);
}
