/**
 * The built-in bare-git workspace provider (`#git:<ref>`, env prefix `SASE_GIT`): resolves the project
 * (git-project.ts), refuses inactive projects, claims the lowest free pool number (claims.ts), prepares the
 * numbered checkout (prepare.ts) and returns a {@link ResolvedWorkspace} whose `release` frees the claim.
 * Deferred (`%wait`) requests keep #0 (the primary) and claim later (spec/runtime.md §b.5).
 */
import { ConflictError } from '../errors/index.js';
import { saseHome } from '../store/paths.js';
import type { ProjectSpec } from '../projects/spec.js';
import type { ResolvedWorkspace, WorkspaceProvider, WorkspaceRequest } from './types.js';
import { ensurePrimary, resolveGitProject } from './git-project.js';
import { projectLayout } from './layout.js';
import { checkoutDir } from './root.js';
import { claimWorkspace, releaseWorkspace } from './claims.js';
import { prepareCheckout } from './prepare.js';
import { clearOccupant } from './markers.js';
import { workspaceVars } from './env.js';
import { revParse } from '../git/repo.js';

/** Env prefix of `#git` workspaces. */
export const GIT_ENV_PREFIX = 'SASE_GIT';

/**
 * Refuses a project that is not active, with an activation hint (seed 002 "Known-project fallback is
 * lifecycle-aware"). Sibling projects are allowed when named explicitly.
 * @throws ConflictError for an inactive project
 */
export function assertLaunchable(project: ProjectSpec): void {
  if (project.state === 'inactive') {
    throw new ConflictError(`project ${project.name} is inactive`, {
      hint: `run \`sase project activate ${project.name}\` before launching work there`,
      data: { project: project.name, state: project.state },
    });
  }
}

async function resolveGit(req: WorkspaceRequest): Promise<ResolvedWorkspace> {
  const now = req.now ?? (() => new Date());
  const { env } = req;
  const found = await resolveGitProject(req.value, { env, cwd: req.cwd, now: now() });
  assertLaunchable(found.project);
  const { mode, changespec } = found;
  const project = await ensurePrimary(found.project, { env, cwd: req.cwd, now: now() });
  const layout = await projectLayout(project, req.config, env);
  const base = {
    type: 'git',
    ref: req.ref,
    project: project.name,
    env_prefix: GIT_ENV_PREFIX,
    project_key: layout.project_key,
  };
  if (req.deferred) {
    return {
      ...base,
      dir: layout.primary,
      num: 0,
      env: workspaceVars(GIT_ENV_PREFIX, 0, layout.primary),
      base_revision: await revParse(layout.primary, 'HEAD', env),
      details: { mode, changespec, deferred: true, sase_home: saseHome(env) },
      release: async () => {},
    };
  }
  const { claim, reclaimed } = await claimWorkspace(
    env,
    project.name,
    {
      pid: req.pid,
      workflow: req.workflow ?? 'run',
      agent_name: req.agent_name,
      agent_id: req.agent_id,
      cl_name: req.cl_name ?? changespec ?? null,
      pinned: false,
    },
    now(),
  );
  const num = claim.num;
  const release = once(async () => {
    const dir = checkoutDir(layout, num);
    await clearOccupant(dir, req.pid).catch(() => {});
    await releaseWorkspace(env, project.name, num, req.pid);
  });
  try {
    const prepared = await prepareCheckout(project, layout, num, {
      env,
      now: now(),
      pid: req.pid,
      role: 'agent',
      occupant: {
        pid: req.pid,
        artifacts_timestamp: req.agent_id,
        agent_name: req.agent_name,
        workflow: req.workflow ?? 'run',
        project: project.name,
        workspace_num: num,
        cl_name: req.cl_name ?? changespec ?? project.name,
        claimed_at: now().getTime() / 1000,
      },
    });
    return {
      ...base,
      dir: prepared.dir,
      num,
      env: workspaceVars(GIT_ENV_PREFIX, num, prepared.dir),
      base_revision: prepared.base_revision,
      branch: prepared.branch,
      details: {
        mode,
        changespec,
        materialized: prepared.materialized,
        backup: prepared.backup,
        reclaimed: reclaimed.map((c) => ({ num: c.num, pid: c.pid })),
      },
      release,
    };
  } catch (e) {
    await release().catch(() => {});
    throw e;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null;
  return () => (p ??= fn());
}

/** The bare-git provider. */
export const gitProvider: WorkspaceProvider = {
  type: 'git',
  envPrefix: GIT_ENV_PREFIX,
  displayName: 'Git (bare)',
  vcsFamily: 'git',
  vcsProviderName: 'bare_git',
  changeLabel: 'PR',
  resolve: resolveGit,
};
