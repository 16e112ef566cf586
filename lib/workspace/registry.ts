/**
 * The per-project registry of managed checkouts (spec/runtime.md §e "Registry"): `<root>/<project_key>/registry.json`
 * for managed roots (none for `adjacent`). Tracks every workspace including the primary #0; written atomically
 * under its lock.
 */
import { readJson } from '../store/json.js';
import { withLock } from '../store/lock.js';
import { writeJsonAtomic } from '../store/atomic.js';

/** How a registered checkout came to be. */
export type Materialization = 'primary' | 'clone' | 'migrated' | 'adopted';

/** One registry entry. Times are ISO-8601 UTC. */
export interface RegistryEntry {
  checkout_dir: string;
  materialization: Materialization;
  /** `primary`, `agent` (claimed by a run), `manual` (`sase workspace open`), `share` (workflow share). */
  role: 'primary' | 'agent' | 'manual' | 'share';
  pinned: boolean;
  created_at: string;
  last_used_at: string;
  /** Present for migrated checkouts that left a transition symlink at the old adjacent path. */
  transition_symlink?: string | null;
}

/** The registry file. Keys of `workspaces` are decimal workspace numbers. */
export interface Registry {
  schema_version: number;
  project: string;
  project_key: string;
  workspaces: Record<string, RegistryEntry>;
}

/** SASE writes epoch seconds; we write ISO-8601. Reads accept both. */
function isoTime(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v * 1000).toISOString();
  return typeof v === 'string' ? v : '';
}

/**
 * Reads a registry; an absent file is an empty registry ("nothing managed here"). SASE's own registry.json (epoch
 * times, `generation`, `primary_workspace_dir`) is read too; unknown entry fields are kept.
 */
export async function readRegistry(path: string, project: string, projectKey: string): Promise<Registry> {
  const r = await readJson<Registry | null>(path, null);
  const workspaces: Record<string, RegistryEntry> = {};
  const raw = r && typeof r.workspaces === 'object' && r.workspaces ? r.workspaces : {};
  for (const [k, e] of Object.entries(raw)) {
    if (!e || typeof e !== 'object') continue;
    workspaces[k] = { ...e, created_at: isoTime(e.created_at), last_used_at: isoTime(e.last_used_at), pinned: e.pinned === true };
  }
  return {
    schema_version: 1,
    project: r?.project ?? project,
    project_key: r?.project_key ?? projectKey,
    workspaces,
  };
}

/** Read-modify-writes the registry under its lock; `fn` mutates the registry in place. */
export async function updateRegistry<T>(path: string, project: string, projectKey: string, fn: (r: Registry) => T): Promise<T> {
  return withLock(
    path,
    async () => {
      const r = await readRegistry(path, project, projectKey);
      const out = fn(r);
      const sorted: Record<string, RegistryEntry> = {};
      for (const k of Object.keys(r.workspaces).sort((a, b) => Number(a) - Number(b))) sorted[k] = r.workspaces[k]!;
      await writeJsonAtomic(path, { schema_version: 1, project: r.project, project_key: r.project_key, workspaces: sorted });
      return out;
    },
    { wait: true, timeoutMs: 120_000 },
  );
}

/**
 * Records use of checkout `num` (creating the entry when new, refreshing `last_used_at` otherwise); also records
 * the primary #0 when `primary` is given and #0 is not registered yet.
 */
export async function touchRegistryEntry(
  path: string,
  project: string,
  projectKey: string,
  num: number,
  entry: Pick<RegistryEntry, 'checkout_dir' | 'materialization' | 'role'> & { pinned?: boolean },
  now: Date,
  primary?: string,
): Promise<void> {
  const iso = now.toISOString();
  await updateRegistry(path, project, projectKey, (r) => {
    if (primary && !r.workspaces['0']) {
      r.workspaces['0'] = { checkout_dir: primary, materialization: 'primary', role: 'primary', pinned: true, created_at: iso, last_used_at: iso };
    }
    const cur = r.workspaces[String(num)];
    r.workspaces[String(num)] = cur
      ? { ...cur, checkout_dir: entry.checkout_dir, role: cur.role === 'primary' ? 'primary' : entry.role, last_used_at: iso }
      : { checkout_dir: entry.checkout_dir, materialization: entry.materialization, role: entry.role, pinned: entry.pinned ?? false, created_at: iso, last_used_at: iso };
  });
}
