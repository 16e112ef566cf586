/**
 * Typed errors with stable codes and one code → exit-code table.
 *
 * Every failure that reaches a user is a {@link SaseError} (or is wrapped into an INTERNAL one by the CLI).
 * Domain code throws these; only `lib/cli` turns them into output and an exit code.
 * Exit codes: ARCHITECTURE.md principle 5 (0 ok, 2 usage, 3 not found, 4 conflict, 5 locked, 6 invalid data,
 * 7 external tool failed, 8 pending/timeout, 70 internal, 130 interrupted).
 */

/** Stable error codes. The string is part of the `--json` contract (`error.code`). */
export type ErrorCode =
  | 'USAGE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LOCKED'
  | 'INVALID'
  | 'EXTERNAL'
  | 'TIMEOUT'
  | 'PENDING'
  | 'INTERNAL'
  | 'INTERRUPTED';

/** The one table mapping an error code to the process exit code. */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = Object.freeze({
  USAGE: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  LOCKED: 5,
  INVALID: 6,
  EXTERNAL: 7,
  TIMEOUT: 8,
  PENDING: 8,
  INTERNAL: 70,
  INTERRUPTED: 130,
});

/** Where in a file a problem is; all fields optional, lines and columns 1-based. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/** Options shared by every SaseError constructor. */
export interface SaseErrorOptions {
  /** One sentence telling the user what to do next. */
  hint?: string;
  /** Machine-readable payload, serialised under `error.data` in `--json` output. */
  data?: Record<string, unknown>;
  /** Extra human lines printed after the message (e.g. one diagnostic per line). */
  details?: string[];
  /** File/line/field the error is about; rendered as a `file:line:col:` prefix. */
  location?: SourceLocation;
  cause?: unknown;
}

/** Formats a location as `file:line:col` (missing parts omitted); '' when there is no file. */
export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc || !loc.file) return '';
  let s = loc.file;
  if (loc.line !== undefined) {
    s += `:${loc.line}`;
    if (loc.column !== undefined) s += `:${loc.column}`;
  }
  return s;
}

/** Base class of all sase errors: a stable `code`, a `hint`, a `data` payload and `toJSON()`. */
export class SaseError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly data: Record<string, unknown>;
  readonly details: string[];
  readonly location?: SourceLocation;

  constructor(code: ErrorCode, message: string, opts: SaseErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = opts.hint;
    this.data = { ...(opts.data ?? {}) };
    this.details = opts.details ?? [];
    this.location = opts.location;
    if (opts.location) {
      for (const [k, v] of Object.entries(opts.location)) if (v !== undefined && !(k in this.data)) this.data[k] = v;
    }
  }

  /** The process exit code for this error (see {@link EXIT_CODES}). */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  /** Message prefixed with `file:line:col:` when a location is known. */
  get located(): string {
    const where = formatLocation(this.location);
    return where ? `${where}: ${this.message}` : this.message;
  }

  /** The `error` object of the `--json` envelope. */
  toJSON(): { code: ErrorCode; message: string; hint?: string; data: Record<string, unknown> } {
    const out: { code: ErrorCode; message: string; hint?: string; data: Record<string, unknown> } = {
      code: this.code,
      message: this.located,
      data: this.data,
    };
    if (this.hint) out.hint = this.hint;
    return out;
  }
}

/** Bad command-line usage (exit 2). */
export class UsageError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('USAGE', message, opts);
  }
}

/** A named thing (file, bead, agent, xprompt, project) does not exist (exit 3). */
export class NotFoundError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('NOT_FOUND', message, opts);
  }
}

/** The operation conflicts with current state: already exists, already claimed, write-once taken (exit 4). */
export class ConflictError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('CONFLICT', message, opts);
  }
}

/** A lock is held by someone else and waiting was not allowed or timed out (exit 5). */
export class LockedError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('LOCKED', message, opts);
  }
}

/** Input data is malformed or violates a rule: bad YAML, bad frontmatter, schema violation (exit 6). */
export class InvalidDataError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('INVALID', message, opts);
  }
}

/** An external tool (git, an agent CLI, an editor) failed or is missing (exit 7). */
export class ExternalToolError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('EXTERNAL', message, opts);
  }
}

/** Waiting ran out of time (exit 8). */
export class TimeoutError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('TIMEOUT', message, opts);
  }
}

/** The thing asked for is not ready yet (pending approval, waiting run) (exit 8). */
export class PendingError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('PENDING', message, opts);
  }
}

/** A bug in sase: "please report" (exit 70). */
export class InternalError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('INTERNAL', message, opts);
  }
}

/** Interrupted by a signal (exit 130). */
export class InterruptedError extends SaseError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super('INTERRUPTED', message, opts);
  }
}

/** True when `e` is a SaseError (works across duplicated module instances by checking the shape). */
export function isSaseError(e: unknown): e is SaseError {
  return e instanceof SaseError || (typeof e === 'object' && e !== null && 'code' in e && 'exitCode' in e && e instanceof Error);
}

/** Wraps any thrown value into a SaseError (unknown values become INTERNAL). */
export function toSaseError(e: unknown): SaseError {
  if (isSaseError(e)) return e;
  if (e instanceof Error) return new InternalError(e.message, { cause: e, data: { stack: e.stack } });
  return new InternalError(String(e));
}
