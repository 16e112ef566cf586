/**
 * `sase workspace open NUM -r REASON`: materialize, back up, clean and sync checkout NUM, then hand its path to a
 * person or tool (spec/runtime.md §e). #0 only makes sure the primary checkout exists (it is never cleaned).
 * Inside a SASE-launched run (`SASE_ARTIFACTS_DIR` set) the opening is recorded in the run's
 * `opened_workspaces.jsonl`.
 */
import { join } from 'node:path';
import { UsageError } from '../errors/index.js';
import { appendJsonl } from '../store/jsonl.js';
import type { Env } from '../store/paths.js';
import type { ProjectSpec } from '../projects/spec.js';
import { ensurePrimary } from './git-project.js';
import { projectLayout } from './layout.js';
import { prepareCheckout, type PreparedCheckout } from './prepare.js';
import { POOL_MAX, claimWorkspace, releaseWorkspace } from './claims.js';

/** Result of {@link openWorkspace}. */
export interface OpenResult {
  project: string;
  num: number;
  dir: string;
  reason: string;
  materialized: boolean;
  base_revision: string | null;
  backup: PreparedCheckout['backup'] | null;
}

/**
 * Opens checkout `num` of a bare-git project.
 * @throws UsageError for an empty reason or a number out of range; ConflictError when a live run claims or occupies it;
 *   ExternalToolError when git fails
 */
export async function openWorkspace(
  project: ProjectSpec,
  num: number,
  reason: string,
  opts: { env: Env; cwd: string; now: Date; config: Record<string, unknown>; pid: number },
): Promise<OpenResult> {
  if (reason.trim() === '') throw new UsageError('a reason is required', { hint: 'pass -r/--reason "why you need this checkout"' });
  if (!Number.isInteger(num) || num < 0 || num > POOL_MAX) throw new UsageError(`workspace number must be 0–${POOL_MAX}, got ${num}`);
  if (!project.bare_repo_dir) throw new UsageError(`project ${project.name} is not a bare-git project`, { data: { project: project.name } });
  const ready = await ensurePrimary(project, { env: opts.env, cwd: opts.cwd, now: opts.now });
  const layout = await projectLayout(ready, opts.config, opts.env);
  let result: OpenResult;
  if (num === 0) {
    result = { project: ready.name, num, dir: layout.primary, reason, materialized: false, base_revision: null, backup: null };
  } else {
    // Hold the number while preparing so a run cannot claim it halfway (and a claimed one is refused).
    await claimWorkspace(opts.env, ready.name, { pid: opts.pid, workflow: 'open', agent_name: '', agent_id: '', cl_name: null, pinned: false }, opts.now, { num });
    let p: PreparedCheckout;
    try {
      p = await prepareCheckout(ready, layout, num, { env: opts.env, now: opts.now, pid: opts.pid, role: 'manual' });
    } finally {
      await releaseWorkspace(opts.env, ready.name, num, opts.pid);
    }
    result = { project: ready.name, num, dir: p.dir, reason, materialized: p.materialized, base_revision: p.base_revision, backup: p.backup };
  }
  const artifacts = opts.env.SASE_ARTIFACTS_DIR;
  if (artifacts) {
    await appendJsonl(join(artifacts, 'opened_workspaces.jsonl'), {
      project: result.project,
      workspace_num: num,
      dir: result.dir,
      reason,
      opened_at: opts.now.toISOString(),
    });
  }
  return result;
}
