/** `sase agent kill NAME` (also `-n NAME`): SIGTERM the runner, which stops the provider; KILLED is recorded. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';

/** Result of `sase agent kill`. */
export interface KillResult {
  id: string;
  name: string;
  status: string;
}

export const command: CommandModule<{ ref: string }, KillResult> = {
  meta: { name: 'kill', summary: 'Stop a run (SIGTERM, then SIGKILL after the grace period)' },
  define(cmd) {
    cmd.argument('[name]', 'agent name or id').option('-n, --name <name>', 'agent name (SASE spelling)');
  },
  parse(raw) {
    const ref = (raw.opts.name as string | undefined) ?? (raw.args[0] as string | undefined);
    if (!ref) throw new UsageError('which agent? give a name or id');
    return { ref };
  },
  async run(ctx, o) {
    const { killAgent } = await import('../../agents/control.js');
    const v = await killAgent(ctx.env, o.ref, { now: () => new Date(), by: `sase agent kill (pid ${process.pid})` });
    return { id: v.id, name: v.name, status: v.status };
  },
  human: (r, out) => out.line(`${r.name}: ${r.status}`),
};
