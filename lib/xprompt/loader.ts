/**
 * Parsing one definition source into xprompt definitions: markdown xprompts with frontmatter, YAML workflows (a
 * summary: name, inputs, kind, `prompt_part`), and config-format mappings (`sase.yml` `xprompts:` or a directory
 * `xprompts.yml`). Rules: spec/xprompts.md §3.3 (config xprompts), §3.4 (tags), §4.1 (frontmatter), §4.2 (inputs),
 * §4.7 (snippets, skills), §5.3 (multi-agent bodies), §6.1 (workflow keys).
 *
 * Names returned here are *local* (frontmatter `name` or the file stem); the catalog adds folder and project
 * namespaces. Imports `yaml` through yaml-doc.ts: the catalog loads this module only on a cache miss.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InvalidDataError, isSaseError } from '../errors/index.js';
import { InputDeclError, parseInputs } from './inputs.js';
import type { LoadIssue, XpromptDef, XpromptKind } from './types.js';
import { parseYamlDoc, type YamlDoc } from './yaml-doc.js';

/** A definition as read from its file, before namespacing and precedence (no `source`/`shadows` yet). */
export type FileDef = Omit<XpromptDef, 'source' | 'shadows'> & {
  /** The `sase.yml` a config-defined xprompt came from (its `path` is null). */
  configFile?: string;
};

/** What one source file yielded. */
export interface ParsedSource {
  defs: FileDef[];
  issues: LoadIssue[];
}

/** A valid xprompt name: identifiers separated by `/` (spec §1.1 NAME). */
export const XPROMPT_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Result of {@link splitFrontmatter}. */
export interface FrontmatterSplit {
  /** YAML text between the `---` lines, or null when the file has no frontmatter block. */
  yaml: string | null;
  /** 1-based file line where the YAML text starts (2 when present). */
  yamlLine: number;
  body: string;
  /** 1-based file line where `body` starts. */
  bodyLine: number;
}

/**
 * Splits a markdown file per SASE's rule: frontmatter exists only when the first line is `---` (trimmed) and a later
 * line is `---`; the body is the lines after the closing `---` with one leading newline removed.
 * spec/xprompts.md §4.1 (`parse_yaml_front_matter_with_error`; vectors I1, I3). lib/store's `parseFrontmatter`
 * (gray-matter) is not used here: it rejects invalid YAML, while SASE keeps such a file as a plain body (vector I2),
 * and importing gray-matter would cost start-up time on the `list` path.
 */
export function splitFrontmatter(text: string): FrontmatterSplit {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[0]!.trim() === '---') {
    for (let j = 1; j < lines.length; j++) {
      if (lines[j]!.trim() !== '---') continue;
      let body = lines.slice(j + 1).join('\n');
      let bodyLine = j + 2;
      if (body.startsWith('\n')) {
        body = body.slice(1);
        bodyLine++;
      } else if (body.startsWith('\r\n')) {
        body = body.slice(2);
        bodyLine++;
      }
      return { yaml: lines.slice(1, j).join('\n'), yamlLine: 2, body, bodyLine };
    }
  }
  return { yaml: null, yamlLine: 1, body: text, bodyLine: 1 };
}

/** True when `body` has a top-level `---` line outside fenced code blocks (a multi-agent body, spec §5.3). */
export function hasSegmentSeparator(body: string): boolean {
  let fence: string | null = null;
  for (const line of body.split('\n')) {
    const t = line.trim();
    const m = /^(`{3,}|~{3,})/.exec(t);
    if (m) {
      if (fence === null) fence = m[1]![0]!;
      else if (t.startsWith(fence.repeat(3))) fence = null;
      continue;
    }
    if (fence === null && /^---\s*$/.test(line)) return true;
  }
  return false;
}

/** Parses `tags:` (list, or comma-separated string) into trimmed non-empty strings (spec §3.4). */
export function parseTags(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw.map((t) => String(t)) : String(raw).split(',');
  return items.map((t) => t.trim()).filter((t) => t !== '');
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function inputsOf(raw: unknown, doc: YamlDoc | null, base: ReadonlyArray<string | number>, file: string) {
  try {
    return parseInputs(raw, (k) => doc?.lineOf([...base, k]));
  } catch (e) {
    if (e instanceof InputDeclError) {
      throw new InvalidDataError(e.message, { location: { file, line: e.line ?? doc?.lineOf(base), field: 'input' } });
    }
    throw e;
  }
}

function checkName(name: string, file: string, line: number | undefined): void {
  if (!XPROMPT_NAME_RE.test(name)) {
    throw new InvalidDataError(`xprompt name '${name}' is not a valid reference name (identifiers separated by '/')`, {
      location: { file, line, field: 'name' },
    });
  }
}

function localXprompts(raw: unknown, file: string, line: number | undefined, requireUnderscore: boolean): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isMapping(raw)) throw new InvalidDataError(`'xprompts' must be a mapping of name to content`, { location: { file, line, field: 'xprompts' } });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (requireUnderscore && !k.startsWith('_')) {
      throw new InvalidDataError(`file-local xprompt '${k}' must start with '_'`, { location: { file, line, field: 'xprompts' } });
    }
    out[k] = isMapping(v) ? str(v.content) : str(v);
  }
  return out;
}

function snippetOf(raw: unknown, name: string): string | undefined {
  if (raw === true) return name.split('/').pop();
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  return undefined;
}

/**
 * Builds one definition from its metadata `fields` (a `.md` file's frontmatter, or one entry of a YAML collection)
 * and its body: kind and reference prefix from segment separators (multi-agent → `standalone_workflow`, `#!`),
 * inputs, tags, the skill flag, snippet and local xprompts. spec/xprompts.md §3.
 * @param path the definition's file (null for config-file entries)
 * @param file the file being loaded, for located errors
 * @param at where `fields` live in `doc` ([] for frontmatter)
 * @throws InvalidDataError (or another SaseError) for bad inputs, snippets or local xprompts
 */
function defFromFields(name: string, fields: Record<string, unknown>, body: string, bodyLine: number, path: string | null, file: string, doc: YamlDoc | null, at: ReadonlyArray<string | number>): FileDef {
  const inputs = inputsOf(fields.input, doc, [...at, 'input'], file);
  const multiAgent = hasSegmentSeparator(body);
  const def: FileDef = {
    name,
    kind: multiAgent ? 'standalone_workflow' : 'xprompt',
    description: str(fields.description),
    inputs,
    body,
    bodyLine,
    path,
    meta: fields,
    referencePrefix: multiAgent ? '#!' : '#',
    multiAgent,
    tags: parseTags(fields.tags),
    isSkill: fields.skill !== undefined && fields.skill !== null && fields.skill !== false,
  };
  const snip = snippetOf(fields.snippet, name);
  if (snip) def.snippet = snip;
  const locals = localXprompts(fields.xprompts, file, doc?.lineOf([...at, 'xprompts']), true);
  if (locals) def.localXprompts = locals;
  return def;
}

/**
 * Parses a markdown xprompt. Invalid frontmatter YAML is not fatal: the whole file becomes the body and a warning
 * `invalid YAML frontmatter (treated as plain body)` is recorded (spec §4.1, vector I2); a non-mapping frontmatter
 * counts as `{}`.
 * @param stem the file name without extension (the default name)
 * @throws InvalidDataError (file, line) for a bad name, a malformed `input:` or file-local `xprompts:`
 */
export function parseMarkdownXprompt(text: string, file: string, stem: string): ParsedSource {
  const issues: LoadIssue[] = [];
  const split = splitFrontmatter(text);
  let fm: Record<string, unknown> = {};
  let doc: YamlDoc | null = null;
  let body = split.body;
  let bodyLine = split.bodyLine;
  if (split.yaml !== null) {
    try {
      doc = parseYamlDoc(split.yaml, file, split.yamlLine);
      fm = isMapping(doc.value) ? doc.value : {};
    } catch (e) {
      if (!isSaseError(e)) throw e;
      issues.push({ file, line: e.location?.line, column: e.location?.column, message: 'invalid YAML frontmatter (treated as plain body)', severity: 'warning' });
      doc = null;
      body = text;
      bodyLine = 1;
    }
  }
  const name = fm.name !== undefined && fm.name !== null && str(fm.name) !== '' ? str(fm.name) : stem;
  checkName(name, file, doc?.lineOf(['name']) ?? 1);
  return { defs: [defFromFields(name, fm, body, bodyLine, file, file, doc, [])], issues };
}

/** The `prompt_part` steps of a workflow's `steps:` list (top level and inside `parallel`), with their paths. */
function promptParts(steps: unknown[]): Array<{ index: number; step: Record<string, unknown> }> {
  const out: Array<{ index: number; step: Record<string, unknown> }> = [];
  steps.forEach((s, index) => {
    if (isMapping(s) && 'prompt_part' in s) out.push({ index, step: s });
  });
  return out;
}

/**
 * Parses a YAML workflow file into its catalog summary: name (`name:` or stem), description, tags (`wraps_all`
 * implies `vcs`), inputs, kind (`embeddable_workflow` when a `prompt_part` step exists, else `standalone_workflow`)
 * and the `prompt_part` text. Full step validation is lib/workflow's job. spec/xprompts.md §1.5, §6.1.
 * @throws InvalidDataError (file, line) for YAML syntax errors, a non-mapping document, missing/non-list `steps`,
 *   a bad name or a malformed `input:`
 */
export function parseWorkflowXprompt(text: string, file: string, stem: string): ParsedSource {
  const doc = parseYamlDoc(text, file, 1);
  const wf = doc.value;
  if (!isMapping(wf)) throw new InvalidDataError('workflow file must be a YAML mapping', { location: { file, line: 1 } });
  if (!Array.isArray(wf.steps)) {
    throw new InvalidDataError(`workflow must have a 'steps' list`, { location: { file, line: doc.lineOf(['steps']) ?? 1, field: 'steps' } });
  }
  const name = wf.name !== undefined && wf.name !== null && str(wf.name) !== '' ? str(wf.name) : stem;
  checkName(name, file, doc.lineOf(['name']) ?? 1);
  const inputs = inputsOf(wf.input, doc, ['input'], file);
  const parts = promptParts(wf.steps);
  const kind: XpromptKind = parts.length > 0 ? 'embeddable_workflow' : 'standalone_workflow';
  const tags = parseTags(wf.tags);
  if (wf.wraps_all === true && !tags.includes('vcs')) tags.push('vcs');
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wf)) if (k !== 'steps' && k !== 'xprompts') meta[k] = v;
  meta.step_count = wf.steps.length;
  const def: FileDef = {
    name,
    kind,
    description: str(wf.description),
    inputs,
    body: null,
    bodyLine: 1,
    path: file,
    meta,
    referencePrefix: kind === 'embeddable_workflow' ? '#' : '#!',
    multiAgent: false,
    tags,
    isSkill: false,
  };
  const first = parts[0];
  if (first) {
    const stepName = first.step.name !== undefined ? str(first.step.name) : `step_${first.index + 1}`;
    def.promptPart = {
      text: str(first.step.prompt_part),
      line: doc.valueLineOf(['steps', first.index, 'prompt_part']) ?? 1,
      step: stepName,
    };
  }
  const locals = localXprompts(wf.xprompts, file, doc.lineOf(['xprompts']), false);
  if (locals) def.localXprompts = locals;
  return { defs: [def], issues: [] };
}

/**
 * Parses config-format xprompts (`sase.yml` `xprompts:` or a directory `xprompts.yml`): `name: "body"` or
 * `name: {content, description, input, output, tags, snippet, skill, xprompts}`. Invalid names and entries
 * without content are skipped with an issue (spec §3.3). Keys may contain `/` (namespaced, e.g. `bd/next`).
 * @param doc the parsed file (for lines); `base` is the path of the mapping inside it (`['xprompts']` in sase.yml)
 * @param configFile set for sase.yml entries (their `path` is null); unset for directory `xprompts.yml` files
 */
export function parseConfigXprompts(
  mapping: unknown,
  doc: YamlDoc | null,
  base: ReadonlyArray<string | number>,
  file: string,
  configFile?: string,
): ParsedSource {
  const issues: LoadIssue[] = [];
  const defs: FileDef[] = [];
  if (mapping === undefined || mapping === null) return { defs, issues };
  if (!isMapping(mapping)) {
    issues.push({ file, line: doc?.lineOf(base), message: `'xprompts' must be a mapping of name to definition`, severity: 'error' });
    return { defs, issues };
  }
  for (const [name, entry] of Object.entries(mapping)) {
    const line = doc?.lineOf([...base, name]);
    if (!XPROMPT_NAME_RE.test(name)) {
      issues.push({ file, line, message: `config xprompt key '${name}' is not a valid xprompt name (skipped)`, severity: 'warning' });
      continue;
    }
    let content: string;
    let fields: Record<string, unknown> = {};
    let bodyLine = line ?? 1;
    if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') {
      content = String(entry);
      bodyLine = doc?.valueLineOf([...base, name]) ?? bodyLine;
    } else if (isMapping(entry)) {
      fields = entry;
      if (typeof entry.content !== 'string') {
        issues.push({ file, line, message: `config xprompt '${name}' has no 'content' string (skipped)`, severity: 'warning' });
        continue;
      }
      content = entry.content;
      bodyLine = doc?.valueLineOf([...base, name, 'content']) ?? bodyLine;
    } else {
      issues.push({ file, line, message: `config xprompt '${name}' must be a string or a mapping (skipped)`, severity: 'warning' });
      continue;
    }
    try {
      const def = defFromFields(name, fields, content, bodyLine, configFile ? null : file, file, doc, [...base, name]);
      if (configFile) def.configFile = configFile;
      defs.push(def);
    } catch (e) {
      if (!isSaseError(e)) throw e;
      issues.push({ file: e.location?.file ?? file, line: e.location?.line ?? line, message: `config xprompt '${name}': ${e.message}`, severity: 'error' });
    }
  }
  return { defs, issues };
}

/** File names that hold config-format xprompts inside an xprompt directory (`.yml` wins over `.yaml`). */
export const DIRECTORY_CONFIG_FILES = ['xprompts.yml', 'xprompts.yaml'] as const;

/**
 * Reads and parses one definition file by extension: `.md` markdown, `xprompts.yml`/`.yaml` config format, other
 * `.yml`/`.yaml` workflows.
 * @throws InvalidDataError (file, line) when the file is malformed; NotFound-style fs errors propagate as-is
 */
export function loadDefinitionFile(path: string): ParsedSource {
  const text = readFileSync(path, 'utf8');
  const ext = extname(path);
  const stem = basename(path, ext);
  if (ext === '.md') return parseMarkdownXprompt(text, path, stem);
  if ((DIRECTORY_CONFIG_FILES as readonly string[]).includes(basename(path))) {
    const doc = parseYamlDoc(text, path, 1);
    if (doc.value === null || doc.value === undefined) return { defs: [], issues: [] };
    return parseConfigXprompts(doc.value, doc, [], path);
  }
  return parseWorkflowXprompt(text, path, stem);
}
