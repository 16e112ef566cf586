/**
 * Workspace claims: `$SASE_HOME/projects/<project>/claims.json`, one file per project, read-modify-written only
 * under its lock (ARCHITECTURE.md "On-disk layout"; rules from spec/runtime.md §b.5 and §e, vectors in
 * spec/runtime-vectors.md §4).
 *
 * - Numbers: #0 primary / deferred placeholder (may be claimed repeatedly), #1–#9 reserved, pool #10–#999.
 * - Allocation takes the lowest number in the range not held by a live claim.
 * - A claim whose pid is dead is reclaimed (dropped) by the next writer; pid 0 marks a claim being set up and is
 *   considered live for {@link PENDING_CLAIM_TTL_MS}.
 */
import { join } from 'node:path';
import { ConflictError } from '../errors/index.js';
import { readJson } from '../store/json.js';
import { withLock } from '../store/lock.js';
import { isPidAlive } from '../store/pid.js';
import { writeJsonAtomic } from '../store/atomic.js';
import type { Env } from '../store/paths.js';
import { projectsDir } from '../projects/spec.js';

/** First number of the claim pool. */
export const POOL_MIN = 10;
/** Last number of the claim pool. */
export const POOL_MAX = 999;
/** How long a pid-0 (not yet bound) claim counts as live, in ms. */
export const PENDING_CLAIM_TTL_MS = 10 * 60_000;

/** One claim. */
export interface WorkspaceClaim {
  num: number;
  /** Process that owns the claim (the runner); 0 while being set up. */
  pid: number;
  /** Workflow label (`run`, `ace(run)-…`, `open`). */
  workflow: string;
  agent_name: string;
  agent_id: string;
  /** ChangeSpec name, when the run belongs to one. */
  cl_name: string | null;
  /** ISO-8601 UTC. */
  claimed_at: string;
  pinned: boolean;
}

interface ClaimsFile {
  schema_version: number;
  project: string;
  claims: WorkspaceClaim[];
}

/** `$SASE_HOME/projects/<project>/claims.json`. */
export function claimsFile(env: Env, project: string): string {
  return join(projectsDir(env), project, 'claims.json');
}

/** True when process `pid` exists (EPERM counts as alive); see lib/store/pid.ts. */
export { isPidAlive };

/** True when `claim` still holds its number at `now`. */
export function isClaimLive(claim: WorkspaceClaim, now: Date): boolean {
  if (claim.pid === 0) return now.getTime() - Date.parse(claim.claimed_at) < PENDING_CLAIM_TTL_MS;
  return isPidAlive(claim.pid);
}

async function readFile(env: Env, project: string): Promise<ClaimsFile> {
  const f = await readJson<ClaimsFile | null>(claimsFile(env, project), null);
  return { schema_version: 1, project, claims: Array.isArray(f?.claims) ? f!.claims.filter((c) => Number.isInteger(c?.num)) : [] };
}

/** Every recorded claim of a project (live or not), sorted by number. */
export async function readClaims(env: Env, project: string): Promise<WorkspaceClaim[]> {
  return (await readFile(env, project)).claims.sort((a, b) => a.num - b.num);
}

/** Claims of a project whose owner is alive. */
export async function liveClaims(env: Env, project: string, now: Date): Promise<WorkspaceClaim[]> {
  return (await readClaims(env, project)).filter((c) => isClaimLive(c, now));
}

/** Runs `fn` on the claims list under the project's claims lock and writes the result atomically. */
async function mutateClaims<T>(env: Env, project: string, fn: (claims: WorkspaceClaim[]) => T): Promise<T> {
  const file = claimsFile(env, project);
  return withLock(
    file,
    async () => {
      const cur = await readFile(env, project);
      const out = fn(cur.claims);
      await writeJsonAtomic(file, { schema_version: 1, project, claims: cur.claims.sort((a, b) => a.num - b.num) });
      return out;
    },
    { wait: true, timeoutMs: 120_000 },
  );
}

/** What a new claim records (the number is chosen by {@link claimWorkspace}). */
export type ClaimInput = Omit<WorkspaceClaim, 'num' | 'claimed_at'>;

/** Result of {@link claimWorkspace}. */
export interface ClaimResult {
  claim: WorkspaceClaim;
  /** Claims of dead processes dropped while claiming. */
  reclaimed: WorkspaceClaim[];
}

/**
 * Claims a workspace number for `input.pid`: `num` when given (#0 always succeeds), else the lowest free number in
 * [`min`, `max`] (default [10, 999]). Claims of dead pids are dropped first (reclaim).
 * @throws ConflictError when `num` is held by a live claim, or the pool is full
 */
export async function claimWorkspace(
  env: Env,
  project: string,
  input: ClaimInput,
  now: Date,
  opts: { num?: number; min?: number; max?: number } = {},
): Promise<ClaimResult> {
  return mutateClaims(env, project, (claims) => {
    const reclaimed: WorkspaceClaim[] = [];
    for (let i = claims.length - 1; i >= 0; i--) {
      if (!isClaimLive(claims[i]!, now)) reclaimed.push(...claims.splice(i, 1));
    }
    const taken = new Set(claims.filter((c) => c.num !== 0).map((c) => c.num));
    let num: number | undefined = opts.num;
    if (num !== undefined) {
      if (num !== 0 && taken.has(num)) {
        const holder = claims.find((c) => c.num === num)!;
        throw new ConflictError(`workspace #${num} of ${project} is claimed by pid ${holder.pid} (${holder.agent_name || holder.workflow})`, {
          data: { project, num, pid: holder.pid },
        });
      }
    } else {
      const min = opts.min ?? POOL_MIN;
      const max = opts.max ?? POOL_MAX;
      for (let n = min; n <= max; n++) if (!taken.has(n)) {
        num = n;
        break;
      }
      if (num === undefined) {
        throw new ConflictError(`no free workspace in #${min}–#${max} for ${project}`, { hint: 'wait for runs to finish or run `sase workspace cleanup --stale`', data: { project, min, max } });
      }
    }
    const claim: WorkspaceClaim = {
      num,
      pid: input.pid,
      workflow: input.workflow,
      agent_name: input.agent_name,
      agent_id: input.agent_id,
      cl_name: input.cl_name,
      claimed_at: now.toISOString(),
      pinned: input.pinned,
    };
    claims.push(claim);
    return { claim, reclaimed };
  });
}

/** Removes the claim on `num` owned by `pid` (idempotent). @returns true when a claim was removed */
export async function releaseWorkspace(env: Env, project: string, num: number, pid: number): Promise<boolean> {
  return mutateClaims(env, project, (claims) => {
    const i = claims.findIndex((c) => c.num === num && c.pid === pid);
    if (i < 0) return false;
    claims.splice(i, 1);
    return true;
  });
}

/**
 * Rebinds the claim on `num` from `fromPid` to `toPid` (launcher → runner, or a retry reusing the workspace).
 * @throws ConflictError when no such claim exists
 */
export async function transferClaim(env: Env, project: string, num: number, fromPid: number, toPid: number, workflow?: string): Promise<WorkspaceClaim> {
  return mutateClaims(env, project, (claims) => {
    const c = claims.find((x) => x.num === num && x.pid === fromPid);
    if (!c) throw new ConflictError(`no claim on workspace #${num} of ${project} owned by pid ${fromPid}`, { data: { project, num, pid: fromPid } });
    c.pid = toPid;
    if (workflow) c.workflow = workflow;
    return { ...c };
  });
}

/** Drops every claim whose owner is dead. @returns the dropped claims */
export async function reclaimDeadClaims(env: Env, project: string, now: Date): Promise<WorkspaceClaim[]> {
  return mutateClaims(env, project, (claims) => {
    const dropped: WorkspaceClaim[] = [];
    for (let i = claims.length - 1; i >= 0; i--) if (!isClaimLive(claims[i]!, now)) dropped.push(...claims.splice(i, 1));
    return dropped;
  });
}
