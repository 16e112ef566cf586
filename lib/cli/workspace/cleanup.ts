/** `sase workspace cleanup --stale [-n] [--include-shares] [-p PROJECT]`: remove stale unclaimed checkouts safely. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { defineProject, projectContext, projectOpt } from './common.js';
import { cleanupStale, type CleanupResult } from '../../workspace/cleanup.js';

interface CleanupOpts {
  project?: string;
  dryRun: boolean;
  includeShares: boolean;
}

export const command: CommandModule<CleanupOpts, CleanupResult> = {
  meta: {
    name: 'cleanup',
    summary: 'Remove unclaimed checkouts older than workspace.cleanup_ttl_days (never ones holding unpushed work)',
  },
  define: (cmd) => {
    cmd.option('-s, --stale', 'remove stale checkouts (required)');
    cmd.option('-n, --dry-run', 'report what would be removed');
    cmd.option('--include-shares', 'also clean workflow-share checkouts');
    defineProject(cmd);
  },
  parse: (raw) => {
    if (!raw.opts.stale) throw new UsageError('nothing to do: pass --stale', { hint: 'sase workspace cleanup --stale [-n]' });
    return { project: projectOpt(raw.opts), dryRun: raw.opts.dryRun === true, includeShares: raw.opts.includeShares === true };
  },
  run: async (ctx, o) => {
    const { config, layout } = await projectContext(ctx, o.project);
    return cleanupStale(layout, { env: ctx.env, now: ctx.now(), config, dryRun: o.dryRun, includeShares: o.includeShares, pid: process.pid });
  },
  human: (r, out) => {
    if (r.items.length === 0) return out.line(`${r.project}: no numbered checkouts`);
    for (const i of r.items) {
      const verb = i.action === 'removed' ? (r.dry_run ? 'would remove' : 'removed') : i.action;
      out.line(`#${i.num}  ${verb}  ${i.reason}  ${i.dir}`);
    }
  },
};
