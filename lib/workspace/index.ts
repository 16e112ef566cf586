/**
 * Workspace references → directories for runs (seed 002; spec/runtime.md §b.4–5, §e).
 *
 * `resolveWorkspace('#git:home', req)` dispatches on the reference's type: `git` (built in, bare-git projects and
 * the numbered pool), `cd` (lib/workspace/cd.ts, loaded lazily), or a plugin provider named in sase.yml
 * (`workspace.providers`, see plugins.ts). An empty reference means `#git:home`.
 */
import { UsageError } from '../errors/index.js';
import { loadConfig } from '../config/index.js';
import type { ResolvedWorkspace, WorkspaceProvider, WorkspaceRequest } from './types.js';
import { parseWorkspaceRef } from './refs.js';
import { gitProvider } from './git-provider.js';
import { loadProviderPlugins } from './plugins.js';
import { findProject, requireProject } from '../projects/spec.js';
import { projectLayout } from './layout.js';
import { checkoutDir } from './root.js';

export type { ResolvedWorkspace, WorkspaceProvider, WorkspaceRequest } from './types.js';
export { parseWorkspaceRef, formatWorkspaceRef, DEFAULT_WORKSPACE_REF, type WorkspaceRef } from './refs.js';
export { stripWorkspaceEnv, workspaceChildEnv, workspaceVars, isInheritedWorkspaceVar } from './env.js';
export { registerChangeSpecLookup } from './git-project.js';
export { inferProjectFromCwd } from './markers.js';
export { GIT_ENV_PREFIX, gitProvider } from './git-provider.js';

/** What callers pass to {@link resolveWorkspace}; `value`/`ref` come from the reference, the rest has defaults. */
export type ResolveOptions = Partial<Omit<WorkspaceRequest, 'value' | 'ref'>> & Pick<WorkspaceRequest, 'cwd' | 'env'>;

const registered = new Map<string, WorkspaceProvider>();

/** Registers a provider in this process (tests, embedders). A later registration of the same type wins. */
export function registerWorkspaceProvider(p: WorkspaceProvider): void {
  registered.set(p.type, p);
}

async function loadCdProvider(): Promise<WorkspaceProvider | null> {
  const spec = './cd.js';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw e;
  }
  for (const v of [mod.cdProvider, mod.provider, mod.workspaceProvider, mod.default]) {
    const p = v as WorkspaceProvider | undefined;
    if (p && typeof p.resolve === 'function') return { ...p, type: p.type ?? 'cd', envPrefix: p.envPrefix ?? 'SASE_CD' };
  }
  const fn = (mod.resolveCd ?? mod.resolveCdWorkspace) as WorkspaceProvider['resolve'] | undefined;
  return typeof fn === 'function' ? { type: 'cd', envPrefix: 'SASE_CD', resolve: fn } : null;
}

/**
 * Every provider available for `config`: built-ins (`git`, `cd` when present), then plugins, then providers
 * registered in-process. Later entries override earlier ones of the same type.
 * @throws InvalidDataError when a configured plugin cannot be loaded
 */
export async function listWorkspaceProviders(config: Record<string, unknown>, cwd: string, env: WorkspaceRequest['env']): Promise<WorkspaceProvider[]> {
  const map = new Map<string, WorkspaceProvider>([['git', gitProvider]]);
  const cd = await loadCdProvider();
  if (cd) map.set('cd', cd);
  for (const p of await loadProviderPlugins(config, cwd, env)) map.set(p.type, p);
  for (const p of registered.values()) map.set(p.type, p);
  return [...map.values()];
}

async function findProvider(type: string, config: Record<string, unknown>, cwd: string, env: WorkspaceRequest['env']): Promise<WorkspaceProvider> {
  if (registered.has(type)) return registered.get(type)!;
  if (type === 'git') return gitProvider;
  if (type === 'cd') {
    const cd = await loadCdProvider();
    if (cd) return cd;
  } else {
    const hit = (await loadProviderPlugins(config, cwd, env)).find((p) => p.type === type);
    if (hit) return hit;
  }
  throw new UsageError(`no workspace provider for #${type}`, {
    hint: `install a plugin for #${type} and list it under workspace.providers in sase.yml`,
    data: { type },
  });
}

/**
 * Resolves a workspace reference (`#git:home`, `#cd:~/src/x`, `#gh:org/repo`; empty = `#git:home`) for one run.
 * For `#git`: finds, creates or registers the project, claims the lowest free number ≥ 10 for `opts.pid` and
 * prepares the checkout; deferred requests get #0 (call {@link claimDeferred} when ready). Call `release()` when
 * the run ends (a dead pid's claim is reclaimed anyway).
 * @param opts cwd and env are required; `config` defaults to the sase.yml visible from cwd, `pid` to this process,
 *   `agent_name`/`agent_id` to '', `deferred` to false
 * @throws UsageError (bad reference, unknown type), NotFoundError (unknown path), ConflictError (inactive project
 *   with an activation hint; occupied checkout; pool full), ExternalToolError (git failed)
 */
export async function resolveWorkspace(ref: string | null | undefined, opts: ResolveOptions): Promise<ResolvedWorkspace> {
  const parsed = parseWorkspaceRef(ref);
  const config = opts.config ?? loadConfig(opts.cwd, opts.env).merged;
  const req: WorkspaceRequest = {
    value: parsed.value,
    ref: parsed.ref,
    cwd: opts.cwd,
    env: opts.env,
    config,
    agent_name: opts.agent_name ?? '',
    agent_id: opts.agent_id ?? '',
    pid: opts.pid ?? process.pid,
    deferred: opts.deferred ?? false,
    workflow: opts.workflow,
    cl_name: opts.cl_name,
    now: opts.now,
  };
  let provider: WorkspaceProvider;
  try {
    provider = await findProvider(parsed.type, config, opts.cwd, opts.env);
  } catch (e) {
    // Known-project VCS fallback (seed 002): `#gh:sase` names a registered bare-git project even without the plugin.
    const known = parsed.value.includes('/') ? null : await findProject(opts.env, parsed.value);
    if (!known?.bare_repo_dir || !known.workspace_dir) throw e;
    provider = gitProvider;
  }
  return provider.resolve(req);
}

/**
 * The configured path of checkout `num` of a registered project (#0 = primary) without cloning anything
 * (SASE's `get_workspace_directory`).
 * @throws NotFoundError for an unknown project; InvalidDataError when it has no primary checkout path
 */
export async function getWorkspaceDirectory(project: string, num: number, opts: { env: WorkspaceRequest['env']; config: Record<string, unknown> }): Promise<string> {
  const spec = await requireProject(opts.env, project);
  return checkoutDir(await projectLayout(spec, opts.config, opts.env), num);
}

/**
 * Claims a real workspace for a deferred (`%wait`) launch once its dependency is ready: resolves the same
 * reference again without `deferred`. `#cd` stays #0.
 * @throws as {@link resolveWorkspace}
 */
export async function claimDeferred(deferred: Pick<ResolvedWorkspace, 'ref'>, opts: ResolveOptions): Promise<ResolvedWorkspace> {
  return resolveWorkspace(deferred.ref, { ...opts, deferred: false });
}

export { releaseWorkspaceFacts, type WorkspaceFacts } from './release.js';
export { claimWorkspace, releaseWorkspace, transferClaim, liveClaims, readClaims, type WorkspaceClaim } from './claims.js';
