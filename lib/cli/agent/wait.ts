/** `sase agent wait NAME… [-t DURATION]`: block until the runs settle. Exit 0 ok, 1 failed, 2 usage, 3 blocked, 4 timeout. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import type { WaitResult } from '../../agents/control.js';

export const command: CommandModule<{ refs: string[]; timeout: string | null }, WaitResult> = {
  meta: {
    name: 'wait',
    summary: 'Block until runs finish (exit 0 ok, 1 failed, 3 blocked, 4 timeout)',
    description: 'Exit codes (SASE): 0 all finished ok, 1 any failed, 2 usage (unknown name), 3 a run waits for a human (PLAN/QUESTION), 4 timeout.',
  },
  define(cmd) {
    cmd.argument('<names...>', 'agent names or ids').option('-t, --timeout <duration>', 'give up after this long (e.g. 90s, 10m)');
  },
  parse(raw) {
    const refs = (raw.args[0] as string[] | undefined) ?? [];
    if (refs.length === 0) throw new UsageError('which agents? give names or ids');
    return { refs, timeout: (raw.opts.timeout as string | undefined) ?? null };
  },
  async run(ctx, o) {
    const { parseDurationMs } = await import('../../agents/duration.js');
    const { findAgentDir } = await import('../../agents/records.js');
    const { waitAgents } = await import('../../agents/control.js');
    const dirs: string[] = [];
    for (const r of o.refs) {
      try {
        dirs.push(await findAgentDir(ctx.env, r));
      } catch (e) {
        throw new UsageError((e as Error).message, { data: { ref: r } });
      }
    }
    return waitAgents(ctx.env, dirs, { now: () => new Date(), timeoutMs: o.timeout ? parseDurationMs(o.timeout) : 0 });
  },
  human(r, out) {
    for (const a of r.agents) out.line(`${a.name}  ${a.status}`);
    if (r.timed_out) out.line('timed out');
  },
  exitCode: (r) => r.exit_code,
};
