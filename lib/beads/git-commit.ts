/**
 * Optional git commit of a bead mutation (`--commit`).
 *
 * Message (spec/beads-sdd-changespecs.md §B.9): subject `chore(beads): <verb> <ids>` (ids space-separated, as
 * SASE writes `chore(beads): checkpoint approved epic graph sase-1`), a blank line, and the footer
 * `SASE_TYPE=beads`. Only the given files are committed: the commit is built in a private index from HEAD plus
 * those paths (plumbing: read-tree, add, write-tree, commit-tree, update-ref with the old HEAD as a
 * compare-and-set), so other staged or dirty files are never swept in and commit hooks do not run. Commits of one clone are serialised by a lock in the git dir, so
 * parallel `sase bead … --commit` runs do not trip over git's own `index.lock`.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { ExternalToolError } from '../errors/index.js';
import { gitChildEnv, gitOut, runGit, type GitEnv } from '../git/cli.js';
import { withLock } from '../store/index.js';

/** Options for {@link commitBeadMutation}. */
export interface CommitBeadOptions {
  /** Environment for git (usually ctx.env); author/committer come from it and the repository config. */
  env: GitEnv;
  /** Longest wait for the commit lock and for git's index.lock, in ms. Default 60_000. */
  timeoutMs?: number;
}

/** Result of {@link commitBeadMutation}. */
export interface CommitBeadResult {
  /** False when the files held no change to commit (nothing is written then). */
  committed: boolean;
  /** The new commit's full sha (when committed). */
  sha?: string;
  /** The full message used. */
  message: string;
  /** Repository-relative paths that were part of the commit. */
  files: string[];
}

/** The commit message of a bead mutation: `chore(beads): <verb> <ids>` + blank line + `SASE_TYPE=beads`. */
export function beadCommitMessage(verb: string, ids: readonly string[]): string {
  const subject = ['chore(beads):', verb.trim(), ...ids].filter(Boolean).join(' ');
  return `${subject}\n\nSASE_TYPE=beads\n`;
}

/**
 * Stages and commits `files` (absolute, or relative to `repoDir`) in the repository enclosing `repoDir`.
 * Deleted paths are committed as deletions. Nothing else in the index is committed.
 * @throws ExternalToolError when `repoDir` is not in a git repository or git fails; LockedError when another
 *   sase commit holds the clone's commit lock longer than `timeoutMs`
 */
export async function commitBeadMutation(repoDir: string, files: readonly string[], verb: string, ids: readonly string[], opts: CommitBeadOptions): Promise<CommitBeadResult> {
  const env = opts.env;
  const top = await gitOut(['rev-parse', '--show-toplevel'], { cwd: repoDir, env });
  const gitDir = await gitOut(['rev-parse', '--absolute-git-dir'], { cwd: top, env });
  const rel = [...new Set(files.map((f) => relative(top, isAbsolute(f) ? f : resolve(repoDir, f)).split('\\').join('/')))].sort();
  const message = beadCommitMessage(verb, ids);
  if (rel.length === 0) return { committed: false, message, files: [] };
  return withLock(
    join(gitDir, 'sase-beads-commit'),
    async () => {
      // Build the commit in a private index (HEAD + only these paths), so other staged changes stay out and the
      // commit also works where porcelain refuses partial commits (e.g. inside a post-merge hook).
      const index = join(gitDir, `sase-beads-index.${process.pid}`);
      try {
        const head = (await runGit(['rev-parse', '--verify', '-q', 'HEAD'], { cwd: top, env, okCodes: [1] })).stdout.trim();
        if (head) await gitIndexed(['read-tree', head], top, env, index);
        await gitIndexed(['add', '-A', '--', ...rel], top, env, index);
        const tree = (await gitIndexed(['write-tree'], top, env, index)).trim();
        const headTree = head ? await gitOut(['rev-parse', `${head}^{tree}`], { cwd: top, env }) : '';
        if (tree === headTree) return { committed: false, message, files: rel };
        const sha = (await gitIndexed(['commit-tree', tree, ...(head ? ['-p', head] : []), '-F', '-'], top, env, index, message)).trim();
        await runGit(['update-ref', '-m', `commit: ${message.split('\n')[0]}`, 'HEAD', sha, ...(head ? [head] : [])], { cwd: top, env });
        // Bring the real index in line with the new HEAD for these paths (other entries untouched).
        await retryIndexLock(() => runGit(['add', '-A', '--', ...rel], { cwd: top, env }));
        return { committed: true, sha, message, files: rel };
      } finally {
        await rm(index, { force: true });
      }
    },
    { wait: true, timeoutMs: opts.timeoutMs ?? 60_000 },
  );
}

/** Runs git with a private index file (GIT_INDEX_FILE), returning stdout. @throws ExternalToolError */
function gitIndexed(args: string[], cwd: string, env: GitEnv, indexFile: string, input?: string): Promise<string> {
  return new Promise((res, rej) => {
    const child = execFile('git', args, { cwd, env: { ...gitChildEnv(env), GIT_INDEX_FILE: indexFile }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) rej(new ExternalToolError(`git ${args[0]} failed: ${stderr.trim().split('\n')[0] || err.message}`, { data: { tool: 'git', args, cwd, stderr: stderr.slice(0, 4000) }, cause: err }));
      else res(stdout);
    });
    child.stdin?.on('error', () => {});
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** Retries a git call that failed because another git process held `index.lock` (up to ~10 s). */
async function retryIndexLock<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const stderr = String((e as { data?: { stderr?: string } }).data?.stderr ?? '');
      if (attempt >= 40 || !stderr.includes('index.lock')) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
