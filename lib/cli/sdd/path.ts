/** `sase sdd path [kind]`: the effective SDD root (or a kind directory) and the layout it uses. */
import { join } from 'node:path';
import type { CommandModule } from '../command.js';
import { detectLayout, type SddLayout } from '../../sdd/layout.js';
import { defineRoot, sddRoot } from './common.js';

/** Result of `sase sdd path`. */
export interface PathResult {
  root: string;
  path: string;
  layout: SddLayout;
}

export const command: CommandModule<{ root: string; kind?: string }, PathResult> = {
  meta: { name: 'path', summary: 'Print the SDD root (or a kind directory) and its layout' },
  define: (cmd) => {
    defineRoot(cmd);
    cmd.argument('[kind]', 'prompts, tales, epics, beads, research, …');
  },
  parse: (raw, ctx) => ({ root: sddRoot(ctx, raw.opts.root), kind: typeof raw.args[0] === 'string' ? raw.args[0] : undefined }),
  run: async (_ctx, o) => ({ root: o.root, path: o.kind ? join(o.root, o.kind) : o.root, layout: detectLayout(o.root) }),
  human: (r, out) => out.line(r.path),
};
