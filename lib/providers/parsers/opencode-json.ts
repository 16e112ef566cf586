/**
 * Parser for `opencode run --format json` (JSONL events). spec/runtime.md §c.1: `text` events; `error` events;
 * token counts from `step_finish` (SASE `_subprocess_opencode.py`).
 *
 * Events: `text` (part.text → assistant) · `tool_use` (part.tool, part.callID, part.state{input, output, status}
 * → tool_call + tool_result when completed/error) · `step_finish` (part.tokens{input, output, cache{read, write}},
 * part.cost; summed) · `error` (error.data.message / error.message → error). `sessionID` on any event is the session.
 */
import type { StreamParser, TranscriptEntry, Usage } from '../types.js';
import { emptyUsage, lineFeed, nowIso, parseJsonLine, tokens } from './lines.js';

/** Creates an opencode JSON parser. */
export function createOpencodeParser(): StreamParser {
  const usage: Usage = emptyUsage();
  const texts: string[] = [];
  const called = new Set<string>();
  let session: string | null = null;

  function onLine(line: string): TranscriptEntry[] {
    const ev = parseJsonLine(line);
    if (!ev) return [];
    const ts = nowIso();
    if (typeof ev.sessionID === 'string' && !session) session = ev.sessionID;
    const part = (ev.part ?? {}) as Record<string, unknown>;
    switch (ev.type) {
      case 'text': {
        const text = typeof part.text === 'string' ? part.text : typeof ev.text === 'string' ? ev.text : '';
        if (!text) return [];
        texts.push(text);
        return [{ type: 'assistant', text, ts }];
      }
      case 'tool_use': {
        const id = String(part.callID ?? part.id ?? '');
        const state = (part.state ?? {}) as Record<string, unknown>;
        const out: TranscriptEntry[] = [];
        if (!called.has(id)) {
          called.add(id);
          out.push({ type: 'tool_call', id, name: String(part.tool ?? ''), input: state.input ?? {}, ts });
        }
        if (state.status === 'completed' || state.status === 'error') {
          const output = typeof state.output === 'string' ? state.output : typeof state.error === 'string' ? state.error : '';
          out.push({ type: 'tool_result', id, output, is_error: state.status === 'error', ts });
        }
        return out;
      }
      case 'step_finish': {
        const t = (part.tokens ?? {}) as Record<string, unknown>;
        const cache = (t.cache ?? {}) as Record<string, unknown>;
        usage.input_tokens += tokens(t.input);
        usage.output_tokens += tokens(t.output);
        usage.cache_read_tokens += tokens(cache.read);
        usage.cache_write_tokens += tokens(cache.write);
        if (typeof part.cost === 'number') usage.cost_usd = (usage.cost_usd ?? 0) + part.cost;
        return [];
      }
      case 'error': {
        let detail: unknown = ev.error ?? ev.message;
        if (detail && typeof detail === 'object') {
          const d = detail as Record<string, unknown>;
          const data = d.data as Record<string, unknown> | undefined;
          detail = data && typeof data.message === 'string' ? data.message : (d.message ?? JSON.stringify(d));
        }
        return [{ type: 'error', message: String(detail ?? 'error'), ts }];
      }
      default:
        return [];
    }
  }

  return {
    ...lineFeed(onLine),
    reply: () => texts.join('\n\n'),
    usage: () => ({ ...usage }),
    sessionId: () => session,
  };
}
