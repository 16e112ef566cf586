/**
 * Where numbered checkouts live (spec/runtime.md §e "Directory name", seed 002 "Root Policy"):
 * `workspace.root` = `xdg-state` (default: `$XDG_STATE_HOME/sase/workspaces/<project_key>/<project>_<num>/`),
 * `adjacent` (`<primary>_<num>/`), or an absolute path `P` (`P/<project_key>/<project>_<num>/`);
 * `SASE_WORKSPACE_ROOT` overrides the config as an explicit root. #0 is always the primary checkout.
 */
import { createHash } from 'node:crypto';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors/index.js';
import { expandUser, xdgStateHome, type Env } from '../store/paths.js';
import type { ProjectSpec } from '../projects/spec.js';

/** The configured root policy. `base` is the managed-root base (without the project key); null for adjacent. */
export interface RootPolicy {
  kind: 'xdg-state' | 'adjacent' | 'absolute';
  base: string | null;
  /** Where the policy came from: `env` (SASE_WORKSPACE_ROOT), `config` or `default`. */
  source: 'env' | 'config' | 'default';
}

/** Everything needed to place a project's checkouts. */
export interface WorkspaceLayout {
  project: string;
  /** Checkout name stem: the primary checkout's basename (SASE names managed checkouts `<basename>_<num>`). */
  label: string;
  project_key: string;
  policy: RootPolicy;
  /** The primary checkout (#0), absolute. */
  primary: string;
  /** `<base>/<project_key>` for managed roots, null for adjacent. */
  root: string | null;
  /** Registry file for managed roots (`<root>/registry.json`), null for adjacent. */
  registry_path: string | null;
}

/** `workspace.*` settings read from sase.yml (merged config). */
export function workspaceConfig(config: Record<string, unknown>): Record<string, unknown> {
  const w = config.workspace;
  return typeof w === 'object' && w !== null && !Array.isArray(w) ? (w as Record<string, unknown>) : {};
}

/** `$XDG_STATE_HOME/sase/workspaces`. */
export function xdgWorkspacesBase(env: Env): string {
  return join(xdgStateHome(env), 'sase', 'workspaces');
}

/**
 * Resolves the root policy: `SASE_WORKSPACE_ROOT` (explicit root), else `workspace.root`, else `xdg-state`.
 * @throws UsageError for a relative path or an unknown keyword
 */
export function resolveRootPolicy(config: Record<string, unknown>, env: Env): RootPolicy {
  const override = env.SASE_WORKSPACE_ROOT;
  if (override && override.trim() !== '') {
    return { kind: 'absolute', base: resolve(expandUser(override.trim(), env)), source: 'env' };
  }
  const raw = workspaceConfig(config).root;
  if (raw === undefined || raw === null || raw === '' || raw === 'xdg-state') {
    return { kind: 'xdg-state', base: xdgWorkspacesBase(env), source: raw === 'xdg-state' ? 'config' : 'default' };
  }
  if (raw === 'adjacent') return { kind: 'adjacent', base: null, source: 'config' };
  const path = expandUser(String(raw), env);
  if (!isAbsolute(path)) {
    throw new UsageError(`workspace.root must be xdg-state, adjacent or an absolute path, got ${String(raw)}`, {
      data: { field: 'workspace.root', value: raw },
    });
  }
  return { kind: 'absolute', base: path, source: 'config' };
}

/** `owner/repo` from a remote URL (`git@host:owner/repo.git`, `https://host/owner/repo`), or null for local paths. */
export function remoteSlug(url: string): string | null {
  let path: string | null = null;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+)$/i.exec(url);
  if (scheme && !url.startsWith('file:')) path = scheme[1]!;
  else {
    const scp = /^[^/@:]+@[^/:]+:(.+)$/.exec(url) ?? /^[a-z0-9.-]+\.[a-z]{2,}:(.+)$/i.exec(url);
    if (scp) path = scp[1]!;
  }
  if (!path) return null;
  const parts = path.replace(/\.git\/?$/, '').replace(/\/+$/, '').split('/').filter((p) => p !== '');
  if (parts.length < 2) return null;
  return parts.slice(-2).join('/');
}

/** Makes `value` safe as one path component (runs of other characters become `_`). */
export function slugify(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'unnamed';
}

/** `<slug of basename>-<first 8 hex of sha256(absolute primary path)>`: the fallback project key (SASE's rule). */
export function hashedProjectKey(primary: string): string {
  const abs = resolve(primary).replace(/\/+$/, '') || '/';
  return `${slugify(basename(abs) || 'workspace')}-${createHash('sha256').update(abs).digest('hex').slice(0, 8)}`;
}

/**
 * The project key (managed-root namespace), in order: `workspace.project_keys.<project>`, `workspace.project_key`,
 * the ProjectSpec's `project_key`, the slug of the single distinct remote, else {@link hashedProjectKey}.
 * @param remotes remote URLs of the primary checkout (caller reads them with git)
 */
export function deriveProjectKey(
  project: ProjectSpec,
  primary: string,
  remotes: string[],
  config: Record<string, unknown>,
): string {
  const w = workspaceConfig(config);
  const perProject = w.project_keys;
  if (typeof perProject === 'object' && perProject !== null) {
    const v = (perProject as Record<string, unknown>)[project.name];
    if (typeof v === 'string' && v !== '') return v;
  }
  if (typeof w.project_key === 'string' && w.project_key !== '') return w.project_key;
  if (project.project_key) return project.project_key;
  const slugs = [...new Set(remotes.map(remoteSlug).filter((s): s is string => s !== null))];
  if (slugs.length === 1 && remotes.length === 1) return slugs[0]!;
  return hashedProjectKey(primary);
}

/** Builds the layout of a project from its policy and key. */
export function makeLayout(project: string, primary: string, projectKey: string, policy: RootPolicy): WorkspaceLayout {
  const root = policy.kind === 'adjacent' || !policy.base ? null : join(policy.base, ...projectKey.split('/'));
  return {
    project,
    label: slugify(basename(primary.replace(/\/+$/, ''))) || project,
    project_key: projectKey,
    policy,
    primary,
    root,
    registry_path: root ? join(root, 'registry.json') : null,
  };
}

/** Path of checkout `num`: #0 is the primary; others `<root>/<label>_<num>` or `<primary>_<num>` (adjacent). */
export function checkoutDir(layout: WorkspaceLayout, num: number): string {
  if (num === 0) return layout.primary;
  if (!layout.root) return `${layout.primary.replace(/\/+$/, '')}_${num}`;
  return join(layout.root, `${layout.label}_${num}`);
}

/** The legacy adjacent path of checkout `num` (`<primary>_<num>`), whatever the policy. */
export function adjacentDir(layout: WorkspaceLayout, num: number): string {
  return `${layout.primary.replace(/\/+$/, '')}_${num}`;
}
