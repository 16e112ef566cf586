/**
 * The context object every command runs with: where it runs, its environment, its clock and its IO.
 * Domain code receives what it needs from here as arguments and never reads `process.*` itself, so every command is
 * testable in-process with a fake IO and a fixed clock (HOUSE_STYLE.md "Inject only the clock…").
 */
import type { Env } from '../store/paths.js';

/** A minimal writable sink (process.stdout, a test buffer, …). */
export interface Sink {
  write(chunk: string): unknown;
  /** True when the sink is an interactive terminal. */
  isTTY?: boolean;
}

/** Standard streams of a command. */
export interface Io {
  stdout: Sink;
  stderr: Sink;
  stdin: NodeJS.ReadableStream;
}

/** Everything a command may know about its surroundings. */
export interface Ctx {
  /** Working directory (absolute). */
  cwd: string;
  /** Environment variables. */
  env: Env;
  /** Clock; tests inject a fixed one. */
  now(): Date;
  io: Io;
  /** True when `--json` was given: exactly one JSON document goes to stdout. */
  json: boolean;
  /** True when human output may use colour (TTY, no NO_COLOR, no --no-color, not --json). */
  color: boolean;
  /** Full command name for messages and the envelope, e.g. `sase bead ready`. */
  command: string;
}

/** Builds the context of a real process invocation. */
export function processContext(): Ctx {
  return {
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
    // Getters: Node creates each stream on first access, and most commands never touch stdin (start-up time).
    io: {
      stdout: process.stdout,
      get stderr() {
        return process.stderr;
      },
      get stdin() {
        return process.stdin;
      },
    },
    json: false,
    color: false,
    command: 'sase',
  };
}

/** Decides whether human output is coloured: FORCE_COLOR wins, then NO_COLOR / --no-color / --json / non-TTY. */
export function colorEnabled(env: Env, sink: Sink, opts: { json: boolean; noColor: boolean }): boolean {
  if (opts.json || opts.noColor) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return sink.isTTY === true;
}
