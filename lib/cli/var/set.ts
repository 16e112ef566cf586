/** `sase var set NAME=VALUE… [--agent NAME]`: publish output variables of a run (`STOP=…` stops a `%repeat` chain). */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { targetRecordDir } from './target.js';

interface SetOpts {
  assignments: string[];
  agent: string | undefined;
}

export const command: CommandModule<SetOpts, { record_dir: string; variables: Record<string, string> }> = {
  meta: { name: 'set', summary: 'Set NAME=VALUE on the current run ($SASE_ARTIFACTS_DIR) or --agent NAME' },
  define(cmd) {
    cmd.argument('<assignments...>', 'NAME=VALUE pairs').option('-a, --agent <name>', 'agent name or id (default: the run this is called from)');
  },
  parse(raw) {
    const assignments = (raw.args[0] as string[] | undefined) ?? [];
    if (assignments.length === 0) throw new UsageError('give at least one NAME=VALUE');
    return { assignments, agent: raw.opts.agent as string | undefined };
  },
  async run(ctx, o) {
    const { parseAssignment, setVars } = await import('../../orchestration/vars.js');
    const values: Record<string, string> = {};
    for (const a of o.assignments) {
      const { name, value } = parseAssignment(a);
      values[name] = value;
    }
    const dir = await targetRecordDir(ctx, o.agent);
    return { record_dir: dir, variables: await setVars(dir, values) };
  },
  human(r, out) {
    for (const [k, v] of Object.entries(r.variables)) out.line(`${k}=${v}`);
  },
};
