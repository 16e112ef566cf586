/**
 * Bead ids: base36 top-level counters, decimal child numbers, shorthand resolution (spec §B.7).
 */
import { NotFoundError, UsageError } from '../errors/index.js';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `n` in base36 (`0-9a-z`, no padding). @throws UsageError for a negative or non-integer n */
export function toBase36(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`not a counter: ${n}`);
  return n.toString(36);
}

/** Parses a base36 suffix; null when it holds anything but `0-9a-z`. */
export function fromBase36(s: string): number | null {
  if (s === '' || ![...s].every((c) => BASE36.includes(c))) return null;
  return parseInt(s, 36);
}

/**
 * The next top-level id and the counter to store afterwards.
 * Rule (§B.7): counter = max(config.next_counter, 1 + max base36 suffix of existing top-level ids with this
 * prefix); afterwards next_counter = counter + 1.
 * @param existing every id ever seen (dotted ids are ignored)
 */
export function nextTopLevelId(prefix: string, nextCounter: number, existing: Iterable<string>): { id: string; nextCounter: number } {
  let counter = Math.max(1, nextCounter || 1);
  const head = `${prefix}-`;
  for (const id of existing) {
    if (!id.startsWith(head) || id.includes('.')) continue;
    const n = fromBase36(id.slice(head.length));
    if (n !== null && n + 1 > counter) counter = n + 1;
  }
  return { id: `${head}${toBase36(counter)}`, nextCounter: counter + 1 };
}

/**
 * The next child id `<parent>.<N>`, N = 1 + max existing direct decimal child suffix (§B.7).
 * @param existing every id ever seen
 */
export function nextChildId(parentId: string, existing: Iterable<string>): string {
  let max = 0;
  const head = `${parentId}.`;
  for (const id of existing) {
    if (!id.startsWith(head)) continue;
    const rest = id.slice(head.length);
    if (/^\d+$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return `${head}${max + 1}`;
}

/** The suffix after the last `-` (what shorthand input is matched against). */
export function idSuffix(id: string): string {
  const i = id.lastIndexOf('-');
  return i === -1 ? id : id.slice(i + 1);
}

/**
 * Resolves user input to a full id. An exact id wins; an input without `-` matches the unique id whose suffix
 * after the last `-` equals it (`hs` → `sase-hs`). §B.7
 * @throws NotFoundError when nothing matches; UsageError when the shorthand is ambiguous
 */
export function resolveId(input: string, ids: Iterable<string>): string {
  const all = ids instanceof Set ? (ids as Set<string>) : new Set(ids);
  if (all.has(input)) return input;
  if (!input.includes('-')) {
    const hits = [...all].filter((id) => idSuffix(id) === input);
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) {
      throw new UsageError(`bead id '${input}' is ambiguous: ${hits.sort().join(', ')}`, {
        hint: 'use the full id',
        data: { input, candidates: hits },
      });
    }
  }
  throw new NotFoundError(`no bead '${input}'`, { data: { id: input } });
}

/** The id of the parent of a dotted id, or null for a top-level id. */
export function parentOfId(id: string): string | null {
  const i = id.lastIndexOf('.');
  return i === -1 ? null : id.slice(0, i);
}
