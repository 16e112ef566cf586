/**
 * Runs a command group or module against argv: picks the subcommand, loads only that module, parses (the small
 * parser in argv.ts for the common case; commander, loaded on demand, for help, errors and rare syntax), runs,
 * renders, and maps every error to its exit code. The only place (with bin/) that decides exit
 * codes; nothing here calls process.exit.
 */
import type { Command } from 'commander';
import { InternalError, toSaseError, UsageError } from '../errors/index.js';
import { CommandSpec, fastParse, type FastParsed } from './argv.js';
import type { CommandEntry, CommandGroup, CommandModule } from './command.js';
import { colorEnabled, type Ctx } from './context.js';
import { humanOut, prepareColour, writeErrorEnvelope, writeHumanError, writeOkEnvelope } from './output.js';

/** True when argv asks for the JSON envelope anywhere before a `--`. */
export function wantsJson(argv: string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--json' || a === '-j') return true;
  }
  return false;
}

function prepareCtx(ctx: Ctx, argv: string[], command: string): Ctx {
  const json = wantsJson(argv);
  const noColor = argv.includes('--no-color');
  return { ...ctx, json, command, color: colorEnabled(ctx.env, ctx.io.stdout, { json, noColor }) };
}

/** Reports an error in the context's mode and returns its exit code. */
export function reportError(ctx: Ctx, e: unknown): number {
  const err = toSaseError(e);
  if (ctx.json) writeErrorEnvelope(ctx.io.stdout, ctx.command, err);
  else writeHumanError(ctx, err);
  return err.exitCode;
}

function findEntry(group: CommandGroup, name: string): CommandEntry | undefined {
  return group.commands.find((c) => c.name === name || c.aliases?.includes(name));
}

/** Renders the help text of a group: its summary and one line per subcommand. */
export function groupHelp(group: CommandGroup): string {
  const width = Math.max(...group.commands.map((c) => c.name.length), 4);
  const lines = [`Usage: ${group.name} <command> [options]`, '', group.summary, '', 'Commands:'];
  for (const c of group.commands) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push('', `Run '${group.name} <command> --help' for a command's options. Every command accepts --json.`);
  return lines.join('\n') + '\n';
}

/**
 * Runs `argv` (arguments after the group's own name) against a group.
 * @returns the process exit code
 */
export async function runGroup(group: CommandGroup, argv: string[], ctx: Ctx): Promise<number> {
  const idx = argv.findIndex((a) => !a.startsWith('-'));
  const helpAsked = argv.slice(0, idx === -1 ? argv.length : idx).some((a) => a === '--help' || a === '-h');
  let name = idx === -1 ? undefined : argv[idx];
  let rest = idx === -1 ? argv : [...argv.slice(0, idx), ...argv.slice(idx + 1)];
  if (name === 'help') {
    const target = rest.find((a) => !a.startsWith('-'));
    if (!target) {
      ctx.io.stdout.write(groupHelp(group));
      return 0;
    }
    name = target;
    rest = ['--help'];
  }
  if (name === undefined) {
    if (helpAsked || !group.defaultCommand) {
      ctx.io.stdout.write(groupHelp(group));
      return 0;
    }
    name = group.defaultCommand;
  }
  const entry = name === undefined ? undefined : findEntry(group, name);
  if (!entry) {
    const c = prepareCtx(ctx, argv, group.name);
    return reportError(
      c,
      new UsageError(`unknown command '${group.name} ${name ?? ''}'`.trimEnd(), {
        hint: `run '${group.name} --help' to list commands`,
        data: { commands: group.commands.map((x) => x.name) },
      }),
    );
  }
  if (entry.group) return runGroup(entry.group, rest, ctx);
  if (!entry.load) throw new InternalError(`command ${group.name} ${entry.name} has neither load nor group`);
  const mod = await entry.load();
  return runModule(mod, `${group.name} ${entry.name}`, rest, ctx);
}

/** Parses the common case without commander; undefined when commander must decide (see argv.ts). */
function parseFast(mod: CommandModule<any, any>, argv: string[]): FastParsed | undefined {
  const spec = new CommandSpec().allowExcessArguments(false);
  try {
    spec.option('-j, --json', '').option('--no-color', '');
    mod.define(spec as unknown as Command);
    return fastParse(spec, argv);
  } catch {
    return undefined; // a declaration or value commander must judge (it reports the error itself)
  }
}

/**
 * Parses with commander (help, usage errors, rare syntax).
 * @returns the parsed values, or an exit code when help was printed or an error reported
 */
async function parseWithCommander(mod: CommandModule<any, any>, fullName: string, argv: string[], ctx: Ctx): Promise<FastParsed | number> {
  const { Command, CommanderError } = await import('commander');
  const cmd = new Command(fullName);
  let captured: FastParsed | undefined;
  let helpText = '';
  cmd
    .description(mod.meta.summary)
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: (s) => {
        helpText += s;
      },
      writeErr: () => {},
      outputError: () => {},
    })
    .option('-j, --json', 'print one JSON document (the envelope) on stdout')
    .option('--no-color', 'disable colour in human output');
  if (mod.meta.description) cmd.addHelpText('after', '\n' + mod.meta.description);
  mod.define(cmd);
  cmd.action((...a: unknown[]) => {
    const command = a[a.length - 1] as Command;
    captured = { args: a.slice(0, -2), opts: command.opts() };
  });
  try {
    await cmd.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') {
        ctx.io.stdout.write(helpText);
        return 0;
      }
      return reportError(ctx, new UsageError(e.message.replace(/^error: /, ''), { hint: `run '${fullName} --help'` }));
    }
    return reportError(ctx, e);
  }
  if (!captured) return reportError(ctx, new InternalError('command action did not run'));
  return captured;
}

/**
 * Runs one command module with its arguments.
 * @param fullName e.g. `sase bead ready`
 * @returns the process exit code
 */
export async function runModule(mod: CommandModule<any, any>, fullName: string, argv: string[], baseCtx: Ctx): Promise<number> {
  const ctx = prepareCtx(baseCtx, argv, fullName);
  const parsed = parseFast(mod, argv) ?? (await parseWithCommander(mod, fullName, argv, ctx));
  if (typeof parsed === 'number') return parsed;
  const captured = parsed;
  await prepareColour(ctx);
  try {
    const opts = mod.parse(captured, ctx);
    const result = await mod.run(ctx, opts);
    const code = mod.exitCode ? mod.exitCode(result) : 0;
    if (ctx.json) writeOkEnvelope(ctx.io.stdout, fullName, result);
    else if (mod.human) mod.human(result, humanOut(ctx), ctx);
    else ctx.io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return code;
  } catch (e) {
    return reportError(ctx, e);
  }
}
