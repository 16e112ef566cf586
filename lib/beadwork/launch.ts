/**
 * Launching one run for bead work or a plan follow-up through the same pipeline `sase run` uses: the prompt text
 * (with directives such as `%name`, `%wait`, `%m` and a workspace reference) goes through the launch planner
 * (`planLaunches`) and `launchRuns`. Per-run variables (`SASE_BEAD_ID`, `SASE_PLAN`, the commit-footer hook, …) are
 * stored in the record's `run_env.json`, which the runner merges into the provider's environment — they survive
 * `%wait` parking and never leak into other runs.
 */
import type { Env } from '../store/paths.js';
import type { LaunchedAgent } from '../agents/launch.js';

/** Inputs of {@link launchPrompt}. */
export interface LaunchPromptOptions {
  env: Env;
  cwd: string;
  now: () => Date;
  /** Variables for this run only (written to `run_env.json`). */
  runEnv: Record<string, string>;
  /** Merged sase.yml (default: loaded from `cwd`). */
  config?: Record<string, unknown>;
  /** Node binary for the commit hook (default: the current one). */
  nodePath?: string;
}

/** The merged sase.yml for `cwd` ({} when nothing is configured or it cannot be read; lib/config mergedConfigOrEmpty). */
export async function runConfig(cwd: string, env: Env): Promise<Record<string, unknown>> {
  return (await import('../config/index.js')).mergedConfigOrEmpty(cwd, env);
}

/**
 * Plans and launches the runs of `text` (normally exactly one).
 * @throws whatever `planLaunches`/`launchRuns` throw (UsageError, ConflictError for a taken name, …)
 */
export async function launchPrompt(text: string, o: LaunchPromptOptions): Promise<LaunchedAgent[]> {
  const config = o.config ?? (await runConfig(o.cwd, o.env));
  const { loadPlanner } = await import('../agents/planner-bridge.js');
  const { launchRuns } = await import('../agents/launch.js');
  const { resolveModel } = await import('../providers/model.js');
  const { runLimits } = await import('../agents/duration.js');
  const { commitHookEnv } = await import('./commit-hook.js');
  const planLaunches = await loadPlanner();
  const launches = await planLaunches(text, { cwd: o.cwd, env: o.env, config, now: o.now(), runCommand: null });
  const hook = await commitHookEnv(o.env, o.nodePath ?? process.execPath);
  return launchRuns(launches, {
    env: o.env,
    cwd: o.cwd,
    now: o.now,
    config,
    ...runLimits(config, o.env),
    resolveModel: (spec, cfg) => resolveModel(spec, cfg),
    runEnv: { ...hook, ...o.runEnv },
  });
}
