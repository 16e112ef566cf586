/** `sase sdd list [-k kind]`: SDD markdown artifacts by kind, and the layout the tree uses. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { scanArtifacts } from '../../sdd/scan.js';
import { detectLayout, type SddLayout } from '../../sdd/layout.js';
import { defineRoot, sddRoot } from './common.js';

const KINDS = ['prompts', 'tales', 'epics', 'legends', 'plans', 'all'] as const;
const KIND_OF: Record<string, string> = { prompts: 'prompt', tales: 'tale', epics: 'epic', legends: 'legend', plans: 'plan' };

/** One listed artifact. */
export interface ListedArtifact {
  path: string;
  kind: string;
  month: string | null;
  name: string;
  title: string | null;
  status: string | null;
  link: string | null;
}

/** Result of `sase sdd list`. */
export interface ListResult {
  root: string;
  layout: SddLayout;
  kind: string;
  artifacts: ListedArtifact[];
}

export const command: CommandModule<{ root: string; kind: string }, ListResult> = {
  meta: { name: 'list', summary: 'List SDD artifacts (prompts, tales, epics, legends) and the layout in use' },
  define: (cmd) => {
    defineRoot(cmd);
    cmd.option('-k, --kind <kind>', `one of ${KINDS.join(', ')}`, 'all');
  },
  parse: (raw, ctx) => {
    const kind = String(raw.opts.kind ?? 'all').replace(/^(prompt|tale|epic|legend|plan)$/, '$1s');
    if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown kind ${JSON.stringify(raw.opts.kind)}`, { hint: `use one of ${KINDS.join(', ')}` });
    return { root: sddRoot(ctx, raw.opts.root), kind };
  },
  run: async (_ctx, o) => {
    const arts = scanArtifacts(o.root).filter((a) => o.kind === 'all' || a.kind === KIND_OF[o.kind]);
    return {
      root: o.root,
      layout: detectLayout(o.root),
      kind: o.kind,
      artifacts: arts.map((a) => ({
        path: a.rel,
        kind: a.kind,
        month: a.month,
        name: a.name,
        title: typeof a.data.title === 'string' ? a.data.title : null,
        status: typeof a.data.status === 'string' ? a.data.status : null,
        link: a.link?.value ?? null,
      })),
    };
  },
  human: (r, out) => {
    out.line(`${r.root} (layout: ${r.layout.layout}${r.layout.generation ? `, gen ${r.layout.generation}` : ''})`);
    out.table(
      r.artifacts.map((a) => [a.kind, a.path, a.status ?? '', a.title ?? '']),
      ['KIND', 'PATH', 'STATUS', 'TITLE'],
    );
  },
};
