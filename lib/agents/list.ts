/**
 * Listing runs through the index projections (`agents/active/` for live runs, the tail of `agents/index.jsonl` for
 * recently finished ones), with liveness checks for active entries (a run whose runner died is marked FAILED here,
 * never left RUNNING).
 */
import type { Env } from '../store/paths.js';
import { readActive, readIndex, readRecentTerminal } from './index-store.js';
import { indexEntryOf, isRunnerAlive, readAgentView, reconcileStale } from './records.js';
import { recordDirOf } from './paths.js';
import { bucketOf, type Bucket } from './status.js';
import type { IndexEntry } from './types.js';
import { appendIndex, updateActiveMarker } from './index-append.js';

/** One row of `sase agent list`. */
export interface AgentRow extends IndexEntry {
  bucket: Bucket;
  record_dir: string;
}

/** Options of {@link listAgents}. */
export interface ListOptions {
  /** Include finished runs (the newest `recent` of them). */
  all: boolean;
  /** How many finished runs `all` adds (SASE: 50). */
  recent: number;
  /** Include `%hide` runs. */
  hidden: boolean;
  /** Only runs of this `%group`. */
  group?: string | null;
  now: Date;
}

/**
 * Lists active runs (and with `all`, the newest finished ones), verifying every active entry: a dead runner is
 * reconciled (marked FAILED) and the index is repaired from the record when it lags.
 */
export async function listAgents(env: Env, opts: ListOptions): Promise<AgentRow[]> {
  let active = await readActive(env);
  let terminal: IndexEntry[] | null = null;
  if (active === null) {
    // An index from before agents/active/ existed: one full scan, and write the markers for next time.
    const idx = await readIndex(env, opts.all ? opts.recent : 0);
    active = idx.active;
    terminal = idx.terminal;
    for (const e of active) updateActiveMarker(env, e);
  }
  const rows: AgentRow[] = [];
  const repaired: IndexEntry[] = [];
  for (const e of active) {
    let entry = e;
    const needsCheck = e.pid === null ? e.status !== 'WAITING' : !isRunnerAlive(e.pid, recordDirOf(env, e.id));
    if (needsCheck) {
      try {
        let v = readAgentView(recordDirOf(env, e.id));
        v = await reconcileStale(env, v, opts.now);
        const fresh = indexEntryOf(v);
        if (fresh.status !== e.status) {
          entry = fresh;
          if (v.status === 'STARTING') entry = e;
          else repaired.push(fresh);
        }
      } catch {
        continue;
      }
    }
    if (bucketOf(entry.status) === 'Done' || bucketOf(entry.status) === 'Failed') {
      if (!opts.all) continue;
    }
    rows.push({ ...entry, bucket: bucketOf(entry.status), record_dir: recordDirOf(env, entry.id) });
  }
  for (const r of repaired) if (r.status !== 'FAILED') await appendIndex(env, r).catch(() => {});
  if (opts.all) {
    const shown = new Set(rows.map((r) => r.id));
    for (const e of terminal ?? (await readRecentTerminal(env, opts.recent))) {
      if (!shown.has(e.id)) rows.push({ ...e, bucket: bucketOf(e.status), record_dir: recordDirOf(env, e.id) });
    }
  }
  return rows.filter((r) => (opts.hidden || !r.hidden) && (opts.group == null || r.group === opts.group));
}
