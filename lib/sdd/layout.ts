/**
 * SDD roots and layouts. Three generations (spec/beads-sdd-changespecs.md §A.1):
 * - `kind-dirs` (Gen 1, the seed layout): `prompts/<M>/`, `tales/<M>/`, `epics/<M>/`, `legends/<M>/`, `beads/`;
 * - `unified-plans` (Gen 2): `plans/<M>/<name>.md` with `tier:` and `plans/<M>/prompts/<name>.md`;
 * - `split-sidecar` (Gen 3): `<M>/<name>.md` at the root of a `--plans` repo;
 * - `legacy-flat`: kind directories without `<YYYYMM>/` months; `empty`: nothing recognisable.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Env } from '../store/paths.js';

/** Layout names. */
export type SddLayoutName = 'kind-dirs' | 'unified-plans' | 'split-sidecar' | 'legacy-flat' | 'empty';

/** What {@link detectLayout} found. */
export interface SddLayout {
  layout: SddLayoutName;
  /** 1, 2 or 3; null for legacy-flat/empty. */
  generation: 1 | 2 | 3 | null;
  /** Every layout with evidence in the tree (mixed trees list several, the primary first). */
  found: SddLayoutName[];
  /** Evidence, e.g. `plans/202607/`. */
  evidence: string[];
}

/** Gen-1 kind directories created by `sase sdd init` (seed layout). */
export const KIND_DIRS = ['prompts', 'tales', 'epics', 'beads'] as const;

const MONTH = /^\d{6}$/;

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

function hasMarkdown(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => n.endsWith('.md') && n !== 'README.md');
  } catch {
    return false;
  }
}

/**
 * The SDD root for a repository: `$SASE_SDD_DIR` (relative values resolve against `repoRoot`), else
 * `<repoRoot>/sdd` (version-controlled mode).
 */
export function resolveSddRoot(repoRoot: string, env: Env): string {
  const v = env.SASE_SDD_DIR;
  if (v && v !== '') return isAbsolute(v) ? v : resolve(repoRoot, v);
  return join(repoRoot, 'sdd');
}

/** Detects which layout(s) a tree uses. Never throws (a missing root is `empty`). */
export function detectLayout(root: string): SddLayout {
  const found: SddLayoutName[] = [];
  const evidence: string[] = [];
  const top = subdirs(root);
  const gen1 = ['prompts', 'tales', 'epics', 'legends'].filter((k) => top.includes(k) && subdirs(join(root, k)).some((d) => MONTH.test(d)));
  const gen1Dirs = ['tales', 'epics'].filter((k) => top.includes(k));
  if (gen1.some((k) => k !== 'prompts' && k !== 'legends') || (gen1Dirs.length > 0 && top.includes('prompts'))) {
    found.push('kind-dirs');
    evidence.push(...(gen1.length ? gen1 : gen1Dirs).map((k) => `${k}/`));
  }
  if (top.includes('plans') && subdirs(join(root, 'plans')).some((d) => MONTH.test(d))) {
    found.push('unified-plans');
    evidence.push('plans/<YYYYMM>/');
  }
  const months = top.filter((d) => MONTH.test(d));
  if (months.length > 0) {
    found.push('split-sidecar');
    evidence.push(...months.map((m) => `${m}/`));
  }
  const flat = ['tales', 'epics', 'plans', 'specs', 'prompts'].filter((k) => top.includes(k) && hasMarkdown(join(root, k)));
  if (flat.length > 0) {
    found.push('legacy-flat');
    evidence.push(...flat.map((k) => `${k}/*.md`));
  }
  if (found.length === 0 && existsSync(root) && statSync(root).isDirectory() && KIND_DIRS.every((k) => top.includes(k))) {
    found.push('kind-dirs');
    evidence.push(...KIND_DIRS.map((k) => `${k}/`));
  }
  const layout = found[0] ?? 'empty';
  const generation = layout === 'kind-dirs' ? 1 : layout === 'unified-plans' ? 2 : layout === 'split-sidecar' ? 3 : null;
  return { layout, generation, found, evidence };
}

/**
 * Root-relative directory where a new artifact of `kind` goes for `month`, following the tree's own layout:
 * Gen 1 (and empty trees) `tales|epics|prompts/<M>`, Gen 2 `plans/<M>` and `plans/<M>/prompts`, Gen 3 `<M>` and
 * `prompts/<M>` (spec/beads-sdd-changespecs.md §A.1).
 */
export function artifactDir(root: string, kind: 'tale' | 'epic' | 'prompt', month: string): string {
  const layout = detectLayout(root).layout;
  if (layout === 'unified-plans') return kind === 'prompt' ? `plans/${month}/prompts` : `plans/${month}`;
  if (layout === 'split-sidecar') return kind === 'prompt' ? `prompts/${month}` : month;
  return `${kind === 'prompt' ? 'prompts' : kind === 'tale' ? 'tales' : 'epics'}/${month}`;
}
