/** Fixtures for the orchestration tests: isolated state, `sase` through the real binary, record lookups, polling. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { isolatedEnv as sharedIsolatedEnv, launchAgents, readJsonLines, readJsonOrNull, sase, waitFor } from '../helpers/runs.js';

export { readJsonOrNull as readJson, sase, saseProcesses, waitFor } from '../helpers/runs.js';

/**
 * Env isolating user state (HOME, SASE_HOME, XDG dirs) in a temp dir. Its cleanup waits (up to 20 s) for the
 * detached processes of this state to exit, then kills what is left (see tests/helpers/runs.ts `isolatedEnv`).
 */
export function isolatedEnv(t: TestContext, extra: Record<string, string> = {}): Record<string, string> {
  return sharedIsolatedEnv(t, extra, { reap: true });
}

/** `sase run --json PROMPT`; returns `data.agents` (throws with the output when the launch fails). */
export function launch(prompt: string, env: Record<string, string>, cwd?: string): Promise<any[]> {
  return launchAgents(prompt, env, [], cwd);
}

/** Record directory of the newest run named `name` (via its name claim); null when none. */
export function recordOf(env: Record<string, string>, name: string): string | null {
  const claim = readJsonOrNull(join(env.SASE_HOME!, 'agents', 'names', `${name}.json`));
  if (!claim?.id) return null;
  const dir = join(env.SASE_HOME!, 'agents', claim.id.slice(0, 6), claim.id);
  return existsSync(dir) ? dir : null;
}

/** The `done.json` of the newest run named `name`, null while it runs. */
export function doneOf(env: Record<string, string>, name: string): any {
  const dir = recordOf(env, name);
  return dir ? readJsonOrNull(join(dir, 'done.json')) : null;
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
  return readJsonLines(join(dir, 'events.jsonl'));
}
