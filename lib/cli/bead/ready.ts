/** `sase bead ready`: unblocked work (current rule: tasks with status ready; `--legacy`: open phases/epics). */
import type { CommandModule } from '../command.js';
import { defineStore, humanBeads, parseStore, readIssues, type BeadJson, type StoreOpts } from './read.js';

interface Opts extends StoreOpts {
  legacy: boolean;
}

/** Result of `sase bead ready`. */
export interface ReadyResult {
  store: string;
  rule: 'current' | 'legacy';
  count: number;
  beads: BeadJson[];
}

export const command: CommandModule<Opts, ReadyResult> = {
  meta: {
    name: 'ready',
    summary: 'List unblocked work ready to start',
    description: 'Current rule (sase-core 2026-07-30): tasks with status "ready" whose dependencies are all closed or missing.\n--legacy: status "open" phases and epic-tier plans that are not blocked.',
  },
  define: (cmd) => {
    cmd.option('--legacy', 'use the pre-2026-07-30 rule (open phases and epics)');
    defineStore(cmd);
  },
  parse: ({ opts }) => ({ ...parseStore(opts), legacy: opts.legacy === true }),
  run: async (ctx, o) => {
    const { dir, source } = await readIssues(ctx, o);
    let beads: BeadJson[];
    if (source.quickRows) beads = source.quickRows(o.legacy ? 'ready_legacy' : 'ready');
    else {
      const { readyIssues } = await import('../../beads/query.js');
      beads = source.rows(readyIssues(source.issues(), { legacy: o.legacy }).map((i) => i.id));
    }
    return { store: dir, rule: o.legacy ? 'legacy' : 'current', count: beads.length, beads };
  },
  human: (r, out) => humanBeads(r.beads, out, 'nothing ready'),
};
