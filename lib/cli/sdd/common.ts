/** Shared option handling of `sase sdd` subcommands: the SDD root and diagnostic rendering. */
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Ctx } from '../context.js';
import type { HumanOut } from '../output.js';
import { findRepoRoot } from '../../store/paths.js';
import { resolveSddRoot } from '../../sdd/layout.js';
import type { Diagnostic } from '../../sdd/diagnostics.js';

/** Adds `-r, --root DIR`. */
export function defineRoot(cmd: Command): void {
  cmd.option('-r, --root <dir>', 'SDD root (default: $SASE_SDD_DIR, else <repo>/sdd)');
}

/** The SDD root: `--root`, else `$SASE_SDD_DIR`, else `<git repo or cwd>/sdd`. */
export function sddRoot(ctx: Ctx, root: unknown): string {
  if (typeof root === 'string' && root !== '') return isAbsolute(root) ? root : resolve(ctx.cwd, root);
  return resolveSddRoot(findRepoRoot(ctx.cwd) ?? ctx.cwd, ctx.env);
}

/** Prints diagnostics as `file:line: severity code [field] message`. */
export function printDiagnostics(out: HumanOut, diags: readonly Diagnostic[]): void {
  for (const d of diags) {
    const where = d.line !== null ? `${d.file}:${d.line}` : d.file;
    const sev = d.severity === 'error' ? out.c.red('error') : d.severity === 'warning' ? out.c.yellow('warning') : 'info';
    out.line(`${where}: ${sev} ${d.code}${d.field ? ` [${d.field}]` : ''} ${d.message}`);
  }
}
