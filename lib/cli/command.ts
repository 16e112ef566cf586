/**
 * The shape of a command module and of a command group (HOUSE_STYLE.md "Command module").
 *
 * A command module (one file per subcommand, e.g. `lib/cli/bead/ready.ts`) exports a {@link CommandModule}:
 * `define` adds commander arguments/options, `parse` turns commander's raw values into typed options (throwing
 * UsageError), `run` does the work through the domain layer and returns a plain result object (never printing),
 * `human` renders the result as text. `--json` serialises the same result inside the envelope.
 */
import type { Command } from 'commander';
import type { Ctx } from './context.js';
import type { HumanOut } from './output.js';

/** Raw values commander produced: positional arguments in order, and the options object. */
export interface RawArgs {
  args: unknown[];
  opts: Record<string, unknown>;
}

/** One subcommand. `O` = parsed options, `R` = result (must be a plain JSON-serialisable object). */
export interface CommandModule<O = unknown, R extends object = object> {
  meta: {
    name: string;
    summary: string;
    /** Extra text shown after the generated help. */
    description?: string;
  };
  /** Declares arguments and options on the commander command (`--json` and `--no-color` are added for you). */
  define(cmd: Command): void;
  /** Converts raw commander values into options. @throws UsageError */
  parse(raw: RawArgs, ctx: Ctx): O;
  /** Does the work. Returns the result; never prints to stdout (progress may go to ctx.io.stderr). */
  run(ctx: Ctx, opts: O): Promise<R>;
  /** Renders the result for people. Default: pretty JSON of the result. */
  human?(result: R, out: HumanOut, ctx: Ctx): void;
  /** Exit code for a successful run (e.g. `validate` with errors → 6). Default 0. */
  exitCode?(result: R): number;
}

/** A lazily loaded subcommand or nested group. */
export interface CommandEntry {
  name: string;
  summary: string;
  aliases?: string[];
  /** Loads the command module (lazy, so a binary imports only what the chosen command needs). */
  load?: () => Promise<CommandModule<any, any>>;
  /** A nested group, e.g. `sase bead dep add`. */
  group?: CommandGroup;
}

/** A noun's set of subcommands, e.g. everything under `sase bead`. */
export interface CommandGroup {
  /** Full command name, e.g. `sase bead`. */
  name: string;
  summary: string;
  commands: CommandEntry[];
  /** Subcommand run when none is given (e.g. `list`); otherwise help is printed. */
  defaultCommand?: string;
}
