/**
 * The contract between workspace providers (lib/workspace) and `sase run` (lib/agents). A workspace reference
 * (`#cd:<path>`, `#git:<ref>`, plugin types like `#gh:<ref>`) resolves to a directory the agent runs in.
 * Rules: spec/runtime.md §b.4–5 and §e; seeds/002.
 */

/** A resolved workspace for one run. */
export interface ResolvedWorkspace {
  /** Provider type: 'cd', 'git', or a plugin's type. */
  type: string;
  /** The reference as written (`#git:home`). */
  ref: string;
  /** Directory the agent runs in (absolute). */
  dir: string;
  /** Workspace number: 0 for `#cd` and deferred launches, ≥ 10 for claimed pool checkouts. */
  num: number;
  /** Project name, or null for plain directory runs. */
  project: string | null;
  /** Environment for the agent child (`SASE_<PREFIX>_WORKSPACE_NUM`, …). */
  env: Record<string, string>;
  /** Git revision the workspace started at (for the run's diff), or null outside git. */
  base_revision: string | null;
  /** Releases the claim (idempotent). */
  release(): Promise<void>;
}

/** Everything a provider may need to resolve a reference. */
export interface WorkspaceRequest {
  /** The value after `#type:` (`home`, `~/src/x`, `/abs/path`). */
  value: string;
  ref: string;
  cwd: string;
  env: Record<string, string | undefined>;
  config: Record<string, unknown>;
  /** Agent name and artifacts id, recorded in the claim. */
  agent_name: string;
  agent_id: string;
  /** pid that owns the claim (the runner); claims of dead pids are reclaimable. */
  pid: number;
  /** True for `%wait` launches: keep #0 until ready (claim later via `claim`). */
  deferred: boolean;
}

/** A workspace provider (built-in `cd`, `git`; plugins add more). */
export interface WorkspaceProvider {
  type: string;
  /** Env prefix, e.g. `SASE_GIT`, `SASE_CD`. */
  envPrefix: string;
  resolve(req: WorkspaceRequest): Promise<ResolvedWorkspace>;
}
