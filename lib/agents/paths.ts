/**
 * Where agent records live and how their ids and timestamps are formed (docs/formats.md "Agent records").
 * Layout: `$SASE_HOME/agents/<YYYYMM>/<agent-id>/`, `agents/index.jsonl`, `agents/names/<name>.json`.
 */
import { join, sep } from 'node:path';
import { saseHome, type Env } from '../store/paths.js';

/** `$SASE_HOME/agents`. */
export function agentsRoot(env: Env): string {
  return join(saseHome(env), 'agents');
}

/** The index projection `agents/index.jsonl`. */
export function indexPath(env: Env): string {
  return join(agentsRoot(env), 'index.jsonl');
}

/**
 * `agents/active/`: one `<id>.json` (the latest index entry) per run that is not terminal, so `sase agent list`
 * reads O(active runs) small files instead of scanning the whole index.
 */
export function activeDir(env: Env): string {
  return join(agentsRoot(env), 'active');
}

/** Directory of name claims `agents/names/`. */
export function namesDir(env: Env): string {
  return join(agentsRoot(env), 'names');
}

/** Length of every agent id (`YYYYmmddHHMMSS-xxxxxx`). The index reader relies on it. */
export const AGENT_ID_LENGTH = 21;

const ID_RE = /^(\d{6})\d{8}-[0-9a-f]{6}$/;

/** True when `s` looks like an agent id. */
export function isAgentId(s: string): boolean {
  return ID_RE.test(s);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** 14-digit UTC timestamp `YYYYmmddHHMMSS` (SASE's artifact-dir timestamp form). */
export function stamp14(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** SASE launch timestamp `YYmmdd_HHMMSS` (spec/runtime.md §a.4), UTC. */
export function launchTimestamp(d: Date): string {
  const s = stamp14(d);
  return `${s.slice(2, 8)}_${s.slice(8)}`;
}

/**
 * 3 random bytes (CSPRNG) as hex, through the Web Crypto global: Node sets it up on first use, so list/read commands
 * that import this module never load node:crypto (start-up time).
 */
function randomHex6(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(3))).toString('hex');
}

/** A fresh agent id for a launch at `d`: 14-digit timestamp, `-`, 6 random hex digits. */
export function newAgentId(d: Date, random: () => string = randomHex6): string {
  return `${stamp14(d)}-${random()}`;
}

/** Record directory of an id: `agents/<YYYYMM>/<id>`. @throws Error when `id` is not an agent id */
export function recordDirOf(env: Env, id: string): string {
  return recordDirUnder(agentsRoot(env), id);
}

/**
 * {@link recordDirOf} under an `agents` root already resolved with {@link agentsRoot} (the same string, without
 * normalising the path again: listing builds thousands of these).
 * @throws Error when `id` is not an agent id
 */
export function recordDirUnder(root: string, id: string): string {
  if (!ID_RE.test(id)) throw new Error(`not an agent id: ${id}`);
  return root + sep + id.slice(0, 6) + sep + id;
}
