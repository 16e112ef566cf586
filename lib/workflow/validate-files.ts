/**
 * `sase xprompt validate`: checks xprompt and workflow files and returns `file:line:col` diagnostics. Markdown
 * xprompts go through the catalog loader (frontmatter, inputs), `xprompts.yml` through the config parser, step
 * import files (`…/steps/…yml`) through the step parser, and other YAML files through the workflow loader and the
 * semantic validator (lib/workflow/validate.ts) with xprompt calls checked against the catalog.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve, sep } from 'node:path';
import { isSaseError } from '../errors/index.js';
import { scanDir } from '../xprompt/catalog.js';
import { DIRECTORY_CONFIG_FILES, loadDefinitionFile, parseMarkdownXprompt } from '../xprompt/loader.js';
import type { Catalog } from '../xprompt/types.js';
import { parseStepFile, parseWorkflow } from './load.js';
import type { Diagnostic, WorkflowStep } from './types.js';
import { validateWorkflow } from './validate.js';
import { offsetToLineCol } from '../store/json.js';
import { checkReferences } from './reference-check.js';

/** Options of {@link validatePaths}. */
export interface ValidateOptions {
  cwd: string;
  /** Catalog used to check xprompt call arguments inside workflows. */
  catalog?: Catalog;
  /** `use:` search directories (see `stepDirsFor`). */
  stepDirs?: (file: string) => string[];
  /** Jinja syntax checker (lib/workflow/template-check.ts `checkTemplate`); no template checks when absent. */
  checkTemplate?: (src: string) => { line: number; column: number; message: string } | null;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Expands directories into their definition files (as the catalog scans them, plus `steps/` files). */
export function expandPaths(paths: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (isDir(abs)) {
      for (const f of scanDir(abs)) out.push(f.path);
      out.push(...stepFiles(resolve(abs, 'steps')));
    } else out.push(abs);
  }
  return [...new Set(out)];
}

function stepFiles(dir: string): string[] {
  if (!isDir(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    let ents: import('node:fs').Dirent[];
    try {
      ents = readdirSyncSorted(d);
    } catch {
      return;
    }
    for (const e of ents) {
      const p = resolve(d, e.name);
      if (e.isDirectory() && depth < 6) walk(p, depth + 1);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

function readdirSyncSorted(d: string): import('node:fs').Dirent[] {
  return readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** True for a step-import file: a YAML file with a `steps` directory component in its path. */
function isStepFile(file: string): boolean {
  return file.split(sep).slice(0, -1).includes('steps');
}

/**
 * Validates each file; never throws for bad content (unreadable files become diagnostics too).
 * Diagnostics are sorted by file, then line.
 */
export function validatePaths(files: string[], opts: ValidateOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lookup = (name: string) => opts.catalog?.get(name)?.inputs;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      out.push({ file, line: 1, column: 1, message: `cannot read: ${(e as Error).message}`, severity: 'error', code: 'read' });
      continue;
    }
    const ext = extname(file);
    try {
      if (ext === '.md') {
        const r = parseMarkdownXprompt(text, file, basename(file, ext));
        for (const i of r.issues) out.push({ file: i.file, line: i.line ?? 1, column: i.column ?? 1, message: i.message, severity: i.severity, code: 'frontmatter' });
        const def = r.defs[0];
        const p = def?.body != null && opts.checkTemplate ? opts.checkTemplate(def.body) : null;
        if (def && p) out.push({ file, line: def.bodyLine + p.line - 1, column: p.column, message: p.message, severity: 'error', code: 'template' });
        if (def?.body != null && opts.catalog) {
          const body = def.body;
          for (const prob of checkReferences(body, lookup)) {
            const at = offsetToLineCol(body, prob.offset);
            const severe = prob.code === 'too_many_positional' || prob.code === 'argument_type';
            out.push({ file, line: def.bodyLine + at.line - 1, column: at.column, message: prob.message, severity: severe ? 'error' : 'warning', code: prob.code });
          }
        }
      } else if (ext === '.yml' || ext === '.yaml') {
        if ((DIRECTORY_CONFIG_FILES as readonly string[]).includes(basename(file))) {
          const r = loadDefinitionFile(file);
          for (const i of r.issues) out.push({ file: i.file, line: i.line ?? 1, column: i.column ?? 1, message: i.message, severity: i.severity, code: 'config' });
        } else if (isStepFile(file) && !/^\s*steps\s*:/m.test(text)) {
          out.push(...parseStepFile(text, file, { stepDirs: opts.stepDirs?.(file) }).diagnostics);
        } else {
          const r = parseWorkflow(text, file, { stepDirs: opts.stepDirs?.(file) });
          out.push(...r.diagnostics);
          if (r.workflow) {
            out.push(...validateWorkflow(r.workflow, lookup));
            if (opts.checkTemplate) out.push(...checkStepTemplates(r.workflow.steps, file, opts.checkTemplate));
          }
        }
      } else {
        out.push({ file, line: 1, column: 1, message: `not an xprompt or workflow file (expected .md, .yml or .yaml)`, severity: 'error', code: 'extension' });
      }
    } catch (e) {
      if (!isSaseError(e)) throw e;
      out.push({ file: e.location?.file ?? file, line: e.location?.line ?? 1, column: e.location?.column ?? 1, message: e.message, severity: 'error', code: 'invalid' });
    }
  }
  return out.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
}

function checkStepTemplates(steps: WorkflowStep[], file: string, check: NonNullable<ValidateOptions['checkTemplate']>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of steps) {
    const texts: Array<[string, number]> = [];
    if (s.body !== null) texts.push([s.body, s.bodyLine ?? s.line]);
    for (const expr of [s.if, s.while?.condition, s.repeat?.condition, ...Object.values(s.for ?? {})]) if (expr) texts.push([expr, s.line]);
    for (const [text, line] of texts) {
      const p = check(text);
      if (p) out.push({ file, line: line + p.line - 1, column: p.column, message: `Step '${s.name}': ${p.message}`, severity: 'error', code: 'template' });
    }
    out.push(...checkStepTemplates(s.steps, file, check));
  }
  return out;
}

/** Renders one diagnostic as `file:line:col: message` (warnings: `file:line:col: warning: message`). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}
