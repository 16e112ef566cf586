/**
 * Writing SDD artifacts: prompt snapshots and archived plans with SASE naming (`<YYYYMM>/<snake>.md`, `_N` on
 * collision) and frontmatter (`create_time` local `YYYY-MM-DD HH:MM:SS`, cross links relative to the SDD root).
 * Sources: spec/beads-sdd-changespecs.md §A.1, §A.2; seeds ("exact prompt that launched work is saved").
 */
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../store/atomic.js';
import { stringifyFrontmatter } from '../store/frontmatter.js';
import { allocateName, formatCreateTime, monthDir, snakeName } from './naming.js';
import { artifactDir, resolveSddRoot } from './layout.js';
import type { Env } from '../store/paths.js';

/** Input of {@link writePromptSnapshot}. */
export interface PromptSnapshotInput {
  /** The expanded prompt text (xprompts expanded, directives stripped). */
  prompt: string;
  /** Name hint (agent name, plan title, …); snake-cased. */
  name: string;
  /** Creation time (month directory and `create_time`). */
  now: Date;
  /** Root-relative path of the plan this prompt produced, when known (`plan:` back-link). */
  plan?: string;
  /** Extra frontmatter (e.g. `agent`, `model`); written after the standard keys. */
  extra?: Record<string, unknown>;
  /** Environment for `SASE_SDD_DIR` (optional). */
  env?: Env;
  /** Explicit SDD root (overrides `repoRoot`/`env` resolution). */
  sddRoot?: string;
}

/** Where an artifact was written. */
export interface WrittenArtifact {
  /** Absolute path. */
  path: string;
  /** Path relative to the SDD root (the form links use). */
  rel: string;
  root: string;
}

/**
 * Creates `<dir>/<stem>.md` (or the first free `_N` name) exclusively, so two concurrent writers never share a
 * name. @returns the file name chosen
 */
export async function createUnique(dir: string, stem: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let n = 0; n < 10_000; n++) {
    const name = allocateName(dir, stem);
    try {
      const fh = await open(join(dir, name), 'wx');
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsyncDir(dir);
      return name;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`no free name for ${stem} in ${dir}`);
}

/**
 * Writes a prompt snapshot to `<sdd>/prompts/<YYYYMM>/<snake_name>.md` (Gen-2 trees: `plans/<YYYYMM>/prompts/`) with frontmatter `create_time`, optional
 * `plan:` back-link and `extra`. Used by the runs layer (one snapshot per planning run) and by plan approval.
 * @param repoRoot repository whose SDD tree receives the file (`$SASE_SDD_DIR` or `<repo>/sdd`)
 * @throws fs errors
 */
export async function writePromptSnapshot(repoRoot: string, input: PromptSnapshotInput): Promise<WrittenArtifact> {
  const root = input.sddRoot ?? resolveSddRoot(repoRoot, input.env ?? {});
  const month = monthDir(input.now);
  const data: Record<string, unknown> = { create_time: formatCreateTime(input.now) };
  if (input.plan) data.plan = input.plan;
  Object.assign(data, input.extra ?? {});
  const body = input.prompt.endsWith('\n') ? input.prompt : input.prompt + '\n';
  const dirRel = artifactDir(root, 'prompt', month);
  const dir = join(root, dirRel);
  const name = await createUnique(dir, snakeName(input.name), stringifyFrontmatter(data, body));
  return { path: join(dir, name), rel: `${dirRel}/${name}`, root };
}
