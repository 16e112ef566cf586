/**
 * Well-known locations, resolved from an explicit environment (never `process.env` directly, so commands are
 * testable in-process). XDG Base Directory rules: a relative XDG_* value is ignored as the spec requires.
 */
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

/** An environment mapping (usually `process.env`). */
export type Env = Record<string, string | undefined>;

/** `env` without its undefined entries: the `env` option a spawned child process takes. */
export function definedEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** The user's home directory: `$HOME`, else the OS account's home. */
export function homeDir(env: Env): string {
  return env.HOME && env.HOME !== '' ? env.HOME : homedir();
}

function xdg(env: Env, name: string, fallback: string[]): string {
  const v = env[name];
  return v && isAbsolute(v) ? v : join(homeDir(env), ...fallback);
}

/** `$XDG_CONFIG_HOME` or `~/.config`. */
export function xdgConfigHome(env: Env): string {
  return xdg(env, 'XDG_CONFIG_HOME', ['.config']);
}

/** `$XDG_STATE_HOME` or `~/.local/state`. */
export function xdgStateHome(env: Env): string {
  return xdg(env, 'XDG_STATE_HOME', ['.local', 'state']);
}

/** SASE's per-user state root: `$SASE_HOME`, else `~/.sase` (spec/runtime.md §a.1). */
export function saseHome(env: Env): string {
  return env.SASE_HOME && env.SASE_HOME !== '' ? env.SASE_HOME : join(homeDir(env), '.sase');
}

/** Expands a leading `~` / `~/` to the home directory and `$VAR` / `${VAR}` from `env` (unset vars stay verbatim). */
export function expandUser(path: string, env: Env): string {
  let p = path.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string, b: string) => env[a ?? b] ?? m);
  if (p === '~') p = homeDir(env);
  else if (p.startsWith('~/')) p = join(homeDir(env), p.slice(2));
  return p;
}

/**
 * Walks up from `start` (inclusive) to the filesystem root and returns the first directory containing any of
 * `names`; null when none does.
 */
export function findUp(start: string, names: string[]): string | null {
  let dir = start;
  for (;;) {
    for (const n of names) if (existsSync(join(dir, n))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The root of the git work tree containing `start` (a directory holding `.git`), or null. */
export function findRepoRoot(start: string): string | null {
  return findUp(start, ['.git']);
}
