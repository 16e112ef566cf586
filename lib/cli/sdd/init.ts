/** `sase sdd init`: create the SDD tree (prompts/, tales/, epics/, beads/) with short READMEs. */
import type { CommandModule } from '../command.js';
import { initTree, type InitResult } from '../../sdd/init.js';
import { defineRoot, sddRoot } from './common.js';

export const command: CommandModule<{ root: string }, InitResult> = {
  meta: { name: 'init', summary: 'Create the SDD tree and its README files (safe to re-run)' },
  define: (cmd) => defineRoot(cmd),
  parse: (raw, ctx) => ({ root: sddRoot(ctx, raw.opts.root) }),
  run: (_ctx, o) => initTree(o.root),
  human: (r, out) => {
    out.line(`SDD tree at ${r.root}`);
    for (const d of r.created_dirs) out.line(`  created ${d}`);
    for (const f of r.written) out.line(`  wrote   ${f}`);
    if (r.created_dirs.length + r.written.length === 0) out.line('  already up to date');
  },
};
