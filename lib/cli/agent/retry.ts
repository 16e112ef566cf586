/**
 * `sase agent retry NAME`: a new run of the same expanded prompt, model and workspace, named `<name>.r<N>`, with
 * lineage (`retry_of`, `retry_chain_root`, `retry_attempt`); the old run's agent_meta.json gets
 * `retried_as_timestamp`. spec/runtime.md §b "Retry".
 */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import type { LaunchedAgent } from '../../agents/launch.js';

/** Result of `sase agent retry`. */
export interface RetryResult {
  retry_of: string;
  agents: LaunchedAgent[];
}

export const command: CommandModule<{ ref: string; timeout: string | null }, RetryResult> = {
  meta: { name: 'retry', summary: 'Launch the same prompt again as a new run (lineage recorded)' },
  define(cmd) {
    cmd.argument('<name>', 'agent name or id').option('--timeout <duration>', 'timeout of the new run (default: the old run’s)');
  },
  parse(raw) {
    const ref = raw.args[0] as string | undefined;
    if (!ref) throw new UsageError('which agent? give a name or id');
    return { ref, timeout: (raw.opts.timeout as string | undefined) ?? null };
  },
  async run(ctx, o) {
    const { loadAgent } = await import('../../agents/control.js');
    const { readRecordText, RECORD_FILES, readJsonOrNull } = await import('../../agents/records.js');
    const { launchRuns } = await import('../../agents/launch.js');
    const { parseDurationMs } = await import('../../agents/duration.js');
    const { loadConfig } = await import('../../config/index.js');
    const { writeJsonAtomic } = await import('../../store/atomic.js');
    const { join } = await import('node:path');
    const old = await loadAgent(ctx.env, o.ref, ctx.now());
    const r = old.record;
    const attempt = r.retry_attempt + 1;
    const base = r.retry_of ? r.name.replace(/\.r\d+$/, '') : r.name;
    const config = loadConfig(r.launch_cwd, ctx.env).merged;
    const agents = await launchRuns(
      [
        {
          index: 0,
          name: `${base}.r${attempt}`,
          directives: { ...r.directives, name_reuse: false, waits: [], wait_time: null, wait_runners: null },
          workspace_ref: r.workspace_ref,
          prompt: await readRecordText(old.record_dir, RECORD_FILES.prompt),
          raw_prompt: await readRecordText(old.record_dir, RECORD_FILES.rawPrompt),
          workflow: null,
          deferred: r.deferred,
          repeat_slot: r.repeat_slot,
          alt_id: r.alt_id,
          segment: r.segment,
          warnings: [],
        },
      ],
      {
        env: ctx.env,
        cwd: r.launch_cwd,
        now: () => new Date(),
        config,
        timeoutMs: o.timeout ? parseDurationMs(o.timeout) : r.timeout_ms,
        killGraceMs: r.kill_grace_ms,
        resolveModel: () => ({ provider: r.model.provider, model: r.model.model, effort: r.model.effort, spec: r.model.spec }),
        lineage: { retry_of: r.id, retry_chain_root: r.retry_chain_root ?? r.id, retry_attempt: attempt },
      },
    );
    const metaPath = join(old.record_dir, RECORD_FILES.meta);
    const meta = readJsonOrNull<Record<string, unknown>>(metaPath) ?? {};
    await writeJsonAtomic(metaPath, { ...meta, retried_as_timestamp: agents[0]!.id });
    return { retry_of: r.id, agents };
  },
  human(r, out) {
    for (const a of r.agents) {
      out.line(`${a.name}  ${a.status}  (retry of ${r.retry_of})`);
      out.line(`  record: ${a.record_dir}`);
    }
  },
};
