/**
 * Preparing a numbered checkout for a run or `sase workspace open` (spec/runtime.md §e "CLI semantics" and §b.5):
 * 1. refuse when a live run other than the caller occupies it (`.sase/occupant.json`);
 * 2. materialize: clone the bare repo when the checkout is missing;
 * 3. back up local changes (stash with untracked files; `refs/sase/backups/*` for commits on no remote branch);
 * 4. clean (reset --hard, clean -ffdx keeping `.sase/`);
 * 5. sync to the default revision `origin/<default branch>`;
 * 6. write `.sase/checkout.json`, the occupant, and the registry entry.
 */
import { existsSync, readdirSync } from 'node:fs';
import { ConflictError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import type { ProjectSpec } from '../projects/spec.js';
import {
  backupLocalChanges,
  bareDefaultBranch,
  cleanCheckout,
  cloneRepo,
  ensureExcluded,
  hasRevision,
  isWorkTree,
  syncToRemote,
  type BackupResult,
} from '../git/repo.js';
import { checkoutDir, type WorkspaceLayout } from './root.js';
import { liveForeignOccupant, writeCheckoutMarker, writeOccupant, type OccupantRecord } from './markers.js';
import { touchRegistryEntry, type RegistryEntry } from './registry.js';

/** Inputs of {@link prepareCheckout}. */
export interface PrepareOptions {
  env: Env;
  now: Date;
  /** The process on whose behalf the checkout is prepared (its own occupant record never blocks it). */
  pid: number;
  /** Written as `.sase/occupant.json` when given (runs); `open` leaves no occupant. */
  occupant?: OccupantRecord;
  role: RegistryEntry['role'];
}

/** What preparation did. */
export interface PreparedCheckout {
  dir: string;
  num: number;
  /** True when the checkout was cloned now. */
  materialized: boolean;
  backup: BackupResult;
  /** Commit the checkout was synced to, or null for a project without commits. */
  base_revision: string | null;
  branch: string;
}

function stampFor(now: Date, pid: number): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${pid}`;
}

/**
 * Materializes, backs up, cleans and syncs checkout `num` of `project`.
 * @throws ConflictError when another live run occupies the checkout, or the path holds something that is not a
 *   git checkout; ExternalToolError when git fails
 */
export async function prepareCheckout(project: ProjectSpec, layout: WorkspaceLayout, num: number, opts: PrepareOptions): Promise<PreparedCheckout> {
  const { env } = opts;
  const dir = checkoutDir(layout, num);
  const occupant = await liveForeignOccupant(dir, opts.pid);
  if (occupant) {
    throw new ConflictError(`workspace #${num} of ${project.name} is occupied by pid ${occupant.pid} (${occupant.agent_name || occupant.workflow})`, {
      hint: 'wait for that run to finish or pick another number',
      data: { project: project.name, num, dir, occupant },
    });
  }
  let materialized = false;
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    await cloneRepo(project.bare_repo_dir!, dir, env);
    materialized = true;
  } else if (!(await isWorkTree(dir, env))) {
    throw new ConflictError(`${dir} exists but is not a git checkout`, { hint: 'move it away, or run `sase workspace repair`', data: { dir, num } });
  }
  await ensureExcluded(dir, '.sase/', env);
  if (opts.occupant) await writeOccupant(dir, opts.occupant);
  const branch = await bareDefaultBranch(project.bare_repo_dir!, env);
  // A checkout without any commit cannot be stashed: leave its files alone rather than clean them unsaved.
  const destructive = !materialized && (await hasRevision(dir, 'HEAD', env));
  const backup = destructive ? await backupLocalChanges(dir, stampFor(opts.now, opts.pid), branch, env) : { stash: null, refs: [] };
  if (destructive) await cleanCheckout(dir, env);
  const base = await syncToRemote(dir, branch, env);
  await writeCheckoutMarker(dir, {
    project: project.name,
    project_key: layout.project_key,
    workspace_num: num,
    primary_workspace_dir: layout.primary,
    registry_path: layout.registry_path,
  });
  if (layout.registry_path) {
    await touchRegistryEntry(layout.registry_path, project.name, layout.project_key, num, { checkout_dir: dir, materialization: 'clone', role: opts.role }, opts.now, layout.primary);
  }
  return { dir, num, materialized, backup, base_revision: base, branch };
}
