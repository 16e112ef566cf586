/**
 * The machine-owned plan header block of Gen-3 plans: the first body element, a run of bullets
 * `- **PROMPT:** [label](target)`, `- **PARENT:**`, `- **BEAD:**`, `- **PLAN:**` (link sections: exactly one Markdown
 * link, on the bullet line or the next indented line) and `- **AGENTS:**`, `- **ARTIFACTS:**`, `- **COMMITS:**`
 * (list sections: a bare key followed by indented `- [label](target)` entries, optionally followed by ` — text`
 * or an indented `— text` continuation line). The block ends at the first blank line.
 * Source: spec/beads-sdd-changespecs.md §A.3 (header block, `header-invalid`).
 */

/** Sections holding exactly one link. */
export const LINK_SECTIONS = ['PLAN', 'PROMPT', 'PARENT', 'BEAD'] as const;
/** Sections holding a bullet list of links. */
export const LIST_SECTIONS = ['AGENTS', 'ARTIFACTS', 'COMMITS'] as const;

/** One Markdown link found in the block. */
export interface HeaderLink {
  label: string;
  target: string;
  line: number;
}

/** The parsed block. */
export interface HeaderBlock {
  /** False when the body does not open with a header bullet (prose is not a header block). */
  present: boolean;
  /** Link sections by key. */
  links: Record<string, HeaderLink>;
  /** List sections by key. */
  lists: Record<string, HeaderLink[]>;
  /** The first problem, when the block does not parse. `line` is a document line. */
  problem: { reason: string; line: number } | null;
  /** Document lines spanned by the block (inclusive), when present. */
  startLine: number;
  endLine: number;
}

const BULLET = /^- \*\*([A-Za-z_]+):\*\*(.*)$/;
const LINK_AT_START = /^\[([^\]\r\n]+)\]\(([^)\s]+)\)/;
const ENTRY_TAIL_OK = /^(\s+[—–-]\s.*)?$/;
const KNOWN = new Set<string>([...LINK_SECTIONS, ...LIST_SECTIONS]);

/**
 * Parses the header block at the start of `body`.
 * @param body markdown after the frontmatter
 * @param bodyLine document line where `body` starts (for locations)
 */
export function parseHeaderBlock(body: string, bodyLine: number): HeaderBlock {
  const lines = body.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: HeaderBlock = { present: false, links: {}, lists: {}, problem: null, startLine: 0, endLine: 0 };
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const first = lines[i] !== undefined ? BULLET.exec(lines[i]!) : null;
  if (!first || !KNOWN.has(first[1]!)) return out;
  out.present = true;
  out.startLine = bodyLine + i;
  const seen = new Set<string>();
  const fail = (reason: string, idx: number): HeaderBlock => {
    out.problem ??= { reason, line: bodyLine + idx };
    return out;
  };
  let current: { key: string; kind: 'link' | 'list'; linkDone: boolean } | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;
    out.endLine = bodyLine + i;
    const m = BULLET.exec(line);
    if (m) {
      const key = m[1]!;
      if (!KNOWN.has(key)) return fail(`unknown \`${key}\` section inside plan header block`, i);
      if (seen.has(key)) return fail(`duplicate ${key} plan header section`, i);
      seen.add(key);
      const rest = m[2]!.trim();
      if ((LINK_SECTIONS as readonly string[]).includes(key)) {
        current = { key, kind: 'link', linkDone: false };
        if (rest !== '') {
          const problem = takeLink(out, key, rest, bodyLine + i);
          if (problem) return fail(problem, i);
          current.linkDone = true;
        }
      } else {
        current = { key, kind: 'list', linkDone: false };
        out.lists[key] = [];
        if (rest !== '') return fail(`${key} plan header section must be a bare key followed by indented bullets`, i);
      }
      continue;
    }
    if (!/^\s/.test(line) || current === null) return fail('unexpected text inside plan header block', i);
    const text = line.trim();
    if (current.kind === 'link') {
      if (current.linkDone) return fail(`unexpected trailing text in ${current.key} plan header section`, i);
      const problem = takeLink(out, current.key, text, bodyLine + i);
      if (problem) return fail(problem, i);
      current.linkDone = true;
      continue;
    }
    if (text.startsWith('- ')) {
      const entry = text.slice(2).trim();
      if (/^…\s*and \d+ more$/.test(entry) || /^\.\.\.\s*and \d+ more$/.test(entry)) continue;
      const lm = LINK_AT_START.exec(entry);
      if (!lm) return fail('malformed plan header entry link Markdown', i);
      if (!ENTRY_TAIL_OK.test(entry.slice(lm[0].length))) return fail('malformed plan header entry trailing text', i);
      out.lists[current.key]!.push({ label: lm[1]!, target: lm[2]!, line: bodyLine + i });
      continue;
    }
    if (/^[—–]\s/.test(text)) continue; // description continuation of the previous entry
    return fail('malformed plan header entry trailing text', i);
  }
  for (const key of LINK_SECTIONS) {
    if (seen.has(key) && !out.links[key]) {
      const line = out.endLine - bodyLine;
      return fail(`malformed ${key} plan header link Markdown`, line);
    }
  }
  return out;
}

function takeLink(out: HeaderBlock, key: string, text: string, line: number): string | null {
  const lm = LINK_AT_START.exec(text);
  if (!lm) return `malformed ${key} plan header link Markdown`;
  if (text.slice(lm[0].length).trim() !== '') return `unexpected trailing text in ${key} plan header section`;
  out.links[key] = { label: lm[1]!, target: lm[2]!, line };
  return null;
}
