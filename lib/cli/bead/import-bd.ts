/**
 * `sase bead import-bd FILE`: import a steveyegge/beads (`bd`) JSONL export into the store as events (spec §D),
 * with a report of what was mapped, converted and dropped (`--json`: `data.report`).
 */
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { appendEvents } from '../../beads/write.js';
import { storeExists } from '../../beads/paths.js';
import { initStore } from '../../beads/init.js';
import { planBdImport, readBdFile } from '../../beads/bd/import.js';
import type { BdImportReport } from '../../beads/bd/types.js';
import { commitBeadMutation } from '../../beads/git-commit.js';
import { actorFor, defineWrite, parseWrite, storeDir, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  file: string;
  dryRun: boolean;
}

/** Result of `sase bead import-bd`. */
export interface ImportBdResult {
  store: string;
  file: string;
  dry_run: boolean;
  /** Events appended (0 on a re-import of the same file). */
  appended: number;
  /** Issues in the store afterwards. */
  store_issues: number;
  written: string[];
  report: BdImportReport;
  commit?: { committed: boolean; sha?: string };
}

export const command: CommandModule<Opts, ImportBdResult> = {
  meta: { name: 'import-bd', summary: 'Import a bd (steveyegge/beads) issues.jsonl as bead events, with a mapping report' },
  define: (cmd) => {
    cmd.argument('<file>', 'bd JSONL export (.beads/issues.jsonl)');
    defineWrite(cmd);
    cmd.option('--dry-run', 'plan the import and print the report without writing');
  },
  parse: (raw) => {
    const file = raw.args[0];
    if (typeof file !== 'string' || !file) throw new UsageError('import-bd needs a FILE');
    return { ...parseWrite(raw.opts), file, dryRun: raw.opts.dryRun === true };
  },
  run: async (ctx, o) => {
    const dir = storeDir(ctx, o, false);
    const rows = readBdFile(isAbsolute(o.file) ? o.file : resolve(ctx.cwd, o.file));
    const plan = planBdImport(rows, { source: o.file, actor: actorFor(ctx, dir), now: ctx.now() });
    const fresh = !storeExists(dir);
    if (o.dryRun) {
      return { store: dir, file: o.file, dry_run: true, appended: 0, store_issues: 0, written: [], report: plan.report };
    }
    // A new store is initialised like `sase bead init` (config with the bd prefix, manifest, .gitignore).
    if (fresh) await initStore(dir, { prefix: plan.prefix });
    const r = await appendEvents(dir, plan.events, { wait: o.wait, timeoutMs: o.timeoutMs, operation: 'import-bd' });
    const result: ImportBdResult = {
      store: dir,
      file: o.file,
      dry_run: false,
      appended: r.appended.length,
      store_issues: r.issues.length,
      written: r.written,
      report: plan.report,
    };
    if (o.commit && r.written.length) {
      const files = fresh ? [...r.written, '.gitignore', '.gitattributes', 'config.json', 'events/manifest.json'] : r.written;
      const c = await commitBeadMutation(dir, files.filter((f) => existsSync(join(dir, f))), 'import bd issues from', [basename(o.file)], { env: ctx.env });
      result.commit = { committed: c.committed, sha: c.sha };
    }
    return result;
  },
  human: (r, out) => {
    const c = r.report.counts;
    out.line(`${r.dry_run ? 'would import' : 'imported'} ${r.report.issues} bd issues from ${r.file} into ${r.store}`);
    out.line(`  ${c.plans} plans, ${c.phases} phases, ${c.tasks} tasks; ${c.dependencies} dependencies, ${c.refs} refs, ${c.notes} notes; ${c.events} events in ${c.streams} streams (${r.appended} new)`);
    for (const [field, groups] of Object.entries(r.report.converted)) {
      for (const [what, ids] of Object.entries(groups)) out.line(`  converted ${field} ${what}: ${ids.length}`);
    }
    if (r.report.dangling_dependencies.length) out.line(`  dangling dependencies kept as refs: ${r.report.dangling_dependencies.length}`);
    for (const [field, ids] of Object.entries(r.report.dropped)) out.line(`  dropped ${field}: ${ids.length} issues`);
    if (r.commit) out.line(r.commit.committed ? `  committed ${r.commit.sha?.slice(0, 12)}` : '  nothing to commit');
  },
};
