/** `sase xprompt validate [paths…]`: check xprompt and workflow files; one `file:line:col: message` per finding. */
import type { CommandModule } from '../command.js';
import { defineXpromptsDir, catalogFor, xpromptsDirs } from './index.js';
import type { Diagnostic } from '../../workflow/types.js';

interface ValidateCliOptions {
  paths: string[];
  extraDirs: string[];
  strict: boolean;
}

/** Result of `sase xprompt validate`. */
export interface ValidateResult {
  files: number;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

export const command: CommandModule<ValidateCliOptions, ValidateResult> = {
  meta: {
    name: 'validate',
    summary: 'Validate xprompt and workflow files (file:line:col diagnostics)',
    description:
      'With no paths, validates every definition file visible from here (all sources, built-ins included).\nExit status: 0 when there are no errors (warnings allowed; --strict counts them), 6 otherwise.',
  },
  define: (cmd) => {
    cmd.argument('[paths...]', 'files or directories to validate');
    defineXpromptsDir(cmd);
    cmd.option('--strict', 'treat warnings as errors');
  },
  parse: ({ args, opts }) => ({
    paths: ((args[0] as string[] | undefined) ?? []).map(String),
    extraDirs: xpromptsDirs(opts),
    strict: opts.strict === true,
  }),
  run: async (ctx, o) => {
    const [{ expandPaths, validatePaths }, { stepDirsFor }, { assetPath }, { homeDir }, { checkTemplate }] = await Promise.all([
      import('../../workflow/validate-files.js'),
      import('../../workflow/load.js'),
      import('../../package.js'),
      import('../../store/paths.js'),
      import('../../workflow/template-check.js'),
    ]);
    const catalog = await catalogFor(ctx, o.extraDirs);
    let files: string[];
    if (o.paths.length > 0) files = expandPaths(o.paths, ctx.cwd);
    else files = expandPaths(catalog.sources.filter((s) => s.type === 'dir').map((s) => s.path), ctx.cwd);
    const diagnostics = validatePaths(files, {
      cwd: ctx.cwd,
      catalog,
      stepDirs: (f) => stepDirsFor(f, ctx.cwd, homeDir(ctx.env), assetPath('xprompts')),
      checkTemplate,
    });
    if (o.paths.length === 0) {
      for (const i of catalog.issues()) {
        if (!files.includes(i.file)) diagnostics.push({ file: i.file, line: i.line ?? 1, column: i.column ?? 1, message: i.message, severity: i.severity, code: 'config' });
      }
    }
    if (o.strict) for (const d of diagnostics) d.severity = 'error';
    return {
      files: files.length,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      diagnostics,
    };
  },
  human: (r, out) => {
    for (const d of r.diagnostics) out.line(`${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`);
    out.warn(`${r.files} file(s) checked: ${r.errors} error(s), ${r.warnings} warning(s)`);
  },
  exitCode: (r) => (r.errors > 0 ? 6 : 0),
};
