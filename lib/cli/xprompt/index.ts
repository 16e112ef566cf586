/**
 * `sase xprompt`: List, explain, expand, graph and validate XPrompts. Subcommands load lazily (one module per
 * subcommand in this folder). The options they share (`--xprompts-dir DIR`, loading the catalog for a command
 * context, parsing a reference argument) live here too: this module is loaded anyway, so sharing them costs the
 * subcommands no extra module load (start-up time).
 */
import type { Command } from 'commander';
import type { CommandGroup } from '../command.js';
import type { Ctx } from '../context.js';
import type { MapCatalog } from '../../xprompt/catalog.js';

export const group: CommandGroup = {
  name: 'sase xprompt',
  summary: 'List, explain, expand, graph and validate XPrompts',
  commands: [
    { name: 'list', summary: 'List visible xprompts and workflows (name, kind, source, inputs)', load: async () => (await import('./list.js')).command },
    { name: 'explain', summary: 'Show which definition a reference resolves to; dry-run a workflow', load: async () => (await import('./explain.js')).command },
    { name: 'graph', summary: 'Render a workflow as text or a Mermaid graph', load: async () => (await import('./graph.js')).command },
    { name: 'validate', summary: 'Validate xprompt and workflow files (file:line:col diagnostics)', load: async () => (await import('./validate.js')).command },
    { name: 'expand', summary: 'Expand a prompt and show the planned launches (no agent is started)', load: async () => (await import('./expand.js')).command },
  ],
};

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
