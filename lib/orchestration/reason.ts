/** Why a parked run is still waiting, for `sase agent list/show` (the last tick's verdict in `waiting.json`). */
import { readFileSync } from 'node:fs';
import type { WaitingMarker } from '../agents/types.js';

/** `<recordDir>/waiting.json` (RECORD_FILES.waiting), or null when absent or unreadable. Imports nothing else: list start-up. */
function readWaiting(recordDir: string): WaitingMarker | null {
  try {
    return JSON.parse(readFileSync(`${recordDir}/waiting.json`, 'utf8')) as WaitingMarker;
  } catch {
    return null;
  }
}

/** The recorded reason a WAITING run is parked (`blocked_reason` of its last tick, else what it waits for); null when none. */
export function waitReasonOf(recordDir: string): string | null {
  const w = readWaiting(recordDir);
  if (!w) return null;
  if (w.blocked_reason) return w.blocked_reason;
  const parts = [...(w.waiting_for ?? []), ...(w.wait_beads ?? []).map((b) => `bead ${b} to close`)];
  if (w.wait_until) parts.push(`until ${w.wait_until}`);
  else if (w.wait_duration != null) parts.push(`${w.wait_duration}s floor`);
  return parts.length ? `waiting for ${parts.join(', ')}` : null;
}
