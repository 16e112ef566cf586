/** `sase bead show`: one bead with its dependencies, dependents and children. */
import type { CommandModule } from '../command.js';
import { childrenOf, dependentsOf, indexIssues, isActive } from '../../beads/query.js';
import { defineStore, findIssue, parseStore, readIssues, type BeadJson, type StoreOpts } from './common.js';

interface Opts extends StoreOpts {
  id: string;
}

/** A related bead in `show` output. */
export interface RelatedBead {
  id: string;
  title: string;
  status: string;
  issue_type: string;
  /** For dependencies: false when the target no longer exists (it never blocks). */
  exists?: boolean;
}

/** Result of `sase bead show`. */
export interface ShowResult {
  store: string;
  bead: BeadJson;
  blocked: boolean;
  dependencies: RelatedBead[];
  dependents: RelatedBead[];
  children: RelatedBead[];
}

export const command: CommandModule<Opts, ShowResult> = {
  meta: { name: 'show', summary: 'Show a bead with its dependencies, dependents and children' },
  define: (cmd) => {
    cmd.argument('<id>', 'bead id (or shorthand, e.g. hs for sase-hs)');
    defineStore(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseStore(opts), id: String(args[0]) }),
  run: async (ctx, o) => {
    const { dir, source } = await readIssues(ctx, o);
    const issues = source.issues();
    const bead = findIssue(issues, o.id);
    const byId = indexIssues(issues);
    const rel = (i: { id: string; title: string; status: string; issue_type: string }): RelatedBead => ({ id: i.id, title: i.title, status: i.status, issue_type: i.issue_type });
    const dependencies = bead.dependencies.map((d) => {
      const t = byId.get(d.depends_on_id);
      return t ? { ...rel(t), exists: true } : { id: d.depends_on_id, title: '', status: 'missing', issue_type: '', exists: false };
    });
    return {
      store: dir,
      bead: source.row(bead.id),
      blocked: bead.dependencies.some((d) => {
        const t = byId.get(d.depends_on_id);
        return !!t && isActive(t);
      }),
      dependencies,
      dependents: dependentsOf(bead.id, issues).map(rel),
      children: childrenOf(bead.id, issues).map(rel),
    };
  },
  human: (r, out) => {
    const b = r.bead;
    out.line(`${out.c.bold(String(b.id))}  ${String(b.title)}`);
    const kv: [string, unknown][] = [
      ['status', b.status], ['type', b.tier ? `${String(b.issue_type)} (${String(b.tier)})` : b.issue_type], ['parent', b.parent_id],
      ['owner', b.owner], ['assignee', b.assignee], ['created', `${String(b.created_at)} by ${String(b.created_by)}`],
      ['updated', b.updated_at], ['closed', b.closed_at], ['close reason', b.close_reason], ['resolution', b.resolution],
      ['model', b.model], ['size', b.size], ['design', b.design], ['blocked', r.blocked ? 'yes' : undefined],
    ];
    for (const [k, v] of kv) if (v !== undefined && v !== null && v !== '') out.line(`  ${k.padEnd(13)}${String(v)}`);
    if (b.description) {
      out.line('');
      out.line(String(b.description));
    }
    const section = (name: string, list: RelatedBead[]): void => {
      if (!list.length) return;
      out.line('');
      out.line(`${name}:`);
      for (const x of list) out.line(`  ${x.id}  [${x.status}]  ${x.title}`);
    };
    section('Depends on', r.dependencies);
    section('Dependents', r.dependents);
    section('Children', r.children);
    if (b.notes) {
      out.line('');
      out.line('Notes:');
      out.line(String(b.notes));
    }
  },
};
