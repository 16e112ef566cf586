/**
 * Directive lexing and extraction: `%model/%m`, `%name/%n`, `%wait/%w`, `%hide/%h`, `%auto/%a`, `%repeat/%r`,
 * `%group/%g` are parsed, validated and stripped; unknown `%words` stay; removed spellings raise migration errors.
 * Rules: spec/xprompts.md §2.1–2.4, §2.9, §8 (SASE `_directive_extract.py`, `_directive_collect.py`,
 * `_directive_values.py`); vectors D1–D19, E1–E11, F1, F13.
 */
import { findClosingParen, parseArgs, XpromptError } from './lexer.js';
import { findAltDirectives } from './alt.js';
import type { LaunchDirectives, WaitTime } from './launch-types.js';
import { protectRegions, restoreRegions, stripEnabledMarkers } from './segments.js';

/*
 * ---- Wait times (formerly `wait-time.ts`).
 *
 * `%wait(time=…)` / `#t:` values: durations (`1h30m`, `90s`) and absolute times (`HHMM`, `yymmdd/HHMM`).
 * Rules: spec/xprompts.md §2.4 (SASE `_directive_time.py`); vectors E1–E12. Absolute times are wall-clock times in
 * the process's local time zone, relative to the injected clock `now`.
 */
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

/*
 * ---- Directive lexing and extraction.
 */
/** Directive regex (target-era colon class plus `!`, which `%n:!name` needs). Groups: 1 name, 2 `(`, 3 colon, 4 `+`. */
const DIRECTIVE_RE = /(?:^|(?<=[\s(\[{"']))%([a-zA-Z_][a-zA-Z0-9_]*)(?:(\()|:(`[^`]*`|[a-zA-Z0-9_#/.,()@!-]*[a-zA-Z0-9_#/,()@!-])|(\+))?/gm;

/** Alias → canonical name. Seed-era aliases plus later spellings that cost nothing (`%id`/`%i`, `%tribe`). */
export const DIRECTIVE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  m: 'model',
  n: 'name',
  id: 'name',
  i: 'name',
  w: 'wait',
  h: 'hide',
  a: 'auto',
  r: 'repeat',
  g: 'group',
  tribe: 'group',
  t: 'time',
});

/** Canonical directives the extractor handles. */
export const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set(['model', 'name', 'wait', 'hide', 'auto', 'repeat', 'group']);

/** Removed spellings and their migration errors (spec §2.9; SASE `_DEPRECATED_DIRECTIVE_MESSAGES`). */
export const REMOVED_DIRECTIVES: Readonly<Record<string, string>> = Object.freeze({
  time: "The '%time' directive has been removed; use #t:<time> or %wait(time=<time>) instead.",
  edit: "The '%edit' directive has been removed; from an editor, put ' @' at the end of any line to reload the prompt for review.",
});

/** One lexed directive. */
export interface DirectiveToken {
  /** Name as written (`m`, `model`, `unknown`). */
  name: string;
  /** Canonical name (aliases resolved). */
  canonical: string;
  start: number;
  end: number;
  form: 'bare' | 'paren' | 'colon' | 'plus';
  /** Colon value as written (backticks included). */
  colon: string | null;
  /** Inner text of the parens. */
  parenInner: string | null;
  raw: string;
}

/**
 * Lexes `%directives` in `text` (which should already have protected regions replaced). Matches inside alternative
 * directive bodies are skipped (they belong to the fan-out planner), as are `%alt`/`%xprompts_enabled` themselves.
 * @throws XpromptError for an unclosed paren on a known directive
 */
export function findDirectives(text: string, opts: { skipAlt?: boolean } = {}): DirectiveToken[] {
  const out: DirectiveToken[] = [];
  if (!text.includes('%')) return out;
  let alts: Array<{ start: number; end: number }> = [];
  if (opts.skipAlt !== false) {
    try {
      alts = findAltDirectives(text);
    } catch {
      alts = [];
    }
  }
  const re = new RegExp(DIRECTIVE_RE.source, 'gm');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    if (alts.some((a) => start >= a.start && start < a.end)) continue;
    const name = m[1]!;
    if (name === 'alt' || name === 'xprompts_enabled') continue;
    const canonical = DIRECTIVE_ALIASES[name] ?? name;
    let end = start + m[0].length;
    let form: DirectiveToken['form'] = 'bare';
    let parenInner: string | null = null;
    if (m[2] !== undefined) {
      form = 'paren';
      const close = findClosingParen(text, end - 1);
      if (close < 0) {
        if (KNOWN_DIRECTIVES.has(canonical)) throw new XpromptError(`Unclosed '(' in directive '%${name}('`);
        continue;
      }
      parenInner = text.slice(end, close);
      end = close + 1;
      re.lastIndex = end;
    } else if (m[3] !== undefined) form = 'colon';
    else if (m[4] !== undefined) form = 'plus';
    out.push({ name, canonical, start, end, form, colon: m[3] ?? null, parenInner, raw: text.slice(start, end) });
  }
  return out;
}

/** The directives with defaults (nothing given). */
export function defaultDirectives(): LaunchDirectives {
  return {
    model: null,
    model_overrides: {},
    name: null,
    name_reuse: false,
    waits: [],
    wait_time: null,
    wait_runners: null,
    hide: false,
    auto: null,
    repeat: null,
    group: null,
  };
}

/** Options of {@link extractDirectives}. */
export interface ExtractOptions {
  /** Clock for absolute `time=` values. */
  now: Date;
  /** The most recently named agent, for bare `%wait` (previous segment's agent, or history). */
  previousName?: string | null;
  /** Expands `#refs` inside directive values (e.g. `%model:#gemini_small_model`); identity when absent. */
  expandValue?: (value: string) => string;
}

/** Result of {@link extractDirectives}. */
export interface ExtractResult {
  /** Cleaned prompt: directives removed, leading blank lines trimmed, regions restored, markers stripped. */
  prompt: string;
  directives: LaunchDirectives;
  /** `%name` was given with a value (not bare). */
  nameExplicit: boolean;
  /** Unknown `%words` left in the prompt (for editor-style warnings). */
  unknown: string[];
}

/** Message for legacy multi-model spellings (spec §2.5; vectors F1, F13). */
export function multiModelError(sources: string[], models: string[]): XpromptError {
  return new XpromptError(
    `${sources.join(' ... ')} is no longer supported; use %{${models.map((m) => `%m:${m}`).join(' | ')}} instead`,
  );
}

function single(tok: DirectiveToken): { value: string | null; literal: boolean; named: Record<string, string>; positional: string[] } {
  if (tok.form === 'paren') {
    const a = parseArgs(tok.parenInner ?? '');
    return { value: a.positional[0] ?? null, literal: false, named: a.named, positional: a.positional };
  }
  if (tok.form === 'colon') {
    const c = tok.colon!;
    if (c.startsWith('`') && c.endsWith('`') && c.length >= 2) return { value: c.slice(1, -1), literal: true, named: {}, positional: [c.slice(1, -1)] };
    return { value: c, literal: false, named: {}, positional: [c] };
  }
  if (tok.form === 'plus') return { value: 'true', literal: false, named: {}, positional: ['true'] };
  return { value: null, literal: false, named: {}, positional: [] };
}

/** Rejects a time-shaped agent name in `%wait:` (spec §8). */
function checkWaitName(v: string): void {
  if (looksLikeTime(v)) {
    throw new XpromptError(`'%wait:${v}' looks like a time, not an agent name`, {
      hint: `Use #t:${v} or %wait(time=${v}) to wait for a time.`,
    });
  }
}

/** Largest `%repeat` count accepted (sase's guard; SASE has no stated limit). */
export const MAX_REPEAT = 256;

/** Validated `%repeat` count (SASE `parse_repeat_count`, vector D18). */
export function parseRepeatCount(value: string | null): number {
  if (value === null || value === '') {
    throw new XpromptError(`'%repeat' directive requires a positive integer argument (e.g., %repeat:3)`);
  }
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new XpromptError(`Invalid repeat count '${value}' — must be a positive integer`);
  }
  if (Number(value) > MAX_REPEAT) throw new XpromptError(`Repeat count '${value}' is too large (limit ${MAX_REPEAT})`);
  return Number(value);
}

/**
 * Parses, validates and strips the known directives of one launch prompt. A prompt without `%` is returned unchanged
 * with default directives (D1, D9). Unknown directives are kept (D7).
 * @throws XpromptError for removed spellings (D17), duplicates (`Duplicate directive '%x' in prompt`), legacy
 *   multi-model forms (F1, F13), bad `%wait`/`%repeat`/`%group` values (D13, D18, E7–E11)
 */
export function extractDirectives(text: string, opts: ExtractOptions): ExtractResult {
  const d = defaultDirectives();
  if (!text.includes('%')) return { prompt: text, directives: d, nameExplicit: false, unknown: [] };
  const slots: string[] = [];
  const p = protectRegions(text, slots);
  const toks = findDirectives(p);
  const used: DirectiveToken[] = [];
  const unknown: string[] = [];
  const seen = new Map<string, DirectiveToken>();
  const models: Array<{ tok: DirectiveToken; value: string | null }> = [];
  const times: TimeValue[] = [];
  let nameExplicit = false;
  const expand = (v: string, literal: boolean): string => (!literal && v.includes('#') && opts.expandValue ? opts.expandValue(v).trim() : v);
  for (const tok of toks) {
    const c = tok.canonical;
    if (REMOVED_DIRECTIVES[c]) throw new XpromptError(REMOVED_DIRECTIVES[c]!);
    if (!KNOWN_DIRECTIVES.has(c)) {
      unknown.push(tok.raw);
      continue;
    }
    used.push(tok);
    const v = single(tok);
    if (c === 'model') {
      if (tok.form === 'paren' && v.positional.length > 1) throw multiModelError([tok.raw], v.positional);
      models.push({ tok, value: v.value });
      d.model = v.value === null ? null : expand(v.value, v.literal);
      d.model_overrides = { ...v.named };
      continue;
    }
    if (c === 'wait') {
      collectWait(tok, d, times, opts);
      continue;
    }
    if (seen.has(c)) throw new XpromptError(`Duplicate directive '%${c}' in prompt`);
    seen.set(c, tok);
    switch (c) {
      case 'name': {
        if (v.named.tribe !== undefined) d.group = v.named.tribe;
        let name = v.value ?? '';
        if (name.startsWith('!')) {
          d.name_reuse = true;
          name = name.slice(1);
          if (name.includes('@')) throw new XpromptError('Cannot combine forced name reuse with an agent name template');
        }
        nameExplicit = name !== '';
        d.name = expand(name, v.literal);
        break;
      }
      case 'hide':
        d.hide = !(v.value !== null && /^(false|0|no|off)$/i.test(v.value));
        break;
      case 'auto':
        d.auto = v.value === null || v.value === '' || v.value === 'true' ? 'plan' : v.value;
        break;
      case 'repeat':
        d.repeat = parseRepeatCount(v.value);
        break;
      case 'group': {
        const g = v.value ?? '';
        if (g === '') throw new XpromptError(`'%group' directive requires a tag name argument (e.g., %group:mytag)`);
        if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(g)) throw new XpromptError(`Invalid group name '${g}' in '${tok.raw}'`);
        d.group = g;
        break;
      }
    }
  }
  if (models.length > 1) {
    throw multiModelError(
      models.map((m) => m.tok.raw),
      models.map((m) => m.value ?? ''),
    );
  }
  d.wait_time = combineTimeValues(times);
  let out = p;
  for (const tok of [...used].sort((a, b) => b.start - a.start)) out = out.slice(0, tok.start) + out.slice(tok.end);
  out = out.replace(/^\s*\n/, '');
  out = stripEnabledMarkers(restoreRegions(out, slots));
  return { prompt: out, directives: d, nameExplicit, unknown };
}

function collectWait(tok: DirectiveToken, d: LaunchDirectives, times: TimeValue[], opts: ExtractOptions): void {
  const bare = (): void => {
    if (!opts.previousName) throw new XpromptError(`Bare '%wait' directive found but no previously named agent exists`);
    d.waits.push(opts.previousName);
  };
  if (tok.form === 'bare' || tok.form === 'plus') return bare();
  if (tok.form === 'colon') {
    const c = tok.colon!;
    if (c.startsWith('`') && c.endsWith('`') && c.length >= 2) {
      d.waits.push(c.slice(1, -1));
      return;
    }
    for (const piece of c.split(',')) {
      if (piece === '') continue;
      checkWaitName(piece);
      d.waits.push(piece);
    }
    return;
  }
  const a = parseArgs(tok.parenInner ?? '');
  for (const p of a.positional) {
    checkWaitName(p);
    d.waits.push(p);
  }
  for (const [k, v] of Object.entries(a.named)) {
    if (k === 'agent') d.waits.push(v);
    else if (k === 'time') times.push(parseTimeValue(v, opts.now));
    else if (k === 'bead') {
      if (v.trim() === '') throw new XpromptError(`'%wait(bead=...)' requires a bead id`);
      (d.wait_beads ??= []).push(v.trim());
    }
    else if (k === 'runners') {
      if (!/^\d+$/.test(v.trim())) throw new XpromptError(`'%wait(runners=...)' requires a non-negative integer argument`);
      d.wait_runners = Number(v.trim());
    } else {
      throw new XpromptError(`Unsupported keyword on %wait: ${k}=. Supported keywords: agent=, time=, runners=, bead=.`);
    }
  }
  if (a.positional.length === 0 && Object.keys(a.named).length === 0) bare();
}
