/**
 * `init`: creates an empty event store (config.json, events/manifest.json, events/streams/, .gitignore) and,
 * inside a git repository, the `.gitattributes` line that routes stream files to the `sase-beads` merge driver.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import { findRepoRoot } from '../store/paths.js';
import { storePaths, STORE_GITIGNORE } from './paths.js';
import { renderConfig, renderManifest } from './write.js';

/** Name of the git merge driver for stream files (`merge=sase-beads`). */
export const MERGE_DRIVER_NAME = 'sase-beads';

/** Result of {@link initStore}. */
export interface InitResult {
  store: string;
  created: string[];
  unchanged: string[];
  repo: string | null;
  gitattributes_line: string | null;
}

async function ensureLines(path: string, lines: string[]): Promise<boolean> {
  const cur = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const have = new Set(cur.split('\n').map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l));
  if (!missing.length) return false;
  const prefix = cur === '' || cur.endsWith('\n') ? cur : cur + '\n';
  await writeFileAtomic(path, prefix + missing.join('\n') + '\n');
  return true;
}

/**
 * Initialises the store at `dir` (idempotent: existing files are kept, missing ones created).
 * @param opts.prefix issue prefix for new ids (default `sase`)
 * @param opts.owner owner recorded in config.json (optional)
 */
export async function initStore(dir: string, opts: { prefix?: string; owner?: string } = {}): Promise<InitResult> {
  const p = storePaths(dir);
  const created: string[] = [];
  const unchanged: string[] = [];
  await mkdir(p.streamsDir, { recursive: true });
  if (!existsSync(p.config)) {
    const config: Record<string, unknown> = { issue_prefix: opts.prefix ?? 'sase', next_counter: 1 };
    if (opts.owner) config.owner = opts.owner;
    await writeFileAtomic(p.config, renderConfig(config as never));
    created.push('config.json');
  } else unchanged.push('config.json');
  if (!existsSync(p.manifest)) {
    await writeFileAtomic(p.manifest, renderManifest(0));
    created.push('events/manifest.json');
  } else unchanged.push('events/manifest.json');
  const gi = join(dir, '.gitignore');
  ((await ensureLines(gi, [...STORE_GITIGNORE])) ? created : unchanged).push('.gitignore');
  const repo = findRepoRoot(dirname(p.streamsDir));
  let line: string | null = null;
  if (repo) {
    const rel = relative(repo, p.streamsDir).split('\\').join('/');
    line = `${rel ? rel + '/' : ''}*.jsonl merge=${MERGE_DRIVER_NAME}`;
    const ga = join(repo, '.gitattributes');
    if (await ensureLines(ga, [line])) created.push(ga);
    else unchanged.push('.gitattributes');
  }
  return { store: dir, created, unchanged, repo, gitattributes_line: line };
}
