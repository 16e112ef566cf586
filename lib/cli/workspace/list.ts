/** `sase workspace list [-p PROJECT] [--json]`: the registry view of a project's workspaces (read-only). */
import type { CommandModule } from '../command.js';
import { defineProject, projectContext, projectOpt } from './common.js';
import { inventory } from '../../workspace/inventory.js';

/** One row of `sase workspace list`. */
export interface WorkspaceRow {
  num: number;
  dir: string;
  exists: boolean;
  role: string | null;
  materialization: string | null;
  pinned: boolean;
  created_at: string | null;
  last_used_at: string | null;
  claimed_by: { pid: number; agent_name: string; workflow: string; claimed_at: string } | null;
  transition_symlink: string | null;
}

/** Result of `sase workspace list`. */
export interface ListResult {
  project: string;
  root_policy: string;
  root_policy_source: string;
  project_key: string;
  root: string | null;
  registry_path: string | null;
  primary: string;
  workspaces: WorkspaceRow[];
}

export const command: CommandModule<{ project?: string }, ListResult> = {
  meta: { name: 'list', summary: 'List the workspaces of a project: root policy, project key, primary #0, claims' },
  define: defineProject,
  parse: (raw) => ({ project: projectOpt(raw.opts) }),
  run: async (ctx, o) => {
    const { project, layout } = await projectContext(ctx, o.project);
    const views = await inventory(layout, ctx.env, ctx.now());
    return {
      project: project.name,
      root_policy: layout.policy.kind,
      root_policy_source: layout.policy.source,
      project_key: layout.project_key,
      root: layout.root,
      registry_path: layout.registry_path,
      primary: layout.primary,
      workspaces: views.map((v) => ({
        num: v.num,
        dir: v.dir,
        exists: v.exists,
        role: v.entry?.role ?? (v.num === 0 ? 'primary' : null),
        materialization: v.entry?.materialization ?? null,
        pinned: v.entry?.pinned ?? false,
        created_at: v.entry?.created_at ?? null,
        last_used_at: v.entry?.last_used_at ?? null,
        claimed_by: v.claim ? { pid: v.claim.pid, agent_name: v.claim.agent_name, workflow: v.claim.workflow, claimed_at: v.claim.claimed_at } : null,
        transition_symlink: v.entry?.transition_symlink ?? null,
      })),
    };
  },
  human: (r, out) => {
    out.line(`${out.c.bold(r.project)}  root: ${r.root_policy}${r.root ? ` (${r.root})` : ''}  key: ${r.project_key}`);
    out.table(
      r.workspaces.map((w) => [
        `#${w.num}`,
        w.claimed_by ? `claimed by ${w.claimed_by.agent_name || w.claimed_by.workflow} (pid ${w.claimed_by.pid})` : w.exists ? 'free' : 'missing',
        w.role ?? '',
        w.last_used_at ?? '',
        w.dir,
      ]),
      ['NUM', 'STATE', 'ROLE', 'LAST USED', 'PATH'],
    );
  },
};
