/**
 * Splitting a markdown document into its YAML frontmatter and body, the strict way SASE's plan tools do it:
 * frontmatter opens with `---` at byte 0 and closes at the next line that is exactly `---` (CR tolerated).
 * Source: sase-core `plan/read.rs` split rule, spec/beads-sdd-changespecs.md §A.2.
 */

/** A split document. Line numbers are 1-based lines of the whole file. */
export interface SplitDocument {
  /** True when the file opens with a `---` line. */
  opens: boolean;
  /** True when an opening `---` has a matching closing line. */
  closed: boolean;
  /** The YAML text between the markers ('' when none). */
  yaml: string;
  /** The text after the closing marker (the whole text when there is no frontmatter). */
  body: string;
  /** Line of the file where `body` starts. */
  bodyLine: number;
}

function trimEol(line: string): string {
  return line.replace(/\r?\n$/, '').replace(/\r$/, '');
}

/** Splits `text` into frontmatter and body (never throws). */
export function splitDocument(text: string): SplitDocument {
  const opens = text === '---' || text.startsWith('---\n') || text.startsWith('---\r\n');
  if (!opens) return { opens: false, closed: false, yaml: '', body: text, bodyLine: 1 };
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let offset = lines[0]?.length ?? 3;
  const yamlStart = offset;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (trimEol(line) === '---') {
      return {
        opens: true,
        closed: true,
        yaml: text.slice(yamlStart, offset),
        body: text.slice(offset + line.length),
        bodyLine: i + 2,
      };
    }
    offset += line.length;
  }
  return { opens: true, closed: false, yaml: '', body: '', bodyLine: 1 };
}
