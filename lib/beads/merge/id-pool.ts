/**
 * The store-wide id pool a merge driver draws relocation ids from.
 *
 * Rule (spec/beads-sdd-changespecs.md §B.11): a duplicated top-level bead moves "to a fresh id from a store-wide
 * pool (`next_counter` ∪ existing stream ids)". A git merge driver sees one file, so the pool is gathered from
 * every tree that can take part in the merge: the working tree (= ours), the commit being merged (`GITHEAD_<sha>`
 * set by `git merge`/`git pull`, `MERGE_HEAD`, `CHERRY_PICK_HEAD`, `REBASE_HEAD`, the current pick of
 * `rebase-merge/done`), every local and remote-tracking branch tip, plus ids this clone already handed out
 * (`<git-dir>/sase-beads/relocations.jsonl`, so two drivers of one merge never pick the same id).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gitOut, runGit, type GitEnv } from '../../git/cli.js';
import { nextChildId, nextTopLevelId, parentOfId } from '../ids.js';

/** Everything known about ids in the store across the trees taking part in a merge. */
export interface IdPool {
  /** Absolute git dir of the repository. */
  gitDir: string;
  /** Every known stream id and issue id read from ancestor streams. */
  ids: Set<string>;
  /** Largest `next_counter` seen in any tree's config.json (0 when none). */
  nextCounter: number;
  /** Commits whose trees were consulted (the other side of the merge is among them when git names it). */
  commits: string[];
}

/** One relocation recorded in `<git-dir>/sase-beads/relocations.jsonl`. */
export interface RelocationRecord {
  store: string;
  old_id: string;
  new_id: string;
  kind: string;
  stream_id: string;
  at: string;
}

/** Path of the per-clone relocation log. */
export function relocationLogPath(gitDir: string): string {
  return join(gitDir, 'sase-beads', 'relocations.jsonl');
}

/** Reads the relocation log (missing → []; bad lines skipped). */
export function readRelocationLog(gitDir: string): RelocationRecord[] {
  const p = relocationLogPath(gitDir);
  if (!existsSync(p)) return [];
  const out: RelocationRecord[] = [];
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A torn line from an interrupted driver: ignore.
    }
  }
  return out;
}

/** Appends one record to the relocation log. */
export async function appendRelocationLog(gitDir: string, rec: RelocationRecord): Promise<void> {
  await mkdir(join(gitDir, 'sase-beads'), { recursive: true });
  await appendFile(relocationLogPath(gitDir), JSON.stringify(rec) + '\n');
}

/** Commits that may be the other side of the merge running now (from git's env and state files). */
export function mergePartnerCommits(gitDir: string, env: GitEnv): string[] {
  const out: string[] = [];
  for (const k of Object.keys(env)) {
    const m = /^GITHEAD_([0-9a-f]{40,64})$/.exec(k);
    if (m) out.push(m[1]!);
  }
  for (const f of ['MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REBASE_HEAD']) {
    const p = join(gitDir, f);
    if (existsSync(p)) out.push(...readFileSync(p, 'utf8').split(/\s+/).filter((s) => /^[0-9a-f]{40,64}$/.test(s)));
  }
  const done = join(gitDir, 'rebase-merge', 'done');
  if (existsSync(done)) {
    const picks = readFileSync(done, 'utf8').trim().split('\n').filter(Boolean);
    const last = picks[picks.length - 1]?.split(/\s+/)[1];
    if (last && /^[0-9a-f]{4,64}$/.test(last)) out.push(last);
  }
  return [...new Set(out)];
}

/** Stream ids (file stems) of a store directory on disk. */
export function diskStreamIds(streamsDir: string): string[] {
  if (!existsSync(streamsDir)) return [];
  return readdirSync(streamsDir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length));
}

/** Stream ids of `storeRel` in a commit's tree (`git ls-tree`); [] when the commit or path is unknown. */
export async function commitStreamIds(repoDir: string, env: GitEnv, commit: string, storeRel: string): Promise<string[]> {
  const prefix = storeRel ? `${storeRel}/events/streams/` : 'events/streams/';
  const r = await runGit(['ls-tree', '--name-only', commit, prefix], { cwd: repoDir, env, okCodes: [128] });
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .filter((l) => l.endsWith('.jsonl'))
    .map((l) => l.slice(prefix.length, -'.jsonl'.length));
}

async function showFile(repoDir: string, env: GitEnv, commit: string, path: string): Promise<string | null> {
  const r = await runGit(['show', `${commit}:${path}`], { cwd: repoDir, env, okCodes: [128] });
  return r.code === 0 ? r.stdout : null;
}

function counterOf(text: string | null): number {
  if (!text) return 0;
  try {
    const n = JSON.parse(text).next_counter;
    return typeof n === 'number' && Number.isInteger(n) ? n : 0;
  } catch {
    return 0;
  }
}

function issueIdsOf(text: string | null): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /"issue_id":"([^"]+)"/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/**
 * Gathers the id pool for a store at `storeRel` (path relative to the repository root; '' = root).
 * @param forId the duplicated id; for a dotted id the streams of its ancestors are read too (their phases)
 */
export async function gatherIdPool(repoDir: string, env: GitEnv, storeRel: string, forId: string): Promise<IdPool> {
  const gitDir = await gitOut(['rev-parse', '--absolute-git-dir'], { cwd: repoDir, env });
  const storeDir = join(repoDir, storeRel);
  const ids = new Set<string>(diskStreamIds(join(storeDir, 'events', 'streams')));
  const configPath = join(storeDir, 'config.json');
  let nextCounter = counterOf(existsSync(configPath) ? readFileSync(configPath, 'utf8') : null);
  const refs = await runGit(['for-each-ref', '--format=%(objectname)', 'refs/heads', 'refs/remotes'], { cwd: repoDir, env, okCodes: [128] });
  const commits = [...new Set([...mergePartnerCommits(gitDir, env), 'HEAD', ...refs.stdout.split('\n').filter(Boolean)])].slice(0, 64);
  const rel = (p: string): string => (storeRel ? `${storeRel}/${p}` : p);
  const ancestors: string[] = [];
  for (let cur = parentOfId(forId); cur; cur = parentOfId(cur)) ancestors.push(cur);
  for (const a of ancestors) {
    const p = join(storeDir, 'events', 'streams', `${a}.jsonl`);
    if (existsSync(p)) issueIdsOf(readFileSync(p, 'utf8')).forEach((x) => ids.add(x));
  }
  for (const c of commits) {
    for (const s of await commitStreamIds(repoDir, env, c, storeRel)) ids.add(s);
    nextCounter = Math.max(nextCounter, counterOf(await showFile(repoDir, env, c, rel('config.json'))));
    for (const a of ancestors) issueIdsOf(await showFile(repoDir, env, c, rel(`events/streams/${a}.jsonl`))).forEach((x) => ids.add(x));
  }
  for (const r of readRelocationLog(gitDir)) {
    ids.add(r.new_id);
    ids.add(r.old_id);
  }
  return { gitDir, ids, nextCounter, commits };
}

/**
 * Picks a fresh id for a duplicated stream root: a top-level id takes the next counter of its prefix (§B.7 rule
 * over the whole pool), a dotted id the next free sibling number. The id is added to the pool.
 */
export function allocateFromPool(pool: IdPool, oldId: string): string {
  const parent = parentOfId(oldId);
  let id: string;
  if (parent) id = nextChildId(parent, pool.ids);
  else {
    const dash = oldId.lastIndexOf('-');
    const prefix = dash === -1 ? oldId : oldId.slice(0, dash);
    id = nextTopLevelId(prefix, pool.nextCounter, pool.ids).id;
  }
  pool.ids.add(id);
  return id;
}
