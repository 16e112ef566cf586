/** `sase var list [--agent NAME]`: all variables of a run. */
import type { CommandModule } from '../command.js';
import { targetRecordDir } from './target.js';

export const command: CommandModule<{ agent: string | undefined }, { record_dir: string; variables: Record<string, string> }> = {
  meta: { name: 'list', summary: 'All variables of a run' },
  define(cmd) {
    cmd.option('-a, --agent <name>', 'agent name or id (default: the run this is called from)');
  },
  parse: (raw) => ({ agent: raw.opts.agent as string | undefined }),
  async run(ctx, o) {
    const { readVars } = await import('../../orchestration/vars.js');
    const dir = await targetRecordDir(ctx, o.agent);
    return { record_dir: dir, variables: readVars(dir) };
  },
  human(r, out) {
    for (const [k, v] of Object.entries(r.variables)) out.line(`${k}=${v}`);
  },
};
