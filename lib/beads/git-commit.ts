/**
 * Optional git commit of a bead mutation (`--commit`).
 *
 * Message (spec/beads-sdd-changespecs.md §B.9): subject `chore(beads): <verb> <ids>` (ids space-separated, as
 * SASE writes `chore(beads): checkpoint approved epic graph sase-1`), a blank line, and the footer
 * `SASE_TYPE=beads`. Only the given files are staged and committed (a pathspec commit), so other staged or dirty
 * files of the repository are never swept in. Commits of one clone are serialised by a lock in the git dir, so
 * parallel `sase bead … --commit` runs do not trip over git's own `index.lock`.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { gitOut, runGit, type GitEnv } from '../git/cli.js';
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
      await retryIndexLock(() => runGit(['add', '-A', '--', ...rel], { cwd: top, env }));
      const staged = await runGit(['diff', '--cached', '--quiet', '--', ...rel], { cwd: top, env, okCodes: [1] });
      if (staged.code === 0) return { committed: false, message, files: rel };
      await retryIndexLock(() => runGit(['commit', '-q', '-F', '-', '--', ...rel], { cwd: top, env, input: message }));
      const sha = await gitOut(['rev-parse', 'HEAD'], { cwd: top, env });
      return { committed: true, sha, message, files: rel };
    },
    { wait: true, timeoutMs: opts.timeoutMs ?? 60_000 },
  );
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
