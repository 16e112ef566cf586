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
