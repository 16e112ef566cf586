/** `sase sdd validate [-p PATH] [--strict]`: link rules and the strict plan schema; exit 6 on any error. */
import type { CommandModule } from '../command.js';
import { validateTree, type ValidateResult } from '../../sdd/validate.js';
import { defineRoot, printDiagnostics, sddRoot } from './common.js';

type Result = Omit<ValidateResult, 'links' | 'repairs'> & { ok: boolean };

export const command: CommandModule<{ root: string; path?: string; strict: boolean; quiet: boolean }, Result> = {
  meta: {
    name: 'validate',
    summary: 'Validate prompt↔plan links and plan frontmatter (strict schema)',
    description: 'Exit status 6 when any error is found. --strict promotes unpaired/ambiguous warnings to errors and checks plans in authoring mode.',
  },
  define: (cmd) => {
    defineRoot(cmd);
    cmd.option('-p, --path <path>', 'only report this file or directory');
    cmd.option('--strict', 'promote warnings about unpaired files to errors; authoring-mode plan schema');
    cmd.option('-q, --quiet', 'print errors only');
  },
  parse: (raw, ctx) => ({
    root: sddRoot(ctx, raw.opts.root),
    path: typeof raw.opts.path === 'string' ? raw.opts.path : undefined,
    strict: raw.opts.strict === true,
    quiet: raw.opts.quiet === true,
  }),
  run: async (ctx, o) => {
    const r = validateTree(o.root, { path: o.path, cwd: ctx.cwd, strict: o.strict });
    const diagnostics = o.quiet ? r.diagnostics.filter((d) => d.severity === 'error') : r.diagnostics;
    return { ok: r.errors === 0, root: r.root, layout: r.layout, files_checked: r.files_checked, errors: r.errors, warnings: r.warnings, diagnostics };
  },
  human: (r, out) => {
    printDiagnostics(out, r.diagnostics);
    out.line(`${r.files_checked} files checked (${r.layout.layout}): ${r.errors} error(s), ${r.warnings} warning(s)`);
  },
  exitCode: (r) => (r.ok ? 0 : 6),
};
