/** Shared pieces of `sase workspace` subcommands: the -p option, project selection and layout. */
import type { Command } from 'commander';
import type { Ctx } from '../context.js';
import { UsageError } from '../../errors/index.js';
import { loadConfig } from '../../config/index.js';
import { selectProject } from '../../workspace/select.js';
import { projectLayout } from '../../workspace/layout.js';
import type { ProjectSpec } from '../../projects/spec.js';
import type { WorkspaceLayout } from '../../workspace/root.js';

/** Adds `-p/--project NAME`. */
export function defineProject(cmd: Command): void {
  cmd.option('-p, --project <name>', 'project (default: inferred from the current directory)');
}

/** Reads `-p` from raw options. */
export function projectOpt(opts: Record<string, unknown>): string | undefined {
  return typeof opts.project === 'string' && opts.project !== '' ? opts.project : undefined;
}

/** The selected project, the merged config and the project's layout. */
export async function projectContext(ctx: Ctx, project?: string): Promise<{ project: ProjectSpec; config: Record<string, unknown>; layout: WorkspaceLayout }> {
  const config = loadConfig(ctx.cwd, ctx.env).merged;
  const p = await selectProject({ project, cwd: ctx.cwd, env: ctx.env });
  return { project: p, config, layout: await projectLayout(p, config, ctx.env) };
}

/** Parses a workspace number argument. @throws UsageError */
export async function parseNum(raw: unknown): Promise<number> {
  const s = String(raw ?? '');
  if (!/^\d+$/.test(s)) throw new UsageError(`workspace number must be a non-negative integer, got ${s || '(nothing)'}`);
  return Number(s);
}
