/** `sase bead blocked`: active beads with an active dependency (spec §B.8). */
import type { CommandModule } from '../command.js';
import { beadLine, defineStore, parseStore, readIssues, type BeadJson, type StoreOpts } from './read.js';

/** Result of `sase bead blocked`: each bead carries `blocked_by` (ids of active dependency targets). */
export interface BlockedResult {
  store: string;
  count: number;
  beads: (BeadJson & { blocked_by: string[] })[];
}

export const command: CommandModule<StoreOpts, BlockedResult> = {
  meta: { name: 'blocked', summary: 'List active beads blocked by active dependencies' },
  define: (cmd) => {
    defineStore(cmd);
  },
  parse: ({ opts }) => parseStore(opts),
  run: async (ctx, o) => {
    const { dir, source } = await readIssues(ctx, o);
    const list: [string, string[]][] = source.quick
      ? source.quick.blocked
      : (await import('../../beads/query.js')).blockedIssues(source.issues()).map((b) => [b.issue.id, b.blocked_by]);
    const rows = source.rows(list.map(([id]) => id));
    const beads = list.map(([, blockedBy], k) => ({ ...rows[k]!, blocked_by: blockedBy }));
    return { store: dir, count: beads.length, beads };
  },
  human: (r, out) => {
    if (r.beads.length === 0) out.line('nothing blocked');
    else out.table(r.beads.map((b) => [...beadLine(b), `blocked by ${b.blocked_by.join(', ')}`]));
  },
};
