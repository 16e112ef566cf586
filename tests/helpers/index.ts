/**
 * Shared test fixtures: real temp directories, real git repos, the real compiled binaries, the shared corpus, and
 * an in-process command context with captured output. No mocks of fs or git (HOUSE_STYLE.md "Tests").
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir as osTmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type { Ctx } from '../../lib/cli/context.js';
import { binScript, PACKAGE_ROOT } from '../../lib/package.js';

/** Compiled output root these tests run from (`dist/`, or a developer's private `.build/<name>/`). */
export const BUILD_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Repository root: the nearest directory above the build root holding package.json. */
export const REPO_ROOT = PACKAGE_ROOT;

/** The shared reference folder: `$SASE_SHARED_DIR`, else `../shared` beside the repository. */
export const SHARED_DIR = process.env.SASE_SHARED_DIR ?? resolve(REPO_ROOT, '..', 'shared');

/** Path inside `shared/corpus`. */
export function corpusPath(...parts: string[]): string {
  return join(SHARED_DIR, 'corpus', ...parts);
}

/** Path of a compiled binary of the build under test as package.json installs it (lib/package.ts binScript). */
export function binPath(name: string): string {
  return binScript(name);
}

// Binaries spawned by tests share one V8 code-cache directory (lib/boot/loader.cts) instead of one per temp HOME.
process.env.SASE_CODE_CACHE_DIR ??= join(osTmpdir(), `sase-test-code-cache-${process.getuid?.() ?? 0}`);

/** A directory tree: relative path → file content (a string, or null for an empty directory). */
export type Tree = Record<string, string | null>;

/** Writes `tree` under `root`. */
export function writeTree(root: string, tree: Tree): void {
  for (const [rel, content] of Object.entries(tree)) {
    const p = join(root, rel);
    if (content === null) {
      mkdirSync(p, { recursive: true });
    } else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
}

/** Creates a real temp directory holding `tree`; removed after the test (kept when SASE_KEEP_TMP is set). */
export function tmpdir(t: TestContext | undefined, tree: Tree = {}): string {
  const dir = mkdtempSync(join(osTmpdir(), 'sase-test-'));
  writeTree(dir, tree);
  if (t && !process.env.SASE_KEEP_TMP) t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Environment for git commands in tests: fixed author/committer, no user config, no prompts. */
export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs git synchronously in `cwd`; returns trimmed stdout. Throws on failure. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...GIT_ENV, HOME: cwd, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Creates a real git repo (`main` branch, gc.auto 0) holding `tree` in one initial commit. */
export function gitRepo(t: TestContext | undefined, tree: Tree = { 'README.md': '# test\n' }): string {
  const dir = tmpdir(t, tree);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'gc.auto', '0']);
  git(dir, ['config', 'user.name', GIT_ENV.GIT_AUTHOR_NAME!]);
  git(dir, ['config', 'user.email', GIT_ENV.GIT_AUTHOR_EMAIL!]);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'initial']);
  return dir;
}

/** The outcome of a spawned binary. `json` is the parsed stdout when it is one JSON document, else undefined. */
export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** Options for {@link runBin}. */
export interface RunBinOptions {
  cwd?: string;
  /** Merged over a clean base env (PATH, HOME from the test, NO_COLOR). */
  env?: Record<string, string | undefined>;
  input?: string;
  /** Kill after this many ms (default 60_000). */
  timeoutMs?: number;
}

/**
 * Spawns a real compiled binary (`sase`, `sase-bead`, …) with node and collects its output.
 * The base env isolates the test: HOME and SASE_HOME default to a directory that does not hold user state, and no
 * idle spare runner is left behind (`SASE_NO_SPARE_RUNNER=1`; `opts.env` may set it to '' to allow one).
 */
export function runBin(name: string, args: string[], opts: RunBinOptions = {}): Promise<BinResult> {
  return new Promise((res, rej) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', SASE_NO_SPARE_RUNNER: '1', ...opts.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [binPath(name), ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', rej);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      res({ code, signal, stdout, stderr, json });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** An in-process context with captured stdout/stderr, a fixed clock and the given env/cwd. */
export function captureCtx(opts: { cwd?: string; env?: Record<string, string | undefined>; now?: Date } = {}): Ctx & {
  out(): string;
  err(): string;
} {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  stdin.end();
  const now = opts.now ?? new Date('2026-11-21T12:00:00Z');
  return {
    cwd: opts.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...opts.env },
    now: () => now,
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin },
    json: false,
    color: false,
    command: 'sase',
    out: () => out,
    err: () => err,
  };
}

/** True when the shared corpus is present (it is in CI and on developer machines). */
export function hasCorpus(): boolean {
  return existsSync(corpusPath());
}
