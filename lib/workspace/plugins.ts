/**
 * Workspace provider plugins (seed 002 "Plugin Architecture"): sase.yml names packages or directories under
 * `workspace.providers`, each exporting one or more {@link WorkspaceProvider}s:
 *
 * ```yaml
 * workspace:
 *   providers: [sase-github, ./tools/ws-hg, ~/src/my-ws-plugin/index.js]
 * ```
 *
 * A module may export `workspaceProviders` (array), `workspaceProvider`, or a default export (a provider or an
 * array). Relative paths resolve from the project root (git root of the cwd) and `~` expands. Packages resolve
 * from the project root first, then from sase's own installation.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidDataError } from '../errors/index.js';
import { expandUser, findRepoRoot, type Env } from '../store/paths.js';
import { workspaceConfig } from './root.js';
import type { WorkspaceProvider } from './types.js';

/** Plugin specifiers listed in `workspace.providers` (also accepts a single string). */
export function pluginSpecifiers(config: Record<string, unknown>): string[] {
  const raw = workspaceConfig(config).providers;
  if (typeof raw === 'string') return [raw];
  return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

function isProvider(x: unknown): x is WorkspaceProvider {
  const p = x as WorkspaceProvider;
  return typeof p === 'object' && p !== null && typeof p.type === 'string' && typeof p.envPrefix === 'string' && typeof p.resolve === 'function';
}

function providersOf(mod: Record<string, unknown>): WorkspaceProvider[] {
  const cands: unknown[] = [];
  for (const v of [mod.workspaceProviders, mod.workspaceProvider, mod.default]) {
    if (Array.isArray(v)) cands.push(...v);
    else if (v !== undefined) cands.push(v);
  }
  return cands.filter(isProvider);
}

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('~') || isAbsolute(spec);
}

async function importSpecifier(spec: string, base: string, env: Env): Promise<Record<string, unknown>> {
  if (looksLikePath(spec)) {
    const path = resolve(base, expandUser(spec, env));
    const file = existsSync(path) && statSync(path).isDirectory() ? createRequire(join(path, 'noop.js')).resolve(path) : path;
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }
  try {
    const file = createRequire(join(base, 'noop.js')).resolve(spec);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch {
    return (await import(spec)) as Record<string, unknown>;
  }
}

/**
 * Loads the providers named in config.
 * @throws InvalidDataError (field `workspace.providers`) when a plugin cannot be loaded or exports no provider
 */
export async function loadProviderPlugins(config: Record<string, unknown>, cwd: string, env: Env): Promise<WorkspaceProvider[]> {
  const specs = pluginSpecifiers(config);
  if (specs.length === 0) return [];
  const base = findRepoRoot(cwd) ?? cwd;
  const out: WorkspaceProvider[] = [];
  for (const spec of specs) {
    let mod: Record<string, unknown>;
    try {
      mod = await importSpecifier(spec, base, env);
    } catch (e) {
      throw new InvalidDataError(`cannot load workspace provider plugin ${spec}: ${(e as Error).message}`, {
        location: { field: 'workspace.providers' },
        cause: e,
      });
    }
    const found = providersOf(mod);
    if (found.length === 0) {
      throw new InvalidDataError(`workspace provider plugin ${spec} exports no provider (type, envPrefix, resolve)`, {
        location: { field: 'workspace.providers' },
      });
    }
    out.push(...found);
  }
  return out;
}
