/** `sase agent reindex`: rebuild the `agents/index.jsonl` projection from the record directories. */
import type { CommandModule } from '../command.js';

/** Result of `sase agent reindex`. */
export interface ReindexResult {
  runs: number;
  problems: string[];
  index_path: string;
}

export const command: CommandModule<Record<string, never>, ReindexResult> = {
  meta: { name: 'reindex', summary: 'Rebuild agents/index.jsonl from the record directories' },
  define: () => {},
  parse: () => ({}),
  async run(ctx) {
    const { rebuildIndex } = await import('../../agents/index-store.js');
    const { indexPath } = await import('../../agents/paths.js');
    const r = await rebuildIndex(ctx.env);
    return { ...r, index_path: indexPath(ctx.env) };
  },
  human(r, out) {
    out.line(`indexed ${r.runs} run(s) into ${r.index_path}`);
    for (const p of r.problems) out.warn(`skipped ${p}`);
  },
};
