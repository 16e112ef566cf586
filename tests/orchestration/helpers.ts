/** Fixtures for the orchestration tests: isolated state, `sase` through the real binary, record lookups, polling. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runBin, tmpdir, type BinResult } from '../helpers/index.js';

/**
 * Env isolating user state (HOME, SASE_HOME, XDG dirs) in a temp dir. Registered first, its cleanup waits (up to
 * 20 s) for the detached processes of this state (runners, release ticks, timers) to exit, then kills what is left,
 * so temp directories are not removed under them.
 */
export function isolatedEnv(t: TestContext, extra: Record<string, string> = {}): Record<string, string> {
  let saseHome = '';
  t.after(async () => {
    const until = Date.now() + 20_000;
    while (saseProcesses(saseHome).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    for (const pid of saseProcesses(saseHome)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  const home = tmpdir(t);
  saseHome = join(home, '.sase');
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

/** `sase run --json PROMPT`; returns `data.agents` (throws with the output when the launch fails). */
export async function launch(prompt: string, env: Record<string, string>, cwd?: string): Promise<any[]> {
  const r = await sase(['run', '--json', prompt], env, cwd);
  if (!r.json?.ok) throw new Error(`sase run failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.json.data.agents;
}

/** Polls `cond` every 100 ms until truthy or `timeoutMs` passes. */
export async function waitFor<T>(cond: () => T | Promise<T>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads a JSON file; null when missing or torn. */
export function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Record directory of the newest run named `name` (via its name claim); null when none. */
export function recordOf(env: Record<string, string>, name: string): string | null {
  const claim = readJson(join(env.SASE_HOME!, 'agents', 'names', `${name}.json`));
  if (!claim?.id) return null;
  const dir = join(env.SASE_HOME!, 'agents', claim.id.slice(0, 6), claim.id);
  return existsSync(dir) ? dir : null;
}

/** The `done.json` of the newest run named `name`, null while it runs. */
export function doneOf(env: Record<string, string>, name: string): any {
  const dir = recordOf(env, name);
  return dir ? readJson(join(dir, 'done.json')) : null;
}

/** Waits until the run named `name` has a done.json and returns it. */
export function waitDone(env: Record<string, string>, name: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(() => doneOf(env, name), timeoutMs, `${name} to finish`);
}

/** The status of a run per `sase agent show --json`. */
export async function statusOf(env: Record<string, string>, name: string): Promise<any> {
  const r = await sase(['agent', 'show', name, '--json'], env);
  if (!r.json?.ok) throw new Error(`sase agent show ${name} failed: ${r.stdout}${r.stderr}`);
  return r.json.data.agent;
}

/** Events of a record (`events.jsonl`). */
export function eventsOf(dir: string): any[] {
  if (!existsSync(join(dir, 'events.jsonl'))) return [];
  return readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Pids of live processes whose environment carries `SASE_HOME=<home>` (every sase process of a test). */
export function saseProcesses(home: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${p}/environ`, 'utf8').split('\0');
      if (env.includes(`SASE_HOME=${home}`)) out.push(Number(p));
    } catch {
      // gone or not ours
    }
  }
  return out;
}
