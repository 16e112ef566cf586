/**
 * Computes a project's {@link WorkspaceLayout} (root policy + project key + primary) from its ProjectSpec, the
 * merged config and the primary checkout's remotes.
 */
import { resolve } from 'node:path';
import { InvalidDataError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import type { ProjectSpec } from '../projects/spec.js';
import { remoteUrls } from '../git/repo.js';
import { deriveProjectKey, makeLayout, resolveRootPolicy, type RootPolicy, type WorkspaceLayout } from './root.js';

/**
 * The layout of `project`'s checkouts.
 * @param policy override the configured policy (e.g. `migrate --to xdg-state`)
 * @throws InvalidDataError when the project has no primary checkout path
 */
export async function projectLayout(project: ProjectSpec, config: Record<string, unknown>, env: Env, policy?: RootPolicy): Promise<WorkspaceLayout> {
  if (!project.workspace_dir) {
    throw new InvalidDataError(`project ${project.name} has no workspace_dir`, { location: { file: project.source, field: 'workspace_dir' } });
  }
  const primary = resolve(project.workspace_dir);
  const needRemotes = !project.project_key;
  const remotes = needRemotes ? await remoteUrls(primary, env) : [];
  const key = deriveProjectKey(project, primary, remotes, config);
  return makeLayout(project.name, primary, key, policy ?? resolveRootPolicy(config, env));
}
