/**
 * The most recently named agent, for a bare `%wait` in a new `sase run` (spec/xprompts.md §2.4: bare `%wait` waits
 * on the most recently named agent). "Named" means the launch carried an explicit `%name:<x>` (derived `.w<N>`/`.f<N>`
 * names, auto names and bare `%name` do not count).
 */
import { join } from 'node:path';
import type { Env } from '../store/paths.js';
import { recordDirOf } from './paths.js';
import { readJsonOrNull, RECORD_FILES } from './records.js';
import type { AgentRecord } from './types.js';

/** True when a prompt may contain a bare `%wait`/`%w` (a cheap pre-check so other launches skip the index read). */
export function mayHaveBareWait(text: string): boolean {
  return /%w(?:ait)?(?![A-Za-z0-9_:(+])/.test(text);
}

/**
 * The name of the newest record (by `created_at`, then id) whose launch had an explicit `%name`, read from the agents
 * index (`agents/index.jsonl`) and each candidate's `agent.json`; null when there is none.
 */
export async function latestNamedAgent(env: Env): Promise<string | null> {
  const { readIndex } = await import('./index-store.js');
  const idx = await readIndex(env, Infinity);
  const entries = [...idx.active, ...idx.terminal].sort((a, b) => (b.created_at === a.created_at ? (b.id < a.id ? -1 : 1) : b.created_at < a.created_at ? -1 : 1));
  for (const e of entries) {
    const rec = readJsonOrNull<AgentRecord>(join(recordDirOf(env, e.id), RECORD_FILES.agent));
    const explicit = rec?.directives?.name;
    // `@…` is the auto template of an unnamed fan-out, not a name the user gave.
    if (typeof explicit === 'string' && explicit !== '' && !explicit.startsWith('@') && rec!.name) return rec!.name;
  }
  return null;
}
