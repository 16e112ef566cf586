/** `sase workspace open NUM -r REASON [-p PROJECT] [-c]`: materialize, back up, clean and sync NUM; print its path. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { defineProject, parseNum, projectContext, projectOpt } from './common.js';
import { openWorkspace, type OpenResult } from '../../workspace/open.js';

interface OpenOpts {
  project?: string;
  num: string;
  reason: string;
}

export const command: CommandModule<OpenOpts, OpenResult> = {
  meta: {
    name: 'open',
    summary: 'Prepare a numbered checkout (clone, back up local changes, clean, sync) and print its path',
    description: 'Local changes are stashed (untracked files included) and commits on no remote branch are kept under\nrefs/sase/backups/ before the checkout is cleaned. Use numbers from 10 for manual checkouts.',
  },
  define: (cmd) => {
    cmd.argument('<num>', 'workspace number (10 or more for manual checkouts; 0 = primary)');
    cmd.option('-r, --reason <text>', 'why you need this checkout (required)');
    cmd.option('-c, --clean', 'accepted for compatibility (cleaning is the default)');
    defineProject(cmd);
  },
  parse: (raw) => {
    const reason = typeof raw.opts.reason === 'string' ? raw.opts.reason : '';
    if (reason.trim() === '') throw new UsageError('a reason is required', { hint: 'pass -r/--reason "why you need this checkout"' });
    return { project: projectOpt(raw.opts), num: String(raw.args[0]), reason };
  },
  run: async (ctx, o) => {
    const num = await parseNum(o.num);
    const { project, config } = await projectContext(ctx, o.project);
    return openWorkspace(project, num, o.reason, { env: ctx.env, cwd: ctx.cwd, now: ctx.now(), config, pid: process.pid });
  },
  human: (r, out) => {
    if (r.backup?.stash) out.warn(`local changes stashed as ${r.backup.stash}`);
    for (const ref of r.backup?.refs ?? []) out.warn(`commits kept under ${ref}`);
    out.line(r.dir);
  },
};
