/**
 * Commit footers: the terminal block of `SASE_<KEY>=<value>` lines that links a commit to its bead, agent and plan
 * (spec/runtime.md §i "Footer grammar", spec/beads-sdd-changespecs.md §B.9). A value may be a Markdown reference
 * link `[label][n]` whose definitions sit in one final block after a blank line. Bare legacy keys (`AGENT=`,
 * `BEAD=`, …) are read as their `SASE_` form and replaced on update.
 *
 * Also the `commit-msg` hook entry point: `node footer.js <message-file>` stamps the footer from the environment
 * (`SASE_BEAD_ID`, `SASE_AGENT_NAME`, `SASE_PLAN`) — what every commit made inside a bead-work or coder run gets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Tag key grammar (§B.9): `^[A-Z][A-Z0-9_]*$`. */
const KEY_RE = /^[A-Z][A-Z0-9_]*$/;
const TAG_LINE = /^([A-Z][A-Z0-9_]*)=(.*)$/;
const REF_DEF = /^\[[^\]]+\]:\s*\S/;
/** Legacy bare keys accepted on read (runtime.md §i: "Older messages used bare AGENT= / MACHINE="). */
const LEGACY_KEYS = new Set(['AGENT', 'MACHINE', 'BEAD', 'PLAN', 'TYPE', 'BUG', 'DOC']);

/** A parsed commit message: body without the footer, the footer tags (canonical `SASE_` keys), reference definitions. */
export interface ParsedFooter {
  body: string;
  /** Tags in footer order; keys canonicalised to `SASE_<KEY>`. */
  tags: Array<[string, string]>;
  /** Reference-definition lines (`[1]: https://…`) of the final block, verbatim. */
  refs: string[];
}

function canonical(key: string): string {
  return key.startsWith('SASE_') ? key : `SASE_${key}`;
}

function isTagLine(l: string): boolean {
  const m = TAG_LINE.exec(l);
  return !!m && (m[1]!.startsWith('SASE_') || LEGACY_KEYS.has(m[1]!));
}

/** Splits a message into body, footer tags and reference definitions. Pure. */
export function parseFooter(message: string): ParsedFooter {
  const lines = message.replace(/\s+$/, '').split('\n');
  let end = lines.length;
  let refs: string[] = [];
  // Final block of reference definitions (only when a tag block precedes it).
  let i = end - 1;
  while (i >= 0 && REF_DEF.test(lines[i]!)) i--;
  if (i < end - 1 && i >= 1 && lines[i] === '' && isTagLine(lines[i - 1]!)) {
    refs = lines.slice(i + 1, end);
    end = i;
  }
  let start = end;
  while (start > 0 && isTagLine(lines[start - 1]!)) start--;
  if (start === end || (start > 0 && lines[start - 1] !== '')) {
    // No footer block (tags must follow a blank line, or be the whole message).
    return { body: lines.slice(0, lines.length).join('\n'), tags: [], refs: [] };
  }
  const tags = lines.slice(start, end).map((l) => {
    const m = TAG_LINE.exec(l)!;
    return [canonical(m[1]!), m[2]!] as [string, string];
  });
  let b = start;
  while (b > 0 && lines[b - 1] === '') b--;
  return { body: lines.slice(0, b).join('\n'), tags, refs };
}

/**
 * Adds or replaces footer tags (keys with or without `SASE_`; empty/undefined values are skipped) and returns the
 * message with exactly one terminal footer block. Existing tags keep their position; new ones are appended in the
 * given order. Pure.
 * @throws Error for a key outside `^[A-Z][A-Z0-9_]*$`
 */
export function applyFooter(message: string, tags: Record<string, string | null | undefined>): string {
  const p = parseFooter(message);
  const merged = new Map<string, string>(p.tags);
  for (const [k, v] of Object.entries(tags)) {
    if (!KEY_RE.test(k)) throw new Error(`invalid footer key ${JSON.stringify(k)}`);
    if (v === undefined || v === null || v === '') continue;
    if (/[\r\n]/.test(v)) throw new Error(`footer value of ${k} must be one line`);
    merged.set(canonical(k), v);
  }
  if (merged.size === 0) return message;
  const block = [...merged].map(([k, v]) => `${k}=${v}`).join('\n');
  const body = p.body.replace(/\s+$/, '');
  return `${body === '' ? '' : `${body}\n\n`}${block}\n${p.refs.length ? `\n${p.refs.join('\n')}\n` : ''}`;
}

/** The footer tags a run's environment asks for: `SASE_BEAD` ← `SASE_BEAD_ID`, `SASE_AGENT` ← `SASE_AGENT_NAME`, `SASE_PLAN`. */
export function footerTagsFromEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { SASE_BEAD: env.SASE_BEAD_ID, SASE_AGENT: env.SASE_AGENT_NAME, SASE_PLAN: env.SASE_PLAN };
}

/** Rewrites a commit message file in place with the run's footer (the `commit-msg` hook's work). */
export function stampMessageFile(path: string, env: Record<string, string | undefined>): void {
  const text = readFileSync(path, 'utf8');
  // Drop git's comment lines only when they trail (they would otherwise end up above the footer).
  const next = applyFooter(text, footerTagsFromEnv(env));
  if (next !== text) writeFileSync(path, next);
}

/** Absolute path of this module's compiled file (the hook runs it with node). */
export function footerScriptPath(): string {
  return fileURLToPath(import.meta.url);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  // Entry point of the commit-msg hook (the only place this module reads process state).
  stampMessageFile(process.argv[2], process.env);
}
