/**
 * The workspace part of an agent child's environment (spec/runtime.md §b.5, seed 002 "Non-wait launches…"):
 * inherited `SASE_*_PRE_ALLOCATED`, `SASE_*_WORKSPACE_NUM` and `SASE_*_WORKSPACE_DIR` are removed first, so a
 * nested or follow-up launch never reuses a stale parent workspace, then this run's values are set.
 */

/** Names of inherited variables that describe a parent's workspace. */
const INHERITED_RE = /^SASE_[A-Z0-9_]+_(PRE_ALLOCATED|WORKSPACE_NUM|WORKSPACE_DIR)$/;

/** True when `name` is a workspace variable that must not be inherited. */
export function isInheritedWorkspaceVar(name: string): boolean {
  return INHERITED_RE.test(name);
}

/** Returns a copy of `env` without any `SASE_*_PRE_ALLOCATED` / `_WORKSPACE_NUM` / `_WORKSPACE_DIR` variable. */
export function stripWorkspaceEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !isInheritedWorkspaceVar(k)) out[k] = v;
  return out;
}

/**
 * The variables a provider sets for one run: `<PREFIX>_PRE_ALLOCATED=1`, `<PREFIX>_WORKSPACE_NUM`,
 * `<PREFIX>_WORKSPACE_DIR` (prefix e.g. `SASE_GIT`, `SASE_CD`).
 */
export function workspaceVars(prefix: string, num: number, dir: string): Record<string, string> {
  return {
    [`${prefix}_PRE_ALLOCATED`]: '1',
    [`${prefix}_WORKSPACE_NUM`]: String(num),
    [`${prefix}_WORKSPACE_DIR`]: dir,
  };
}

/**
 * Builds the environment of an agent child: `parent` with inherited workspace variables stripped, then `own`
 * (usually `ResolvedWorkspace.env`) applied on top. Pure: neither argument is modified.
 */
export function workspaceChildEnv(
  parent: Record<string, string | undefined>,
  own: Record<string, string>,
): Record<string, string> {
  return { ...stripWorkspaceEnv(parent), ...own };
}
