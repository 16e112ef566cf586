/**
 * Rendering results and errors: the `--json` envelope and human text. The only module that formats for output.
 *
 * Envelope (ARCHITECTURE.md principle 5, HOUSE_STYLE.md conventions):
 *   {"schema_version":1,"ok":true,"command":"sase bead ready","data":{…}}
 *   {"schema_version":1,"ok":false,"command":…,"error":{"code":…,"message":…,"hint":…,"data":{…}}}
 */
import type { ChalkInstance } from 'chalk';
import type { SaseError } from '../errors/index.js';
import type { Ctx, Sink } from './context.js';

/** JSON envelope schema version. */
export const ENVELOPE_SCHEMA_VERSION = 1;

/** A successful envelope. `data` is always an object. */
export interface OkEnvelope<D extends object = Record<string, unknown>> {
  schema_version: 1;
  ok: true;
  command: string;
  data: D;
}

/** A failed envelope. */
export interface ErrorEnvelope {
  schema_version: 1;
  ok: false;
  command: string;
  error: ReturnType<SaseError['toJSON']>;
  /** Present when a command failed but still has a result to show (e.g. validate with diagnostics). */
  data?: object;
}

/** Human output helper handed to a command's `human()` renderer. */
export interface HumanOut {
  /** Writes one line (newline appended) to stdout. */
  line(text?: string): void;
  /** Writes raw text to stdout. */
  write(text: string): void;
  /** Writes one line to stderr. */
  warn(text: string): void;
  /** chalk instance; colourless when colour is off. */
  c: ChalkInstance;
  /** Renders rows as aligned columns (two spaces between columns). */
  table(rows: string[][], header?: string[]): void;
}

/** Strips ANSI escapes to measure visible width. */
function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/**
 * A colourless stand-in for chalk: every style is the identity and styles chain (`c.bold.red(x)` → x).
 * Used when colour is off so chalk is never loaded on the non-TTY / --json path (start-up time).
 */
const plain: ChalkInstance = new Proxy(((s: unknown) => String(s)) as unknown as ChalkInstance, {
  get: (_t, prop) => (prop === 'level' ? 0 : plain),
  apply: (_t, _this, args: unknown[]) => args.map(String).join(' '),
});

let colour: ChalkInstance | undefined;

/** Loads chalk (once) when the context wants colour; call before {@link humanOut} / {@link writeHumanError}. */
export async function prepareColour(ctx: Ctx): Promise<void> {
  if (ctx.color && !colour) {
    const { Chalk } = await import('chalk');
    colour = new Chalk({ level: 2 });
  }
}

function chalkFor(ctx: Ctx): ChalkInstance {
  return ctx.color && colour ? colour : plain;
}

/** Builds the HumanOut for a context. */
export function humanOut(ctx: Ctx): HumanOut {
  const c = chalkFor(ctx);
  const out: HumanOut = {
    c,
    line: (t = '') => void ctx.io.stdout.write(t + '\n'),
    write: (t) => void ctx.io.stdout.write(t),
    warn: (t) => void ctx.io.stderr.write(t + '\n'),
    table: (rows, header) => {
      const all = header ? [header.map((h) => c.bold(h)), ...rows] : rows;
      const widths: number[] = [];
      for (const r of all) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
      // One write for the whole table (each write is a syscall).
      const lines = all.map((r) =>
        r
          .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
          .join('  ')
          .trimEnd(),
      );
      if (lines.length > 0) out.write(lines.join('\n') + '\n');
    },
  };
  return out;
}

/** Writes a success envelope (one JSON document + newline). */
export function writeOkEnvelope(sink: Sink, command: string, data: object): void {
  const env: OkEnvelope<object> = { schema_version: ENVELOPE_SCHEMA_VERSION, ok: true, command, data };
  sink.write(JSON.stringify(env) + '\n');
}

/** Writes a failure envelope (one JSON document + newline). */
export function writeErrorEnvelope(sink: Sink, command: string, err: SaseError, data?: object): void {
  const env: ErrorEnvelope = { schema_version: ENVELOPE_SCHEMA_VERSION, ok: false, command, error: err.toJSON() };
  if (data !== undefined) env.data = data;
  sink.write(JSON.stringify(env) + '\n');
}

/** Writes a human error report to stderr: `error: <file:line: message>`, details, then `hint: …`. */
export function writeHumanError(ctx: Ctx, err: SaseError): void {
  const c = chalkFor(ctx);
  ctx.io.stderr.write(`${c.red('error')}: ${err.located}\n`);
  for (const d of err.details) ctx.io.stderr.write(`  ${d}\n`);
  if (err.hint) ctx.io.stderr.write(`${c.dim('hint')}: ${err.hint}\n`);
  if (err.code === 'INTERNAL' && typeof err.data.stack === 'string' && ctx.env.SASE_DEBUG) {
    ctx.io.stderr.write(String(err.data.stack) + '\n');
  }
}
