/**
 * Running the git CLI: one function that spawns `git` with an explicit environment and turns failures into typed
 * ExternalToolError (exit 7) carrying the argv, exit code and stderr.
 *
 * Rule: never inherit ambient `GIT_DIR`/`GIT_WORK_TREE`/`GIT_INDEX_FILE` (a hook or a nested agent may have set them),
 * never prompt for credentials, and always pass the environment explicitly (ARCHITECTURE.md "Layers": domain code
 * never reads process.env).
 */
import { execFile } from 'node:child_process';
import { ExternalToolError } from '../errors/index.js';

/** An environment mapping (usually the command's `ctx.env`). */
export type GitEnv = Record<string, string | undefined>;

/** Options for {@link runGit}. */
export interface RunGitOptions {
  /** Directory git runs in (absolute). */
  cwd: string;
  /** Base environment; repository-location variables are removed and prompts disabled. */
  env: GitEnv;
  /** Text fed to stdin. */
  input?: string;
  /** Exit codes (besides 0) that are not failures, e.g. `[1]` for `diff --quiet`. */
  okCodes?: number[];
  /** Kill git after this many ms. Default 120_000. */
  timeoutMs?: number;
}

/** Output of a finished git command. */
export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Variables that point git at another repository; stripped so `cwd` decides. */
const REPO_LOCATION_VARS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_PREFIX'];

/** Builds the child environment for git: `env` minus repository-location variables, with prompts disabled. */
export function gitChildEnv(env: GitEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !REPO_LOCATION_VARS.includes(k)) out[k] = v;
  out.GIT_TERMINAL_PROMPT = '0';
  out.LC_ALL = 'C';
  return out;
}

/**
 * Runs `git <args>` in `opts.cwd`.
 * @returns stdout/stderr as text (untrimmed) and the exit code
 * @throws ExternalToolError when git is missing, times out, or exits with a code not in `okCodes`
 */
export function runGit(args: string[], opts: RunGitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: opts.cwd,
        env: gitChildEnv(opts.env),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 120_000,
      },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr, code: 0 });
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        const code = typeof e.code === 'number' ? e.code : -1;
        if (code > 0 && opts.okCodes?.includes(code)) return resolve({ stdout, stderr, code });
        const missing = e.code === 'ENOENT';
        reject(
          new ExternalToolError(missing ? 'git is not installed or not on PATH' : `git ${args[0] ?? ''} failed: ${firstLine(stderr) || e.message}`, {
            hint: missing ? 'install git' : undefined,
            data: { tool: 'git', args, cwd: opts.cwd, exit_code: code, stderr: stderr.slice(0, 4000), killed: e.killed === true },
            cause: err,
          }),
        );
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Runs git and returns trimmed stdout. @throws ExternalToolError as {@link runGit} */
export async function gitOut(args: string[], opts: RunGitOptions): Promise<string> {
  return (await runGit(args, opts)).stdout.trim();
}

/** Runs git and reports whether it exited 0 (any failure, including a missing repo, is `false`). */
export async function gitOk(args: string[], opts: RunGitOptions): Promise<boolean> {
  try {
    await runGit(args, opts);
    return true;
  } catch {
    return false;
  }
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}
