/**
 * Finding and reading SDD artifacts in every layout generation (spec/beads-sdd-changespecs.md §A.1, §A.4).
 * Reading is tolerant: a file whose frontmatter does not parse is still listed (with `yamlError`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import YAML from 'yaml';
import { splitDocument } from './document.js';
import { parseHeaderBlock, type HeaderBlock } from './header-block.js';

/** Artifact kinds. `plan` = a plan file whose tier is missing or unknown. */
export type ArtifactKind = 'prompt' | 'tale' | 'epic' | 'legend' | 'plan';

/** Kinds that pair with a prompt. */
export const PLAN_LIKE: readonly ArtifactKind[] = ['tale', 'epic', 'legend', 'plan'];

/** A link value read from an artifact (legacy frontmatter property or canonical body bullet). */
export interface ArtifactLinkValue {
  /** `prompt` (plan-like → prompt) or `plan` (prompt → plan-like). */
  field: 'prompt' | 'plan';
  /** The raw value (a string; non-strings are reported and recorded as null). */
  value: string | null;
  /** Where it came from. */
  source: 'frontmatter' | 'header';
  line: number;
  /** JS type name of a non-string value. */
  badType?: string;
}

/** One markdown artifact of an SDD tree. */
export interface Artifact {
  /** Absolute path. */
  path: string;
  /** Path relative to the SDD root, `/`-separated. */
  rel: string;
  kind: ArtifactKind;
  /** `YYYYMM` when the file sits in a month directory. */
  month: string | null;
  /** File stem (`ace_run_layout`). */
  name: string;
  /** Parsed frontmatter (empty when none or invalid). */
  data: Record<string, unknown>;
  hasFrontmatter: boolean;
  /** Set when the frontmatter is present but is not valid YAML (or not a mapping). */
  yamlError: { message: string; line: number } | null;
  /** The link this artifact declares to its counterpart, if any. */
  link: ArtifactLinkValue | null;
  /** Document line of each top-level frontmatter key. */
  keyLines: Record<string, number>;
  header: HeaderBlock;
  text: string;
}

const SKIP_DIRS = new Set(['beads', 'assets', 'research', 'myths', '.git', 'node_modules', 'repos']);
const MONTH = /^\d{6}$/;

function walk(root: string, dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (dir === root && SKIP_DIRS.has(e.name)) continue;
      walk(root, p, out);
    } else if (e.isFile() && e.name.endsWith('.md') && e.name !== 'README.md') out.push(p);
  }
}

/** Classifies a root-relative path; null for files outside the SDD kinds (research notes, assets, …). */
export function classifyPath(rel: string): { kind: ArtifactKind | 'plan-file'; month: string | null } | null {
  const parts = rel.split('/');
  const monthOf = (i: number): string | null => (parts[i] !== undefined && MONTH.test(parts[i]!) ? parts[i]! : null);
  const top = parts[0]!;
  if (parts.length === 1) return null;
  if (top === 'prompts') return { kind: 'prompt', month: monthOf(1) };
  if (top === 'tales') return { kind: 'tale', month: monthOf(1) };
  if (top === 'epics') return { kind: 'epic', month: monthOf(1) };
  if (top === 'legends') return { kind: 'legend', month: monthOf(1) };
  if (top === 'plans' || top === 'specs') {
    if (parts.length === 4 && parts[2] === 'prompts') return { kind: 'prompt', month: monthOf(1) };
    return { kind: 'plan-file', month: monthOf(1) };
  }
  if (MONTH.test(top)) {
    if (parts.length === 3 && parts[1] === 'prompts') return { kind: 'prompt', month: top };
    if (parts.length === 2) return { kind: 'plan-file', month: top };
  }
  return null;
}

function kindFromTier(tier: unknown): ArtifactKind {
  return tier === 'tale' || tier === 'epic' || tier === 'legend' ? tier : 'plan';
}

/** Reads one artifact file (tolerant). `rel` is its root-relative path. */
export function readArtifact(path: string, rel: string, text: string = readFileSync(path, 'utf8')): Artifact | null {
  const cls = classifyPath(rel);
  if (!cls) return null;
  const doc = splitDocument(text);
  let data: Record<string, unknown> = {};
  let yamlError: Artifact['yamlError'] = null;
  const keyLines: Record<string, number> = {};
  if (doc.opens && doc.closed) {
    const parsed = YAML.parseDocument(doc.yaml);
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0]!;
      yamlError = { message: e.message.split('\n')[0]!, line: (e.linePos?.[0]?.line ?? 0) + 1 };
    } else {
      let v: unknown;
      try {
        v = parsed.toJS() as unknown;
      } catch (e) {
        yamlError = { message: (e as Error).message.split('\n')[0]!, line: 2 };
      }
      if (yamlError) {
        // reported as frontmatter-invalid
      } else if (v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v))) {
        yamlError = { message: 'frontmatter is not a mapping', line: 2 };
      } else data = (v ?? {}) as Record<string, unknown>;
    }
    doc.yaml.split('\n').forEach((l, i) => {
      const m = /^([A-Za-z_][\w-]*)\s*:/.exec(l);
      if (m && keyLines[m[1]!] === undefined) keyLines[m[1]!] = i + 2;
    });
  } else if (doc.opens) {
    yamlError = { message: 'frontmatter has no closing `---` line', line: 1 };
  }
  const kind: ArtifactKind = cls.kind === 'plan-file' ? kindFromTier(data.tier) : cls.kind;
  const header = parseHeaderBlock(doc.opens && doc.closed ? doc.body : text, doc.opens && doc.closed ? doc.bodyLine : 1);
  const field: 'prompt' | 'plan' = kind === 'prompt' ? 'plan' : 'prompt';
  let link: ArtifactLinkValue | null = null;
  if (field in data) {
    const v = data[field];
    link =
      typeof v === 'string'
        ? { field, value: v, source: 'frontmatter', line: keyLines[field] ?? 2 }
        : { field, value: null, source: 'frontmatter', line: keyLines[field] ?? 2, badType: v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v };
  } else {
    const h = header.links[field.toUpperCase()];
    if (h) link = { field, value: h.target, source: 'header', line: h.line };
  }
  const base = rel.split('/').pop()!;
  return {
    path,
    rel,
    kind,
    month: cls.month,
    name: base.replace(/\.md$/, ''),
    data,
    hasFrontmatter: doc.opens,
    yamlError,
    link,
    keyLines,
    header,
    text,
  };
}

/** Lists every artifact under `root`, sorted by relative path. A missing root yields []. */
export function scanArtifacts(root: string): Artifact[] {
  const files: string[] = [];
  walk(root, root, files);
  const out: Artifact[] = [];
  for (const f of files.sort()) {
    const rel = relative(root, f).split(sep).join('/');
    const a = readArtifact(f, rel);
    if (a) out.push(a);
  }
  return out;
}
