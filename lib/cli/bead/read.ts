/**
 * The read side of the `sase bead` command modules: the store option, loading the store's issues (cache first)
 * and rendering beads. Kept small and free of the write/fold machinery so `ready`, `list` and `blocked` load
 * only what a cached answer needs (common.ts re-exports the parts the other commands use).
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { assertStoreExists, explicitStoreDir, storePaths } from '../../beads/layout.js';
import { readCache, type IssueSource } from '../../beads/cache.js';
import type { BeadCore } from '../../beads/types.js';
import type { Ctx } from '../context.js';
import type { HumanOut } from '../output.js';

/** Options every bead command accepts. */
export interface StoreOpts {
  store?: string;
}

/** Adds `--store DIR`. */
export function defineStore(cmd: Command): Command {
  return cmd.option('--store <dir>', 'bead store directory (default: $SASE_BEADS_DIR, else sdd/beads/ of the git repo)');
}

/** Parses the store option. */
export function parseStore(raw: Record<string, unknown>): StoreOpts {
  return { store: typeof raw.store === 'string' ? raw.store : undefined };
}

/** True when `SASE_BEAD_LEGACY_PLUS_ONE` asks for the pre-2026-08-10 +1 fold rule. */
export function legacyPlusOne(ctx: Ctx): boolean {
  const v = ctx.env.SASE_BEAD_LEGACY_PLUS_ONE;
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/**
 * Loads the command's store issues: the rebuildable cache when it matches the store (full rows on demand through
 * `source.row(id)`, precomputed answers through `source.quickRows`), else a full fold that refreshes it.
 * The store is located like beads/paths.ts `locateStore` (the git lookup loads only when no store is given).
 * @throws NotFoundError when there is no store; InvalidDataError for a bad store
 */
export async function readIssues(ctx: Ctx, o: StoreOpts): Promise<{ dir: string; source: IssueSource }> {
  let dir = explicitStoreDir({ store: o.store, env: ctx.env, cwd: ctx.cwd });
  if (dir !== null) assertStoreExists(dir);
  else dir = (await import('../../beads/paths.js')).locateStore({ store: o.store, env: ctx.env, cwd: ctx.cwd });
  const opts = { legacyPlusOne: legacyPlusOne(ctx), noCache: ctx.env.SASE_BEAD_NO_CACHE === '1' };
  const source = (!opts.noCache && readCache(storePaths(dir), opts)) || (await (await import('../../beads/load.js')).foldedSource(dir, opts));
  return { dir, source };
}

/** A bead as JSON: the projection row (SASE key order, omit rules). */
export type BeadJson = Record<string, unknown>;

/** One human line for a bead: `id  [status]  type(tier)  title`. */
export function beadLine(b: BeadJson | BeadCore): string[] {
  const tier = b.tier ? `/${String(b.tier)}` : '';
  return [String(b.id), String(b.status), `${String(b.issue_type)}${tier}`, String(b.title)];
}

/** Renders a list of beads as a table (or a "none" line). */
export function humanBeads(beads: (BeadJson | BeadCore)[], out: HumanOut, empty = 'no beads'): void {
  if (beads.length === 0) {
    out.line(empty);
    return;
  }
  out.table(beads.map(beadLine));
}

/** Reads an option that may be repeated or comma-separated into a list. */
export function listOpt(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  const out = arr.flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

/** Validates an enum option. @throws UsageError */
export function enumOpt<T extends string>(name: string, v: unknown, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`invalid ${name} '${s}'`, { hint: `use one of: ${allowed.join(', ')}` });
  return s as T;
}

/** Validates a list of enum values. @throws UsageError */
export function enumList<T extends string>(name: string, v: unknown, allowed: readonly T[]): T[] | undefined {
  const l = listOpt(v);
  return l?.map((x) => enumOpt(name, x, allowed)!);
}
