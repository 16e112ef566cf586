/**
 * Prompt snapshots: every run inside a git repo saves its expanded prompt (directives stripped) to the repo's
 * `sdd/prompts/<YYYYMM>/<name>.md`, metadata in the frontmatter. spec/beads-sdd-changespecs.md §A.1 (Gen 1 layout,
 * `<YYYYMM>/<snake_case_name>.md`, collisions get `_1`, `_2`), §A.2 (prompt snapshot frontmatter; SASE's `plan:`
 * back-link is added by the plan flow, not here).
 */
import { join } from 'node:path';
import { ConflictError } from '../errors/index.js';
import { writeOnce } from '../store/atomic.js';
import { findRepoRoot } from '../store/paths.js';
import { stamp14 } from './paths.js';

/** Snapshot file stem for an agent name: snake_case, only `[a-z0-9_]`. */
export function snapshotStem(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return s === '' ? 'prompt' : s;
}

/** Metadata written into a snapshot's frontmatter. */
export interface SnapshotMeta {
  agent: string;
  agent_id: string;
  model: string;
  workspace_ref: string;
  created_at: string;
}

/**
 * Renders flat string metadata as a YAML frontmatter block. Values that plain YAML would misread are written as
 * double-quoted (JSON) strings, which YAML reads back verbatim.
 */
export function renderFrontmatter(meta: object): string {
  const lines = ['---'];
  for (const [k, v] of Object.entries(meta)) {
    const s = String(v);
    lines.push(`${k}: ${/^[A-Za-z0-9_./@-][A-Za-z0-9_./@:+ -]*$/.test(s) && !/[:#] |:$| $/.test(s) ? s : JSON.stringify(s)}`);
  }
  lines.push('---', '');
  return lines.join('\n');
}

/**
 * Writes the snapshot when `workspaceDir` is inside a git work tree.
 * @returns the absolute path written, or null outside git
 * @throws fs errors
 */
export async function writePromptSnapshot(workspaceDir: string, prompt: string, meta: SnapshotMeta, now: Date): Promise<string | null> {
  const root = findRepoRoot(workspaceDir);
  if (!root) return null;
  const dir = join(root, 'sdd', 'prompts', stamp14(now).slice(0, 6));
  const stem = snapshotStem(meta.agent);
  const body = renderFrontmatter(meta) + prompt.trim() + '\n';
  for (let i = 0; i < 1000; i++) {
    const path = join(dir, i === 0 ? `${stem}.md` : `${stem}_${i}.md`);
    try {
      await writeOnce(path, body);
      return path;
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
    }
  }
  return null;
}
