/** `sase bead history`: the events of a bead in replay order (spec §B.6 merge order). */
import type { CommandModule } from '../command.js';
import { mergeStreams } from '../../beads/fold.js';
import { readStore } from '../../beads/read.js';
import { resolveId } from '../../beads/ids.js';
import type { BeadEvent } from '../../beads/types.js';
import { defineStore, parseStore, storeDir, type StoreOpts } from './common.js';

interface Opts extends StoreOpts {
  id: string;
}

/** Result of `sase bead history`. */
export interface HistoryResult {
  store: string;
  id: string;
  count: number;
  events: (BeadEvent & { stream_id: string })[];
}

export const command: CommandModule<Opts, HistoryResult> = {
  meta: { name: 'history', summary: "Replay a bead's events (including cascade removals)" },
  define: (cmd) => {
    cmd.argument('<id>', 'bead id (removed beads too, by full id)');
    defineStore(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseStore(opts), id: String(args[0]) }),
  run: async (ctx, o) => {
    const dir = storeDir(ctx, o);
    const snap = await readStore(dir);
    const ids = new Set<string>();
    for (const s of snap.streams) for (const e of s.events) ids.add(e.issue_id);
    const id = resolveId(o.id, ids);
    const events = mergeStreams(snap.streams)
      .filter(({ event }) => event.issue_id === id || (event.payload.kind === 'issue_removed' && event.payload.cascade_removed_issue_ids?.includes(id)))
      .map(({ event, stream }) => ({ ...event, stream_id: snap.streams[stream]!.stream_id }));
    return { store: dir, id, count: events.length, events };
  },
  human: (r, out) => {
    for (const e of r.events) {
      const p = e.payload as unknown as Record<string, unknown>;
      let detail = '';
      if (p.kind === 'issue_updated') {
        detail = Object.entries(p.fields as Record<string, unknown>).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
      } else if (p.kind === 'note_appended') detail = String(p.entry).split('\n')[0]!.slice(0, 100);
      else if (p.kind === 'issue_closed') detail = `${String(p.resolution ?? '')} ${String(p.close_reason ?? '')}`.trim();
      else if (p.kind === 'dependency_added' || p.kind === 'dependency_removed') detail = (p.dependency as { depends_on_id: string }).depends_on_id;
      else if (p.kind === 'epic_work_preclaimed') detail = String(p.agent_name);
      else if (p.kind === 'issue_removed' && e.issue_id !== r.id) detail = `(cascade from ${e.issue_id})`;
      out.line(`${e.timestamp}  ${e.actor}  ${e.operation}${detail ? '  ' + detail : ''}`);
    }
    if (!r.events.length) out.line('no events');
  },
};
