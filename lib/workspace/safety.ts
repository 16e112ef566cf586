/**
 * Whether deleting a checkout would lose work (seed 002 "cleanup … never delete"): uncommitted or untracked
 * changes, a stash, backup refs, or commits on no branch of the bare repository.
 */
import { runGit } from '../git/cli.js';
import { backupState, isWorkTree, statusLines, unpushedCommits } from '../git/repo.js';
import type { Env } from '../store/paths.js';

/** Findings for one checkout. Empty `reasons` = safe to delete. */
export interface CheckoutSafety {
  dirty: string[];
  unpushed: string[];
  reasons: string[];
}

/**
 * Inspects a checkout after fetching `origin` (so "pushed" means on a branch of the bare repo right now).
 * A checkout that git cannot inspect is reported unsafe, never deleted.
 */
export async function checkoutSafety(dir: string, env: Env): Promise<CheckoutSafety> {
  if (!(await isWorkTree(dir, env))) return { dirty: [], unpushed: [], reasons: ['not a git checkout'] };
  const reasons: string[] = [];
  try {
    await runGit(['fetch', '-q', '--prune', 'origin'], { cwd: dir, env, timeoutMs: 300_000 });
  } catch {
    reasons.push('cannot fetch from the bare repository');
  }
  const dirty = await statusLines(dir, env).catch(() => ['?? (status failed)']);
  const unpushed = await unpushedCommits(dir, env, { includeBackups: false }).catch(() => ['(rev-list failed)']);
  const backups = await backupState(dir, env);
  if (dirty.length > 0) reasons.push(`${dirty.length} uncommitted change(s)`);
  if (unpushed.length > 0) reasons.push(`${unpushed.length}${unpushed.length === 20 ? '+' : ''} commit(s) not on any branch of the bare repository`);
  if (backups.stash > 0) reasons.push(`${backups.stash} stash entr${backups.stash === 1 ? 'y' : 'ies'} (sase backups of earlier local changes)`);
  if (backups.backup_refs.length > 0) reasons.push(`${backups.backup_refs.length} backup ref(s) under refs/sase/`);
  return { dirty, unpushed, reasons };
}
