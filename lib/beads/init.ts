/**
 * `init`: creates an empty event store (config.json, events/manifest.json, events/streams/, .gitignore) and the
 * store's `.gitattributes`, which routes stream files, manifest, config and projection to the `sase-beads` merge
 * driver (registered per clone with `sase bead init --git` or `sase bead merge-driver --install`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import { findRepoRoot } from '../store/paths.js';
import { storePaths, STORE_GITIGNORE } from './paths.js';
import { renderConfig, renderManifest } from './write.js';

/** Result of {@link initStore}. */
export interface InitResult {
  store: string;
  created: string[];
  unchanged: string[];
  repo: string | null;
  /** The `<store>/.gitattributes` merge-driver lines. */
  gitattributes: string[];
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
  const repo = findRepoRoot(dir);
  // `<store>/.gitattributes` routes streams, manifest, config and projection to the merge driver (anchored
  // patterns; lib/beads/merge/setup.ts owns the lines).
  const { writeStoreGitattributes, STORE_GITATTRIBUTES } = await import('./merge/setup.js');
  ((await writeStoreGitattributes(dir)) ? created : unchanged).push('.gitattributes');
  const lines = [...STORE_GITATTRIBUTES];
  return { store: dir, created, unchanged, repo, gitattributes: lines };
}
