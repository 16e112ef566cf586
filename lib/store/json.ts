/**
 * Reading JSON state files with errors that name the file and line.
 */
import { readFile } from 'node:fs/promises';
import { InvalidDataError, NotFoundError } from '../errors/index.js';
import { readTextOrNull } from './text.js';

/** Converts a character offset in `text` to a 1-based line and column. */
export function offsetToLineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * Parses JSON text; on failure throws InvalidDataError located at the file/line/column of the syntax error.
 * @param file used only for the error message
 */
export function parseJsonText<T = unknown>(text: string, file: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const loc = m ? offsetToLineCol(text, Number(m[1])) : { line: undefined, column: undefined };
    throw new InvalidDataError(`invalid JSON: ${msg}`, { location: { file, line: loc.line, column: loc.column } });
  }
}

/**
 * Reads and parses a JSON file.
 * @returns the parsed value, or `fallback` when the file does not exist and a fallback was given
 * @throws NotFoundError when missing and no fallback; InvalidDataError on bad JSON
 */
export async function readJson<T = unknown>(path: string, fallback?: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      if (fallback !== undefined) return fallback;
      throw new NotFoundError(`no such file: ${path}`, { data: { path } });
    }
    throw e;
  }
  return parseJsonText<T>(text, path);
}

/**
 * Reads and parses a JSON file synchronously (request/response files of plans and questions).
 * @returns the parsed value, or null when the file does not exist
 * @throws InvalidDataError (located at the file/line/column of the syntax error) on bad JSON
 */
export function readJsonSyncOrNull<T = unknown>(path: string): T | null {
  const text = readTextOrNull(path);
  return text === null ? null : parseJsonText<T>(text, path);
}
