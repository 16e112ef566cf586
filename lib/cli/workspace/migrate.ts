/**
 * `sase workspace migrate --to xdg-state [-s] [-n]` and `sase workspace migrate --finalize [-n]`: move adjacent
 * `<primary>_<num>` checkouts under the managed root, and later drop the transition symlinks. Exits 4 when any
 * checkout was skipped.
 */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { defineProject, projectContext, projectOpt } from './common.js';
import { finalizeMigration, migrateToXdgState, type MigrateResult } from '../../workspace/migrate.js';

interface MigrateOpts {
  project?: string;
  finalize: boolean;
  symlinkTransition: boolean;
  dryRun: boolean;
}

export const command: CommandModule<MigrateOpts, MigrateResult> = {
  meta: { name: 'migrate', summary: 'Move adjacent checkouts to the xdg-state root (--to xdg-state) or drop transition symlinks (--finalize)' },
  define: (cmd) => {
    cmd.option('--to <root>', 'target root policy (only xdg-state)');
    cmd.option('-s, --symlink-transition', 'leave a symlink at each old <primary>_<num> path');
    cmd.option('--finalize', 'remove the transition symlinks');
    cmd.option('-n, --dry-run', 'report the planned actions only');
    defineProject(cmd);
  },
  parse: (raw) => {
    const to = raw.opts.to;
    const finalize = raw.opts.finalize === true;
    if (finalize === (to !== undefined)) throw new UsageError('pass exactly one of --to xdg-state or --finalize');
    if (to !== undefined && to !== 'xdg-state') throw new UsageError(`--to only accepts xdg-state, got ${String(to)}`);
    if (finalize && raw.opts.symlinkTransition) throw new UsageError('--symlink-transition only applies to --to xdg-state');
    return { project: projectOpt(raw.opts), finalize, symlinkTransition: raw.opts.symlinkTransition === true, dryRun: raw.opts.dryRun === true };
  },
  run: async (ctx, o) => {
    const { layout } = await projectContext(ctx, o.project);
    const base = { env: ctx.env, now: ctx.now(), dryRun: o.dryRun };
    return o.finalize ? finalizeMigration(layout, base) : migrateToXdgState(layout, { ...base, symlinkTransition: o.symlinkTransition, pid: process.pid });
  },
  exitCode: (r) => (r.skipped > 0 ? 4 : 0),
  human: (r, out) => {
    if (r.items.length === 0) return out.line(`${r.project}: nothing to ${r.mode === 'finalize' ? 'finalize' : 'migrate'}`);
    for (const i of r.items) {
      const verb = r.dry_run && i.action !== 'skipped' ? `would be ${i.action}` : i.action;
      out.line(`#${i.num}  ${verb}  ${i.from}${i.to ? ` -> ${i.to}` : ''}${i.reason ? `  (${i.reason})` : ''}`);
    }
    if (r.skipped > 0) out.warn(`${r.skipped} checkout(s) skipped`);
  },
};
