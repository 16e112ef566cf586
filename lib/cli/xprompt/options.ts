/**
 * Options shared by the `sase xprompt` subcommands: `--xprompts-dir DIR` (repeatable) and loading the catalog for a
 * command context.
 */
import type { Command } from 'commander';
import type { Ctx } from '../context.js';
import type { MapCatalog } from '../../xprompt/catalog.js';

/** Adds `--xprompts-dir DIR` (repeatable) to a command. */
export function defineXpromptsDir(cmd: Command): void {
  cmd.option(
    '--xprompts-dir <dir>',
    'extra xprompt directory searched first (repeatable)',
    (v: string, prev: string[] = []) => [...prev, v],
  );
}

/** The `--xprompts-dir` values from commander's raw options. */
export function xpromptsDirs(opts: Record<string, unknown>): string[] {
  const v = opts.xpromptsDir;
  return Array.isArray(v) ? v.map(String) : [];
}

/** Loads the catalog visible from the command's cwd/env with the extra directories. */
export async function catalogFor(ctx: Ctx, extraDirs: string[]): Promise<MapCatalog> {
  const { loadCatalog } = await import('../../xprompt/catalog.js');
  return loadCatalog({ cwd: ctx.cwd, env: ctx.env, extraDirs });
}

/** Parses a reference given on the command line: `#name`, `#!name`, `name` (`__` → `/`). */
export function parseRefArg(raw: string): { name: string; marker: '#' | '#!' | null; args: string | null } {
  const m = /^(#!|#)?([A-Za-z_][A-Za-z0-9_]*(?:(?:\/|__)[A-Za-z_][A-Za-z0-9_]*)*)(?:!!|\?\?)?(.*)$/s.exec(raw.trim());
  if (!m) return { name: raw.trim(), marker: null, args: null };
  return { name: m[2]!.replace(/__/g, '/'), marker: (m[1] as '#' | '#!' | undefined) ?? null, args: m[3] ? m[3] : null };
}
