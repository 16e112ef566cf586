/** Fixtures for the runs tests: an isolated user state, `sase` through the real binary, polling helpers. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runBin, tmpdir, type BinResult } from '../helpers/index.js';

/** Env isolating user state (HOME, SASE_HOME, XDG dirs) in a temp dir, plus a short kill grace. */
export function isolatedEnv(t: TestContext, extra: Record<string, string> = {}): Record<string, string> {
  const home = tmpdir(t);
  return {
    HOME: home,
    SASE_HOME: join(home, '.sase'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    SASE_KILL_GRACE: '1s',
    ...extra,
  };
}

/** Runs `sase …` (the real compiled binary). */
export function sase(args: string[], env: Record<string, string>, cwd?: string, timeoutMs = 90_000): Promise<BinResult> {
  return runBin('sase', args, { env, cwd, timeoutMs });
}

/** Launches with `--json` and returns `data.agents`. Fails the test with the output when the launch fails. */
export async function launch(prompt: string, env: Record<string, string>, extra: string[] = [], cwd?: string): Promise<any[]> {
  const r = await sase(['run', '--json', ...extra, prompt], env, cwd);
  if (!r.json?.ok) throw new Error(`sase run failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.json.data.agents;
}

/** Polls `cond` every 50 ms until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(cond: () => T | Promise<T>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads a JSON file of a record; null when missing. */
export function recJson(dir: string, file: string): any {
  const p = join(dir, file);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

/** Reads a JSONL file of a record (complete lines only). */
export function recJsonl(dir: string, file: string): any[] {
  const p = join(dir, file);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** True when a process exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
