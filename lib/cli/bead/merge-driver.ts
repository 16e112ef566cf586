/**
 * `sase bead merge-driver %O %A %B [%P]` — git merge driver for bead store files (per-stream 3-way event union,
 * spec §B.11); `--install` registers it in the current clone; `--reconcile` is the post-merge step (stages
 * relocated streams, regenerates manifest, counter and issues.jsonl). See docs/beads-git.md.
 */
import { isAbsolute, resolve } from 'node:path';
import { binScript } from '../../package.js';
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { locateStore } from '../../beads/paths.js';
import { runMergeDriver, type MergeDriverResult } from '../../beads/merge/driver.js';
import { installGitMergeSetup, shellQuote, type GitSetupResult } from '../../beads/merge/setup.js';
import { reconcileStore, type ReconcileResult } from '../../beads/merge/reconcile.js';

type Opts =
  | { mode: 'merge'; base: string; ours: string; theirs: string; pathname?: string }
  | { mode: 'install'; store?: string; command?: string; noHooks: boolean }
  | { mode: 'reconcile'; store?: string; commit: boolean };

type Result =
  | ({ mode: 'merge' } & MergeDriverResult)
  | ({ mode: 'install' } & GitSetupResult)
  | ({ mode: 'reconcile' } & ReconcileResult);

/** The command that re-invokes this very build of sase (`'<node>' '<…>/bin/sase.cjs'`). */
function selfCommand(): string {
  const bin = binScript('sase');
  return `${shellQuote(process.execPath)} ${shellQuote(bin)}`;
}

export const command: CommandModule<Opts, Result> = {
  meta: {
    name: 'merge-driver',
    summary: 'Git merge driver for bead stores (3-way event union); --install / --reconcile',
    description: [
      '',
      'As a git merge driver (registered by --install or `git config merge.sase-beads.driver "sase bead merge-driver %O %A %B %P"`):',
      '  merges one store file three ways, writes the result into %A, exits 1 on a real conflict (rewritten history).',
      '--install     register the driver, write <store>/.gitattributes and post-merge/post-rewrite hooks in this clone',
      '--reconcile   after a merge: stage relocated streams, fix manifest/config, regenerate issues.jsonl (--commit to commit)',
    ].join('\n'),
  },
  define: (cmd) => {
    cmd.argument('[files...]', '%O %A %B [%P]: base, ours (result), theirs, and the path in the repository');
    cmd.option('--install', 'set up the driver, .gitattributes and hooks in this clone');
    cmd.option('--reconcile', 'post-merge step: stage relocated streams, regenerate manifest, config and issues.jsonl');
    cmd.option('--commit', 'with --reconcile: commit the changes (chore(beads): … / SASE_TYPE=beads)');
    cmd.option('--store <dir>', 'bead store (default: $SASE_BEADS_DIR, else <repo>/sdd/beads)');
    cmd.option('--driver-command <cmd>', 'with --install: how git and hooks run sase (default: this sase build)');
    cmd.option('--no-hooks', 'with --install: do not install the post-merge / post-rewrite hooks');
  },
  parse: (raw) => {
    const files = (raw.args[0] as string[] | undefined) ?? [];
    const o = raw.opts;
    const store = typeof o.store === 'string' ? o.store : undefined;
    if (o.install && o.reconcile) throw new UsageError('--install and --reconcile are exclusive');
    if (o.install) {
      if (files.length) throw new UsageError('--install takes no file arguments');
      return { mode: 'install', store, command: typeof o.driverCommand === 'string' ? o.driverCommand : undefined, noHooks: o.hooks === false };
    }
    if (o.reconcile) {
      if (files.length) throw new UsageError('--reconcile takes no file arguments');
      return { mode: 'reconcile', store, commit: o.commit === true };
    }
    if (files.length < 3 || files.length > 4) {
      throw new UsageError('expected %O %A %B [%P] (base, ours, theirs, path)', { hint: 'or pass --install / --reconcile' });
    }
    return { mode: 'merge', base: files[0]!, ours: files[1]!, theirs: files[2]!, pathname: files[3] };
  },
  run: async (ctx, o) => {
    if (o.mode === 'merge') {
      const abs = (p: string): string => (isAbsolute(p) ? p : resolve(ctx.cwd, p));
      const r = await runMergeDriver({
        basePath: abs(o.base),
        oursPath: abs(o.ours),
        theirsPath: abs(o.theirs),
        pathname: o.pathname,
        repoDir: ctx.cwd,
        env: ctx.env,
        now: ctx.now(),
      });
      return { mode: 'merge', ...r };
    }
    const store = locateStore({ store: o.store, env: ctx.env, cwd: ctx.cwd, mustExist: o.mode === 'reconcile' });
    if (o.mode === 'install') {
      const r = await installGitMergeSetup(store, { env: ctx.env, command: o.command ?? selfCommand(), noHooks: o.noHooks });
      return { mode: 'install', ...r };
    }
    const r = await reconcileStore(store, { env: ctx.env, commit: o.commit });
    return { mode: 'reconcile', ...r };
  },
  exitCode: (r) => (r.mode === 'merge' && r.conflict ? 1 : 0),
  human: (r, out) => {
    if (r.mode === 'merge') {
      if (r.conflict) out.warn(`sase-beads: CONFLICT in ${r.path}: ${r.conflict}`);
      for (const x of r.relocations) out.warn(`sase-beads: ${r.path}: both sides created ${x.old_id}; moved one to ${x.new_id}`);
      return;
    }
    if (r.mode === 'install') {
      out.line(`merge driver '${'sase-beads'}' registered in ${r.repo}`);
      out.line(`${r.gitattributes.path}${r.gitattributes.changed ? ' updated' : ' already up to date'}`);
      for (const h of r.hooks) out.line(`hook ${h}`);
      return;
    }
    out.line(`${r.store}: ${r.stream_count} streams, next_counter ${r.next_counter}, issues.jsonl ${r.projection}`);
    for (const x of r.relocations) out.line(`relocated ${x.old_id} -> ${x.new_id} (stream ${x.stream_id}.jsonl staged)`);
    if (r.commit) out.line(r.commit.committed ? `committed ${r.commit.sha?.slice(0, 12)}` : 'nothing to commit');
  },
};
