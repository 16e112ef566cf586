/** `sase sdd links`: every prompt↔artifact link and whether the reverse link is intact. */
import type { CommandModule } from '../command.js';
import { validateTree } from '../../sdd/validate.js';
import type { LinkRow } from '../../sdd/links.js';
import { defineRoot, sddRoot } from './common.js';

/** Result of `sase sdd links`. */
export interface LinksResult {
  root: string;
  links: LinkRow[];
}

export const command: CommandModule<{ root: string }, LinksResult> = {
  meta: { name: 'links', summary: 'Show prompt↔plan links and whether each reverse link is intact' },
  define: (cmd) => defineRoot(cmd),
  parse: (raw, ctx) => ({ root: sddRoot(ctx, raw.opts.root) }),
  run: async (_ctx, o) => ({ root: o.root, links: validateTree(o.root).links }),
  human: (r, out) => {
    const mark = (v: boolean | null): string => (v === true ? 'ok' : v === false ? out.c.red('BROKEN') : '?');
    out.table(
      r.links.map((l) => [l.from, `${l.field}:`, l.target ?? out.c.red(`missing (${l.value ?? 'not a string'})`), mark(l.reverse_ok)]),
      ['FROM', 'FIELD', 'TARGET', 'REVERSE'],
    );
  },
};
