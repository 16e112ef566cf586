/**
 * Files sase keeps inside a checkout's `.sase/` directory (excluded from git status via `.git/info/exclude`):
 * - `checkout.json` — which project/number this checkout is (spec/runtime.md §e), used for CWD inference;
 * - `occupant.json` — the live run using it (spec/runtime-vectors.md §2, CORE OccupantRecordWire); destructive
 *   preparation refuses when a live occupant other than the caller holds it.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { readJson } from '../store/json.js';
import { writeJsonAtomic } from '../store/atomic.js';
import { findUp, type Env } from '../store/paths.js';
import { listProjects } from '../projects/spec.js';
import { isPidAlive } from './claims.js';

/** `.sase/checkout.json`. */
export interface CheckoutMarker {
  schema_version: number;
  project: string;
  project_key: string;
  workspace_num: number;
  primary_workspace_dir: string;
  registry_path: string | null;
}

/** `.sase/occupant.json` (field names from SASE; `claimed_at` is epoch seconds). */
export interface OccupantRecord {
  pid: number;
  artifacts_timestamp: string;
  agent_name: string;
  workflow: string;
  project: string;
  workspace_num: number;
  cl_name: string;
  claimed_at: number;
}

/** Path of a checkout's marker directory. */
export function markerDir(checkout: string): string {
  return join(checkout, '.sase');
}

/** Writes `.sase/checkout.json` atomically. */
export async function writeCheckoutMarker(checkout: string, marker: Omit<CheckoutMarker, 'schema_version'>): Promise<void> {
  await writeJsonAtomic(join(markerDir(checkout), 'checkout.json'), { schema_version: 1, ...marker });
}

/** Reads `.sase/checkout.json`, or null when missing or unreadable. */
export async function readCheckoutMarker(checkout: string): Promise<CheckoutMarker | null> {
  try {
    return await readJson<CheckoutMarker | null>(join(markerDir(checkout), 'checkout.json'), null);
  } catch {
    return null;
  }
}

/** Reads `.sase/occupant.json`, or null. */
export async function readOccupant(checkout: string): Promise<OccupantRecord | null> {
  try {
    return JSON.parse(await readFile(join(markerDir(checkout), 'occupant.json'), 'utf8')) as OccupantRecord;
  } catch {
    return null;
  }
}

/** The occupant of a checkout when its process is alive and is not `selfPid`; else null. */
export async function liveForeignOccupant(checkout: string, selfPid: number): Promise<OccupantRecord | null> {
  const o = await readOccupant(checkout);
  if (!o || o.pid === selfPid || !isPidAlive(o.pid)) return null;
  return o;
}

/** Writes `.sase/occupant.json` atomically. */
export async function writeOccupant(checkout: string, occupant: OccupantRecord): Promise<void> {
  await writeJsonAtomic(join(markerDir(checkout), 'occupant.json'), occupant);
}

/** Removes `.sase/occupant.json` when it names `pid` (idempotent). */
export async function clearOccupant(checkout: string, pid: number): Promise<void> {
  const o = await readOccupant(checkout);
  if (o && o.pid === pid) await rm(join(markerDir(checkout), 'occupant.json'), { force: true });
}

/** Where a directory belongs. */
export interface InferredProject {
  project: string;
  /** Workspace number when known (0 for the primary checkout). */
  num: number | null;
  /** How it was found: `marker`, `primary` or `adjacent`. */
  via: 'marker' | 'primary' | 'adjacent';
  checkout: string;
}

function within(dir: string, parent: string): boolean {
  const p = resolve(parent);
  return dir === p || dir.startsWith(p.endsWith(sep) ? p : p + sep);
}

/**
 * Infers the project of `cwd` (seed 002 "Each managed checkout writes a .sase/checkout.json marker"): the nearest
 * `.sase/checkout.json` first, then a registered primary checkout containing `cwd`, then an adjacent
 * `<primary>_<num>` sibling pattern. Null when nothing matches.
 */
export async function inferProjectFromCwd(cwd: string, env: Env): Promise<InferredProject | null> {
  const dir = resolve(cwd);
  const markerRoot = findUp(dir, [join('.sase', 'checkout.json')]);
  if (markerRoot) {
    const m = await readCheckoutMarker(markerRoot);
    if (m?.project) return { project: m.project, num: m.workspace_num ?? null, via: 'marker', checkout: markerRoot };
  }
  const projects = await listProjects(env);
  let best: InferredProject | null = null;
  for (const p of projects) {
    if (!p.workspace_dir) continue;
    const primary = resolve(p.workspace_dir);
    if (within(dir, primary) && (!best || primary.length > best.checkout.length)) {
      best = { project: p.name, num: 0, via: 'primary', checkout: primary };
    }
  }
  if (best) return best;
  for (const p of projects) {
    if (!p.workspace_dir) continue;
    const prefix = resolve(p.workspace_dir) + '_';
    if (!dir.startsWith(prefix)) continue;
    const m = /^(\d+)(?:\/|$)/.exec(dir.slice(prefix.length));
    if (m) return { project: p.name, num: Number(m[1]), via: 'adjacent', checkout: prefix + m[1] };
  }
  return null;
}
