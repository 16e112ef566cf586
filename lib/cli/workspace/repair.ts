/** `sase workspace repair [-n] [-p PROJECT]`: reconcile the registry with the checkouts on disk. */
import type { CommandModule } from '../command.js';
import { defineProject, projectContext, projectOpt } from './common.js';
import { repairWorkspaces, type RepairResult } from '../../workspace/repair.js';

export const command: CommandModule<{ project?: string; dryRun: boolean }, RepairResult> = {
  meta: { name: 'repair', summary: 'Drop registry entries of missing checkouts; re-clone missing claimed ones' },
  define: (cmd) => {
    cmd.option('-n, --dry-run', 'report without changing anything');
    defineProject(cmd);
  },
  parse: (raw) => ({ project: projectOpt(raw.opts), dryRun: raw.opts.dryRun === true }),
  run: async (ctx, o) => {
    const { project, layout } = await projectContext(ctx, o.project);
    return repairWorkspaces(project, layout, { env: ctx.env, now: ctx.now(), dryRun: o.dryRun });
  },
  human: (r, out) => {
    if (!r.managed) return out.line(`${r.project}: adjacent root, no registry (nothing managed here)`);
    if (r.items.length === 0) return out.line(`${r.project}: registry matches the checkouts`);
    for (const i of r.items) out.line(`#${i.num}  ${r.dry_run ? `would be ${i.action}` : i.action}  ${i.dir}`);
  },
};
