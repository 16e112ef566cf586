/** `sase bead init`: create an empty bead store, its .gitignore and the .gitattributes merge-driver line. */
import { basename } from 'node:path';
import type { CommandModule } from '../command.js';
import { initStore, type InitResult } from '../../beads/init.js';
import { findRepoRoot } from '../../store/paths.js';
import { defineStore, parseStore, storeDir, type StoreOpts } from './common.js';

interface Opts extends StoreOpts {
  prefix?: string;
  owner?: string;
}

export const command: CommandModule<Opts, InitResult> = {
  meta: {
    name: 'init',
    summary: 'Create a bead store (config, manifest, .gitignore, .gitattributes)',
    description: 'Register the merge driver once per clone:\n  git config merge.sase-beads.name "sase bead stream union merge"\n  git config merge.sase-beads.driver "sase bead merge-driver %O %A %B"',
  },
  define: (cmd) => {
    cmd.option('--prefix <prefix>', 'issue id prefix (default: the repository directory name, else sase)').option('--owner <email>', 'store owner');
    defineStore(cmd);
  },
  parse: ({ opts }) => ({ ...parseStore(opts), prefix: opts.prefix as string | undefined, owner: opts.owner as string | undefined }),
  run: async (ctx, o) => {
    const dir = storeDir(ctx, o, false);
    const repo = findRepoRoot(ctx.cwd);
    const prefix = o.prefix ?? (repo ? basename(repo).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'sase' : 'sase');
    return initStore(dir, { prefix, owner: o.owner });
  },
  human: (r, out) => {
    out.line(`bead store at ${r.store}`);
    for (const c of r.created) out.line(`  created ${c}`);
    if (r.gitattributes_line) out.line(`  .gitattributes: ${r.gitattributes_line}`);
  },
};
