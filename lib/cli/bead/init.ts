/** `sase bead init`: create an empty bead store, its .gitignore and the .gitattributes merge-driver line. */
import { basename } from 'node:path';
import type { CommandModule } from '../command.js';
import { initStore, type InitResult } from '../../beads/init.js';
import { findRepoRoot } from '../../store/paths.js';
import { defineStore, parseStore, storeDir, type StoreOpts } from './common.js';

interface Opts extends StoreOpts {
  prefix?: string;
  owner?: string;
  git: boolean;
}

/** Result of `sase bead init`: the store files, plus the per-clone git setup with `--git`. */
export interface InitCommandResult extends InitResult {
  git_setup?: unknown;
}

export const command: CommandModule<Opts, InitCommandResult> = {
  meta: {
    name: 'init',
    summary: 'Create a bead store (config, manifest, .gitignore, .gitattributes)',
    description: 'The merge driver is registered per clone (git never copies config or hooks): pass --git, or run\n  sase bead merge-driver --install\nSee docs/beads-git.md.',
  },
  define: (cmd) => {
    cmd
      .option('--prefix <prefix>', 'issue id prefix (default: the repository directory name, else sase)')
      .option('--owner <email>', 'store owner')
      .option('--git', "also register the merge driver and reconcile hooks in this clone (as 'merge-driver --install')");
    defineStore(cmd);
  },
  parse: ({ opts }) => ({ ...parseStore(opts), prefix: opts.prefix as string | undefined, owner: opts.owner as string | undefined, git: opts.git === true }),
  run: async (ctx, o) => {
    const dir = storeDir(ctx, o, false);
    const repo = findRepoRoot(ctx.cwd);
    const prefix = o.prefix ?? (repo ? basename(repo).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'sase' : 'sase');
    const r: InitCommandResult = await initStore(dir, { prefix, owner: o.owner });
    if (o.git) {
      const { installGitMergeSetup } = await import('../../beads/merge/setup.js');
      r.git_setup = await installGitMergeSetup(dir, { env: ctx.env });
    }
    return r;
  },
  human: (r, out) => {
    out.line(`bead store at ${r.store}`);
    for (const c of r.created) out.line(`  created ${c}`);
    if (r.git_setup) out.line('  registered the sase-beads merge driver and reconcile hooks in this clone');
    else if (r.repo) out.line("  run 'sase bead merge-driver --install' once per clone to register the merge driver");
  },
};
