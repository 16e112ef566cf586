/**
 * Repository operations the workspace store needs, on top of {@link runGit}: bare repos, clones, status, backup of
 * local changes, clean and sync. Every function takes the directory and environment explicitly.
 *
 * Rules: spec/runtime.md §e (prepare: stash/backup, clean, check out `origin/<default>`); nothing a user wrote is
 * ever discarded without first being saved in a stash or under `refs/sase/backups/`.
 */
import { gitOk, gitOut, runGit, type GitEnv } from './cli.js';

/** Identity used for commits sase makes itself when the user has none configured. */
const FALLBACK_IDENTITY = ['-c', 'user.name=sase', '-c', 'user.email=sase@localhost'];

/** `-c user.*` arguments when the repository has no committer identity; [] otherwise. */
export async function identityArgs(cwd: string, env: GitEnv): Promise<string[]> {
  if (env.GIT_COMMITTER_EMAIL && env.GIT_AUTHOR_EMAIL) return [];
  const email = await runGit(['config', 'user.email'], { cwd, env, okCodes: [1] });
  return email.stdout.trim() ? [] : FALLBACK_IDENTITY;
}

/** True when `dir` is a bare git repository. */
export async function isBareRepo(dir: string, env: GitEnv): Promise<boolean> {
  try {
    return (await gitOut(['rev-parse', '--is-bare-repository'], { cwd: dir, env })) === 'true';
  } catch {
    return false;
  }
}

/** True when `dir` is the top of a git work tree. */
export async function isWorkTree(dir: string, env: GitEnv): Promise<boolean> {
  try {
    return (await gitOut(['rev-parse', '--is-inside-work-tree'], { cwd: dir, env })) === 'true';
  } catch {
    return false;
  }
}

/** Creates an empty bare repository whose HEAD names `branch`. @throws ExternalToolError */
export async function initBareRepo(dir: string, branch: string, env: GitEnv): Promise<void> {
  await runGit(['init', '-q', '--bare', `--initial-branch=${branch}`, dir], { cwd: '/', env });
}

/**
 * Clones `source` into `dest` (which must not exist or be empty). Works for empty repositories. The clone is made
 * in a temporary sibling and renamed into place, so an interrupted clone never leaves a half-made checkout at `dest`.
 * @throws ExternalToolError
 */
export async function cloneRepo(source: string, dest: string, env: GitEnv): Promise<void> {
  const { mkdir, rename, rm, rmdir } = await import('node:fs/promises');
  const { dirname, basename, join } = await import('node:path');
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${basename(dest)}.clone-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    await runGit(['clone', '-q', source, tmp], { cwd: dirname(dest), env, timeoutMs: 600_000 });
    await rmdir(dest).catch(() => {}); // an empty placeholder directory
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw e;
  }
}

/** The default branch of a bare repo (its HEAD symbolic ref, e.g. `main`). */
export async function bareDefaultBranch(bare: string, env: GitEnv): Promise<string> {
  const ref = await gitOut(['symbolic-ref', '-q', 'HEAD'], { cwd: bare, env }).catch(() => 'refs/heads/main');
  return ref.replace(/^refs\/heads\//, '');
}

/** True when `ref` resolves to a commit in the repository at `dir`. */
export function hasRevision(dir: string, ref: string, env: GitEnv): Promise<boolean> {
  return gitOk(['rev-parse', '-q', '--verify', `${ref}^{commit}`], { cwd: dir, env });
}

/** Full hash of `ref`, or null when it does not resolve (e.g. an empty repository's HEAD). */
export async function revParse(dir: string, ref: string, env: GitEnv): Promise<string | null> {
  try {
    return await gitOut(['rev-parse', '-q', '--verify', `${ref}^{commit}`], { cwd: dir, env });
  } catch {
    return null;
  }
}

/** `git status --porcelain` lines (untracked included; `.sase/` is excluded via info/exclude). */
export async function statusLines(dir: string, env: GitEnv): Promise<string[]> {
  const out = await runGit(['status', '--porcelain', '--untracked-files=all'], { cwd: dir, env });
  return out.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** Adds `pattern` to the checkout's `.git/info/exclude` if missing (keeps sase's markers out of status). */
export async function ensureExcluded(dir: string, pattern: string, env: GitEnv): Promise<void> {
  const { readFile, appendFile, mkdir } = await import('node:fs/promises');
  const { join, dirname } = await import('node:path');
  const gitDir = await gitOut(['rev-parse', '--absolute-git-dir'], { cwd: dir, env });
  const file = join(gitDir, 'info', 'exclude');
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.split('\n').some((l) => l.trim() === pattern)) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${pattern}\n`);
}

/**
 * Commits reachable from the checkout's HEAD and local branches (and, unless `includeBackups` is false, its stash
 * and `refs/sase/` backups) that are on no branch of the remote `origin` (as last fetched). Non-empty means
 * deleting the checkout would lose work.
 */
export async function unpushedCommits(dir: string, env: GitEnv, opts: { includeBackups?: boolean } = {}): Promise<string[]> {
  const heads = ['--branches'];
  if (await hasRevision(dir, 'HEAD', env)) heads.unshift('HEAD');
  if (opts.includeBackups !== false) {
    heads.push('--glob=refs/sase/*');
    if (await hasRevision(dir, 'refs/stash', env)) heads.push('refs/stash');
  }
  const out = await gitOut(['rev-list', '--max-count=20', ...heads, '--not', '--remotes=origin'], { cwd: dir, env });
  return out.split('\n').filter((l) => l !== '');
}

/** Result of {@link backupLocalChanges}. */
export interface BackupResult {
  /** Stash commit holding uncommitted (incl. untracked) changes, or null when the tree was clean. */
  stash: string | null;
  /** Backup refs created for commits that would otherwise be unreachable after sync. */
  refs: string[];
}

/**
 * Saves everything local before a destructive sync: uncommitted and untracked files go to a stash
 * (`git stash push --include-untracked`), and a HEAD or default-branch tip that is on no remote branch gets a
 * `refs/sase/backups/<stamp>-<name>` ref. Ignored files (build output) are not saved.
 * @param stamp unique, ref-safe label (e.g. `20261121T120000Z-4242`)
 * @throws ExternalToolError
 */
export async function backupLocalChanges(dir: string, stamp: string, branch: string, env: GitEnv): Promise<BackupResult> {
  const result: BackupResult = { stash: null, refs: [] };
  const ident = await identityArgs(dir, env);
  if ((await statusLines(dir, env)).length > 0 && (await hasRevision(dir, 'HEAD', env))) {
    await runGit([...ident, 'stash', 'push', '--include-untracked', '-m', `sase backup ${stamp}`], { cwd: dir, env });
    result.stash = await revParse(dir, 'refs/stash', env);
  }
  for (const [name, ref] of [
    ['head', 'HEAD'],
    [branch, `refs/heads/${branch}`],
  ] as const) {
    const sha = await revParse(dir, ref, env);
    if (!sha) continue;
    const remoteHas = (await gitOut(['branch', '-r', '--contains', sha], { cwd: dir, env }).catch(() => '')) !== '';
    if (remoteHas) continue;
    const backup = `refs/sase/backups/${stamp}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    await runGit(['update-ref', backup, sha], { cwd: dir, env });
    result.refs.push(backup);
  }
  return result;
}

/** Discards tracked changes and removes untracked files (ignored files such as build output are kept; `.sase/` too). @throws ExternalToolError */
export async function cleanCheckout(dir: string, env: GitEnv): Promise<void> {
  await runGit(['reset', '-q', '--hard'], { cwd: dir, env, okCodes: [128] });
  await runGit(['clean', '-ffdq', '-e', '.sase'], { cwd: dir, env });
}

/**
 * Fetches `origin` and points the checkout's `branch` at `origin/<branch>`, checked out and clean.
 * When the remote has no commits yet, leaves the (empty) checkout as it is.
 * @returns the commit checked out, or null for an empty remote
 * @throws ExternalToolError
 */
export async function syncToRemote(dir: string, branch: string, env: GitEnv): Promise<string | null> {
  await runGit(['fetch', '-q', '--prune', 'origin'], { cwd: dir, env, timeoutMs: 600_000 });
  const target = `refs/remotes/origin/${branch}`;
  if (!(await hasRevision(dir, target, env))) return null;
  await runGit(['checkout', '-q', '--force', '-B', branch, target], { cwd: dir, env });
  await runGit(['branch', '-q', `--set-upstream-to=origin/${branch}`, branch], { cwd: dir, env, okCodes: [128] });
  return revParse(dir, 'HEAD', env);
}

/** URLs of every remote of the repository at `dir` (deduplicated, fetch URLs). */
export async function remoteUrls(dir: string, env: GitEnv): Promise<string[]> {
  const out = await gitOut(['remote', '-v'], { cwd: dir, env }).catch(() => '');
  const urls = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /^\S+\s+(\S+)\s+\(fetch\)$/.exec(line.trim());
    if (m) urls.add(m[1]!);
  }
  return [...urls];
}

/**
 * Writes `files` (relative path → text) into the work tree, commits exactly those paths with `message` and pushes
 * the branch to `origin`. Used for the one-time "Initialize SDD" commit.
 * @returns the new commit, or null when nothing changed
 * @throws ExternalToolError
 */
export async function commitAndPushFiles(
  dir: string,
  files: Record<string, string>,
  message: string,
  branch: string,
  env: GitEnv,
): Promise<string | null> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join, dirname } = await import('node:path');
  const paths = Object.keys(files);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  await runGit(['add', '--', ...paths], { cwd: dir, env });
  const staged = await runGit(['diff', '--cached', '--quiet', '--', ...paths], { cwd: dir, env, okCodes: [1] });
  if (staged.code === 0) return null;
  const ident = await identityArgs(dir, env);
  if (!(await hasRevision(dir, 'HEAD', env))) await runGit(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { cwd: dir, env });
  await runGit([...ident, 'commit', '-q', '--no-verify', '-m', message, '--', ...paths], { cwd: dir, env });
  await runGit(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], { cwd: dir, env, timeoutMs: 600_000 });
  await runGit(['fetch', '-q', 'origin'], { cwd: dir, env });
  await runGit(['branch', '-q', `--set-upstream-to=origin/${branch}`], { cwd: dir, env, okCodes: [128] });
  return revParse(dir, 'HEAD', env);
}

/** Names of backup refs (`refs/sase/backups/*`) and whether a stash exists in the checkout at `dir`. */
export async function backupState(dir: string, env: GitEnv): Promise<{ stash: number; backup_refs: string[] }> {
  const refs = await gitOut(['for-each-ref', '--format=%(refname)', 'refs/sase/'], { cwd: dir, env }).catch(() => '');
  const stash = await gitOut(['stash', 'list'], { cwd: dir, env }).catch(() => '');
  return { stash: stash === '' ? 0 : stash.split('\n').length, backup_refs: refs === '' ? [] : refs.split('\n') };
}
