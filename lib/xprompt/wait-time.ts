/**
 * `%wait(time=…)` / `#t:` values: durations (`1h30m`, `90s`) and absolute times (`HHMM`, `yymmdd/HHMM`).
 * Rules: spec/xprompts.md §2.4 (SASE `_directive_time.py`); vectors E1–E12. Absolute times are wall-clock times in
 * the process's local time zone, relative to the injected clock `now`.
 */
import { XpromptError } from './errors.js';
import type { WaitTime } from './launch-types.js';

const DURATION_RE = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds of a duration like `1h30m`, `5m`, `90s`; null when not a duration (must start with a digit, units h→m→s). */
export function parseDuration(s: string): number | null {
  if (!/^\d/.test(s)) return null;
  const m = DURATION_RE.exec(s);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** True when `s` has the shape of a time value (duration, `HHMM` or `yymmdd/HHMM`), e.g. to reject `%wait:5m`. */
export function looksLikeTime(s: string): boolean {
  return parseDuration(s) !== null || /^\d{4}$/.test(s) || /^\d{6}\/\d{4}$/.test(s);
}

function hhmm(s: string, raw: string): [number, number] {
  const h = Number(s.slice(0, 2));
  const mi = Number(s.slice(2, 4));
  if (h > 23 || mi > 59) {
    throw new XpromptError(`Invalid time '${s}' in '%wait:${raw}' — hours must be 00-23 and minutes 00-59`);
  }
  return [h, mi];
}

/** One parsed `time=` value. */
export type TimeValue = { kind: 'duration'; seconds: number } | { kind: 'absolute'; at: Date };

/**
 * Parses one `time=` value against `now`.
 * @throws XpromptError for empty values, bad hour/minute/month/day, past dates, or anything else (E7, E10, E11)
 */
export function parseTimeValue(raw: string, now: Date): TimeValue {
  const v = raw.trim();
  if (v === '') throw new XpromptError(`'%wait(time=...)' requires a duration or absolute time argument`);
  const d = parseDuration(v);
  if (d !== null) return { kind: 'duration', seconds: d };
  if (/^\d{4}$/.test(v)) {
    const [h, mi] = hhmm(v, v);
    const at = new Date(now.getTime());
    at.setHours(h, mi, 0, 0);
    if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
    return { kind: 'absolute', at };
  }
  const m = /^(\d{2})(\d{2})(\d{2})\/(\d{4})$/.exec(v);
  if (m) {
    const year = 2000 + Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month < 1 || month > 12) throw new XpromptError(`Invalid month '${m[2]}' in '%wait:${v}' — month must be 01-12`);
    const dim = new Date(year, month, 0).getDate();
    if (day < 1 || day > dim) throw new XpromptError(`Invalid day '${m[3]}' in '%wait:${v}' — day must be 01-${dim}`);
    const [h, mi] = hhmm(m[4]!, v);
    const at = new Date(year, month - 1, day, h, mi, 0, 0);
    if (at.getTime() <= now.getTime()) throw new XpromptError(`Target time '%wait:${v}' is in the past`);
    return { kind: 'absolute', at };
  }
  throw new XpromptError(
    `Invalid %wait time= value '${v}'; time= accepts only durations (e.g. 5m) and absolute times (e.g. 1430). Use %wait:${v} to wait for an agent.`,
  );
}

/** Local wall-clock ISO form `YYYY-MM-DDTHH:MM:SS` (SASE's `wait_until` display). */
export function localIso(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * Combines every `time=` value of one launch: several durations → the maximum (E5); one absolute → that instant.
 * @throws XpromptError `Cannot combine duration and absolute time waits` (E8) / `Multiple absolute time waits are not allowed` (E9)
 */
export function combineTimeValues(values: TimeValue[]): WaitTime | null {
  if (values.length === 0) return null;
  const durations = values.filter((v) => v.kind === 'duration') as Array<{ kind: 'duration'; seconds: number }>;
  const absolutes = values.filter((v) => v.kind === 'absolute') as Array<{ kind: 'absolute'; at: Date }>;
  if (durations.length > 0 && absolutes.length > 0) throw new XpromptError('Cannot combine duration and absolute time waits');
  if (absolutes.length > 1) throw new XpromptError('Multiple absolute time waits are not allowed');
  if (absolutes.length === 1) return { until: absolutes[0]!.at.toISOString(), until_local: localIso(absolutes[0]!.at) };
  return { duration_s: Math.max(...durations.map((d) => d.seconds)) };
}
