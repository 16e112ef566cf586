/**
 * `sase agent logs NAME [-f] [--raw]`: a run's transcript (assistant text, tool calls and results, errors);
 * `-f` follows a live run until it finishes (the one command that writes while it runs, so output streams).
 */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import type { TranscriptEntry } from '../../providers/types.js';

interface Opts {
  ref: string;
  follow: boolean;
}

/** Result of `sase agent logs`. */
export interface LogsResult {
  name: string;
  status: string;
  entries: TranscriptEntry[];
  followed: boolean;
}

/** One transcript entry as a human line. */
export function formatEntry(e: TranscriptEntry): string {
  switch (e.type) {
    case 'assistant':
      return e.text.replace(/\n$/, '');
    case 'tool_call':
      return `→ ${e.name} ${JSON.stringify(e.input)}`;
    case 'tool_result':
      return `${e.is_error ? '✗' : '←'} ${e.output.length > 400 ? e.output.slice(0, 400) + '…' : e.output}`;
    case 'error':
      return `error: ${e.message}`;
    case 'system':
      return `[${e.text}]`;
    default:
      return JSON.stringify(e);
  }
}

export const command: CommandModule<Opts, LogsResult> = {
  meta: { name: 'logs', summary: "A run's transcript (-f follows a live run)" },
  define(cmd) {
    cmd.argument('<name>', 'agent name or id').option('-f, --follow', 'keep printing until the run finishes');
  },
  parse(raw) {
    const ref = raw.args[0] as string | undefined;
    if (!ref) throw new UsageError('which agent? give a name or id');
    return { ref, follow: raw.opts.follow === true };
  },
  async run(ctx, o) {
    const { loadAgent } = await import('../../agents/control.js');
    const { RECORD_FILES, readAgentView, reconcileStale } = await import('../../agents/records.js');
    const { isTerminalStatus } = await import('../../agents/status.js');
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    let v = await loadAgent(ctx.env, o.ref, ctx.now());
    const path = join(v.record_dir, RECORD_FILES.transcript);
    const entries: TranscriptEntry[] = [];
    let offset = 0;
    const drain = async (): Promise<void> => {
      const text = await readFile(path, 'utf8').catch(() => '');
      const end = text.lastIndexOf('\n') + 1;
      if (end <= offset) return;
      for (const line of text.slice(offset, end).split('\n')) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line) as TranscriptEntry;
          entries.push(e);
          if (o.follow && !ctx.json) ctx.io.stdout.write(formatEntry(e) + '\n');
        } catch {
          // skip a bad line
        }
      }
      offset = end;
    };
    await drain();
    if (o.follow) {
      while (!isTerminalStatus(v.status)) {
        await new Promise((r) => setTimeout(r, 200));
        await drain();
        v = await reconcileStale(ctx.env, readAgentView(v.record_dir), new Date());
      }
      await drain();
    }
    return { name: v.name, status: v.status, entries, followed: o.follow };
  },
  human(r, out) {
    if (!r.followed) for (const e of r.entries) out.line(formatEntry(e));
    out.line(`-- ${r.name}: ${r.status}`);
  },
};
