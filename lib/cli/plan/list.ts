/** `sase plan list [--all]`: pending plans (with --all: approved, rejected and handled ones too). */
import type { CommandModule } from '../command.js';
import { listPlanEntries, type PlanStatus } from '../../plans/store.js';

/** One listed plan. */
export interface PlanRow {
  id: string;
  id_prefix: string;
  status: PlanStatus;
  plan_file: string | null;
  title: string | null;
  tier: string | null;
  proposed_by: string | null;
  version: number | null;
  previous_id: string | null;
  timestamp: number | null;
  response: string | null;
}

/** Result of `sase plan list`. */
export interface PlanListResult {
  plans: PlanRow[];
}

function shortest(ids: string[], id: string): string {
  for (let n = 4; n < id.length; n++) {
    const p = id.slice(0, n);
    if (ids.filter((x) => x.startsWith(p)).length === 1) return p;
  }
  return id;
}

export const command: CommandModule<{ all: boolean }, PlanListResult> = {
  meta: { name: 'list', summary: 'List proposed plans (Proposed / Approved / Rejected)' },
  define: (cmd) => cmd.option('-a, --all', 'include answered and handled plans'),
  parse: (raw) => ({ all: raw.opts.all === true }),
  run: async (ctx, o) => {
    const entries = listPlanEntries(ctx.env);
    const ids = entries.map((e) => e.id);
    return {
      plans: entries
        .filter((e) => o.all || e.status === 'proposed')
        .map((e) => ({
          id: e.id,
          id_prefix: shortest(ids, e.id),
          status: e.status,
          plan_file: e.request?.plan_file ?? null,
          title: e.request?.title ?? null,
          tier: e.request?.tier ?? null,
          proposed_by: e.request?.proposed_by ?? null,
          version: e.request?.version ?? null,
          previous_id: e.request?.previous_id ?? null,
          timestamp: e.request?.timestamp ?? null,
          response: e.response?.action ?? null,
        })),
    };
  },
  human: (r, out) => {
    if (r.plans.length === 0) return out.line('no plans');
    for (const section of ['proposed', 'approved', 'rejected', 'handled'] as const) {
      const rows = r.plans.filter((p) => p.status === section);
      if (rows.length === 0) continue;
      out.line(out.c.bold(section[0]!.toUpperCase() + section.slice(1)));
      out.table(rows.map((p) => [p.id_prefix, p.tier ?? '-', `v${p.version ?? 1}`, p.proposed_by ?? '-', p.title ?? p.plan_file ?? '']));
    }
  },
};
