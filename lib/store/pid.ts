/**
 * Process liveness, the check behind every "is its owner still running?" rule (stale claims, markers, locks of
 * detached runners). One implementation for lib/workspace, lib/providers and the rest.
 */

/**
 * True when a process with this pid exists. EPERM (it exists but belongs to another user) counts as alive; a
 * missing, zero, negative or non-integer pid is never alive. Uses signal 0 (no signal is delivered).
 */
export function isPidAlive(pid: number | null | undefined): boolean {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
