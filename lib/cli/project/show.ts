/** `sase project show NAME`: one project record plus its live workspace claims. */
import type { CommandModule } from '../command.js';
import { requireProject, type ProjectSpec } from '../../projects/spec.js';
import { liveClaims, type WorkspaceClaim } from '../../workspace/claims.js';

/** Result of `sase project show`. */
export interface ProjectShowResult {
  project: ProjectSpec;
  claims: WorkspaceClaim[];
}

export const command: CommandModule<{ name: string }, ProjectShowResult> = {
  meta: { name: 'show', summary: 'Show a project record and its live workspace claims' },
  define: (cmd) => {
    cmd.argument('<name>', 'project name');
  },
  parse: (raw) => ({ name: String(raw.args[0]) }),
  run: async (ctx, o) => {
    const project = await requireProject(ctx.env, o.name);
    return { project, claims: await liveClaims(ctx.env, project.name, ctx.now()) };
  },
  human: (r, out) => {
    const p = r.project;
    const rows: Array<[string, string]> = [
      ['name', p.name],
      ['state', p.state],
      ['type', p.workflow_type],
      ['primary', p.workspace_dir ?? ''],
      ['bare repo', p.bare_repo_dir ?? ''],
      ['aliases', p.aliases.join(', ')],
      ['project key', p.project_key ?? '(derived)'],
      ['created', p.created_at],
      ['record', p.source ?? ''],
    ];
    out.table(rows.map(([k, v]) => [k, v]));
    for (const c of r.claims) out.line(`#${c.num}  pid ${c.pid}  ${c.agent_name || c.workflow}  since ${c.claimed_at}`);
  },
};
