/**
 * What happens when a run finishes (called by the runner after `done.json`, before `%wait` waiters are released):
 * - a planner's label settles (`PLAN` while its plan waits; the answer after — lib/plans/actions.ts);
 * - a bead-work run (`SASE_BEAD_WORK_ROLE` in its `run_env.json`) updates its bead: a completed phase run closes its
 *   phase bead, a completed land run closes the epic (only once every phase is closed), a completed task run closes
 *   its task; a failed run leaves the bead open (in_progress) with a note naming the run and the error, so its
 *   dependents stay parked and `sase bead show` tells why. spec/beads-sdd-changespecs.md §A.6, §B.9.
 * When the store is in a git repository the change is committed like every bead mutation SASE makes
 * (`chore(beads): close <ids>` / `chore(beads): note <id>`, footer `SASE_TYPE=beads`; only the files the write changed,
 * through lib/beads/git-commit.ts, as `--commit` does). A failed commit leaves the change in the working tree for the next commit to carry.
 * Never throws.
 */
import { join } from 'node:path';
import type { Env } from '../store/paths.js';
import type { MutationContext, WriteResult } from '../beads/write.js';
import { closeBeads } from '../beads/mutations.js';

/** Roles of bead-work runs. */
export type BeadWorkRole = 'phase' | 'land' | 'task';

/** Runs the post-finish hooks for the run in `dir`. */
export async function afterRunFinished(dir: string, env: Env, now: () => Date): Promise<void> {
  try {
    await (await import('../plans/actions.js')).settlePlanLabel(env, dir);
  } catch {
    // best effort
  }
  try {
    const w = await updateBeadOfRun(dir, now);
    if (w) await commitWrite(w.store, w, env);
  } catch {
    // best effort: the note below could not be written either
  }
}

/**
 * Closes a landed epic; when it is a child epic delegated from a phase and every child plan of that phase is now
 * closed, the phase closes too ("delegated work landed", spec §A.6).
 * @throws ConflictError when the epic still has active descendants
 */
export function closeLandedEpic(ctx: MutationContext, epicId: string, reason: string): string[] {
  const closed: string[] = [];
  closeBeads(ctx, [epicId], { reason });
  closed.push(epicId);
  // The phase's own epic is not closed here: it lands through its own land run.
  const parentId = ctx.issues.get(epicId)?.parent_id;
  const parent = parentId ? ctx.issues.get(parentId) : undefined;
  if (!parent || parent.issue_type !== 'phase' || parent.status === 'closed') return closed;
  if ([...ctx.issues.values()].some((i) => i.parent_id === parent.id && i.status !== 'closed')) return closed;
  closeBeads(ctx, [parent.id], { reason: `delegated work landed (${epicId})` });
  closed.push(parent.id);
  return closed;
}

/**
 * Commits what a finish-hook write wrote, when the store is in a git repository (best effort): the written files
 * only, as `sase bead … --commit` does, with the subject named by the events (`close <ids>` when it closed beads,
 * else `note <id>`).
 */
async function commitWrite(store: string, w: Pick<WriteResult<unknown>, 'events' | 'written'>, env: Env): Promise<void> {
  if (w.written.length === 0) return;
  const { findRepoRoot } = await import('../store/paths.js');
  const repo = findRepoRoot(store);
  if (!repo) return;
  const closed = w.events.filter((e) => e.operation === 'issue_closed');
  const ids = [...new Set((closed.length ? closed : w.events).map((e) => e.issue_id))];
  const { commitBeadMutation } = await import('../beads/git-commit.js');
  await commitBeadMutation(repo, w.written.map((f) => join(store, f)), closed.length ? 'close' : 'note', ids, { env });
}

/** Applies the run's outcome to its bead; the write (or null when the run is not bead work). */
async function updateBeadOfRun(dir: string, now: () => Date): Promise<(WriteResult<unknown> & { store: string }) | null> {
  const { readJsonOrNull, readRunEnv } = await import('../agents/records.js');
  const re = readRunEnv(dir);
  const role = re.SASE_BEAD_WORK_ROLE as BeadWorkRole | undefined;
  const store = re.SASE_BEADS_DIR;
  const bead = role === 'land' ? re.SASE_EPIC_BEAD_ID : re.SASE_BEAD_ID;
  if (!role || !store || !bead) return null;
  const done = readJsonOrNull<import('../agents/types.js').DoneMarker>(join(dir, 'done.json'));
  const rec = readJsonOrNull<{ id: string; name: string }>(join(dir, 'agent.json'));
  if (!done || !rec) return null;
  const { mutateStore } = await import('../beads/write.js');
  const { appendNote } = await import('../beads/mutations.js');
  const { isActive } = await import('../beads/query.js');
  const ok = done.outcome === 'completed' || done.outcome === 'noop';
  const w = await mutateStore(
    store,
    (ctx) => {
      if (!ctx.issues.has(bead)) return;
      if (ok) {
        if (role === 'land') {
          const active = [...ctx.issues.values()].filter((i) => i.parent_id === bead && isActive(i));
          if (active.length > 0) {
            appendNote(ctx, bead, `land run ${rec.name} (${rec.id}) finished but phases are still open: ${active.map((i) => i.id).join(', ')}`);
            return;
          }
          closeLandedEpic(ctx, bead, `landed by ${rec.name} (${rec.id})`);
        } else closeBeads(ctx, [bead], { reason: `completed by ${rec.name} (${rec.id})` });
      } else {
        appendNote(ctx, bead, `run ${rec.name} (${rec.id}) ${done.status_label || done.outcome}${done.error ? `: ${done.error.split('\n')[0]}` : ''}`);
      }
    },
    { actor: rec.name, now, operation: `bead work ${role} finished`, wait: true, timeoutMs: 60_000 },
  );
  return { ...w, store };
}
