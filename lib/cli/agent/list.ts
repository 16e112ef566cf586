/** `sase agent list [-a] [--hidden] [--group G]`: runs by bucket in SASE's display order. */
import type { CommandModule } from '../command.js';
// Static: this module loads only for `sase agent list`, and one import wave is cheaper than several dynamic ones.
import { listAgents, type AgentRow } from '../../agents/list.js';
import { groupAgentStatuses, statusBucketHeader } from '../../agents/status.js';

interface Opts {
  all: boolean;
  hidden: boolean;
  group: string | null;
  recent: number;
}

/** Result of `sase agent list`. */
export interface ListResult {
  agents: AgentRow[];
  buckets: Array<{ bucket: string; header: string; count: number; names: string[] }>;
}

export const command: CommandModule<Opts, ListResult> = {
  meta: { name: 'list', summary: 'Runs grouped by status bucket (-a adds recent finished runs)' },
  define(cmd) {
    cmd
      .option('-a, --all', 'also show recently finished runs')
      .option('--recent <n>', 'how many finished runs -a shows', '50')
      .option('--hidden', 'include %hide runs')
      .option('-g, --group <group>', 'only runs of this %group');
  },
  parse: (raw) => ({
    all: raw.opts.all === true,
    hidden: raw.opts.hidden === true,
    group: (raw.opts.group as string | undefined) ?? null,
    recent: Math.max(0, Number(raw.opts.recent) || 50),
  }),
  async run(ctx, o) {
    const rows = await listAgents(ctx.env, { all: o.all, recent: o.recent, hidden: o.hidden, group: o.group, now: ctx.now() });
    if (rows.some((r) => r.status === 'WAITING')) {
      const { waitReasonOf } = await import('../../orchestration/reason.js');
      for (const r of rows) if (r.status === 'WAITING') (r as ListedAgent).wait_reason = waitReasonOf(r.record_dir);
    }
    const groups = groupAgentStatuses(rows);
    return {
      agents: groups.flatMap((g) => g.agents),
      buckets: groups.map((g) => ({ bucket: g.bucket, header: statusBucketHeader(g.bucket, g.agents.length), count: g.agents.length, names: g.agents.map((a) => a.name) })),
    };
  },
  human(r, out) {
    if (r.agents.length === 0) {
      out.line('No agents running. (sase agent list -a shows finished runs.)');
      return;
    }
    // One write for the whole listing: per bucket a header, then aligned columns (two spaces apart, the last column
    // unpadded, trailing blanks trimmed — the layout of HumanOut.table). Cells carry no colour.
    const lines: string[] = [];
    let i = 0;
    for (const b of r.buckets) {
      lines.push(b.header);
      const cells: string[][] = [];
      const widths = [0, 0, 0, 0, 0];
      for (let k = 0; k < b.count; k++, i++) {
        const a = r.agents[i] as ListedAgent;
        const row = ['  ' + a.name, a.status, a.model, a.group ? `%g:${a.group}` : '', a.created_at.replace('T', ' ').slice(0, 19), a.wait_reason ?? ''];
        for (let c = 0; c < 5; c++) widths[c] = Math.max(widths[c]!, visibleLength(row[c]!));
        cells.push(row);
      }
      for (const row of cells) {
        let line = '';
        for (let c = 0; c < 5; c++) line += row[c]! + ' '.repeat(widths[c]! - visibleLength(row[c]!)) + '  ';
        lines.push((line + row[5]!).trimEnd());
      }
    }
    out.write(lines.join('\n') + '\n');
  },
};

/** A listed row with the wait reason `run` adds to WAITING runs. */
type ListedAgent = AgentRow & { wait_reason?: string | null };

/** Width of a cell as shown (ANSI escapes do not count). */
function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.includes('\u001b') ? s.replace(/\u001b\[[0-9;]*m/g, '').length : s.length;
}
