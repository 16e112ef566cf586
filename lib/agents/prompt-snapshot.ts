/**
 * Prompt snapshots: every run inside a git repo saves its expanded prompt (directives stripped) to the repo's
 * `sdd/prompts/<YYYYMM>/<name>.md`, metadata in the frontmatter. spec/beads-sdd-changespecs.md §A.1 (Gen 1 layout,
 * `<YYYYMM>/<snake_case_name>.md`, collisions get `_1`, `_2`), §A.2 (prompt snapshot frontmatter; SASE's `plan:`
 * back-link is added by the plan flow, not here).
 */
import { join } from 'node:path';
import { ConflictError } from '../errors/index.js';
import { findRepoRoot, stringifyFrontmatter, writeOnce } from '../store/index.js';
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
 * Writes the snapshot when `workspaceDir` is inside a git work tree.
 * @returns the absolute path written, or null outside git
 * @throws fs errors
 */
export async function writePromptSnapshot(workspaceDir: string, prompt: string, meta: SnapshotMeta, now: Date): Promise<string | null> {
  const root = findRepoRoot(workspaceDir);
  if (!root) return null;
  const dir = join(root, 'sdd', 'prompts', stamp14(now).slice(0, 6));
  const stem = snapshotStem(meta.agent);
  const body = stringifyFrontmatter({ ...meta }, prompt.trim() + '\n');
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
