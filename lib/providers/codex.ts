/**
 * The Codex provider (spec/runtime.md §c.1): `<codex> exec --model <M> --dangerously-bypass-approvals-and-sandbox
 * --json --color never --skip-git-repo-check - [extra…]`, prompt on stdin, env `CODEX_HOME=<shadow>` and
 * `CODEX_PROJECT_DIR=<cwd>`. The shadow home (`~/.cache/sase/codex_home/<pid>-<hex>`) holds a copy of the real
 * home's `config.toml` and symlinks to its other entries, so codex's own config writes never touch the user's;
 * `SASE_CODEX_DISABLE_SHADOW_HOME=1` turns it off. The runner removes `Invocation.cleanupPaths` after the attempt.
 * Binary: sase.yml, `SASE_CODEX_PATH`, PATH, then `$NVM_BIN/codex`. Effort: `-c model_reasoning_effort=<lvl>`
 * (minimal…xhigh) [rec]. Retry [rec]: stream disconnects, 429/5xx; waits [0] s; max 3 retries.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { homeDir } from '../store/paths.js';
import { isPidAlive } from '../store/pid.js';
import { commandFor, concreteModel, effortArgs, extraArgs, findBinary, matchesAny, requireBinary, retryDelays } from './common.js';
import { TIER_MODELS } from './model.js';
import { createCodexParser } from './parsers/codex-json.js';
import type { Provider } from './types.js';

const EFFORTS: Record<string, string[]> = Object.fromEntries(
  ['minimal', 'low', 'medium', 'high', 'xhigh'].map((l) => [l, ['-c', `model_reasoning_effort="${l}"`]]),
);

/** Substrings that make a failed codex attempt retryable [rec]. */
export const CODEX_RETRY_PATTERNS = ['stream disconnected before completion', '429 Too Many Requests', '500 Internal Server Error', '502 Bad Gateway', '503 Service Unavailable'];

/** Root of SASE-managed shadow CODEX_HOMEs: `~/.cache/sase/codex_home`. */
export function shadowHomeRoot(env: Record<string, string | undefined>): string {
  return join(homeDir(env), '.cache', 'sase', 'codex_home');
}

/** The user's real codex home: `$CODEX_HOME` unless it is itself a shadow home, else `~/.codex`. */
export function realCodexHome(env: Record<string, string | undefined>): string {
  const v = env.CODEX_HOME;
  if (v) {
    const rel = relative(shadowHomeRoot(env), resolve(v));
    if (rel.startsWith('..') || rel === resolve(v)) return resolve(v);
  }
  return join(homeDir(env), '.codex');
}

/**
 * Removes shadow homes left behind by processes that are gone (`<pid>-<hex>` whose pid is not alive), so a runner
 * that died before cleaning up leaks nothing for long. Returns the removed paths.
 */
export function pruneShadowHomes(env: Record<string, string | undefined>): string[] {
  const root = shadowHomeRoot(env);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || isPidAlive(Number(m[1]))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(join(root, name));
  }
  return removed;
}

/** Creates a shadow CODEX_HOME (config.toml copied, other entries symlinked); returns its path. */
export function createShadowHome(env: Record<string, string | undefined>, pid: number): string {
  const root = shadowHomeRoot(env);
  mkdirSync(root, { recursive: true });
  pruneShadowHomes(env);
  const shadow = join(root, `${pid}-${randomBytes(16).toString('hex')}`);
  mkdirSync(shadow, { mode: 0o700 });
  const real = realCodexHome(env);
  if (!existsSync(real)) return shadow;
  for (const name of readdirSync(real)) {
    const src = join(real, name);
    if (name === 'config.toml') copyFileSync(src, join(shadow, name));
    else symlinkSync(src, join(shadow, name), statSync(src).isDirectory() ? 'dir' : 'file');
  }
  return shadow;
}

/** The codex provider. */
export const codexProvider: Provider = {
  name: 'codex',
  tierModels: TIER_MODELS.codex!,
  versionArgs: ['--version'],
  invocation({ model, prompt, cwd, env, config }) {
    let bin = findBinary('codex', 'codex', { env, config, cwd });
    if (!bin && env.NVM_BIN && existsSync(join(env.NVM_BIN, 'codex'))) bin = { path: join(env.NVM_BIN, 'codex'), via: 'path' };
    if (!bin) bin = requireBinary('codex', 'codex', { env, config, cwd });
    const { command, pre } = commandFor(bin.path);
    const args = [
      ...pre,
      'exec',
      '--model',
      concreteModel('codex', model),
      '--dangerously-bypass-approvals-and-sandbox',
      '--json',
      '--color',
      'never',
      '--skip-git-repo-check',
      '-',
      ...effortArgs('codex', model.effort, EFFORTS),
      ...extraArgs('codex', model.tier ?? 'large', env),
    ];
    const extra: Record<string, string> = { CODEX_PROJECT_DIR: cwd };
    const cleanupPaths: string[] = [];
    if (env.SASE_CODEX_DISABLE_SHADOW_HOME !== '1') {
      const shadow = createShadowHome(env, process.pid);
      extra.CODEX_HOME = shadow;
      cleanupPaths.push(shadow);
    }
    return { command, args, stdin: prompt, env: extra, cwd, sessionId: null, cleanupPaths };
  },
  createParser: createCodexParser,
  isRetryable: (code, output) => code !== 0 && matchesAny(output, CODEX_RETRY_PATTERNS),
  retryDelaysMs: retryDelays([0], 3),
};
