/**
 * `sase workspace cleanup --stale`: remove unclaimed managed checkouts not used for `workspace.cleanup_ttl_days`
 * (default {@link DEFAULT_CLEANUP_TTL_DAYS}). Skips #0, claimed numbers, live occupants, and (unless
 * `includeShares`) workflow-share checkouts. Never deletes a checkout holding uncommitted changes, a stash, backup
 * refs or commits on no branch of the bare repo: those are reported as refused (seed 002 "sase workspace CLI").
 * While deleting, cleanup holds a claim on the number so no run can claim it halfway.
 */
import { lstat, realpath, rm, stat } from 'node:fs/promises';
import { ConflictError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import { claimWorkspace, releaseWorkspace } from './claims.js';
import { inventory } from './inventory.js';
import { liveForeignOccupant } from './markers.js';
import { updateRegistry } from './registry.js';
import { workspaceConfig, type WorkspaceLayout } from './root.js';
import { checkoutSafety } from './safety.js';

/** Default age after which an unclaimed checkout is stale, in days. */
export const DEFAULT_CLEANUP_TTL_DAYS = 14;

/** One decision of a cleanup pass. */
export interface CleanupItem {
  num: number;
  dir: string;
  /** `removed` (or would be, in a dry run), `refused` (would lose work), `skipped` (claimed, fresh, share, …). */
  action: 'removed' | 'refused' | 'skipped';
  reason: string;
}

/** Result of {@link cleanupStale}. */
export interface CleanupResult {
  project: string;
  dry_run: boolean;
  ttl_days: number;
  items: CleanupItem[];
}

/** `workspace.cleanup_ttl_days` from config (non-negative number), else the default. */
export function cleanupTtlDays(config: Record<string, unknown>): number {
  const v = Number(workspaceConfig(config).cleanup_ttl_days);
  return Number.isFinite(v) && v >= 0 ? v : DEFAULT_CLEANUP_TTL_DAYS;
}

async function lastUsedMs(dir: string, recorded: string | undefined): Promise<number> {
  if (recorded && !Number.isNaN(Date.parse(recorded))) return Date.parse(recorded);
  try {
    return (await stat(dir)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Runs one cleanup pass over a project's numbered checkouts.
 * @param opts.pid the process doing the cleanup (holds a temporary claim while deleting)
 */
export async function cleanupStale(
  layout: WorkspaceLayout,
  opts: { env: Env; now: Date; config: Record<string, unknown>; dryRun: boolean; includeShares: boolean; pid: number },
): Promise<CleanupResult> {
  const { env, now } = opts;
  const ttlDays = cleanupTtlDays(opts.config);
  const items: CleanupItem[] = [];
  for (const v of await inventory(layout, env, now)) {
    if (v.num === 0) continue;
    const skip = (reason: string) => items.push({ num: v.num, dir: v.dir, action: 'skipped', reason });
    if (v.claim) {
      skip(`claimed by pid ${v.claim.pid}`);
      continue;
    }
    if (!v.exists) {
      if (!v.symlink) skip('checkout missing (run `sase workspace repair`)');
      else skip('dangling transition symlink (run `sase workspace migrate --finalize`)');
      continue;
    }
    if (v.entry?.role === 'share' && !opts.includeShares) {
      skip('workflow share (pass --include-shares)');
      continue;
    }
    const age = now.getTime() - (await lastUsedMs(v.dir, v.entry?.last_used_at));
    if (age < ttlDays * 86_400_000) {
      skip(`used ${Math.floor(age / 86_400_000)} day(s) ago (ttl ${ttlDays})`);
      continue;
    }
    const occupant = await liveForeignOccupant(v.dir, opts.pid);
    if (occupant) {
      skip(`occupied by pid ${occupant.pid}`);
      continue;
    }
    const safety = await checkoutSafety(v.dir, env);
    if (safety.reasons.length > 0) {
      items.push({ num: v.num, dir: v.dir, action: 'refused', reason: safety.reasons.join('; ') });
      continue;
    }
    if (opts.dryRun) {
      items.push({ num: v.num, dir: v.dir, action: 'removed', reason: 'stale (dry run)' });
      continue;
    }
    try {
      await claimWorkspace(env, layout.project, { pid: opts.pid, workflow: 'cleanup', agent_name: '', agent_id: '', cl_name: null, pinned: false }, now, { num: v.num });
    } catch (e) {
      if (e instanceof ConflictError) {
        skip('claimed while cleaning');
        continue;
      }
      throw e;
    }
    try {
      const real = v.symlink ? await realpath(v.dir) : v.dir;
      await rm(real, { recursive: true, force: true });
      if (v.symlink) await rm(v.dir, { force: true });
      const link = v.entry?.transition_symlink;
      if (link && (await lstat(link).then((s) => s.isSymbolicLink()).catch(() => false))) await rm(link, { force: true });
      if (layout.registry_path) {
        await updateRegistry(layout.registry_path, layout.project, layout.project_key, (r) => {
          delete r.workspaces[String(v.num)];
        });
      }
      items.push({ num: v.num, dir: v.dir, action: 'removed', reason: 'stale' });
    } finally {
      await releaseWorkspace(env, layout.project, v.num, opts.pid);
    }
  }
  return { project: layout.project, dry_run: opts.dryRun, ttl_days: ttlDays, items };
}
