/**
 * Agent output variables (`sase var set|get|list`): string values an agent run publishes, stored in its record as
 * `vars.json` (`{"NAME": "value"}`) and mirrored into SASE's `agent_meta.json` `output_variables` (spec/runtime.md
 * §a.3). `STOP` set by a `%repeat` slot ends the rest of the chain (spec/runtime.md §b "Deferral and chains").
 */
import { join } from 'node:path';
import { InvalidDataError, UsageError } from '../errors/index.js';
import { writeJsonAtomic } from '../store/atomic.js';
import { withLock } from '../store/lock.js';
import { readJsonOrNull, RECORD_FILES } from '../agents/records.js';

/** File of the variables inside a record directory. */
export const VARS_FILE = 'vars.json';

const VAR_NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

/** Reads a run's variables ({} when none). */
export function readVars(recordDir: string): Record<string, string> {
  return readJsonOrNull<Record<string, string>>(join(recordDir, VARS_FILE)) ?? {};
}

/**
 * Parses `NAME=value` (value may be empty or contain `=`).
 * @throws UsageError when there is no `=` or the name is not a valid variable name
 */
export function parseAssignment(text: string): { name: string; value: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`expected NAME=VALUE, got '${text}'`);
  const name = text.slice(0, eq);
  if (!VAR_NAME_RE.test(name)) throw new UsageError(`invalid variable name '${name}' (letters, digits, _ . -; not starting with a digit)`);
  return { name, value: text.slice(eq + 1) };
}

/**
 * Sets variables of a run (read-modify-write under the lock of `vars.json`).
 * @returns all variables after the write
 * @throws InvalidDataError when the directory holds no agent record
 */
export async function setVars(recordDir: string, values: Record<string, string>): Promise<Record<string, string>> {
  if (!readJsonOrNull(join(recordDir, RECORD_FILES.agent))) throw new InvalidDataError(`${recordDir} is not an agent record`);
  return withLock(
    join(recordDir, VARS_FILE),
    async () => {
      const all = { ...readVars(recordDir), ...values };
      await writeJsonAtomic(join(recordDir, VARS_FILE), all);
      const metaPath = join(recordDir, RECORD_FILES.meta);
      const meta = readJsonOrNull<Record<string, unknown>>(metaPath);
      if (meta) await writeJsonAtomic(metaPath, { ...meta, output_variables: all });
      return all;
    },
    { wait: true, timeoutMs: 10_000 },
  );
}
