/**
 * Access to lib/providers for the runner and `sase doctor`: `getProvider(name)` and `listProviders()` from
 * lib/providers/index.ts, loaded lazily (the runner needs one provider; `sase run` needs none).
 */
import { ExternalToolError } from '../errors/index.js';
import type { Provider } from '../providers/types.js';

/** What lib/providers/index.ts exports that sase uses here. */
export interface ProvidersModule {
  getProvider(name: string): Provider | Promise<Provider>;
  listProviders?: (...args: any[]) => unknown;
}

/** Loads lib/providers. @throws ExternalToolError when the providers module is not part of this build */
export async function loadProviders(): Promise<ProvidersModule> {
  try {
    return (await import('../providers/index.js')) as ProvidersModule;
  } catch (e) {
    throw new ExternalToolError(`agent providers are not available in this build: ${(e as Error).message}`);
  }
}

/** The provider named `name`. @throws ExternalToolError / UsageError from lib/providers */
export async function providerFor(name: string): Promise<Provider> {
  // Only the named provider's module (lib/providers/lazy.ts), not the whole registry: runner start-up time.
  let lazy: { loadProvider(name: string): Promise<Provider> } | null = null;
  try {
    lazy = await import('../providers/lazy.js');
  } catch {
    // not part of this build: the registry path below reports it
  }
  if (lazy) return await lazy.loadProvider(name);
  return await (await loadProviders()).getProvider(name);
}
