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
  /** Env prefix of the provider (`SASE_GIT`); absent for older providers. */
  env_prefix?: string;
  /** Managed-root namespace of the project (`sase-org/sase`, `newtool-1a2b3c4d`), when the provider has one. */
  project_key?: string;
  /** Branch the checkout was synced to (`main`), when known. */
  branch?: string;
  /** Provider-specific facts (how the ref resolved, backups made, …); JSON-serialisable. */
  details?: Record<string, unknown>;
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
  /** True for `%wait` launches: keep #0 until ready (claim later via `claimDeferred`). */
  deferred: boolean;
  /** Workflow label recorded in the claim (`run`, `ace(run)-…`). Default `run`. */
  workflow?: string;
  /** ChangeSpec name recorded in the claim and occupant, when any. */
  cl_name?: string | null;
  /** Clock (tests inject a fixed one). Default: the system clock. */
  now?: () => Date;
}

/**
 * A workspace provider (built-in `cd`, `git`; plugins add more). Only `type`, `envPrefix` and `resolve` are
 * required; the rest mirrors SASE's `ws_*` hooks (seed 002 "Hook Reference") and is optional.
 */
export interface WorkspaceProvider {
  type: string;
  /** Env prefix, e.g. `SASE_GIT`, `SASE_CD`. */
  envPrefix: string;
  resolve(req: WorkspaceRequest): Promise<ResolvedWorkspace>;
  /** Human name (`Git (bare)`, `GitHub`). */
  displayName?: string;
  /** VCS family (`git`, `hg`) and provider name (`bare_git`, `github`). */
  vcsFamily?: string;
  vcsProviderName?: string;
  /** Change label (`PR`, `CL`). */
  changeLabel?: string;
  /** True when this provider owns the directory (e.g. a checkout of its kind); used for project detection. */
  detect?(dir: string, env: Record<string, string | undefined>): Promise<boolean>;
  /** Later hooks (submit a ChangeSpec, produce the run's diff); not called by core yet. */
  submit?(req: { dir: string; project: string | null; changespec: string }): Promise<{ ok: boolean; message?: string }>;
  diff?(req: { dir: string; base_revision: string | null }): Promise<string>;
}
