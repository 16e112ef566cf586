/**
 * Workspace diff of a run against where it started. Git workspaces: the working tree (tracked + untracked,
 * ignored files excluded) is written as a tree object through a private index at start and at end, and the two
 * trees are diffed — the user's index and HEAD are never touched. Plain directories: a snapshot of file
 * sizes/mtimes/hashes (and contents of small text files) taken at start is compared with the end state.
 * Sizes are capped (see the constants); a capped result says so in `truncated`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, lstat, readdir, readFile, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { findRepoRoot } from '../store/paths.js';

/** Largest patch kept, in bytes. */
export const MAX_PATCH_BYTES = 1024 * 1024;
/** Most files listed in a diff. */
export const MAX_DIFF_FILES = 2000;
/** Plain directories: most files snapshotted, largest file whose content is kept, total kept content (bytes). */
export const MAX_SNAPSHOT_FILES = 20_000;
export const MAX_KEPT_FILE_BYTES = 256 * 1024;
export const MAX_KEPT_TOTAL_BYTES = 64 * 1024 * 1024;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** One changed file. Line counts are null for binary or unknown content. */
export interface DiffFile {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  added: number | null;
  removed: number | null;
}

/** `diff.json`. */
export interface DiffSummary {
  schema_version: 1;
  method: 'git' | 'snapshot';
  base_revision: string | null;
  files: DiffFile[];
  files_changed: number;
  lines_added: number;
  lines_removed: number;
  truncated: boolean;
}

interface FileState {
  size: number;
  mtimeMs: number;
  hash: string;
  content: string | null;
}

/** State captured at start. */
export type WorkspaceSnapshot =
  | { method: 'git'; dir: string; tree: string; head: string | null; indexFile: string }
  | { method: 'snapshot'; dir: string; files: Map<string, FileState>; truncated: boolean };

function git(args: string[], cwd: string, env: Record<string, string | undefined>, maxBuffer = 64 * 1024 * 1024): Promise<string> {
  return new Promise((res, rej) => {
    execFile('git', args, { cwd, env: env as NodeJS.ProcessEnv, maxBuffer, encoding: 'utf8' }, (err, stdout) => (err ? rej(err) : res(stdout)));
  });
}

async function gitTree(dir: string, indexFile: string, env: Record<string, string | undefined>): Promise<string> {
  const e = { ...env, GIT_INDEX_FILE: indexFile, GIT_OPTIONAL_LOCKS: '0' };
  await git(['add', '-A', '--', '.'], dir, e);
  return (await git(['write-tree'], dir, e)).trim();
}

/**
 * Captures the start state of `dir`. `scratch` is a file path the git method may use for its private index.
 * Never throws: failures fall back to the plain snapshot.
 */
export async function snapshotWorkspace(dir: string, scratch: string, env: Record<string, string | undefined>): Promise<WorkspaceSnapshot> {
  try {
    const inside = findRepoRoot(dir) ? (await git(['rev-parse', '--is-inside-work-tree'], dir, env)).trim() : 'false';
    if (inside === 'true') {
      const head = await git(['rev-parse', '--verify', '-q', 'HEAD'], dir, env).then((s) => s.trim() || null, () => null);
      const realIndex = (await git(['rev-parse', '--path-format=absolute', '--git-path', 'index'], dir, env)).trim();
      await copyFile(realIndex, scratch).catch(() => {});
      const tree = await gitTree(dir, scratch, env);
      return { method: 'git', dir, tree, head, indexFile: scratch };
    }
  } catch {
    // not a git work tree (or git missing): plain snapshot
  }
  const files = new Map<string, FileState>();
  const truncated = await walk(dir, async (rel, st) => {
    files.set(rel, await fileState(join(dir, rel), st.size, st.mtimeMs, files));
  });
  return { method: 'snapshot', dir, files, truncated };
}

let keptBytes = 0;

async function fileState(path: string, size: number, mtimeMs: number, _files: Map<string, FileState>): Promise<FileState> {
  const buf = await readFile(path).catch(() => Buffer.alloc(0));
  const hash = createHash('sha256').update(buf).digest('hex');
  let content: string | null = null;
  if (buf.length <= MAX_KEPT_FILE_BYTES && keptBytes + buf.length <= MAX_KEPT_TOTAL_BYTES && !buf.includes(0)) {
    content = buf.toString('utf8');
    keptBytes += buf.length;
  }
  return { size, mtimeMs, hash, content };
}

async function walk(root: string, visit: (rel: string, st: { size: number; mtimeMs: number }) => Promise<void>): Promise<boolean> {
  let count = 0;
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let names: string[];
    try {
      names = await readdir(join(root, rel));
    } catch {
      continue;
    }
    for (const n of names.sort()) {
      const r = rel ? `${rel}/${n}` : n;
      let st;
      try {
        st = await lstat(join(root, r));
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(n)) stack.push(r);
      } else if (st.isFile()) {
        if (++count > MAX_SNAPSHOT_FILES) return true;
        await visit(r.split(sep).join('/'), { size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  }
  return false;
}

function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * Computes the diff between the start snapshot and the current state.
 * @returns the summary and the unified patch (capped at {@link MAX_PATCH_BYTES})
 */
export async function diffWorkspace(snap: WorkspaceSnapshot, env: Record<string, string | undefined>, exclude: string[] = []): Promise<{ summary: DiffSummary; patch: string }> {
  const excluded = new Set(exclude.map((p) => relPosix(snap.dir, p)).filter((r) => r !== '' && !r.startsWith('..')));
  if (snap.method === 'git') {
    try {
      const spec = ['--', '.', ...[...excluded].map((r) => `:(exclude)${r}`)];
      const end = await gitTree(snap.dir, snap.indexFile, env);
      const numstat = await git(['diff', '--no-color', '--no-renames', '--numstat', '--relative', snap.tree, end, ...spec], snap.dir, env);
      const names = await git(['diff', '--no-color', '--no-renames', '--name-status', '--relative', snap.tree, end, ...spec], snap.dir, env);
      let patch = await git(['diff', '--no-color', '--no-renames', '--relative', snap.tree, end, ...spec], snap.dir, env, 256 * 1024 * 1024);
      const statusOf = new Map<string, DiffFile['status']>();
      for (const l of names.split('\n')) {
        const m = /^([AMDT])\t(.*)$/.exec(l);
        if (m) statusOf.set(m[2]!, m[1] === 'A' ? 'added' : m[1] === 'D' ? 'deleted' : 'modified');
      }
      const files: DiffFile[] = [];
      for (const l of numstat.split('\n')) {
        const m = /^(-|\d+)\t(-|\d+)\t(.*)$/.exec(l);
        if (!m) continue;
        files.push({ path: m[3]!, status: statusOf.get(m[3]!) ?? 'modified', added: m[1] === '-' ? null : Number(m[1]), removed: m[2] === '-' ? null : Number(m[2]) });
      }
      let truncated = false;
      if (Buffer.byteLength(patch) > MAX_PATCH_BYTES) {
        patch = Buffer.from(patch).subarray(0, MAX_PATCH_BYTES).toString('utf8') + '\n[patch truncated]\n';
        truncated = true;
      }
      return { summary: summarize('git', snap.head, files, truncated), patch };
    } finally {
      await unlink(snap.indexFile).catch(() => {});
    }
  }
  const after = new Map<string, { size: number; mtimeMs: number }>();
  const truncated = (await walk(snap.dir, async (rel, st) => void after.set(rel, st))) || snap.truncated;
  const { structuredPatch, formatPatch } = await import('diff');
  const files: DiffFile[] = [];
  let patch = '';
  const paths = new Set([...snap.files.keys(), ...after.keys()]);
  for (const p of [...paths].sort()) {
    if (excluded.has(p)) continue;
    const before = snap.files.get(p);
    const now = after.get(p);
    let beforeText: string | null = before?.content ?? null;
    let afterText: string | null = null;
    let status: DiffFile['status'];
    if (before && !now) status = 'deleted';
    else if (!before && now) status = 'added';
    else {
      if (before!.size === now!.size && before!.mtimeMs === now!.mtimeMs) continue;
      status = 'modified';
    }
    if (now) {
      const buf = await readFile(join(snap.dir, p)).catch(() => Buffer.alloc(0));
      if (before && status === 'modified' && createHash('sha256').update(buf).digest('hex') === before.hash) continue;
      afterText = buf.length <= MAX_KEPT_FILE_BYTES && !buf.includes(0) ? buf.toString('utf8') : null;
    }
    if (status === 'added') beforeText = '';
    if (status === 'deleted') afterText = '';
    let added: number | null = null;
    let removed: number | null = null;
    if (beforeText !== null && afterText !== null) {
      const sp = structuredPatch(status === 'added' ? '/dev/null' : `a/${p}`, status === 'deleted' ? '/dev/null' : `b/${p}`, beforeText, afterText);
      added = 0;
      removed = 0;
      for (const h of sp.hunks) for (const l of h.lines) {
        if (l.startsWith('+')) added++;
        else if (l.startsWith('-')) removed++;
      }
      if (status === 'added') added = countLines(afterText);
      if (Buffer.byteLength(patch) < MAX_PATCH_BYTES) patch += `diff --sase a/${p} b/${p}\n` + formatPatch(sp).replace(/^=+\n/, '');
    }
    if (files.length < MAX_DIFF_FILES) files.push({ path: p, status, added, removed });
  }
  let capped = truncated || files.length >= MAX_DIFF_FILES;
  if (Buffer.byteLength(patch) > MAX_PATCH_BYTES) {
    patch = Buffer.from(patch).subarray(0, MAX_PATCH_BYTES).toString('utf8') + '\n[patch truncated]\n';
    capped = true;
  }
  return { summary: summarize('snapshot', null, files, capped), patch };
}

function summarize(method: DiffSummary['method'], base: string | null, files: DiffFile[], truncated: boolean): DiffSummary {
  const kept = files.slice(0, MAX_DIFF_FILES);
  return {
    schema_version: 1,
    method,
    base_revision: base,
    files: kept,
    files_changed: files.length,
    lines_added: files.reduce((s, f) => s + (f.added ?? 0), 0),
    lines_removed: files.reduce((s, f) => s + (f.removed ?? 0), 0),
    truncated: truncated || files.length > MAX_DIFF_FILES,
  };
}

/** Path of `p` relative to `root` with forward slashes. */
export function relPosix(root: string, p: string): string {
  return relative(root, p).split(sep).join('/');
}
