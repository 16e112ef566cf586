/** Durations as users write them (`90s`, `5m`, `1h30m`, `2h`, bare seconds). */
import { UsageError } from '../errors/index.js';

/**
 * Parses a duration into milliseconds. `0` means "no limit" where callers allow it.
 * @throws UsageError when the text is not a duration
 */
export function parseDurationMs(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    pos = re.lastIndex;
  }
  if (pos === 0 || pos !== t.length) throw new UsageError(`not a duration: ${JSON.stringify(text)}`, { hint: 'write e.g. 90s, 5m, 1h30m or a number of seconds' });
  return Math.round(total);
}

/** `agent.<key>` of a merged sase.yml as text (strings and numbers), null when absent. */
function agentSetting(config: Record<string, unknown>, key: string): string | null {
  const agent = config.agent;
  if (typeof agent !== 'object' || agent === null) return null;
  const v = (agent as Record<string, unknown>)[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/**
 * A run's time limits, ms (docs/runs.md, Launch: `--timeout` and the kill grace): the timeout is `timeout` (e.g. `--timeout`), else
 * `$SASE_AGENT_TIMEOUT`, else sase.yml `agent.timeout`, else 2h (0 = none); the kill grace is `$SASE_KILL_GRACE`,
 * else `agent.kill_grace`, else 5s.
 * @throws UsageError when a value is not a duration
 */
export function runLimits(config: Record<string, unknown>, env: Record<string, string | undefined>, timeout?: string | null): { timeoutMs: number; killGraceMs: number } {
  return {
    timeoutMs: parseDurationMs(timeout ?? env.SASE_AGENT_TIMEOUT ?? agentSetting(config, 'timeout') ?? '2h'),
    killGraceMs: parseDurationMs(env.SASE_KILL_GRACE ?? agentSetting(config, 'kill_grace') ?? '5s'),
  };
}
