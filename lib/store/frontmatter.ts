/**
 * Markdown documents with YAML frontmatter (gray-matter for the split, `yaml` for parsing).
 *
 * Errors name the file and the line inside the file (frontmatter starts on line 2).
 */
import { createRequire } from 'node:module';
import type matterType from 'gray-matter';
import type YAMLType from 'yaml';
import { InvalidDataError } from '../errors/index.js';

// gray-matter (and the js-yaml it pulls in) and yaml are loaded on first use, synchronously through require, so
// importing lib/store costs nothing at start-up for commands that never read a frontmatter document.
const requireLazy = createRequire(import.meta.url);
let matterLib: typeof matterType | undefined;
let yamlLib: typeof YAMLType | undefined;
function yaml(): typeof YAMLType {
  return (yamlLib ??= requireLazy('yaml') as typeof YAMLType);
}
function matter(): typeof matterType {
  return (matterLib ??= requireLazy('gray-matter') as typeof matterType);
}

/** A parsed markdown document. */
export interface FrontmatterDoc<T = Record<string, unknown>> {
  /** Parsed frontmatter mapping; `{}` when the document has none. */
  data: T;
  /** The markdown body after the closing `---`. */
  body: string;
  /** True when the document had a frontmatter block. */
  hasFrontmatter: boolean;
  /** 1-based line in the file where `body` begins. */
  bodyLine: number;
}

const yamlEngine = {
  parse: (s: string): object => {
    const doc = yaml().parseDocument(s, { prettyErrors: true });
    if (doc.errors.length > 0) throw doc.errors[0];
    const v = doc.toJS() as unknown;
    return (v ?? {}) as object;
  },
  stringify: (o: object): string => yaml().stringify(o),
};

/**
 * Parses `text` as a frontmatter document.
 * @param file used in error locations
 * @throws InvalidDataError (file, line) when the YAML is invalid or is not a mapping
 */
export function parseFrontmatter<T = Record<string, unknown>>(text: string, file: string): FrontmatterDoc<T> {
  let parsed: matterType.GrayMatterFile<string>;
  try {
    // An options object disables gray-matter's cache, which would otherwise keep stale results per input string.
    parsed = matter()(text, { engines: { yaml: yamlEngine } as never, language: 'yaml' });
  } catch (e) {
    const err = e as Error & { linePos?: Array<{ line: number; col: number }> };
    const pos = err.linePos?.[0];
    throw new InvalidDataError(`invalid YAML frontmatter: ${err.message.split('\n')[0]}`, {
      location: { file, line: pos ? pos.line + 1 : 1, column: pos?.col },
    });
  }
  const data = parsed.data as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidDataError('frontmatter must be a YAML mapping', { location: { file, line: 2 } });
  }
  const hasFrontmatter = parsed.matter !== undefined && text.trimStart().startsWith('---');
  const bodyLine = hasFrontmatter ? text.slice(0, text.length - parsed.content.length).split('\n').length : 1;
  return { data: data as T, body: parsed.content, hasFrontmatter, bodyLine };
}

/** Renders a frontmatter document: `---\n<yaml>---\n<body>`; no frontmatter block when `data` is empty. */
export function stringifyFrontmatter(data: Record<string, unknown>, body: string): string {
  if (Object.keys(data).length === 0) return body;
  return `---\n${yaml().stringify(data, { lineWidth: 0 })}---\n${body}`;
}
