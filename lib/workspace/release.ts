/**
 * Releasing a workspace from another process than the one that resolved it (the detached runner only has the
 * facts recorded in the run's workspace.json): removes the run's `.sase/occupant.json` and its claim.
 */
import type { Env } from '../store/paths.js';
import { releaseWorkspace } from './claims.js';
import { clearOccupant } from './markers.js';

/** The recorded facts of a resolved workspace. */
export interface WorkspaceFacts {
  type: string;
  project: string | null;
  num: number;
  dir: string;
}

/**
 * Releases the claim of `pid` on `ws` and clears its occupant record (idempotent). Directory runs (`#cd`) and #0
 * hold nothing and return at once.
 * @returns true when a claim was removed
 */
export async function releaseWorkspaceFacts(ws: WorkspaceFacts, env: Env, pid: number): Promise<boolean> {
  if (!ws.project || ws.num === 0) return false;
  await clearOccupant(ws.dir, pid).catch(() => {});
  return releaseWorkspace(env, ws.project, ws.num, pid);
}
