/**
 * SDD file naming: `<YYYYMM>/<snake_case_name>.md`, month of creation, `_1`, `_2`, … on collision.
 * Source: spec/beads-sdd-changespecs.md §A.1 ("File naming in all generations").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `YYYYMM` of `date` in local time (SASE stamps local times). */
export function monthDir(date: Date): string {
  return `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:MM:SS` in local time (SASE's `create_time` format, §A.2). */
export function formatCreateTime(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/**
 * Turns a title or file name into a snake_case stem: lowercase ASCII letters and digits joined by single `_`
 * (a trailing `.md` is dropped; at most 60 characters). Returns `untitled` when nothing is left.
 */
export function snakeName(text: string): string {
  const s = text
    .replace(/\.md$/i, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/, '');
  return s === '' ? 'untitled' : s;
}

/**
 * The first free file name `<dir>/<stem>.md`, `<stem>_1.md`, `<stem>_2.md`, … (checked against the filesystem
 * and against `taken`, for names reserved in the same operation).
 * @returns the file name (not the path)
 */
export function allocateName(dir: string, stem: string, taken: ReadonlySet<string> = new Set()): string {
  for (let n = 0; ; n++) {
    const name = n === 0 ? `${stem}.md` : `${stem}_${n}.md`;
    if (!taken.has(name) && !existsSync(join(dir, name))) return name;
  }
}
