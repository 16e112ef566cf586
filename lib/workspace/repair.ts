/**
 * `sase workspace repair`: reconcile the registry with the filesystem (spec/runtime.md §e). Drops entries whose
 * checkout is gone, re-materializes missing checkouts that still have live claims, and registers unregistered
 * checkouts found under the managed root (materialization `adopted`). Skips #0. A missing registry (adjacent roots)
 * means "nothing managed here".
 */
import type { Env } from '../store/paths.js';
import type { ProjectSpec } from '../projects/spec.js';
import { cloneRepo, ensureExcluded } from '../git/repo.js';
import { inventory } from './inventory.js';
import { readCheckoutMarker, writeCheckoutMarker } from './markers.js';
import { updateRegistry } from './registry.js';
import type { WorkspaceLayout } from './root.js';

/** One repair action. */
export interface RepairItem {
  num: number;
  dir: string;
  action: 'dropped' | 'rematerialized' | 'adopted';
}

/** Result of {@link repairWorkspaces}. */
export interface RepairResult {
  project: string;
  dry_run: boolean;
  managed: boolean;
  items: RepairItem[];
}

/** Repairs one project's registry. @throws ExternalToolError when a re-clone fails */
export async function repairWorkspaces(
  project: ProjectSpec,
  layout: WorkspaceLayout,
  opts: { env: Env; now: Date; dryRun: boolean },
): Promise<RepairResult> {
  const items: RepairItem[] = [];
  if (!layout.registry_path) return { project: project.name, dry_run: opts.dryRun, managed: false, items };
  const views = await inventory(layout, opts.env, opts.now);
  for (const v of views) {
    if (v.num === 0) continue;
    if (v.entry && !v.exists) {
      if (v.claim && project.bare_repo_dir) {
        items.push({ num: v.num, dir: v.dir, action: 'rematerialized' });
        if (!opts.dryRun) {
          await cloneRepo(project.bare_repo_dir, v.dir, opts.env);
          await ensureExcluded(v.dir, '.sase/', opts.env);
          await writeCheckoutMarker(v.dir, {
            project: project.name,
            project_key: layout.project_key,
            workspace_num: v.num,
            primary_workspace_dir: layout.primary,
            registry_path: layout.registry_path,
          });
        }
      } else {
        items.push({ num: v.num, dir: v.dir, action: 'dropped' });
      }
    } else if (!v.entry && v.exists && !v.symlink) {
      const marker = await readCheckoutMarker(v.dir);
      if (!marker || (marker.project === project.name && marker.workspace_num === v.num)) items.push({ num: v.num, dir: v.dir, action: 'adopted' });
    }
  }
  if (!opts.dryRun && items.length > 0) {
    const iso = opts.now.toISOString();
    await updateRegistry(layout.registry_path, project.name, layout.project_key, (r) => {
      for (const it of items) {
        if (it.action === 'dropped') delete r.workspaces[String(it.num)];
        else if (it.action === 'adopted') {
          r.workspaces[String(it.num)] = { checkout_dir: it.dir, materialization: 'adopted', role: 'manual', pinned: false, created_at: iso, last_used_at: iso };
        } else if (r.workspaces[String(it.num)]) r.workspaces[String(it.num)]!.last_used_at = iso;
      }
    });
  }
  return { project: project.name, dry_run: opts.dryRun, managed: true, items };
}
