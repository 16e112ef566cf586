/** `sase agent diff NAME [--stat]`: the workspace changes a run made (patch, or the per-file summary). */
import type { CommandModule } from '../command.js';
import { NotFoundError, UsageError } from '../../errors/index.js';
import type { DiffSummary } from '../../agents/diff.js';

/** Result of `sase agent diff`. */
export interface DiffResult {
  name: string;
  summary: DiffSummary;
  patch: string;
  stat: boolean;
}

export const command: CommandModule<{ ref: string; stat: boolean }, DiffResult> = {
  meta: { name: 'diff', summary: 'The workspace changes a run made' },
  define(cmd) {
    cmd.argument('<name>', 'agent name or id').option('--stat', 'only the per-file summary');
  },
  parse(raw) {
    const ref = raw.args[0] as string | undefined;
    if (!ref) throw new UsageError('which agent? give a name or id');
    return { ref, stat: raw.opts.stat === true };
  },
  async run(ctx, o) {
    const { loadAgent } = await import('../../agents/control.js');
    const { readJsonOrNull, readRecordText, RECORD_FILES } = await import('../../agents/records.js');
    const { join } = await import('node:path');
    const v = await loadAgent(ctx.env, o.ref, ctx.now());
    const summary = readJsonOrNull<DiffSummary>(join(v.record_dir, RECORD_FILES.diff));
    if (!summary) throw new NotFoundError(`agent '${v.name}' has no diff yet (${v.status})`, { hint: 'the diff is recorded when the run finishes' });
    return { name: v.name, summary, patch: o.stat ? '' : await readRecordText(v.record_dir, RECORD_FILES.patch), stat: o.stat };
  },
  human(r, out) {
    if (!r.stat && r.patch) {
      out.write(r.patch.endsWith('\n') ? r.patch : r.patch + '\n');
      return;
    }
    for (const f of r.summary.files) out.line(`${f.status.padEnd(8)} ${f.path}  +${f.added ?? '?'} -${f.removed ?? '?'}`);
    out.line(`${r.summary.files_changed} file(s) changed, +${r.summary.lines_added} -${r.summary.lines_removed}${r.summary.truncated ? ' (truncated)' : ''}`);
  },
};
