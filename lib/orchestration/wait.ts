/**
 * Wait resolution for parked (`WAITING`) runs. Rules: spec/runtime.md §b "Deferral and chains" and
 * spec/xprompts.md §2.4:
 * - only a successful completion (`done.json.outcome` in completed/noop/epic_approved/plan_committed) of the
 *   **newest** run holding each named agent (following `sase agent retry` lineage to the newest attempt) releases a
 *   waiter; for a workflow run, its root and every child
 *   (`children.jsonl`) must have succeeded;
 * - failed, killed, rejected, running, malformed or missing markers keep the waiter parked (fail closed), with the
 *   reason recorded;
 * - agent dependencies are satisfied first, then the time floor applies: `wait_until` is absolute, `wait_duration`
 *   (seconds) counts from the later of the launch and the last dependency's finish;
 * - a `%repeat` slot whose predecessor stopped the chain (`STOP` variable, or itself stopped) ends STOPPED;
 * - a name template (`build-@`) means the newest run whose name matches it; `%wait(runners=N)` additionally waits
 *   until at most N other runs are active.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../store/paths.js';
import { findAgentDir, readAgentView, readJsonOrNull, RECORD_FILES } from '../agents/records.js';
import { outcomeSatisfiesWait } from '../agents/status.js';
import type { AgentView, DoneMarker } from '../agents/types.js';
import { readVars } from './vars.js';

/** File listing a workflow root's child runs, one `{id, name, step}` JSON object per line. */
export const CHILDREN_FILE = 'children.jsonl';

/** State of one dependency of a waiter. */
export interface DependencyState {
  name: string;
  /** Record id of the newest run holding the name; null when none exists yet. */
  id: string | null;
  /** `done` (satisfied), `pending` (not finished yet), `blocked` (finished without success — parks the waiter). */
  state: 'done' | 'pending' | 'blocked';
  /** Why it is pending/blocked (e.g. `coder FAILED: provider exited with code 3`). */
  reason: string | null;
  /** When it finished successfully (epoch ms), for the time floor. */
  finished_ms: number | null;
  /** The run (or repeat slot) stopped its chain: `STOP` was set, or it ended STOPPED itself. */
  stop: { by: string } | null;
}

/** Verdict of {@link evaluateWait} for one waiting run. */
export interface WaitVerdict {
  /** `ready` = release now; `stop` = end STOPPED (repeat chain); `timer` = deps done, time floor pending; `pending`; `blocked`. */
  action: 'ready' | 'stop' | 'timer' | 'pending' | 'blocked';
  deps: DependencyState[];
  /** Time floor as epoch ms; null when none. */
  floor_ms: number | null;
  /** One-line human reason (null when ready). */
  reason: string | null;
  /** Name of the run that set STOP (action `stop`). */
  stopped_by: string | null;
}

function readChildren(dir: string): string[] {
  try {
    return readFileSync(join(dir, CHILDREN_FILE), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { id: string }).id);
  } catch {
    return [];
  }
}

function runState(v: AgentView): { state: DependencyState['state']; reason: string | null; finished_ms: number | null } {
  const doneExists = existsSync(join(v.record_dir, RECORD_FILES.done));
  if (!doneExists) {
    // A dependency that is itself parked for good parks its waiters too (the chain below a failure).
    const w = v.waiting;
    if (v.status === 'WAITING' && w?.wait_state === 'blocked') return { state: 'blocked', reason: `${v.name} is ${w.blocked_reason ?? 'parked'}`, finished_ms: null };
    return { state: 'pending', reason: `${v.name} is ${v.status}`, finished_ms: null };
  }
  const d: DoneMarker | null = v.done;
  if (!d) return { state: 'blocked', reason: `${v.name} has an unreadable done.json`, finished_ms: null };
  if (outcomeSatisfiesWait(d.outcome)) return { state: 'done', reason: null, finished_ms: Math.round(d.finished_at * 1000) };
  return { state: 'blocked', reason: `${v.name} ${d.status_label || d.outcome}${d.error ? `: ${d.error.split('\n')[0]}` : ''}`, finished_ms: null };
}

/**
 * The state of one named dependency: the newest run holding `name`, and for a workflow root, all its children.
 * Never throws (a missing or unreadable record is `pending`).
 */
export async function dependencyState(env: Env, name: string): Promise<DependencyState> {
  let dir: string;
  try {
    if (name.includes('@')) {
      const resolved = await resolveTemplateName(env, name);
      if (!resolved) throw new Error('no match');
      name = resolved;
    }
    dir = await findAgentDir(env, name);
  } catch {
    return { name, id: null, state: 'pending', reason: `no run named ${name} yet`, finished_ms: null, stop: null };
  }
  let v: AgentView;
  try {
    dir = await followRetries(env, dir);
    v = readAgentView(dir);
  } catch {
    return { name, id: null, state: 'pending', reason: `record of ${name} is unreadable`, finished_ms: null, stop: null };
  }
  let st = runState(v);
  for (const childId of st.state === 'done' ? readChildren(dir) : []) {
    try {
      const { recordDirOf } = await import('../agents/paths.js');
      const c = runState(readAgentView(recordDirOf(env, childId)));
      if (c.state !== 'done') {
        st = { state: c.state, reason: `workflow ${name}: ${c.reason}`, finished_ms: null };
        break;
      }
      st.finished_ms = Math.max(st.finished_ms ?? 0, c.finished_ms ?? 0);
    } catch {
      st = { state: 'pending', reason: `workflow ${name}: child ${childId} is unreadable`, finished_ms: null };
      break;
    }
  }
  let stop: DependencyState['stop'] = null;
  if (v.done?.repeat_stopped) stop = { by: v.done.stopped_by ?? v.name };
  else if (st.state === 'done' && v.record.repeat_slot && readVars(dir).STOP !== undefined) stop = { by: v.name };
  return { name, id: v.id, state: st.state, reason: st.reason, finished_ms: st.finished_ms, stop };
}

/**
 * Follows `sase agent retry` lineage (`agent_meta.json` `retried_as_timestamp`) to the newest attempt: a retried
 * dependency is judged by its retry (spec/runtime.md §b "Retry"). Bounded to 100 hops.
 */
async function followRetries(env: Env, dir: string): Promise<string> {
  const { recordDirOf, isAgentId } = await import('../agents/paths.js');
  for (let i = 0; i < 100; i++) {
    const next = readJsonOrNull<{ retried_as_timestamp?: string | null }>(join(dir, RECORD_FILES.meta))?.retried_as_timestamp;
    if (!next || !isAgentId(next)) break;
    const nd = recordDirOf(env, next);
    if (!existsSync(join(nd, RECORD_FILES.agent))) break;
    dir = nd;
  }
  return dir;
}

/**
 * Resolves a `%wait` name template (`build-@`, `x{@id}`) to the newest claimed name matching it
 * (spec/xprompts.md §2.4); null when none matches.
 */
export async function resolveTemplateName(env: Env, template: string): Promise<string | null> {
  const { readdir } = await import('node:fs/promises');
  const { namesDir } = await import('../agents/paths.js');
  const parts = template.split(/\{@[A-Za-z0-9_]*\}|@/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`^${parts.join('[0-9a-z]+')}$`);
  let best: { name: string; id: string } | null = null;
  for (const f of await readdir(namesDir(env)).catch(() => [] as string[])) {
    if (!f.endsWith('.json')) continue;
    const n = f.slice(0, -5);
    if (!re.test(n)) continue;
    const claim = readJsonOrNull<{ id?: string; claimed_at?: string }>(join(namesDir(env), f));
    // Newest = latest claim (ms precision); ids only order by second.
    const key = `${claim?.claimed_at ?? ''}|${claim?.id ?? ''}`;
    if (!best || key > best.id) best = { name: n, id: key };
  }
  return best?.name ?? null;
}

/** Live runs other than `selfId` (RUNNING/STARTING with a live runner), for `%wait(runners=N)`. */
async function otherLiveRuns(env: Env, selfId: string): Promise<number> {
  const { readIndex } = await import('../agents/index-store.js');
  const { isPidAlive } = await import('../store/pid.js');
  const idx = await readIndex(env, 0);
  return idx.active.filter((e) => e.id !== selfId && (e.status === 'RUNNING' || e.status === 'STARTING') && isPidAlive(e.pid)).length;
}

/**
 * Decides what to do with a WAITING run now.
 * @param now epoch ms
 */
export async function evaluateWait(env: Env, v: AgentView, now: number): Promise<WaitVerdict> {
  const w = v.waiting;
  const waits = w?.waiting_for ?? v.record.directives.waits;
  const deps: DependencyState[] = [];
  for (const name of waits) deps.push(await dependencyState(env, name));
  const base = { deps, floor_ms: null, stopped_by: null };
  const blocked = deps.filter((d) => d.state === 'blocked');
  if (blocked.length > 0) return { ...base, action: 'blocked', reason: `parked: ${blocked.map((d) => d.reason).join('; ')}` };
  const pending = deps.filter((d) => d.state === 'pending');
  if (pending.length > 0) return { ...base, action: 'pending', reason: `waiting for ${pending.map((d) => d.reason).join('; ')}` };
  const beads = w?.wait_beads ?? v.record.directives.wait_beads ?? [];
  const open = beads.length > 0 ? await (await import('./bead-wait.js')).openBeads(env, v, beads) : [];
  if (open.length > 0) return { ...base, action: 'pending', reason: `waiting for ${open.join('; ')}` };
  if (w?.wait_runners != null) {
    const others = await otherLiveRuns(env, v.id);
    if (others > w.wait_runners) return { ...base, action: 'pending', reason: `waiting for runners to drain: ${others} other run(s) active, allowed ${w.wait_runners}` };
  }
  const stopper = v.record.repeat_slot ? deps.find((d) => d.stop) : undefined;
  if (stopper?.stop) return { ...base, action: 'stop', reason: `repeat chain stopped by ${stopper.stop.by}`, stopped_by: stopper.stop.by };
  let floor: number | null = null;
  if (w?.wait_until) floor = Date.parse(w.wait_until);
  else if (w?.wait_duration != null) {
    const start = Math.max(Date.parse(w.slot_requested_at || v.record.created_at), ...deps.map((d) => d.finished_ms ?? 0));
    floor = start + w.wait_duration * 1000;
  }
  if (floor !== null && Number.isFinite(floor) && now < floor) {
    return { ...base, floor_ms: floor, action: 'timer', reason: `time floor ${new Date(floor).toISOString()}` };
  }
  return { ...base, floor_ms: floor, action: 'ready', reason: null };
}
