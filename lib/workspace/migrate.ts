/**
 * `sase workspace migrate` (seed 002 "Adjacent Compatibility And Migration"):
 * - `--to xdg-state [--symlink-transition]` moves every real `<primary>_<num>` adjacent checkout to the managed
 *   xdg-state root (`$XDG_STATE_HOME/sase/workspaces/<project_key>/<project>_<num>`), registers it
 *   (materialization `migrated`), rewrites its `.sase/checkout.json`, and optionally leaves a symlink at the old
 *   path. It refuses to overwrite anything at the destination and skips claimed/occupied checkouts; skips are
 *   reported (the command then exits non-zero).
 * - `--finalize` removes `<primary>_<num>` transition symlinks, leaving the canonical checkouts alone.
 * `dryRun` plans without touching the filesystem or registry.
 */
import { cp, lstat, mkdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Env } from '../store/paths.js';
import { liveClaims } from './claims.js';
import { adjacentNumbers } from './inventory.js';
import { liveForeignOccupant, writeCheckoutMarker } from './markers.js';
import { updateRegistry } from './registry.js';
import { adjacentDir, checkoutDir, makeLayout, xdgWorkspacesBase, type WorkspaceLayout } from './root.js';

/** One migration decision. */
export interface MigrateItem {
  num: number;
  from: string;
  to: string | null;
  action: 'moved' | 'linked' | 'unlinked' | 'skipped';
  reason?: string;
}

/** Result of a migrate or finalize pass. */
export interface MigrateResult {
  project: string;
  mode: 'to-xdg-state' | 'finalize';
  dry_run: boolean;
  symlink_transition: boolean;
  root: string | null;
  items: MigrateItem[];
  /** Number of skipped checkouts (non-zero exit). */
  skipped: number;
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch {
    return null;
  }
}

async function moveDir(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await cp(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true, errorOnExist: true, force: false });
    await rm(from, { recursive: true, force: true });
  }
}

/** The managed xdg-state layout for a project whose current layout is `layout`. */
export function xdgLayoutFor(layout: WorkspaceLayout, env: Env): WorkspaceLayout {
  return makeLayout(layout.project, layout.primary, layout.project_key, { kind: 'xdg-state', base: xdgWorkspacesBase(env), source: 'config' });
}

/** Moves adjacent checkouts under the xdg-state root. @throws fs errors other than refusals */
export async function migrateToXdgState(
  layout: WorkspaceLayout,
  opts: { env: Env; now: Date; dryRun: boolean; symlinkTransition: boolean; pid: number },
): Promise<MigrateResult> {
  const target = xdgLayoutFor(layout, opts.env);
  const claimed = new Set((await liveClaims(opts.env, layout.project, opts.now)).map((c) => c.num));
  const items: MigrateItem[] = [];
  for (const num of adjacentNumbers(layout).sort((a, b) => a - b)) {
    const from = adjacentDir(layout, num);
    const to = checkoutDir(target, num);
    const st = await lstatOrNull(from);
    if (!st || st.isSymbolicLink() || !st.isDirectory()) continue;
    const skip = (reason: string) => items.push({ num, from, to, action: 'skipped', reason });
    if (num === 0) continue;
    if (claimed.has(num)) {
      skip('claimed by a live run');
      continue;
    }
    if (await liveForeignOccupant(from, opts.pid)) {
      skip('occupied by a live run');
      continue;
    }
    if (await lstatOrNull(to)) {
      skip(`destination exists: ${to}`);
      continue;
    }
    items.push({ num, from, to, action: opts.symlinkTransition ? 'linked' : 'moved' });
    if (opts.dryRun) continue;
    await moveDir(from, to);
    if (opts.symlinkTransition) await symlink(to, from, 'dir');
    await writeCheckoutMarker(to, {
      project: layout.project,
      project_key: target.project_key,
      workspace_num: num,
      primary_workspace_dir: layout.primary,
      registry_path: target.registry_path,
    });
    const iso = opts.now.toISOString();
    await updateRegistry(target.registry_path!, layout.project, target.project_key, (r) => {
      if (!r.workspaces['0']) {
        r.workspaces['0'] = { checkout_dir: layout.primary, materialization: 'primary', role: 'primary', pinned: true, created_at: iso, last_used_at: iso };
      }
      r.workspaces[String(num)] = {
        checkout_dir: to,
        materialization: 'migrated',
        role: 'manual',
        pinned: false,
        created_at: iso,
        last_used_at: iso,
        transition_symlink: opts.symlinkTransition ? from : null,
      };
    });
  }
  return {
    project: layout.project,
    mode: 'to-xdg-state',
    dry_run: opts.dryRun,
    symlink_transition: opts.symlinkTransition,
    root: target.root,
    items,
    skipped: items.filter((i) => i.action === 'skipped').length,
  };
}

/** Removes `<primary>_<num>` transition symlinks. */
export async function finalizeMigration(layout: WorkspaceLayout, opts: { env: Env; now: Date; dryRun: boolean }): Promise<MigrateResult> {
  const target = xdgLayoutFor(layout, opts.env);
  const items: MigrateItem[] = [];
  for (const num of adjacentNumbers(layout).sort((a, b) => a - b)) {
    const from = adjacentDir(layout, num);
    const st = await lstatOrNull(from);
    if (!st?.isSymbolicLink()) continue;
    const to = resolve(dirname(from), await readlink(from));
    items.push({ num, from, to, action: 'unlinked' });
    if (opts.dryRun) continue;
    await rm(from, { force: true });
    if (target.registry_path && (await lstatOrNull(target.registry_path))) {
      await updateRegistry(target.registry_path, layout.project, target.project_key, (r) => {
        const e = r.workspaces[String(num)];
        if (e && e.transition_symlink) e.transition_symlink = null;
      });
    }
  }
  return { project: layout.project, mode: 'finalize', dry_run: opts.dryRun, symlink_transition: false, root: target.root, items, skipped: 0 };
}
