/** `sase bead project`: regenerate issues.jsonl from the events (`--check` for drift, `--stdout` to print). */
import { storePaths } from '../../beads/paths.js';
import { foldSnapshot, readStore } from '../../beads/read.js';
import { renderProjection } from '../../beads/project.js';
import { withLock } from '../../store/lock.js';
import { writeFileAtomic } from '../../store/atomic.js';
import type { CommandModule } from '../command.js';
import { defineWrite, legacyPlusOne, parseWrite, storeDir, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  check: boolean;
  stdout: boolean;
  legacyPlusOne: boolean;
}

/** Result of `sase bead project`. */
export interface ProjectResult {
  store: string;
  rows: number;
  drift: boolean;
  written: boolean;
  /** True with --stdout (the projection went to stdout, or under `projection` in JSON mode). */
  printed?: boolean;
  /** Only with --stdout in JSON mode. */
  projection?: string;
}

export const command: CommandModule<Opts, ProjectResult> = {
  meta: {
    name: 'project',
    summary: 'Regenerate issues.jsonl from the events',
    description: '--legacy-plus-one (or SASE_BEAD_LEGACY_PLUS_ONE=1) keeps the assignee when a +1 reopens a closed task,\nreproducing projections written before 2026-08-10.',
  },
  define: (cmd) => {
    cmd
      .option('--check', 'exit non-zero (6) when issues.jsonl differs from the fold; write nothing')
      .option('--stdout', 'print the projection instead of writing it')
      .option('--legacy-plus-one', 'use the pre-2026-08-10 +1 rule (keep the assignee on reopen)');
    defineWrite(cmd);
  },
  parse: ({ opts }) => ({ ...parseWrite(opts), check: opts.check === true, stdout: opts.stdout === true, legacyPlusOne: opts.legacyPlusOne === true }),
  run: async (ctx, o) => {
    const dir = storeDir(ctx, o);
    const legacy = o.legacyPlusOne || legacyPlusOne(ctx);
    const snap = await readStore(dir);
    const text = renderProjection(foldSnapshot(snap, { legacyPlusOne: legacy }));
    const rows = text === '' ? 0 : text.split('\n').length - 1;
    const drift = snap.projectionText !== text;
    if (o.stdout) {
      if (!ctx.json) ctx.io.stdout.write(text);
      return { store: dir, rows, drift, written: false, printed: true, ...(ctx.json ? { projection: text } : {}) };
    }
    if (o.check || !drift || snap.kind !== 'events') return { store: dir, rows, drift, written: false };
    const paths = storePaths(dir);
    await withLock(paths.lockTarget, async () => {
      const again = renderProjection(foldSnapshot(await readStore(dir), { legacyPlusOne: legacy }));
      await writeFileAtomic(paths.projection, again);
    }, { wait: o.wait, timeoutMs: o.timeoutMs });
    return { store: dir, rows, drift, written: true };
  },
  exitCode: (r) => (r.drift && !r.written && !r.printed ? 6 : 0),
  human: (r, out) => {
    if (r.printed) return;
    if (r.written) out.line(`wrote issues.jsonl (${r.rows} rows)`);
    else if (r.drift) out.line(`issues.jsonl differs from the fold (${r.rows} rows expected)`);
    else out.line(`issues.jsonl is up to date (${r.rows} rows)`);
  },
};
