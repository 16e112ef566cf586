/** `sase workspace path NUM [-p PROJECT]`: print the configured checkout path of NUM without cloning (read-only). */
import type { CommandModule } from '../command.js';
import { defineProject, parseNum, projectContext, projectOpt } from './common.js';
import { checkoutDir } from '../../workspace/root.js';
import { readRegistry } from '../../workspace/registry.js';
import { existsSync } from 'node:fs';

/** Result of `sase workspace path`. */
export interface PathResult {
  project: string;
  num: number;
  path: string;
  exists: boolean;
}

export const command: CommandModule<{ project?: string; num: string }, PathResult> = {
  meta: { name: 'path', summary: 'Print the checkout path of a workspace number (#0 = primary); never clones' },
  define: (cmd) => {
    cmd.argument('<num>', 'workspace number');
    defineProject(cmd);
  },
  parse: (raw) => ({ project: projectOpt(raw.opts), num: String(raw.args[0]) }),
  run: async (ctx, o) => {
    const num = await parseNum(o.num);
    const { project, layout } = await projectContext(ctx, o.project);
    let path = checkoutDir(layout, num);
    if (layout.registry_path && num !== 0) {
      const reg = await readRegistry(layout.registry_path, project.name, layout.project_key);
      path = reg.workspaces[String(num)]?.checkout_dir ?? path;
    }
    return { project: project.name, num, path, exists: existsSync(path) };
  },
  human: (r, out) => out.line(r.path),
};
