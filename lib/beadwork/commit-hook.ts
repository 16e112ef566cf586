/**
 * Makes every commit of a run carry the footer block (spec/runtime.md §i; spec/beads-sdd-changespecs.md §B.9):
 * a shared `commit-msg` hook under `$SASE_HOME/git-hooks/` runs `lib/git/footer.js` with node, and the run's
 * environment points git at it through `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n=core.hooksPath` (no repository config
 * is touched). The footer values come from the run's env: `SASE_BEAD_ID`, `SASE_AGENT_NAME`, `SASE_PLAN`.
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import { saseHome, type Env } from '../store/paths.js';
import { footerScriptPath } from '../git/footer.js';

/** Directory of the shared hooks. */
export function hooksDir(env: Env): string {
  return join(saseHome(env), 'git-hooks');
}

/** The hook script text (POSIX sh; node path and script path are absolute). */
export function commitMsgHook(nodePath: string, script: string): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh\n# sase: stamps SASE_BEAD= / SASE_AGENT= / SASE_PLAN= footers (generated; safe to delete)\nexec ${q(nodePath)} ${q(script)} "$1"\n`;
}

/**
 * Installs (or refreshes) the hook and returns the env entries that activate it for one run.
 * @param nodePath the node binary the hook should use (the caller passes process.execPath)
 */
export async function commitHookEnv(env: Env, nodePath: string): Promise<Record<string, string>> {
  const dir = hooksDir(env);
  const path = join(dir, 'commit-msg');
  const text = commitMsgHook(nodePath, footerScriptPath());
  const old = await readFile(path, 'utf8').catch(() => null);
  if (old !== text) {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(path, text);
  }
  await chmod(path, 0o755);
  const n = Number(env.GIT_CONFIG_COUNT ?? '0');
  const i = Number.isInteger(n) && n >= 0 ? n : 0;
  return { GIT_CONFIG_COUNT: String(i + 1), [`GIT_CONFIG_KEY_${i}`]: 'core.hooksPath', [`GIT_CONFIG_VALUE_${i}`]: dir };
}
