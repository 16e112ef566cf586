/**
 * Shared helpers of the `sase bead` command modules: store location options, lock options, the actor, running
 * a mutation, and rendering beads.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { locateStore, storePaths } from '../../beads/paths.js';
import { defineStore, legacyPlusOne, parseStore, type BeadJson, type StoreOpts } from './read.js';
import type { MutationContext, WriteResult } from '../../beads/write.js';
import { issueWire } from '../../beads/project.js';
import { resolveId } from '../../beads/ids.js';
import type { BeadCore, BeadIssue } from '../../beads/types.js';
import type { CommandModule } from '../command.js';
import type { Ctx } from '../context.js';
import type { HumanOut } from '../output.js';

// Re-exported for the mutating commands, which import from here only; the read commands import read.js directly.
export { defineStore, enumOpt, legacyPlusOne, listOpt, parseStore, readIssues, type BeadJson, type StoreOpts } from './read.js';

/** Options every mutating bead command accepts. */
export interface WriteOpts extends StoreOpts {
  wait: boolean;
  timeoutMs?: number;
  /** Commit the changed store files (`chore(beads): <verb> <ids>`, footer `SASE_TYPE=beads`). */
  commit?: boolean;
}

/** Adds `--store`, `--wait` and `--timeout`. */
export function defineWrite(cmd: Command): Command {
  return defineStore(cmd)
    .option('--wait', 'wait for the store lock instead of failing with LOCKED')
    .option('--timeout <seconds>', 'longest wait for the store lock (implies --wait)')
    .option('--commit', 'commit the changed store files (chore(beads): <verb> <ids>, SASE_TYPE=beads)');
}

/** Parses store + lock options. @throws UsageError for a bad --timeout */
export function parseWrite(raw: Record<string, unknown>): WriteOpts {
  let timeoutMs: number | undefined;
  if (raw.timeout !== undefined) {
    const s = Number(raw.timeout);
    if (!Number.isFinite(s) || s < 0) throw new UsageError(`--timeout must be a number of seconds, got '${String(raw.timeout)}'`);
    timeoutMs = Math.round(s * 1000);
  }
  return { ...parseStore(raw), wait: raw.wait === true || timeoutMs !== undefined, timeoutMs, commit: raw.commit === true };
}

/** The store directory for a command. @throws NotFoundError when there is no store */
export function storeDir(ctx: Ctx, o: StoreOpts, mustExist = true): string {
  return locateStore({ store: o.store, env: ctx.env, cwd: ctx.cwd, mustExist });
}

/**
 * Who is acting: `$SASE_BEAD_ACTOR`, else `$SASE_AGENT_NAME`, else the store's configured owner, else `$USER`,
 * else `sase`.
 */
export function actorFor(ctx: Ctx, dir: string): string {
  const env = ctx.env;
  if (env.SASE_BEAD_ACTOR) return env.SASE_BEAD_ACTOR;
  if (env.SASE_AGENT_NAME) return env.SASE_AGENT_NAME;
  try {
    const c = JSON.parse(readFileSync(storePaths(dir).config, 'utf8')) as { owner?: unknown };
    if (typeof c.owner === 'string' && c.owner) return c.owner;
  } catch {
    // no config yet
  }
  return env.USER || env.USERNAME || 'sase';
}

/** Commit subject verbs of SASE's bead commits (spec §B.9) by operation. */
const COMMIT_VERBS: Record<string, string> = { 'dep add': 'link', 'dep rm': 'unlink', release: 'release claim on', 'ref add': 'update', 'ref rm': 'update' };

/** What `--commit` did. */
export interface CommitInfo {
  committed: boolean;
  sha?: string;
  message: string;
}

/**
 * Runs a mutation on the command's store under the lock; with `--commit`, commits the written files afterwards.
 */
export async function runMutation<R>(ctx: Ctx, o: WriteOpts, operation: string, fn: (m: MutationContext) => R): Promise<WriteResult<R> & { store: string; commit?: CommitInfo }> {
  const r = await runMutationOnly(ctx, o, operation, fn);
  if (!o.commit || r.written.length === 0) return r;
  const { commitBeadMutation } = await import('../../beads/git-commit.js');
  const ids = (r.result as { ids?: string[] } | null)?.ids ?? [...new Set(r.events.map((e) => e.issue_id))];
  const c = await commitBeadMutation(r.store, r.written.map((f) => `${r.store}/${f}`), COMMIT_VERBS[operation] ?? operation, ids, { env: ctx.env });
  return { ...r, commit: { committed: c.committed, sha: c.sha, message: c.message } };
}

async function runMutationOnly<R>(ctx: Ctx, o: WriteOpts, operation: string, fn: (m: MutationContext) => R): Promise<WriteResult<R> & { store: string }> {
  const dir = storeDir(ctx, o);
  const { mutateStore } = await import('../../beads/write.js');
  const stale = Number(ctx.env.SASE_BEAD_LOCK_STALE_MS);
  const envTimeout = Number(ctx.env.SASE_BEAD_MUTATION_LOCK_TIMEOUT);
  const r = await mutateStore(dir, fn, {
    actor: actorFor(ctx, dir),
    now: () => ctx.now(),
    operation,
    wait: o.wait,
    timeoutMs: o.timeoutMs ?? (Number.isFinite(envTimeout) && envTimeout > 0 ? envTimeout * 1000 : undefined),
    staleMs: Number.isFinite(stale) && stale > 0 ? stale : undefined,
    legacyPlusOne: legacyPlusOne(ctx),
  });
  return { ...r, store: dir };
}

/** Resolves user input to an issue of a loaded list. @throws NotFoundError, UsageError (ambiguous) */
export function findIssue<T extends BeadCore>(issues: readonly T[], input: string): T {
  const id = resolveId(input, issues.map((i) => i.id));
  return issues.find((i) => i.id === id)!;
}

/** The JSON form of a bead. */
export function beadJson(i: BeadIssue): BeadJson {
  return issueWire(i);
}

/** The result of a mutating command: the touched beads and whether anything changed. */
export interface MutationResult {
  store: string;
  changed: boolean;
  ids: string[];
  events: number;
  bead?: BeadJson;
  beads: BeadJson[];
  /** With `--commit`: the commit made (or `committed: false` when nothing changed). */
  commit?: CommitInfo;
}

/** Builds the standard mutation result from a write result and touched ids. */
export function mutationResult(r: WriteResult<{ ids: string[]; changed: boolean }> & { store: string; commit?: CommitInfo }): MutationResult {
  const byId = new Map(r.issues.map((i) => [i.id, i]));
  const beads = r.result.ids.map((id) => byId.get(id)).filter((x): x is BeadIssue => !!x).map(beadJson);
  const out: MutationResult = { store: r.store, changed: r.result.changed, ids: r.result.ids, events: r.events.length, beads };
  if (beads.length === 1) out.bead = beads[0];
  if (r.commit) out.commit = r.commit;
  return out;
}

/** Human rendering of a mutation result. */
export function humanMutation(verb: string): (r: MutationResult, out: HumanOut) => void {
  return (r, out) => {
    if (!r.changed) out.line(`${verb}: nothing to change (${r.ids.join(', ')})`);
    else out.line(`${verb} ${r.ids.join(', ')}`);
    if (r.commit?.committed) out.line(`committed ${r.commit.sha?.slice(0, 12) ?? ''} ${r.commit.message.split('\n')[0]}`);
  };
}

/** commander collector for repeatable options. */
export function collect(value: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), value];
}

/** Options of a claimant command (`claim`, `release`). */
export interface ClaimantOpts extends WriteOpts {
  id: string;
  agent?: string;
}

/**
 * Builds a claimant command (`sase bead claim` / `release`, spec §B.8): `<id>` plus `-a/--agent` (default: the
 * acting agent/user per {@link actorFor}), running `mutate(m, id, agent)` as `operation` under the store lock and
 * rendering with {@link humanMutation}(`done`).
 */
export function claimantCommand(
  meta: CommandModule<ClaimantOpts, MutationResult>['meta'],
  operation: string,
  done: string,
  mutate: (m: MutationContext, id: string, agent: string) => { ids: string[]; changed: boolean },
): CommandModule<ClaimantOpts, MutationResult> {
  return {
    meta,
    define: (cmd) => {
      cmd.argument('<id>', 'bead id').option('-a, --agent <name>', 'claimant (default: the acting agent/user)');
      defineWrite(cmd);
    },
    parse: ({ args, opts }) => ({ ...parseWrite(opts), id: String(args[0]), agent: opts.agent as string | undefined }),
    run: async (ctx, o) => {
      const agent = o.agent ?? actorFor(ctx, storeDir(ctx, o));
      return mutationResult(await runMutation(ctx, o, operation, (m) => mutate(m, o.id, agent)));
    },
    human: humanMutation(done),
  };
}
