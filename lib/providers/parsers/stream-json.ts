/**
 * Parser for Claude Code's `--output-format stream-json` (also qwen's stream-json and fakey's default output).
 * spec/runtime.md §c.1 "Output parsing": assistant text from `assistant` events; usage sums `input_tokens`,
 * `output_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens`.
 *
 * Events: `system` (init: session id) · `assistant` (message.content blocks: text → assistant, tool_use → tool_call;
 * thinking is skipped) · `user` (tool_result blocks → tool_result) · `result` (final reply, aggregate usage,
 * `total_cost_usd`, `is_error`; an error result also empties the reply — Claude reports API failures as a synthetic
 * assistant message `API Error: …` plus `is_error: true`). Usage: the `result` event's usage when present (it is the run's total), else the
 * sum over distinct assistant message ids (Claude repeats a message's usage on every block event).
 * Non-JSON lines: fakey's text protocol (`FAKEY-USAGE: {...}` → usage, `FAKEY-RETRYABLE:`/`FAKEY-FAIL:` → error),
 * other text → assistant text when `plainTextIsReply`, else ignored (CLI warnings).
 */
import type { StreamParser, TranscriptEntry, Usage } from '../types.js';
import { addUsage, contentText, emptyUsage, lineFeed, nowIso, parseJsonLine, tokens } from './lines.js';

/** Options of {@link createStreamJsonParser}. */
export interface StreamJsonOptions {
  /** Treat non-JSON stdout lines as reply text (fakey's `--output-format text`). Default false. */
  plainTextIsReply?: boolean;
  /**
   * The CLI's `input_tokens` include the cached ones (OpenAI's `prompt_tokens`, as Qwen Code reports them); they are
   * subtracted so `Usage.input_tokens` means uncached input for every provider. Default false (Claude's meaning).
   */
  inputIncludesCacheReads?: boolean;
}

function messageUsage(u: unknown, inclusive: boolean): Usage {
  const x = (u ?? {}) as Record<string, unknown>;
  const cacheRead = tokens(x.cache_read_input_tokens) + tokens(x.cache_read_tokens);
  const input = tokens(x.input_tokens);
  return {
    input_tokens: inclusive ? Math.max(0, input - cacheRead) : input,
    output_tokens: tokens(x.output_tokens),
    cache_read_tokens: cacheRead,
    cache_write_tokens: tokens(x.cache_creation_input_tokens) + tokens(x.cache_write_tokens),
    cost_usd: null,
  };
}

/** Creates a stream-json parser (claude, qwen, fakey). */
export function createStreamJsonParser(opts: StreamJsonOptions = {}): StreamParser {
  const inclusive = opts.inputIncludesCacheReads === true;
  const perMessage = new Map<string, Usage>();
  let resultUsage: Usage | null = null;
  let textUsage: Usage | null = null;
  let cost: number | null = null;
  let resultText: string | null = null;
  let resultIsError = false;
  let lastMessageId: string | null = null;
  let lastMessageText: string[] = [];
  const plain: string[] = [];
  let session: string | null = null;
  let anon = 0;

  function onLine(line: string): TranscriptEntry[] {
    const ev = parseJsonLine(line);
    const ts = nowIso();
    if (!ev) return onText(line, ts);
    if (typeof ev.session_id === 'string' && !session) session = ev.session_id;
    switch (ev.type) {
      case 'system':
        if (ev.subtype === 'init') {
          const model = typeof ev.model === 'string' ? ` model=${ev.model}` : '';
          return [{ type: 'system', text: `session started${model}`, ts }];
        }
        return [];
      case 'assistant':
        return onAssistant(ev, ts);
      case 'user':
        return onUser(ev, ts);
      case 'result': {
        if (ev.usage && typeof ev.usage === 'object') resultUsage = messageUsage(ev.usage, inclusive);
        if (typeof ev.total_cost_usd === 'number') cost = ev.total_cost_usd;
        else if (typeof ev.cost_usd === 'number') cost = ev.cost_usd;
        if (ev.is_error === true) {
          resultIsError = true;
          const errs = Array.isArray(ev.errors) ? ev.errors.filter((e) => typeof e === 'string').join('; ') : '';
          const msg = typeof ev.result === 'string' && ev.result ? ev.result : errs || String(ev.subtype ?? 'error');
          return [{ type: 'error', message: msg, ts }];
        }
        if (typeof ev.result === 'string') resultText = ev.result;
        return [];
      }
      default:
        return [];
    }
  }

  function onAssistant(ev: Record<string, unknown>, ts: string): TranscriptEntry[] {
    const msg = (ev.message ?? {}) as Record<string, unknown>;
    const id = typeof msg.id === 'string' ? msg.id : `anon-${++anon}`;
    if (msg.usage) perMessage.set(id, messageUsage(msg.usage, inclusive));
    if (id !== lastMessageId) {
      lastMessageId = id;
      lastMessageText = [];
    }
    const out: TranscriptEntry[] = [];
    const content = typeof msg.content === 'string' ? [{ type: 'text', text: msg.content }] : Array.isArray(msg.content) ? msg.content : [];
    for (const raw of content) {
      const b = (raw ?? {}) as Record<string, unknown>;
      if (b.type === 'text' && typeof b.text === 'string' && b.text !== '') {
        lastMessageText.push(b.text);
        out.push({ type: 'assistant', text: b.text, ts });
      } else if (b.type === 'tool_use') {
        out.push({ type: 'tool_call', id: String(b.id ?? ''), name: String(b.name ?? ''), input: b.input ?? {}, ts });
      }
    }
    return out;
  }

  function onUser(ev: Record<string, unknown>, ts: string): TranscriptEntry[] {
    const msg = (ev.message ?? {}) as Record<string, unknown>;
    if (!Array.isArray(msg.content)) return [];
    const out: TranscriptEntry[] = [];
    for (const raw of msg.content) {
      const b = (raw ?? {}) as Record<string, unknown>;
      if (b.type === 'tool_result') {
        out.push({ type: 'tool_result', id: String(b.tool_use_id ?? ''), output: contentText(b.content), is_error: b.is_error === true, ts });
      }
    }
    return out;
  }

  function onText(line: string, ts: string): TranscriptEntry[] {
    if (line.startsWith('FAKEY-USAGE: ')) {
      try {
        textUsage = messageUsage(JSON.parse(line.slice('FAKEY-USAGE: '.length)), false);
        return [];
      } catch {
        // not a usage line after all: fall through to plain text
      }
    }
    const m = /^(FAKEY-RETRYABLE|FAKEY-FAIL): (.*)$/.exec(line);
    if (m) return [{ type: 'error', message: line, ts }];
    if (!opts.plainTextIsReply) return [];
    plain.push(line);
    return line.trim() === '' ? [] : [{ type: 'assistant', text: line, ts }];
  }

  return {
    ...lineFeed(onLine),
    reply: () => {
      if (resultIsError) return '';
      if (resultText !== null) return resultText;
      if (lastMessageText.length) return lastMessageText.join('');
      return plain.join('\n').trim();
    },
    usage: () => {
      let u = resultUsage ?? [...perMessage.values()].reduce(addUsage, emptyUsage());
      if (textUsage) u = addUsage(u, textUsage);
      return { ...u, cost_usd: cost ?? u.cost_usd };
    },
    sessionId: () => session,
  };
}
