/**
 * Listing runs through the index projections (`agents/active/` for live runs, the tail of `agents/index.jsonl` for
 * recently finished ones), with liveness checks for active entries (a run whose runner died is marked FAILED here,
 * never left RUNNING).
 *
 * Start-up path of `sase agent list`: reads are synchronous and bounded (O(active runs) marker files plus a tail of
 * the index, never the whole index when markers exist); the record module loads only when an entry needs checking,
 * the index writer only when something is repaired.
 */
import type { Env } from '../store/paths.js';
import { readActive, readIndex, readRecentTerminal } from './index-store.js';
import { agentsRoot, recordDirUnder } from './paths.js';
import { bucketOf, type Bucket } from './status.js';
import type { IndexEntry } from './types.js';

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
 * reconciled (marked FAILED) and the index is repaired from the record when it lags. Rows are active runs in id
 * order, then (with `all`) finished runs newest first; `%hide` and other-group runs are dropped unless asked for.
 */
export async function listAgents(env: Env, opts: ListOptions): Promise<AgentRow[]> {
  const root = agentsRoot(env);
  let active = readActive(env);
  let terminal: IndexEntry[] | null = null;
  if (active === null) {
    // An index from before agents/active/ existed: one full scan, and write the markers for next time.
    const idx = await readIndex(env, opts.all ? opts.recent : 0);
    active = idx.active;
    terminal = idx.terminal;
    if (active.length > 0) {
      const { updateActiveMarker } = await import('./index-append.js');
      for (const e of active) updateActiveMarker(env, e);
    }
  }
  const rows: AgentRow[] = [];
  const shown = new Set<string>();
  const repaired: IndexEntry[] = [];
  const keep = (e: IndexEntry): boolean => (opts.hidden || !e.hidden) && (opts.group == null || e.group === opts.group);
  let records: typeof import('./records.js') | undefined;
  for (const e of active) {
    let entry = e;
    // A parked run (WAITING, no runner yet) needs no check; anything else must have a live runner.
    if (e.pid !== null || e.status !== 'WAITING') {
      records ??= await import('./records.js');
      const dir = recordDirUnder(root, e.id);
      if (e.pid === null || !records.isRunnerAlive(e.pid, dir)) {
        try {
          const seen = records.readAgentView(dir);
          const v = await records.reconcileStale(env, seen, opts.now);
          const fresh = records.indexEntryOf(v);
          if (fresh.status !== e.status) {
            if (v.status !== 'STARTING') {
              entry = fresh;
              // reconcileStale already appended its FAILED line; anything else the index lags on is appended here.
              if (v === seen) repaired.push(fresh);
            }
          }
        } catch {
          continue;
        }
      }
    }
    const bucket = bucketOf(entry.status);
    if ((bucket === 'Done' || bucket === 'Failed') && !opts.all) continue;
    shown.add(entry.id);
    if (!keep(entry)) continue;
    rows.push({ ...entry, bucket, record_dir: recordDirUnder(root, entry.id) });
  }
  if (repaired.length > 0) {
    const { appendIndex } = await import('./index-append.js');
    for (const r of repaired) await appendIndex(env, r).catch(() => {});
  }
  if (opts.all) {
    for (const e of terminal ?? readRecentTerminal(env, opts.recent)) {
      if (!shown.has(e.id) && keep(e)) rows.push({ ...e, bucket: bucketOf(e.status), record_dir: recordDirUnder(root, e.id) });
    }
  }
  return rows;
}
