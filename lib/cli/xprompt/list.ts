/** `sase xprompt list`: every visible xprompt and workflow with its kind, source, prefix and inputs. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { defineXpromptsDir, xpromptsDirs } from './index.js';
import { catalogEntry, type CatalogEntry } from '../../xprompt/catalog-entry.js';
// Static on purpose: loaded only to run `list`; one graph loads in parallel (start-up time).
import { loadCatalog } from '../../xprompt/catalog.js';
import type { LoadIssue, XpromptKind } from '../../xprompt/types.js';

interface ListOptions {
  /** Only names containing this text (lower-cased, a leading `#`/`#!` dropped; matched case-insensitively). */
  filter: string | null;
  extraDirs: string[];
  kind: XpromptKind | null;
  source: string | null;
}

/** Result of `sase xprompt list`. */
export interface ListResult {
  xprompts: CatalogEntry[];
  issues: LoadIssue[];
}

const KINDS: XpromptKind[] = ['xprompt', 'embeddable_workflow', 'standalone_workflow'];

export const command: CommandModule<ListOptions, ListResult> = {
  meta: {
    name: 'list',
    summary: 'List visible xprompts and workflows (name, kind, source, inputs)',
    description: 'Sources, highest precedence first: --xprompts-dir, $SASE_XPROMPT_PATH, .xprompts/ and xprompts/,\n~/.xprompts/, ~/xprompts/, sase.yml xprompts:, plugins, built-ins. See docs/xprompt-catalog.md.',
  },
  define: (cmd) => {
    cmd.argument('[filter]', 'only names containing this text (case-insensitive), e.g. sase/ or review');
    defineXpromptsDir(cmd);
    cmd.option('--kind <kind>', `only this kind (${KINDS.join(', ')})`);
    cmd.option('--source <bucket>', 'only this source bucket (project, user, config, plugin, built-in, extra)');
  },
  parse: ({ args, opts }) => {
    const kind = opts.kind === undefined ? null : String(opts.kind);
    if (kind !== null && !KINDS.includes(kind as XpromptKind)) throw new UsageError(`unknown kind '${kind}'`, { hint: `use one of ${KINDS.join(', ')}` });
    const filter = args[0] === undefined || args[0] === '' ? null : String(args[0]).toLowerCase().replace(/^#!?/, '');
    return { filter, extraDirs: xpromptsDirs(opts), kind: kind as XpromptKind | null, source: opts.source === undefined ? null : String(opts.source) };
  },
  run: async (ctx, o) => {
    const cat = await loadCatalog({ cwd: ctx.cwd, env: ctx.env, extraDirs: o.extraDirs });
    const xprompts = cat
      .entries()
      .filter((d) => (o.kind === null || d.kind === o.kind) && (o.source === null || d.source === o.source))
      .filter((d) => o.filter === null || d.name.toLowerCase().includes(o.filter))
      .map(catalogEntry);
    return { xprompts, issues: cat.issues() };
  },
  human: (r, out) => {
    if (r.xprompts.length === 0) out.line('No xprompts found.');
    else {
      out.table(
        r.xprompts.map((x) => [
          out.c.bold(x.insertion) + (x.input_signature.length > 48 ? x.input_signature.slice(0, 47) + '…)' : x.input_signature),
          x.kind,
          x.source,
          x.description.split('\n')[0]!.slice(0, 60),
        ]),
        ['REFERENCE', 'KIND', 'SOURCE', 'DESCRIPTION'],
      );
    }
    for (const i of r.issues) out.warn(`${i.severity}: ${i.file}${i.line ? `:${i.line}` : ''}${i.column ? `:${i.column}` : ''}: ${i.message}`);
  },
};
