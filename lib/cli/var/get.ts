/** `sase var get NAME [--agent NAME]`: print one variable (exit 3 when unset). */
import type { CommandModule } from '../command.js';
import { NotFoundError, UsageError } from '../../errors/index.js';
import { targetRecordDir } from './target.js';

export const command: CommandModule<{ name: string; agent: string | undefined }, { name: string; value: string }> = {
  meta: { name: 'get', summary: 'Print one variable of a run' },
  define(cmd) {
    cmd.argument('<name>', 'variable name').option('-a, --agent <name>', 'agent name or id (default: the run this is called from)');
  },
  parse(raw) {
    const name = raw.args[0] as string | undefined;
    if (!name) throw new UsageError('which variable?');
    return { name, agent: raw.opts.agent as string | undefined };
  },
  async run(ctx, o) {
    const { readVars } = await import('../../orchestration/vars.js');
    const vars = readVars(await targetRecordDir(ctx, o.agent));
    if (!(o.name in vars)) throw new NotFoundError(`variable ${o.name} is not set`, { data: { name: o.name } });
    return { name: o.name, value: vars[o.name]! };
  },
  human: (r, out) => out.line(r.value),
};
