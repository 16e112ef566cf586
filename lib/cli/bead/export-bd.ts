/**
 * `sase bead export-bd [-o FILE]`: write the store's beads as steveyegge/beads (`bd`) JSONL (spec §D), with a
 * report of converted values and of the SASE fields carried in bd's `metadata`.
 */
import { isAbsolute, resolve } from 'node:path';
import type { CommandModule } from '../command.js';
import { writeFileAtomic } from '../../store/index.js';
import { loadStore } from '../../beads/read.js';
import { exportBd, renderBdJsonl } from '../../beads/bd/export.js';
import type { BdExportReport, BdIssue } from '../../beads/bd/types.js';
import { defineStore, legacyPlusOne, parseStore, storeDir, type StoreOpts } from './common.js';

interface Opts extends StoreOpts {
  output?: string;
}

/** Result of `sase bead export-bd`. Rows are included when no output file is given. */
export interface ExportBdResult {
  store: string;
  output: string | null;
  report: BdExportReport;
  issues?: BdIssue[];
}

export const command: CommandModule<Opts, ExportBdResult> = {
  meta: { name: 'export-bd', summary: 'Export beads as bd (steveyegge/beads) JSONL, with a mapping report' },
  define: (cmd) => {
    defineStore(cmd);
    cmd.option('-o, --output <file>', 'write the JSONL here (default: stdout; with --json under data.issues)');
  },
  parse: (raw) => ({ ...parseStore(raw.opts), output: typeof raw.opts.output === 'string' ? raw.opts.output : undefined }),
  run: async (ctx, o) => {
    const dir = storeDir(ctx, o);
    const { issues } = await loadStore(dir, { legacyPlusOne: legacyPlusOne(ctx) });
    const { rows, report } = exportBd(issues);
    if (o.output) {
      const out = isAbsolute(o.output) ? o.output : resolve(ctx.cwd, o.output);
      await writeFileAtomic(out, renderBdJsonl(rows));
      return { store: dir, output: out, report };
    }
    return { store: dir, output: null, report, issues: rows };
  },
  human: (r, out) => {
    if (r.issues) {
      out.write(renderBdJsonl(r.issues));
      return;
    }
    out.line(`exported ${r.report.issues} beads to ${r.output}`);
    for (const [field, groups] of Object.entries(r.report.converted)) {
      for (const [what, ids] of Object.entries(groups)) out.line(`  converted ${field} ${what}: ${ids.length}`);
    }
    for (const [field, ids] of Object.entries(r.report.metadata_fields)) out.line(`  metadata.${field}: ${ids.length} beads`);
  },
};
