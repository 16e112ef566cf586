/**
 * Resolves a launch's workspace reference (`#cd:…`, `#cd(…)`, `#git:…`, plugin types) through the workspace
 * providers. `#cd` is built in (lib/workspace/cd.ts); `#git:` goes to lib/workspace's `resolveWorkspace` when that
 * module is present. spec/runtime.md §b.4–5.
 */
import { UsageError } from '../errors/index.js';
import { cdProvider } from '../workspace/cd.js';
import type { ResolvedWorkspace, WorkspaceRequest } from '../workspace/types.js';
import type { WorkspaceFacts } from './types.js';

/** A parsed reference: `#type:value` or `#type(value)`. */
export interface ParsedWorkspaceRef {
  type: string;
  value: string;
}

/** Parses `#cd:/x`, `#cd(/a b)`, `#git:home`. @throws UsageError when the text is not a workspace reference */
export function parseWorkspaceRef(ref: string): ParsedWorkspaceRef {
  const m = /^#([a-z][a-z0-9_-]*)(?::(.*)|\((.*)\))$/s.exec(ref.trim());
  if (!m) throw new UsageError(`not a workspace reference: ${ref}`, { hint: 'use #cd:<dir> or #git:<project>' });
  return { type: m[1]!, value: (m[2] ?? m[3] ?? '').trim() };
}

/** Strips inherited workspace variables (`SASE_*_PRE_ALLOCATED`, `…_WORKSPACE_NUM`, `…_WORKSPACE_DIR`), §b.5. */
export function stripWorkspaceEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!/^SASE_[A-Z0-9]+_(PRE_ALLOCATED|WORKSPACE_NUM|WORKSPACE_DIR)$/.test(k)) out[k] = v;
  return out;
}


/**
 * Resolves `ref` for one run.
 * @throws UsageError / NotFoundError from the provider; UsageError when the reference type is not available
 */
export async function resolveLaunchWorkspace(ref: string, req: Omit<WorkspaceRequest, 'value' | 'ref'>): Promise<ResolvedWorkspace> {
  const parsed = parseWorkspaceRef(ref);
  if (parsed.type === 'cd') return cdProvider.resolve({ ...req, ref, value: parsed.value });
  const { resolveWorkspace } = await import('../workspace/index.js');
  return resolveWorkspace(ref, { ...req, workflow: `ace(run)-${req.agent_id.slice(2, 8)}_${req.agent_id.slice(8, 14)}` });
}

/**
 * Resolves the workspace of one run for its runner (`pid` = claim owner) and returns the facts recorded in
 * `workspace.json`. Inherited workspace variables are stripped from `req.env` first (§b.5). Used by `sase run` and by
 * the release of parked runs.
 * @throws as {@link resolveLaunchWorkspace}
 */
export async function resolveRunWorkspace(ref: string, req: Omit<WorkspaceRequest, 'value' | 'ref' | 'deferred'>): Promise<WorkspaceFacts> {
  const r = await resolveLaunchWorkspace(ref, { ...req, env: stripWorkspaceEnv(req.env), deferred: false });
  return { type: r.type, ref: r.ref, dir: r.dir, num: r.num, project: r.project, env: r.env, base_revision: r.base_revision };
}
