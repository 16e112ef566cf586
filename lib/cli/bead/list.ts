/** `sase bead list`: beads by filter (default: active statuses; `--all` includes closed). */
import type { CommandModule } from '../command.js';
import type { ListFilter } from '../../beads/query.js';
import { BEAD_ISSUE_TYPES, BEAD_STATUSES, BEAD_TIERS } from '../../beads/types.js';
import { defineStore, enumList, humanBeads, parseStore, readIssues, type BeadJson, type StoreOpts } from './read.js';

interface Opts extends StoreOpts {
  filter: ListFilter;
}

/** Result of `sase bead list`. */
export interface ListResult {
  store: string;
  count: number;
  beads: BeadJson[];
}

export const command: CommandModule<Opts, ListResult> = {
  meta: { name: 'list', summary: 'List beads (default: active ones)' },
  define: (cmd) => {
    cmd
      .option('--status <statuses>', `filter by status (comma-separated): ${BEAD_STATUSES.join(', ')}`)
      .option('-t, --type <types>', 'filter by type: plan, phase, task')
      .option('--tier <tiers>', 'filter by plan tier: epic, plan')
      .option('-p, --parent <id>', 'only children of this bead')
      .option('--assignee <name>', 'only beads assigned to this name')
      .option('-a, --all', 'include closed beads')
      .option('-n, --limit <n>', 'closed-only listings: how many of the newest to show (default 20)');
    defineStore(cmd);
  },
  parse: ({ opts }) => ({
    ...parseStore(opts),
    filter: {
      status: enumList('status', opts.status, BEAD_STATUSES),
      type: enumList('type', opts.type, BEAD_ISSUE_TYPES),
      tier: enumList('tier', opts.tier, BEAD_TIERS),
      parent: opts.parent as string | undefined,
      assignee: opts.assignee as string | undefined,
      all: opts.all === true,
      closedLimit: opts.limit !== undefined ? Number(opts.limit) : undefined,
    },
  }),
  run: async (ctx, o) => {
    const { dir, source } = await readIssues(ctx, o);
    const f = o.filter;
    const plain = !f.all && !f.status && !f.type && !f.tier && f.parent === undefined && f.assignee === undefined;
    if (plain && source.quickRows) {
      const beads = source.quickRows('active');
      return { store: dir, count: beads.length, beads };
    }
    const [{ listIssues }, { resolveId }] = await Promise.all([import('../../beads/query.js'), import('../../beads/ids.js')]);
    const issues = source.issues();
    const filter = { ...f };
    if (filter.parent !== undefined) filter.parent = resolveId(filter.parent, issues.map((i) => i.id));
    const beads = source.rows(listIssues(issues, filter).map((i) => i.id));
    return { store: dir, count: beads.length, beads };
  },
  human: (r, out) => humanBeads(r.beads, out),
};
