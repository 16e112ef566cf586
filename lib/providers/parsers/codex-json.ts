/**
 * Parser for `codex exec --json` (NDJSON thread events). spec/runtime.md §c.1: text from `item.completed`; tool rows
 * from `command_execution` / `file_change` start and complete events.
 *
 * Events: `thread.started` (thread_id = session) · `item.started` / `item.updated` / `item.completed` with an item of
 * type `agent_message` (text → assistant), `reasoning` (skipped), `command_execution` (command → tool_call `shell`,
 * aggregated_output + exit_code → tool_result), `file_change` (changes → tool_call `apply_patch` + tool_result),
 * `mcp_tool_call`, `web_search` (tool_call), `error` items (non-fatal warnings → system) · `turn.completed` (usage: input_tokens, cached_input_tokens,
 * output_tokens; summed over turns) · `turn.failed` / `error` (error entries).
 */
import type { StreamParser, TranscriptEntry, Usage } from '../types.js';
import { emptyUsage, lineFeed, nowIso, parseJsonLine, tokens } from './lines.js';

/** Creates a codex `exec --json` parser. */
export function createCodexParser(): StreamParser {
  const usage: Usage = emptyUsage();
  const started = new Set<string>();
  let lastText = '';
  let session: string | null = null;

  function call(id: string, name: string, input: unknown, ts: string): TranscriptEntry[] {
    if (started.has(id)) return [];
    started.add(id);
    return [{ type: 'tool_call', id, name, input, ts }];
  }

  function onItem(kind: string, item: Record<string, unknown>, ts: string): TranscriptEntry[] {
    const id = String(item.id ?? '');
    const done = kind === 'item.completed';
    switch (item.type) {
      case 'agent_message':
        if (done && typeof item.text === 'string') {
          lastText = item.text;
          return [{ type: 'assistant', text: item.text, ts }];
        }
        return [];
      case 'command_execution': {
        const out = call(id, 'shell', { command: item.command ?? '' }, ts);
        if (done) {
          const code = typeof item.exit_code === 'number' ? item.exit_code : null;
          out.push({ type: 'tool_result', id, output: String(item.aggregated_output ?? ''), is_error: item.status === 'failed' || (code !== null && code !== 0), ts });
        }
        return out;
      }
      case 'file_change': {
        const out = call(id, 'apply_patch', { changes: item.changes ?? [] }, ts);
        if (done) {
          const changes = Array.isArray(item.changes) ? item.changes : [];
          const summary = changes.map((c) => `${(c as Record<string, unknown>).kind ?? 'update'} ${(c as Record<string, unknown>).path ?? ''}`).join('\n');
          out.push({ type: 'tool_result', id, output: summary, is_error: item.status === 'failed', ts });
        }
        return out;
      }
      case 'mcp_tool_call': {
        const out = call(id, `${item.server ?? 'mcp'}.${item.tool ?? 'tool'}`, item.arguments ?? {}, ts);
        if (done) out.push({ type: 'tool_result', id, output: JSON.stringify(item.result ?? item.error ?? null), is_error: item.status === 'failed', ts });
        return out;
      }
      case 'web_search':
        return call(id, 'web_search', { query: item.query ?? '' }, ts);
      case 'error':
        // Codex reports non-fatal warnings as `error` items; real failures arrive as turn.failed / error events.
        return done ? [{ type: 'system', text: `codex warning: ${String(item.message ?? '')}`, ts }] : [];
      default:
        return [];
    }
  }

  function onLine(line: string): TranscriptEntry[] {
    const ev = parseJsonLine(line);
    if (!ev) return [];
    const ts = nowIso();
    const kind = String(ev.type ?? '');
    if (kind === 'thread.started') {
      if (typeof ev.thread_id === 'string') session = ev.thread_id;
      return [{ type: 'system', text: `thread started ${session ?? ''}`.trim(), ts }];
    }
    if (kind.startsWith('item.') && ev.item && typeof ev.item === 'object') return onItem(kind, ev.item as Record<string, unknown>, ts);
    if (kind === 'turn.completed') {
      const u = (ev.usage ?? {}) as Record<string, unknown>;
      // Codex reports cached tokens as a part of input_tokens; keep input = uncached input, as Claude does.
      const cached = tokens(u.cached_input_tokens);
      usage.input_tokens += Math.max(0, tokens(u.input_tokens) - cached);
      usage.cache_read_tokens += cached;
      usage.output_tokens += tokens(u.output_tokens);
      return [];
    }
    if (kind === 'turn.failed') {
      const err = (ev.error ?? {}) as Record<string, unknown>;
      return [{ type: 'error', message: String(err.message ?? 'turn failed'), ts }];
    }
    if (kind === 'error') return [{ type: 'error', message: String(ev.message ?? 'error'), ts }];
    return [];
  }

  return {
    ...lineFeed(onLine),
    reply: () => lastText,
    usage: () => ({ ...usage }),
    sessionId: () => session,
  };
}
