/**
 * fakey scenarios: the grammar, validation, layering and attempt selection. Rules: spec/runtime.md §c.3 (SASE
 * `docs/fakey.md`, `src/sase/fakey/scenario.py`), plus the TS-only file steps (`write`, `append`, `edit`, `delete`)
 * the spec recommends so finalizer and diff tests need no model.
 *
 * Layering (later wins): built-in success → env knobs (`FAKEY_REPLY`, `FAKEY_DELAY`, `FAKEY_FAIL_MESSAGE`,
 * `FAKEY_EXIT_CODE`, `FAKEY_FAIL_TIMES`) → the selected scenario (`--scenario`, a scenario-looking `--model`, else
 * `FAKEY_SCENARIO`; a file path or bundled `@name`) → one fenced ```` ```fakey ```` YAML block in the prompt.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUNDLED_SCENARIOS } from './scenarios.js';

/** A failure outcome. `channel` is where the `FAKEY-RETRYABLE:` / `FAKEY-FAIL:` marker line goes. */
export interface ScenarioFail {
  message?: string;
  retryable?: boolean;
  exit_code?: number;
  channel?: 'stdout' | 'stderr';
}

/** One step, run in order before the outcome. Exactly one key per step. Paths of file steps are relative to cwd. */
export type ScenarioStep =
  | { signal: string }
  | { sleep: number }
  | { wait_for: string | { path: string; timeout?: number } }
  | { write: { path: string; content: string } }
  | { append: { path: string; content: string } }
  | { edit: { path: string; find: string; replace: string } }
  | { delete: string }
  /** Runs a shell command (`/bin/sh -c`) in cwd with fakey's environment; a non-zero exit fails the invocation. */
  | { run: string };

/** Token counts fakey reports (tokens). */
export interface ScenarioUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
}

/** Behaviour shared by the scenario root and each attempt. */
export interface ScenarioBehaviour {
  /** Seconds to wait before the outcome. */
  delay?: number;
  steps?: ScenarioStep[];
  /** Chunked streaming: one chunk per reply line, `chunk_delay` seconds apart. */
  stream?: { chunk_delay?: number };
  usage?: ScenarioUsage;
}

/** One attempt: a failure or a success (optionally with its own reply). */
export interface ScenarioAttempt extends ScenarioBehaviour {
  fail?: ScenarioFail;
  succeed?: { reply?: string } | true | null;
}

/** A whole scenario document (`version: 1`). */
export interface Scenario extends ScenarioBehaviour {
  version?: 1;
  reply?: string;
  /** Default timeout of `wait_for` steps, seconds. */
  barrier_timeout?: number;
  /** Attempt list; the cursor persists across processes and the last attempt repeats once exhausted. */
  attempts?: ScenarioAttempt[];
  /** Free text shown by `--list-scenarios`. */
  description?: string;
}

/** The behaviour of one selected attempt (scenario root overlaid with the attempt). */
export interface ResolvedAttempt extends ScenarioBehaviour {
  reply: string;
  barrier_timeout: number;
  fail?: ScenarioFail;
}

/** A validated, layered scenario and where it came from. */
export interface ResolvedScenario {
  data: Scenario;
  /** `built-in default`, `@name`, an absolute file path, or `prompt:<hash>`. */
  source: string;
}

/** Raised for an invalid or unknown scenario (fakey exits 2). */
export class ScenarioError extends Error {}

/** SASE's default reply, followed by an echo of the prompt's first line (so a bare `fakey` run is recognisable). */
export const DEFAULT_REPLY = 'Fakey completed successfully.\nYou said: {{prompt}}';
const DEFAULT_BARRIER_TIMEOUT = 30;

const ROOT_KEYS = new Set(['attempts', 'barrier_timeout', 'delay', 'reply', 'steps', 'stream', 'usage', 'version', 'description']);
const ATTEMPT_KEYS = new Set(['delay', 'fail', 'steps', 'stream', 'succeed', 'usage']);
const FAIL_KEYS = new Set(['channel', 'exit_code', 'message', 'retryable']);
const USAGE_KEYS = new Set(['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens']);
const PROMPT_BLOCK_RE = /```fakey[ \t]*\r?\n([\s\S]*?)\r?\n```/gi;

/** Short stable hash (16 hex chars of sha256). */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? deepMerge(b, v) : structuredClone(v);
  }
  return out;
}

function rejectUnknown(data: Record<string, unknown>, allowed: Set<string>, where: string): void {
  const unknown = Object.keys(data).filter((k) => !allowed.has(k)).sort();
  if (unknown.length) throw new ScenarioError(`unknown ${where} field(s): ${unknown.join(', ')}`);
}

function num(v: unknown, where: string, min = 0): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScenarioError(`${where} must be a number`);
  if (v < min) throw new ScenarioError(`${where} must be at least ${min}`);
}

function int(v: unknown, where: string, min = 0): void {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ScenarioError(`${where} must be an integer`);
  if (v < min) throw new ScenarioError(`${where} must be at least ${min}`);
}

function str(v: unknown, where: string, allowEmpty = false): void {
  if (typeof v !== 'string' || (!allowEmpty && v === '')) throw new ScenarioError(`${where} must be a non-empty string`);
}

function validateSteps(v: unknown, where: string): void {
  if (!Array.isArray(v)) throw new ScenarioError(`${where} must be a list`);
  v.forEach((raw, i) => {
    const at = `${where}[${i + 1}]`;
    if (!isMap(raw) || Object.keys(raw).length !== 1) {
      throw new ScenarioError(`${at} must contain exactly one of signal, sleep, wait_for, write, append, edit, delete, run`);
    }
    const [action, value] = Object.entries(raw)[0]!;
    switch (action) {
      case 'sleep':
        return num(value, `${at}.sleep`);
      case 'signal':
      case 'delete':
      case 'run':
        return str(value, `${at}.${action}`);
      case 'wait_for':
        if (typeof value === 'string') return str(value, `${at}.wait_for`);
        if (!isMap(value)) throw new ScenarioError(`${at}.wait_for must be a path or mapping`);
        rejectUnknown(value, new Set(['path', 'timeout']), `${at}.wait_for`);
        str(value.path, `${at}.wait_for.path`);
        if ('timeout' in value) num(value.timeout, `${at}.wait_for.timeout`, 0.001);
        return;
      case 'write':
      case 'append':
        if (!isMap(value)) throw new ScenarioError(`${at}.${action} must be a mapping {path, content}`);
        rejectUnknown(value, new Set(['path', 'content']), `${at}.${action}`);
        str(value.path, `${at}.${action}.path`);
        return str(value.content, `${at}.${action}.content`, true);
      case 'edit':
        if (!isMap(value)) throw new ScenarioError(`${at}.edit must be a mapping {path, find, replace}`);
        rejectUnknown(value, new Set(['path', 'find', 'replace']), `${at}.edit`);
        str(value.path, `${at}.edit.path`);
        str(value.find, `${at}.edit.find`);
        return str(value.replace, `${at}.edit.replace`, true);
      default:
        throw new ScenarioError(`unknown step '${action}' at ${at}; expected signal, sleep, wait_for, write, append, edit, delete or run`);
    }
  });
}

function validateBehaviour(d: Record<string, unknown>, where: string): void {
  if ('delay' in d) num(d.delay, `${where}.delay`);
  if ('steps' in d) validateSteps(d.steps, `${where}.steps`);
  if ('stream' in d) {
    if (!isMap(d.stream)) throw new ScenarioError(`${where}.stream must be a mapping`);
    rejectUnknown(d.stream, new Set(['chunk_delay']), `${where}.stream`);
    if ('chunk_delay' in d.stream) num(d.stream.chunk_delay, `${where}.stream.chunk_delay`);
  }
  if ('usage' in d) {
    if (!isMap(d.usage)) throw new ScenarioError(`${where}.usage must be a mapping`);
    rejectUnknown(d.usage, USAGE_KEYS, `${where}.usage`);
    for (const k of USAGE_KEYS) if (k in d.usage) int(d.usage[k], `${where}.usage.${k}`);
  }
}

function validateAttempt(v: unknown, where: string): void {
  if (!isMap(v)) throw new ScenarioError(`${where} must be a mapping`);
  rejectUnknown(v, ATTEMPT_KEYS, where);
  if ('fail' in v && 'succeed' in v) throw new ScenarioError(`${where} cannot contain both fail and succeed`);
  if ('fail' in v) {
    const f = v.fail;
    if (!isMap(f)) throw new ScenarioError(`${where}.fail must be a mapping`);
    rejectUnknown(f, FAIL_KEYS, `${where}.fail`);
    if ('message' in f) str(f.message, `${where}.fail.message`, true);
    if ('retryable' in f && typeof f.retryable !== 'boolean') throw new ScenarioError(`${where}.fail.retryable must be true or false`);
    if ('exit_code' in f) int(f.exit_code, `${where}.fail.exit_code`, 1);
    if ((f.channel ?? 'stderr') !== 'stdout' && (f.channel ?? 'stderr') !== 'stderr') {
      throw new ScenarioError(`${where}.fail.channel must be stdout or stderr`);
    }
  }
  if ('succeed' in v && v.succeed !== null && v.succeed !== true) {
    if (!isMap(v.succeed)) throw new ScenarioError(`${where}.succeed must be a mapping, true or null`);
    rejectUnknown(v.succeed, new Set(['reply']), `${where}.succeed`);
    if ('reply' in v.succeed) str(v.succeed.reply, `${where}.succeed.reply`, true);
  }
  validateBehaviour(v, where);
}

/**
 * Validates a scenario document.
 * @throws ScenarioError naming the offending field (e.g. `@x.attempts[2].fail.exit_code must be at least 1`)
 */
export function validateScenario(data: unknown, source = 'scenario'): asserts data is Scenario {
  if (!isMap(data)) throw new ScenarioError(`${source} must contain a mapping at the top level`);
  rejectUnknown(data, ROOT_KEYS, source);
  if ((data.version ?? 1) !== 1) throw new ScenarioError(`${source}.version must be 1`);
  if ('reply' in data) str(data.reply, `${source}.reply`, true);
  if ('barrier_timeout' in data) num(data.barrier_timeout, `${source}.barrier_timeout`, 0.001);
  validateBehaviour(data, source);
  if ('attempts' in data) {
    if (!Array.isArray(data.attempts) || data.attempts.length === 0) throw new ScenarioError(`${source}.attempts must be a non-empty list`);
    data.attempts.forEach((a, i) => validateAttempt(a, `${source}.attempts[${i + 1}]`));
  }
}

async function parseDoc(text: string, source: string): Promise<Record<string, unknown>> {
  let loaded: unknown;
  try {
    const YAML = (await import('yaml')).default;
    loaded = YAML.parse(text);
  } catch (e) {
    throw new ScenarioError(`invalid YAML in ${source}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (loaded === null || loaded === undefined) return {};
  if (!isMap(loaded)) throw new ScenarioError(`${source} must contain a YAML mapping at the top level`);
  return loaded;
}

/** True when a `--model` value names a scenario (`@name`, or a path ending in .yml/.yaml/.json or holding `/`). */
export function isScenarioSelector(model: string): boolean {
  return model.startsWith('@') || /\.(ya?ml|json)$/i.test(model) || model.includes('/');
}

async function loadSelector(selector: string, cwd: string): Promise<{ data: Record<string, unknown>; source: string }> {
  if (selector.startsWith('@')) {
    const hit = BUNDLED_SCENARIOS[selector.slice(1)];
    if (!hit) {
      const names = Object.keys(BUNDLED_SCENARIOS).map((n) => `@${n}`).join(', ');
      throw new ScenarioError(`unknown bundled scenario '${selector}'; available scenarios: ${names}`);
    }
    return { data: structuredClone(hit.data) as Record<string, unknown>, source: selector };
  }
  const path = resolve(cwd, selector);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(`cannot read scenario file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { data: await parseDoc(text, path), source: path };
}

function envLayer(env: Record<string, string | undefined>): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  if (env.FAKEY_REPLY !== undefined) layer.reply = env.FAKEY_REPLY;
  if (env.FAKEY_DELAY !== undefined) {
    const d = Number(env.FAKEY_DELAY);
    if (!Number.isFinite(d) || d < 0) throw new ScenarioError('FAKEY_DELAY must be a non-negative number');
    layer.delay = d;
  }
  const { FAKEY_FAIL_MESSAGE: msg, FAKEY_EXIT_CODE: code, FAKEY_FAIL_TIMES: times } = env;
  if (msg !== undefined || code !== undefined || times !== undefined) {
    const exit = code !== undefined ? Number(code) : 1;
    if (!Number.isInteger(exit) || exit < 1) throw new ScenarioError('FAKEY_EXIT_CODE must be a positive integer');
    const failure = { fail: { channel: 'stderr', exit_code: exit, message: msg || 'simulated failure', retryable: true } };
    if (times === undefined) layer.attempts = [failure];
    else {
      const n = Number(times);
      if (!Number.isInteger(n) || n < 0) throw new ScenarioError('FAKEY_FAIL_TIMES must be a non-negative integer');
      layer.attempts = [...Array.from({ length: n }, () => structuredClone(failure)), { succeed: true }];
    }
  }
  return layer;
}

/**
 * Resolves the layered scenario of one fakey invocation.
 * @param selector `--scenario` value (or a scenario-looking `--model`), else null to use `FAKEY_SCENARIO`
 * @throws ScenarioError for an unknown bundled name, unreadable file, bad YAML, two prompt blocks or invalid fields
 */
export async function resolveScenario(
  prompt: string,
  selector: string | null,
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<ResolvedScenario> {
  let data: Record<string, unknown> = { version: 1, reply: DEFAULT_REPLY, delay: 0, barrier_timeout: DEFAULT_BARRIER_TIMEOUT };
  data = deepMerge(data, envLayer(env));
  let source = 'built-in default';
  const selected = selector || env.FAKEY_SCENARIO;
  if (selected) {
    const loaded = await loadSelector(selected, cwd);
    data = deepMerge(data, loaded.data);
    source = loaded.source;
  }
  const blocks = [...prompt.matchAll(PROMPT_BLOCK_RE)];
  if (blocks.length > 1) throw new ScenarioError('prompt contains more than one ```fakey scenario block');
  if (blocks.length === 1) {
    const body = blocks[0]![1]!;
    data = deepMerge(data, await parseDoc(body, 'prompt fakey block'));
    source = `prompt:${shortHash(body)}`;
  }
  validateScenario(data, source);
  return { data, source };
}

/** Overlays attempt `index` (0-based; the last attempt repeats) on the scenario's common behaviour. */
export function selectAttempt(data: Scenario, index: number): ResolvedAttempt {
  const { attempts, ...common } = structuredClone(data);
  let result = common as Record<string, unknown>;
  if (attempts && attempts.length) {
    const picked = attempts[Math.min(index, attempts.length - 1)]!;
    result = deepMerge(result, picked as Record<string, unknown>);
    const succeed = result.succeed;
    delete result.succeed;
    if (isMap(succeed) && typeof succeed.reply === 'string') result.reply = succeed.reply;
  }
  return {
    ...(result as ScenarioBehaviour),
    reply: typeof result.reply === 'string' ? result.reply : '',
    barrier_timeout: typeof result.barrier_timeout === 'number' ? result.barrier_timeout : DEFAULT_BARRIER_TIMEOUT,
    fail: result.fail as ScenarioFail | undefined,
  };
}
