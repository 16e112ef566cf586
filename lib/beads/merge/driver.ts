/**
 * The git merge driver for bead store files (`sase bead merge-driver %O %A %B %P`).
 *
 * git hands the driver three temp files (base %O, ours %A, theirs %B) and the real path %P; the driver writes the
 * result into %A and reports success or a real conflict. Per file kind (spec/beads-sdd-changespecs.md §B.11):
 * - `events/streams/<id>.jsonl` — the 3-way union merge of {@link mergeStreams}. A duplicated stream root is
 *   relocated: its new stream file is written into the working tree next to %P (untracked), recorded in
 *   `<git-dir>/sase-beads/relocations.jsonl`, and added by the post-merge reconcile (see reconcile.ts).
 * - `events/manifest.json` — `stream_count` = number of distinct stream files of ours ∪ theirs (read from the
 *   trees when git names the other side, else base + both sides' additions); other keys merge per key.
 * - `config.json` — `next_counter` = the maximum of all sides and of ids handed out by relocation; other keys merge
 *   per key (ours wins a true conflict).
 * - `issues.jsonl` — a generated projection: ours is kept and the reconcile step regenerates it from the merged
 *   streams (it is never read while `events/` exists, §B.1); in a legacy store without `events/` it is the source
 *   of truth and merges row by row ({@link mergeProjectionRows}).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../store/index.js';
import { execFileSync } from 'node:child_process';
import { gitChildEnv, gitOut, type GitEnv } from '../../git/cli.js';
import { streamOfEventId } from '../events.js';
import { locateStore } from '../paths.js';
import { StreamMergeConflict, mergeStreams, type Relocation } from './stream-merge.js';
import { allocateFromPool, appendRelocationLog, commitStreamIds, diskStreamIds, gatherIdPool, mergePartnerCommits, readRelocationLog, type IdPool } from './id-pool.js';

/** Which store file a path is. */
export type StoreFileKind = 'stream' | 'manifest' | 'config' | 'projection' | 'other';

/** Classifies a repository-relative path and returns the store directory it belongs to (relative, posix). */
export function classifyStorePath(pathname: string): { kind: StoreFileKind; storeRel: string } {
  const p = pathname.split('\\').join('/');
  let m = /^(?:(.*)\/)?events\/streams\/[^/]+\.jsonl$/.exec(p);
  if (m) return { kind: 'stream', storeRel: m[1] ?? '' };
  m = /^(?:(.*)\/)?events\/manifest\.json$/.exec(p);
  if (m) return { kind: 'manifest', storeRel: m[1] ?? '' };
  m = /^(?:(.*)\/)?config\.json$/.exec(p);
  if (m) return { kind: 'config', storeRel: m[1] ?? '' };
  m = /^(?:(.*)\/)?issues\.jsonl$/.exec(p);
  if (m) return { kind: 'projection', storeRel: m[1] ?? '' };
  return { kind: 'other', storeRel: posix.dirname(p) };
}

/** Inputs of one driver run. */
export interface MergeDriverInput {
  /** %O, %A, %B: paths of the base, ours (result is written here) and theirs versions. */
  basePath: string;
  oursPath: string;
  theirsPath: string;
  /** %P: the path of the file in the repository (relative to `repoDir`); absent → the kind is sniffed. */
  pathname?: string;
  /** Repository top level (git runs drivers there). */
  repoDir: string;
  env: GitEnv;
  now: Date;
}

/** Outcome of one driver run. `conflict` set = exit non-zero (ours left untouched). */
export interface MergeDriverResult {
  path: string;
  kind: StoreFileKind;
  merged: boolean;
  conflict?: string;
  relocations: Relocation[];
  stats?: Record<string, number>;
}

const read = (p: string): string => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

function parseObj(text: string): Record<string, unknown> | null {
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** Per-key 3-way merge of two JSON objects (a key changed on one side takes that side; both changed → ours). */
function mergeKeys(base: Record<string, unknown>, ours: Record<string, unknown>, theirs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...ours };
  for (const [k, v] of Object.entries(theirs)) {
    const same = JSON.stringify(ours[k]) === JSON.stringify(base[k]);
    if (!(k in ours) || same) out[k] = v;
  }
  return out;
}

/**
 * Runs the driver for one file.
 * @returns the result; on a conflict ours is not modified and `conflict` says why
 */
export async function runMergeDriver(input: MergeDriverInput): Promise<MergeDriverResult> {
  const base = read(input.basePath);
  const ours = read(input.oursPath);
  const theirs = read(input.theirsPath);
  let { kind, storeRel } = classifyStorePath(input.pathname ?? '');
  if (kind === 'other' && !input.pathname) {
    // Registered without %P: recognise the file by its content and assume the default store location.
    const sniffed = sniffStoreFile([ours, theirs, base]);
    if (sniffed) {
      storeRel = defaultStoreRel(input);
      kind = sniffed.kind;
      input = { ...input, pathname: posix.join(storeRel, sniffed.rel) };
    }
  }
  const pathname = input.pathname ?? input.oursPath;
  const res: MergeDriverResult = { path: pathname, kind, merged: false, relocations: [] };
  try {
    if (kind === 'stream') {
      const streamId = posix.basename(pathname.split('\\').join('/'), '.jsonl');
      let pool: IdPool | null = null;
      const needPool = Symbol('need-pool');
      const streamsDirAbs = dirname(resolve(input.repoDir, pathname));
      // Ids used elsewhere in the store, consulted only when a child id collides (lazy: costs a git call).
      const knownIds: Iterable<string> = { [Symbol.iterator]: () => siblingPool(input, storeRel, streamsDirAbs)[Symbol.iterator]() };
      const attempt = (allocate?: (old: string) => string) => mergeStreams(streamId, base, ours, theirs, { allocateRootId: allocate, knownIds });
      let out;
      try {
        out = attempt(() => {
          throw needPool;
        });
      } catch (e) {
        if (e !== needPool) throw e;
        pool = await gatherIdPool(input.repoDir, input.env, storeRel, streamId);
        const p = pool;
        out = attempt((old) => allocateFromPool(p, old));
      }
      for (const [id, text] of Object.entries(out.newStreams)) await writeFileAtomic(join(streamsDirAbs, `${id}.jsonl`), text);
      const logDir = out.relocations.length ? (pool?.gitDir ?? (await gitDirOf(input))) : null;
      for (const r of out.relocations) {
        if (logDir) await appendRelocationLog(logDir, { store: storeRel, old_id: r.old_id, new_id: r.new_id, kind: r.kind, stream_id: r.stream_id, at: input.now.toISOString() });
      }
      await writeFileAtomic(input.oursPath, out.text);
      return { ...res, merged: true, relocations: out.relocations, stats: out.stats };
    }
    if (kind === 'manifest' || kind === 'config') {
      const [b, o, t] = [parseObj(base), parseObj(ours), parseObj(theirs)];
      if (!b || !o || !t) return { ...res, conflict: `${pathname} is not a JSON object on every side` };
      const merged = mergeKeys(b, o, t);
      if (kind === 'config') {
        let counter = Math.max(Number(o.next_counter) || 0, Number(t.next_counter) || 0);
        const gitDir = await gitDirOf(input);
        if (gitDir) counter = Math.max(counter, relocatedCounter(readRelocationLog(gitDir), storeRel, String(merged.issue_prefix ?? '')));
        if (counter > 0) merged.next_counter = counter;
      } else {
        merged.stream_count = await mergedStreamCount(input, storeRel, b, o, t);
      }
      const trailing = ours.endsWith('\n') || (!ours && theirs.endsWith('\n'));
      await writeFileAtomic(input.oursPath, JSON.stringify(merged, null, 2) + (trailing ? '\n' : ''));
      return { ...res, merged: true };
    }
    if (kind === 'projection') {
      if (!existsSync(join(input.repoDir, storeRel, 'events'))) {
        // A legacy issues.jsonl-only store: the rows are the source of truth, so merge them row by row.
        const merged = mergeProjectionRows(base, ours, theirs);
        if (typeof merged !== 'string') return { ...res, conflict: `both sides changed ${merged.conflict} differently` };
        await writeFileAtomic(input.oursPath, merged);
        return { ...res, merged: true };
      }
      // Regenerated from the merged streams by the reconcile step; keep ours (or theirs when ours is empty).
      if (!ours.trim() && theirs.trim()) await writeFileAtomic(input.oursPath, theirs);
      return { ...res, merged: true };
    }
    return { ...res, conflict: `${pathname} is not a bead store file` };
  } catch (e) {
    if (e instanceof StreamMergeConflict) return { ...res, conflict: e.message };
    throw e;
  }
}

/**
 * 3-way merge of a legacy `issues.jsonl` by row id: a row changed (added, edited, removed) on one side only takes
 * that side; identical changes agree; different changes to one row are a conflict. Output sorted by id (§B.6).
 */
export function mergeProjectionRows(base: string, ours: string, theirs: string): string | { conflict: string } {
  const rows = (text: string): Map<string, string> => {
    const m = new Map<string, string>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let id = line;
      try {
        id = String(JSON.parse(line).id ?? line);
      } catch {
        // An unparseable row is keyed by its text.
      }
      m.set(id, line);
    }
    return m;
  };
  const [b, o, t] = [rows(base), rows(ours), rows(theirs)];
  const out = new Map<string, string>();
  for (const id of new Set([...b.keys(), ...o.keys(), ...t.keys()])) {
    const [bv, ov, tv] = [b.get(id), o.get(id), t.get(id)];
    let v: string | undefined;
    if (ov === tv) v = ov;
    else if (ov === bv) v = tv;
    else if (tv === bv) v = ov;
    else return { conflict: id };
    if (v !== undefined) out.set(id, v);
  }
  return [...out.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).map((id) => out.get(id)! + '\n').join('');
}

/** Recognises a store file from its content (used when git did not pass %P). */
export function sniffStoreFile(texts: string[]): { kind: StoreFileKind; rel: string } | null {
  for (const text of texts) {
    const t = text.trim();
    if (!t) continue;
    const first = t.split('\n')[0]!;
    let v: any;
    try {
      v = JSON.parse(t.includes('\n') && t.startsWith('{"') ? first : t);
    } catch {
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (typeof v.event_id === 'string' && typeof v.operation === 'string') return { kind: 'stream', rel: `events/streams/${streamOfEventId(v.event_id)}.jsonl` };
    if ('stream_count' in v) return { kind: 'manifest', rel: 'events/manifest.json' };
    if ('issue_prefix' in v || 'next_counter' in v) return { kind: 'config', rel: 'config.json' };
    if (typeof v.id === 'string' && typeof v.issue_type === 'string') return { kind: 'projection', rel: 'issues.jsonl' };
  }
  return null;
}

function defaultStoreRel(input: MergeDriverInput): string {
  try {
    return relative(input.repoDir, locateStore({ env: input.env, cwd: input.repoDir, mustExist: false })).split('\\').join('/');
  } catch {
    return 'sdd/beads';
  }
}

async function gitDirOf(input: MergeDriverInput): Promise<string | null> {
  try {
    return await gitOut(['rev-parse', '--absolute-git-dir'], { cwd: input.repoDir, env: input.env });
  } catch {
    return null;
  }
}

/** Stream ids of ours (working tree) and of the merge partner commits, plus ids already handed out by relocation. */
function siblingPool(input: MergeDriverInput, storeRel: string, streamsDir: string): Set<string> {
  const ids = new Set<string>(diskStreamIds(streamsDir));
  try {
    const env = gitChildEnv(input.env);
    const gitDir = execFileSync('git', ['rev-parse', '--absolute-git-dir'], { cwd: input.repoDir, env, encoding: 'utf8' }).trim();
    for (const r of readRelocationLog(gitDir)) ids.add(r.new_id);
    const prefix = storeRel ? `${storeRel}/events/streams/` : 'events/streams/';
    for (const c of mergePartnerCommits(gitDir, input.env)) {
      const out = execFileSync('git', ['ls-tree', '--name-only', c, prefix], { cwd: input.repoDir, env, encoding: 'utf8' });
      for (const l of out.split('\n')) if (l.endsWith('.jsonl')) ids.add(l.slice(prefix.length, -'.jsonl'.length));
    }
  } catch {
    // Not a git repository or an unknown commit: the stream's own ids and the working tree suffice.
  }
  return ids;
}

/** 1 + the largest base36 counter handed out by relocation for this store and prefix. */
function relocatedCounter(log: ReturnType<typeof readRelocationLog>, storeRel: string, prefix: string): number {
  let max = 0;
  for (const r of log) {
    if (r.store !== storeRel || !r.new_id.startsWith(prefix + '-') || r.new_id.includes('.')) continue;
    const n = parseInt(r.new_id.slice(prefix.length + 1), 36);
    if (Number.isFinite(n)) max = Math.max(max, n + 1);
  }
  return max;
}

async function mergedStreamCount(input: MergeDriverInput, storeRel: string, b: Record<string, unknown>, o: Record<string, unknown>, t: Record<string, unknown>): Promise<number> {
  const n = (x: unknown): number => (typeof x === 'number' ? x : 0);
  const fallback = Math.max(n(o.stream_count), n(t.stream_count), n(o.stream_count) + n(t.stream_count) - n(b.stream_count));
  const gitDir = await gitDirOf(input);
  if (!gitDir) return fallback;
  const partners = mergePartnerCommits(gitDir, input.env);
  if (partners.length === 0) return fallback;
  const all = new Set(await commitStreamIds(input.repoDir, input.env, 'HEAD', storeRel));
  for (const c of partners) for (const s of await commitStreamIds(input.repoDir, input.env, c, storeRel)) all.add(s);
  return all.size > 0 ? all.size : fallback;
}
