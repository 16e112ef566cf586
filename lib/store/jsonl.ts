/**
 * Append-only JSONL files: one `write` per line, readers that tolerate a torn last line.
 *
 * Rule (ARCHITECTURE.md principle 6): appends are a single `write(2)` of `JSON + "\n"` on an O_APPEND descriptor,
 * so concurrent appenders never interleave within a line; the writer holds the file's lock when the line order
 * matters. A reader that finds a last line without its newline (a writer died mid-write) reports it as torn and
 * ignores it; a bad line anywhere else is an error with its line number.
 */
import { open, readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidDataError } from '../errors/index.js';

/** Serialises one record as a compact JSONL line (with the trailing newline). */
export function jsonlLine(record: unknown): string {
  return JSON.stringify(record) + '\n';
}

/**
 * Appends records to a JSONL file in one write (parent directories created), then fsyncs.
 * @throws fs errors; nothing is written on error before the write call
 */
export async function appendJsonl(path: string, records: unknown | unknown[]): Promise<void> {
  const list = Array.isArray(records) ? records : [records];
  if (list.length === 0) return;
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, 'a');
  try {
    await fh.write(list.map(jsonlLine).join(''));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** One unparseable line found while reading. Lines are 1-based. */
export interface JsonlProblem {
  file: string;
  line: number;
  message: string;
  /** True for a final line without a trailing newline (an interrupted append). */
  torn: boolean;
}

/** The result of {@link parseJsonl}. */
export interface JsonlRead<T> {
  records: T[];
  /** 1-based line number of each record, parallel to `records`. */
  lines: number[];
  problems: JsonlProblem[];
}

/**
 * Parses JSONL text. Blank lines are skipped. A torn last line (no trailing newline and unparseable) is reported
 * with `torn: true`; other bad lines are reported with `torn: false`. Never throws.
 */
export function parseJsonl<T = unknown>(text: string, file: string): JsonlRead<T> {
  const out: JsonlRead<T> = { records: [], lines: [], problems: [] };
  const parts = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i]!;
    if (raw.trim() === '') continue;
    const isLast = i === parts.length - 1;
    try {
      out.records.push(JSON.parse(raw) as T);
      out.lines.push(i + 1);
    } catch (e) {
      out.problems.push({ file, line: i + 1, message: (e as Error).message, torn: isLast && !endsWithNewline });
    }
  }
  return out;
}

/**
 * Reads a JSONL file (missing file = empty). Tolerates a torn last line.
 * @param strict when true, a bad line that is not the torn last line throws InvalidDataError naming file:line
 */
export async function readJsonl<T = unknown>(path: string, strict = false): Promise<JsonlRead<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], lines: [], problems: [] };
    throw e;
  }
  const res = parseJsonl<T>(text, path);
  if (strict) {
    const bad = res.problems.find((p) => !p.torn);
    if (bad) throw new InvalidDataError(`invalid JSONL line: ${bad.message}`, { location: { file: path, line: bad.line } });
  }
  return res;
}
