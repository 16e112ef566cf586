/**
 * `%wait(bead=<id>)` closure waits (spec/xprompts.md Appendix A; used by epic launch, spec/beads-sdd-changespecs.md
 * §A.6): a parked run may start only when every named bead is `closed`. The bead store is the one the launch saw
 * (`SASE_BEADS_DIR` from the run's environment, else `<repo of the launch cwd>/sdd/beads`).
 */
import type { Env } from '../store/paths.js';
import { readRunEnv } from '../agents/records.js';
import type { AgentView } from '../agents/types.js';

/**
 * The beads of `ids` that are not closed yet, as reasons (`bead <id> is <status>`); fails closed: a missing store or
 * an unknown bead counts as open. Empty = all closed.
 */
export async function openBeads(env: Env, v: AgentView, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const runEnv = readRunEnv(v.record_dir);
  const { locateStore } = await import('../beads/paths.js');
  const { loadIssueSource } = await import('../beads/load.js');
  let statusOf: (id: string) => string | null;
  try {
    const store = locateStore({ env: { ...env, ...runEnv }, cwd: v.record.launch_cwd });
    const src = await loadIssueSource(store);
    const byId = new Map(src.issues().map((b) => [b.id, b.status as string] as const));
    statusOf = (id) => byId.get(id) ?? null;
  } catch (e) {
    return ids.map((id) => `bead ${id} (${(e as Error).message})`);
  }
  return ids.flatMap((id) => {
    const s = statusOf(id);
    return s === 'closed' ? [] : [`bead ${id} to close (${s ?? 'not found'})`];
  });
}
