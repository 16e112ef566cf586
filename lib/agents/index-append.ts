/** Appending to the index projection `agents/index.jsonl` (light: no lock library, used on the launch path). */
import { appendJsonl } from '../store/jsonl.js';
import type { Env } from '../store/paths.js';
import { indexPath } from './paths.js';
import type { IndexEntry } from './types.js';

/** Appends one entry (one write; concurrent appenders never interleave within a line). */
export async function appendIndex(env: Env, entry: IndexEntry): Promise<void> {
  await appendJsonl(indexPath(env), entry);
}
