/**
 * The view of a project's workspaces used by `list`, `cleanup`, `repair` and `migrate`: registry entries, live
 * claims, and checkouts found on disk (`<root>/<project>_<num>` and adjacent `<primary>_<num>`).
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Env } from '../store/paths.js';
import { liveClaims, type WorkspaceClaim } from './claims.js';
import { readRegistry, type RegistryEntry } from './registry.js';
import { adjacentDir, checkoutDir, type WorkspaceLayout } from './root.js';

/** One workspace as seen from all sources. */
export interface WorkspaceView {
  num: number;
  /** Where the checkout is (registry, else configured path). */
  dir: string;
  exists: boolean;
  /** True when the path is a symlink (a transition symlink). */
  symlink: boolean;
  claim: WorkspaceClaim | null;
  entry: RegistryEntry | null;
}

/** Numbers `n` of directories named `<prefix>_<n>` inside `parent`. */
export function numberedChildren(parent: string, prefix: string): number[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d+)$`);
  return names.map((n) => re.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
}

/** Adjacent `<primary>_<num>` numbers next to the primary checkout. */
export function adjacentNumbers(layout: WorkspaceLayout): number[] {
  return numberedChildren(dirname(layout.primary), basename(layout.primary));
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Everything known about a project's workspaces, sorted by number (#0 first). */
export async function inventory(layout: WorkspaceLayout, env: Env, now: Date): Promise<WorkspaceView[]> {
  const claims = await liveClaims(env, layout.project, now);
  const registry = layout.registry_path ? await readRegistry(layout.registry_path, layout.project, layout.project_key) : null;
  const nums = new Set<number>([0]);
  for (const k of Object.keys(registry?.workspaces ?? {})) nums.add(Number(k));
  for (const c of claims) nums.add(c.num);
  if (layout.root) for (const n of numberedChildren(layout.root, layout.label)) nums.add(n);
  else for (const n of adjacentNumbers(layout)) nums.add(n);
  const out: WorkspaceView[] = [];
  for (const num of [...nums].sort((a, b) => a - b)) {
    const entry = registry?.workspaces[String(num)] ?? null;
    const dir = entry?.checkout_dir ?? checkoutDir(layout, num);
    out.push({
      num,
      dir,
      exists: existsSync(dir),
      symlink: isSymlink(dir),
      claim: claims.find((c) => c.num === num) ?? null,
      entry,
    });
  }
  return out;
}

export { adjacentDir };
