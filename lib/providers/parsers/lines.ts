/**
 * Shared plumbing for stream parsers: splitting stdout chunks into lines (a line may span chunks), JSON-line
 * decoding, and usage arithmetic.
 */
import type { Usage } from '../types.js';

/** Splits incoming chunks into complete lines; `end()` returns the unterminated tail. */
export class LineSplitter {
  private buf = '';
  /** Returns the complete lines in `chunk` (without their `\n`; a trailing `\r` is dropped). */
  push(chunk: string): string[] {
    this.buf += chunk;
    const parts = this.buf.split('\n');
    this.buf = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  /** The last, unterminated line ('' when none). */
  end(): string {
    const tail = this.buf;
    this.buf = '';
    return tail.endsWith('\r') ? tail.slice(0, -1) : tail;
  }
}

/**
 * The `feed`/`end` pair of a line-oriented stream parser (see `StreamParser` in lib/providers/types.ts): chunks are
 * split into lines ({@link LineSplitter}) and each complete line, then at the end the unterminated tail (when not
 * empty), goes through `onLine`; the entries it returns are passed on.
 */
export function lineFeed<T>(onLine: (line: string) => T[]): { feed(chunk: string): T[]; end(): T[] } {
  const lines = new LineSplitter();
  return {
    feed: (chunk) => lines.push(chunk).flatMap(onLine),
    end: () => {
      const tail = lines.end();
      return tail === '' ? [] : onLine(tail);
    },
  };
}

/** Parses a line as a JSON object; null for anything else (blank, text, arrays, scalars, torn JSON). */
export function parseJsonLine(line: string): Record<string, unknown> | null {
  const t = line.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v = JSON.parse(t) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A fresh zero usage (cost unknown). */
export function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: null };
}

/** A non-negative integer from an unknown value (0 otherwise). */
export function tokens(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/** Adds `b` into `a` (cost: sum when either is known). */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_read_tokens: a.cache_read_tokens + b.cache_read_tokens,
    cache_write_tokens: a.cache_write_tokens + b.cache_write_tokens,
    cost_usd: a.cost_usd === null && b.cost_usd === null ? null : (a.cost_usd ?? 0) + (b.cost_usd ?? 0),
  };
}

/** Text of a content value: a string, or the `text` of `{type:'text'}` blocks joined by newlines. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b) => (b && typeof b === 'object' && typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : ''))
    .filter((t) => t !== '')
    .join('\n');
}

/** Current time as ISO-8601 (transcript `ts`). */
export function nowIso(): string {
  return new Date().toISOString();
}
