/**
 * Start-up shared by the detached runner binaries (bin/sase-runner.ts, bin/sase-workflow-runner.ts): stop-signal
 * trapping, the deps every runner takes, and the crash path. Kept import-free so the runners start fast; each bin
 * imports only the runner it needs.
 */

/** The host facts every detached runner takes (`RunnerDeps` of lib/agents/runner.ts, `WorkflowRunnerDeps`). */
export interface DetachedRunnerDeps {
  env: NodeJS.ProcessEnv;
  now(): Date;
  pid: number;
  /** Registers the stop handler called on SIGTERM/SIGINT. */
  onStopSignal(handler: () => void): void;
}

/** Stop signals trapped by {@link trapStopSignals}. */
export interface StopTrap {
  /** True once SIGTERM or SIGINT arrived (even before a handler was registered). */
  readonly stopRequested: boolean;
  /** The deps to hand to the runner: its `onStopSignal` registers the handler the trap calls. */
  deps: DetachedRunnerDeps;
}

/**
 * Ignores SIGHUP (the launching terminal may go away) and routes SIGTERM/SIGINT to the handler the runner
 * registers through `deps.onStopSignal`, recording that a stop was requested.
 */
export function trapStopSignals(): StopTrap {
  let onStop: (() => void) | undefined;
  let stopRequested = false;
  process.on('SIGHUP', () => {});
  for (const sig of ['SIGTERM', 'SIGINT'] as const)
    process.on(sig, () => {
      stopRequested = true;
      onStop?.();
    });
  return {
    get stopRequested() {
      return stopRequested;
    },
    deps: {
      env: process.env,
      now: () => new Date(),
      pid: process.pid,
      onStopSignal: (h) => {
        onStop = h;
      },
    },
  };
}

/**
 * Runs `run()` and returns its exit code; a crash is written as `<prog>: <stack>` to stderr (and to `log`, when
 * given, ignoring failures there) and becomes exit code 70 (EX_SOFTWARE).
 */
export async function runOrReportCrash(prog: string, run: () => Promise<number>, log?: (msg: string) => void): Promise<number> {
  try {
    return await run();
  } catch (e) {
    const msg = `${prog}: ${(e as Error).stack ?? String(e)}\n`;
    process.stderr.write(msg);
    try {
      log?.(msg);
    } catch {
      // nowhere to log
    }
    return 70;
  }
}
