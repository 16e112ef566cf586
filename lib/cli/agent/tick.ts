/**
 * `sase agent tick [--wait] [--at TIME]`: one idempotent pass releasing every parked (`%wait`/`#t`) run whose wait
 * is satisfied, ending stopped `%repeat` slots and recording why the rest stay parked. Exit 5 (LOCKED) when another
 * tick holds the lock, unless `--wait`. `--at` sleeps until the given ISO time first (the timer sase arms for a
 * `#t` floor); `--after-pid` first waits for a finishing runner to exit (what runners start on completion). docs/orchestration.md.
 */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import type { TickResult } from '../../orchestration/tick.js';

interface TickOpts {
  wait: boolean;
  at: string | null;
  afterPid: number | null;
}

export const command: CommandModule<TickOpts, TickResult> = {
  meta: {
    name: 'tick',
    summary: 'Release parked runs whose waits are satisfied (one idempotent pass)',
    description: 'Exit codes: 0 ok, 5 another tick holds the lock (use --wait to wait for it).',
  },
  define(cmd) {
    cmd.option('--wait', 'wait for a tick that holds the lock instead of exiting 5').option('--at <time>', 'sleep until this ISO-8601 time, then tick (implies --wait)')
      .option('--after-pid <pid>', 'first wait (up to 60 s) for this process to exit (implies --wait)');
  },
  parse(raw) {
    const at = (raw.opts.at as string | undefined) ?? null;
    if (at !== null && !Number.isFinite(Date.parse(at))) throw new UsageError(`--at expects an ISO-8601 time, got '${at}'`);
    const afterPid = raw.opts.afterPid === undefined ? null : Number(raw.opts.afterPid);
    if (afterPid !== null && !(Number.isInteger(afterPid) && afterPid > 0)) throw new UsageError(`--after-pid expects a process id, got '${String(raw.opts.afterPid)}'`);
    return { wait: raw.opts.wait === true || at !== null || afterPid !== null, at, afterPid };
  },
  async run(ctx, o) {
    if (o.at) {
      const ms = Date.parse(o.at) - Date.now();
      if (ms > 0) await new Promise((r) => setTimeout(r, ms + 20));
    }
    if (o.afterPid) {
      const { isPidAlive } = await import('../../store/pid.js');
      const until = Date.now() + 60_000;
      while (isPidAlive(o.afterPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    }
    const { tick } = await import('../../orchestration/tick.js');
    return tick(ctx.env, { now: () => new Date(), wait: o.wait });
  },
  human(r, out) {
    out.line(`checked ${r.checked} waiting run(s): ${r.released} released, ${r.stopped} stopped`);
    for (const e of r.entries) out.line(`  ${e.name}  ${e.action}${e.reason ? `  ${e.reason}` : ''}`);
  },
};
