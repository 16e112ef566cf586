/**
 * `sase sdd validate`: the link rules over the whole tree (or one file) plus the strict plan schema for plan files.
 * Gen-3 plans (frontmatter with `title`, `goal` or `phases`) are checked with the strict schema — `launch` mode by
 * default, `authoring` mode with `--strict`; Gen-1/2 plans (no `title`/`goal`) get one `plan-legacy-schema` warning
 * instead of schema errors, so historical trees warn and never fail on schema alone.
 * Sources: spec/beads-sdd-changespecs.md §A.3, §A.4.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NotFoundError } from '../errors/index.js';
import { checkLinks, type LinkRepair, type LinkRow } from './links.js';
import { validatePlan, type PlanMode } from './plan-schema.js';
import { scanArtifacts, type Artifact } from './scan.js';
import { detectLayout, type SddLayout } from './layout.js';
import type { Diagnostic } from './diagnostics.js';

/** Name of the optional legacy allowlist file at the SDD root (one root-relative path per line, `#` comments). */
export const ALLOWLIST_FILE = '.sdd-legacy-allowlist';

/** Options of {@link validateTree}. */
export interface ValidateOptions {
  /** Only report diagnostics for this file or directory (absolute, or relative to `cwd`). */
  path?: string;
  cwd?: string;
  /** Promote unpaired/ambiguous to errors and check plans in `authoring` mode. */
  strict?: boolean;
}

/** Result of {@link validateTree}. */
export interface ValidateResult {
  root: string;
  layout: SddLayout;
  files_checked: number;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  /** Link rows (for `sase sdd links`). */
  links: LinkRow[];
  /** Fixes `repair-links` would write. */
  repairs: LinkRepair[];
}

/** Reads the legacy allowlist (rule 8); empty when the file does not exist. */
export function readAllowlist(root: string): Set<string> {
  const p = join(root, ALLOWLIST_FILE);
  if (!existsSync(p)) return new Set();
  return new Set(
    readFileSync(p, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean),
  );
}

/** True when plan frontmatter is written to the Gen-3 strict schema (has `title`, `goal` or `phases`). */
export function isStrictSchemaPlan(a: Artifact): boolean {
  return 'title' in a.data || 'goal' in a.data || 'phases' in a.data;
}

/** Strict-schema diagnostics of one plan artifact (empty for prompts and legends). */
export function planDiagnostics(a: Artifact, mode: PlanMode): Diagnostic[] {
  if (a.yamlError) return [];
  if (a.kind === 'prompt' || a.kind === 'legend') return [];
  if (a.kind === 'plan') {
    const line = a.keyLines.tier ?? (a.hasFrontmatter ? 1 : null);
    const tier = a.data.tier;
    return [
      {
        code: 'tier' in a.data ? 'tier-invalid' : 'required-missing',
        severity: 'error',
        file: a.rel,
        line,
        field: 'tier',
        message: 'tier' in a.data ? `plan \`tier\` must be tale or epic, not ${JSON.stringify(tier)}` : 'plan files need `tier: tale` or `tier: epic`',
      },
    ];
  }
  if (!isStrictSchemaPlan(a)) {
    return [
      {
        code: 'plan-legacy-schema',
        severity: 'warning',
        file: a.rel,
        line: a.hasFrontmatter ? 1 : null,
        field: '',
        message: `legacy ${a.kind} frontmatter (no title/goal): readable, but not a strict-schema plan${a.kind === 'epic' ? '; `bead work` cannot read its phases' : ''}`,
      },
    ];
  }
  const r = validatePlan(a.text, a.kind, mode);
  return r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, file: a.rel, line: d.line, field: d.field_path, message: d.message }));
}

/**
 * Validates an SDD tree.
 * @throws NotFoundError when `root` (or `opts.path`) does not exist
 */
export function validateTree(root: string, opts: ValidateOptions = {}): ValidateResult {
  if (!existsSync(root)) throw new NotFoundError(`SDD root ${root} does not exist`, { hint: "run 'sase sdd init' or pass --root" });
  const arts = scanArtifacts(root);
  let only: ((rel: string) => boolean) | null = null;
  if (opts.path) {
    const abs = isAbsolute(opts.path) ? opts.path : resolve(opts.cwd ?? root, opts.path);
    if (!existsSync(abs)) throw new NotFoundError(`${opts.path} does not exist`);
    const rel = relative(root, abs).split(sep).join('/');
    if (rel.startsWith('..')) throw new NotFoundError(`${opts.path} is not inside the SDD root ${root}`);
    const isDir = statSync(abs).isDirectory();
    only = (r) => (rel === '' ? true : isDir ? r.startsWith(rel + '/') : r === rel);
  }
  const links = checkLinks(root, arts, { strict: opts.strict, allowlist: readAllowlist(root) });
  const mode: PlanMode = opts.strict ? 'authoring' : 'launch';
  const diags: Diagnostic[] = [...links.diagnostics];
  for (const a of arts) diags.push(...planDiagnostics(a, mode));
  const keep = (d: { file: string }): boolean => !only || only(d.file);
  const diagnostics = diags.filter(keep).sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : (x.line ?? 0) - (y.line ?? 0)));
  return {
    root,
    layout: detectLayout(root),
    files_checked: arts.filter((a) => keep({ file: a.rel })).length,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics,
    links: links.rows.filter((r) => keep({ file: r.from })),
    repairs: links.repairs.filter(keep),
  };
}
