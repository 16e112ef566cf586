/**
 * Entry points used by `bin/`: the `sase` umbrella dispatcher and the per-noun binaries (`sase-bead`, …).
 * They build the process context, run, and set `process.exitCode` (never `process.exit`, so output flushes).
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors/index.js';
import { processContext, type Ctx } from './context.js';
import { findNoun, NOUNS, type NounModule } from './nouns.js';
import { reportError, runGroup, runModule, wantsJson } from './program.js';

/** Finds an executable named `name` on `PATH`; null when absent. */
export function findOnPath(name: string, pathVar: string | undefined): string | null {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** Lists plugin nouns: executables `sase-<noun>` on PATH that are not built-in. Sorted, unique. */
export function pluginNouns(pathVar: string | undefined): string[] {
  const found = new Set<string>();
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = /^sase-([a-z0-9][a-z0-9-]*)$/.exec(n);
      if (m && !findNoun(m[1]!)) {
        try {
          accessSync(join(dir, n), constants.X_OK);
          found.add(m[1]!);
        } catch {
          // not executable
        }
      }
    }
  }
  return [...found].sort();
}

/** The umbrella help text: built-in nouns and plugins. */
export function umbrellaHelp(pathVar: string | undefined): string {
  const width = Math.max(...NOUNS.map((n) => n.name.length), 8);
  const lines = ['Usage: sase <command> [options]', '', 'sase — the operating layer for running many coding agents.', '', 'Commands:'];
  for (const n of NOUNS) lines.push(`  ${n.name.padEnd(width)}  ${n.summary}`);
  const plugins = pluginNouns(pathVar);
  if (plugins.length > 0) {
    lines.push('', 'Plugins (sase-<name> on PATH):');
    for (const p of plugins) lines.push(`  ${p}`);
  }
  lines.push('', "Run 'sase <command> --help' for details. Every command accepts --json.");
  return lines.join('\n') + '\n';
}

/** Runs a loaded noun module with the arguments after the noun. @returns exit code */
export async function runNoun(mod: NounModule, noun: string, argv: string[], ctx: Ctx): Promise<number> {
  if (mod.group) return runGroup(mod.group, argv, ctx);
  if (mod.command) return runModule(mod.command, `sase ${noun}`, argv, ctx);
  return reportError({ ...ctx, json: wantsJson(argv), command: `sase ${noun}` }, new UsageError(`sase ${noun} is not available in this build`));
}

/**
 * The `sase` dispatcher: `sase <noun> …` → built-in noun in-process, else `sase-<noun>` from PATH.
 * @returns exit code
 */
export async function dispatch(argv: string[], ctx: Ctx): Promise<number> {
  const [noun, ...rest] = argv;
  if (noun === undefined || noun === '--help' || noun === '-h' || noun === 'help') {
    if (noun === 'help' && rest[0]) return dispatch([rest[0], '--help'], ctx);
    ctx.io.stdout.write(umbrellaHelp(ctx.env.PATH));
    return 0;
  }
  if (noun === '--version' || noun === '-V') {
    const { packageVersion } = await import('../package.js');
    ctx.io.stdout.write(`sase ${packageVersion()}\n`);
    return 0;
  }
  const entry = findNoun(noun);
  if (entry) return runNoun(await entry.load(), noun, rest, ctx);
  const plugin = findOnPath(`sase-${noun}`, ctx.env.PATH);
  if (!plugin) {
    return reportError(
      { ...ctx, json: wantsJson(rest), command: 'sase' },
      new UsageError(`unknown command '${noun}'`, { hint: "run 'sase --help' to list commands", data: { noun } }),
    );
  }
  const { spawn } = await import('node:child_process'); // only plugins need it (start-up time)
  return new Promise<number>((resolve) => {
    const child = spawn(plugin, rest, { stdio: 'inherit', env: ctx.env as NodeJS.ProcessEnv, cwd: ctx.cwd });
    child.on('error', (e) => resolve(reportError({ ...ctx, command: `sase ${noun}` }, e)));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
  });
}

/**
 * A reader that closes early (`sase agent show x | head -3`) makes further writes fail with EPIPE. That is not an
 * error of the command: stop quietly with the exit code the command would have had (0), like other Unix tools.
 */
function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

/** Process entry of the `sase` binary. */
export async function main(): Promise<void> {
  exitQuietlyOnClosedPipe();
  process.exitCode = await dispatch(process.argv.slice(2), processContext());
}

/** Process entry of a per-noun binary such as `sase-bead`. */
export async function mainNoun(noun: string): Promise<void> {
  exitQuietlyOnClosedPipe();
  const entry = findNoun(noun);
  const ctx = processContext();
  if (!entry) {
    process.exitCode = reportError(ctx, new UsageError(`unknown noun ${noun}`));
    return;
  }
  process.exitCode = await runNoun(await entry.load(), noun, process.argv.slice(2), ctx);
}
