/** `sase agent list [-a] [--hidden] [--group G]`: runs by bucket in SASE's display order. */
import type { CommandModule } from '../command.js';
import type { AgentRow } from '../../agents/list.js';

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
    const { listAgents } = await import('../../agents/list.js');
    const { groupAgentStatuses, statusBucketHeader } = await import('../../agents/status.js');
    const rows = await listAgents(ctx.env, { all: o.all, recent: o.recent, hidden: o.hidden, group: o.group, now: ctx.now() });
    const { waitReasonOf } = await import('../../orchestration/reason.js');
    for (const r of rows) if (r.status === 'WAITING') (r as AgentRow & { wait_reason?: string | null }).wait_reason = waitReasonOf(r.record_dir);
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
    let i = 0;
    for (const b of r.buckets) {
      out.line(b.header);
      const rows: string[][] = [];
      for (let k = 0; k < b.count; k++, i++) {
        const a = r.agents[i]!;
        rows.push(['  ' + a.name, a.status, a.model, a.group ? `%g:${a.group}` : '', a.created_at.replace('T', ' ').slice(0, 19), (a as AgentRow & { wait_reason?: string | null }).wait_reason ?? '']);
      }
      out.table(rows);
    }
  },
};
