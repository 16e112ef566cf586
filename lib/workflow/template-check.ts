/**
 * Static Jinja syntax checks for `sase xprompt validate`: compiles a template with Nunjucks (the engine the expander
 * uses, spec/xprompts.md §4.4) without rendering it. Fenced code blocks are blanked first, since SASE never renders
 * them. Loaded only by validate (Nunjucks is heavy).
 */
import nunjucks from 'nunjucks';

/** A syntax problem at a 1-based line/column inside the checked text. */
export interface TemplateProblem {
  line: number;
  column: number;
  message: string;
}

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

/** Replaces the contents of fenced code blocks with empty lines (line numbers are kept). */
export function blankFences(src: string): string {
  let fence: string | null = null;
  return src
    .split('\n')
    .map((line) => {
      const m = /^\s*(`{3,}|~{3,})/.exec(line);
      if (m) {
        if (fence === null) fence = m[1]![0]!;
        else if (m[1]![0] === fence) fence = null;
        return '';
      }
      return fence === null ? line : '';
    })
    .join('\n');
}

/**
 * Compiles `src` as a Jinja template when it contains `{{`, `{%` or `{#` (outside fences).
 * @returns null when it compiles (or is not a template), else the first problem
 */
export function checkTemplate(src: string, opts: { fences?: boolean } = {}): TemplateProblem | null {
  const text = opts.fences === false ? src : blankFences(src);
  if (!/\{\{|\{%|\{#/.test(text)) return null;
  try {
    new nunjucks.Template(text, env, 'template', true);
    return null;
  } catch (e) {
    const raw = (e as Error).message;
    const pos = /\[Line (\d+), Column (\d+)\]/.exec(raw);
    const detail = raw
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^\(template\)/.test(l))
      .join(' ')
      .replace(/^Template render error:\s*/, '');
    // Nunjucks gives no position for "got end of file": point at the last line.
    const eofLine = /end of file/.test(raw) ? text.replace(/\n+$/, '').split('\n').length : 1;
    return { line: pos ? Number(pos[1]) : eofLine, column: pos ? Number(pos[2]) : 1, message: `template syntax error: ${detail || raw}` };
  }
}
