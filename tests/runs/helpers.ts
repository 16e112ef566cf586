/** Fixtures for the runs tests: an isolated user state, `sase` through the real binary, polling helpers. */
import { join } from 'node:path';
import { readJsonLines, readJsonOrNull } from '../helpers/runs.js';

export { isAlive as alive, isolatedEnv, launchAgents as launch, sase, waitFor } from '../helpers/runs.js';

/** Reads a JSON file of a record; null when missing (or torn mid-write). */
export function recJson(dir: string, file: string): any {
  return readJsonOrNull(join(dir, file));
}

/** Reads a JSONL file of a record (complete lines only). */
export function recJsonl(dir: string, file: string): any[] {
  return readJsonLines(join(dir, file));
}
