/**
 * Which project a `sase workspace` command acts on (spec/runtime.md §e "Project resolution"): `-p NAME` (name or
 * alias), else the nearest `.sase/checkout.json`, else a registered primary/adjacent checkout containing the cwd,
 * else the only active project.
 */
import { NotFoundError, UsageError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import { findProject, listProjects, type ProjectSpec } from '../projects/spec.js';
import { inferProjectFromCwd } from './markers.js';

/**
 * Selects the project for a workspace command.
 * @throws NotFoundError for an unknown `-p` name; UsageError when nothing identifies a project
 */
export async function selectProject(opts: { project?: string; cwd: string; env: Env }): Promise<ProjectSpec> {
  const { env } = opts;
  if (opts.project) {
    const p = await findProject(env, opts.project);
    if (!p) throw new NotFoundError(`no such project: ${opts.project}`, { hint: 'run `sase project list --state all`', data: { project: opts.project } });
    return p;
  }
  const inferred = await inferProjectFromCwd(opts.cwd, env);
  if (inferred) {
    const p = await findProject(env, inferred.project);
    if (p) return p;
  }
  const active = (await listProjects(env)).filter((p) => p.state === 'active' && p.workspace_dir);
  if (active.length === 1) return active[0]!;
  throw new UsageError('cannot tell which project this is', {
    hint: 'pass -p/--project NAME or run from inside a checkout',
    data: { candidates: active.map((p) => p.name) },
  });
}
