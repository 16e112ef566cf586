/** `sase agent show NAME|ID`: one run's facts, markers, usage and diff summary. */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';

/** Result of `sase agent show`. */
export interface ShowResult {
  agent: Record<string, unknown>;
}

export const command: CommandModule<{ ref: string }, ShowResult> = {
  meta: { name: 'show', summary: 'Details of one run (name or id)' },
  define(cmd) {
    cmd.argument('<name>', 'agent name or id');
  },
  parse(raw) {
    const ref = raw.args[0] as string | undefined;
    if (!ref) throw new UsageError('which agent? give a name or id');
    return { ref };
  },
  async run(ctx, o) {
    const { loadAgent } = await import('../../agents/control.js');
    const { readJsonOrNull, readEvents, RECORD_FILES } = await import('../../agents/records.js');
    const { bucketOf } = await import('../../agents/status.js');
    const { join } = await import('node:path');
    const v = await loadAgent(ctx.env, o.ref, ctx.now());
    const d = v.record_dir;
    return {
      agent: {
        id: v.id,
        name: v.name,
        status: v.status,
        bucket: bucketOf(v.status),
        record_dir: d,
        workspace_dir: v.workspace?.dir ?? null,
        model: v.record.model,
        workspace_ref: v.record.workspace_ref,
        created_at: v.record.created_at,
        group: v.record.group,
        hidden: v.record.hidden,
        retry_of: v.record.retry_of,
        retry_attempt: v.record.retry_attempt,
        runner_pid: v.running?.pid ?? v.done?.pid ?? null,
        done: v.done,
        waiting: v.waiting,
        usage: readJsonOrNull(join(d, RECORD_FILES.usage)),
        diff: readJsonOrNull(join(d, RECORD_FILES.diff)),
        events: await readEvents(d),
        ...(await import('../../orchestration/show.js')).orchestrationFacts(d),
        files: {
          prompt: join(d, RECORD_FILES.prompt),
          raw_prompt: join(d, RECORD_FILES.rawPrompt),
          transcript: join(d, RECORD_FILES.transcript),
          reply: join(d, RECORD_FILES.reply),
          patch: join(d, RECORD_FILES.patch),
        },
      },
    };
  },
  human(r, out) {
    const a = r.agent as Record<string, any>;
    out.line(`${a.name}  ${a.status}  (${a.bucket})`);
    out.line(`  id:        ${a.id}`);
    out.line(`  model:     ${a.model.provider}/${a.model.model}${a.model.effort ? '@' + a.model.effort : ''}`);
    out.line(`  workspace: ${a.workspace_dir ?? a.workspace_ref}`);
    out.line(`  record:    ${a.record_dir}`);
    out.line(`  created:   ${a.created_at}`);
    if (a.group) out.line(`  group:     ${a.group}`);
    if (a.retry_of) out.line(`  retry of:  ${a.retry_of} (attempt ${a.retry_attempt})`);
    if (a.done?.error) out.line(`  error:     ${a.done.error}`);
    if (a.waiting && !a.done) out.line(`  waiting:   ${a.waiting.blocked_reason ?? `for ${[...a.waiting.waiting_for, ...(a.waiting.wait_until || a.waiting.wait_duration != null ? ['a time floor'] : [])].join(', ')}`}`);
    if (a.usage?.total) out.line(`  usage:     ${a.usage.total.input_tokens} in / ${a.usage.total.output_tokens} out tokens${a.usage.total.cost_usd != null ? `, $${a.usage.total.cost_usd}` : ''}`);
    if (a.diff) out.line(`  diff:      ${a.diff.files_changed} file(s), +${a.diff.lines_added} -${a.diff.lines_removed}`);
    if (a.parent) out.line(`  parent:    ${a.parent.parent_name} (step ${a.parent.step})`);
    if (a.forked_from) out.line(`  forked:    from ${a.forked_from.map((f: { name: string }) => f.name).join(', ')}`);
    if (a.workflow) for (const st of a.workflow.steps) out.line(`  step ${st.name.padEnd(18)} ${st.status}${st.error ? `  ${st.error}` : ''}`);
  },
};
