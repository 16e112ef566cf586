/** `sase project list [--state active|inactive|sibling|all]`: registered projects (active only by default). */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { listProjects, type ProjectSpec } from '../../projects/spec.js';

/** Result of `sase project list`. */
export interface ProjectListResult {
  state: string;
  projects: ProjectSpec[];
}

const STATES = ['active', 'inactive', 'sibling', 'all'];

export const command: CommandModule<{ state: string }, ProjectListResult> = {
  meta: { name: 'list', summary: 'List projects (active by default; --state all shows hidden ones)' },
  define: (cmd) => {
    cmd.option('--state <state>', 'active, inactive, sibling or all', 'active');
  },
  parse: (raw) => {
    const state = String(raw.opts.state ?? 'active');
    if (!STATES.includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}, got ${state}`);
    return { state };
  },
  run: async (ctx, o) => {
    const all = await listProjects(ctx.env);
    return { state: o.state, projects: o.state === 'all' ? all : all.filter((p) => p.state === o.state) };
  },
  human: (r, out) => {
    if (r.projects.length === 0) return out.line(r.state === 'all' ? 'no projects' : `no ${r.state} projects (try --state all)`);
    out.table(
      r.projects.map((p) => [p.name, p.state, p.workflow_type, p.workspace_dir ?? '', p.bare_repo_dir ?? '']),
      ['NAME', 'STATE', 'TYPE', 'PRIMARY', 'BARE REPO'],
    );
  },
};
