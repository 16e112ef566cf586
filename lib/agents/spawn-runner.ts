/** Starting a detached runner process for one record directory (used by `sase run` and parked-run release). */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { definedEnv, type Env } from '../store/paths.js';
import { RECORD_FILES } from './records.js';

/**
 * Spawns `node <script> <dir>` detached (own process group, unref'd), its output appended to the record's
 * `runner.log`, with `env` (undefined values dropped).
 * @returns the runner's pid
 * @throws Error when the process could not be started
 */
export function spawnDetachedRunner(dir: string, script: string, env: Env): number {
  const log = openSync(join(dir, RECORD_FILES.runnerLog), 'a');
  try {
    const child = spawn(process.execPath, [script, dir], { cwd: dir, env: definedEnv(env), detached: true, stdio: ['ignore', log, log] });
    child.unref();
    if (!child.pid) throw new Error('could not start the runner');
    return child.pid;
  } finally {
    closeSync(log);
  }
}
