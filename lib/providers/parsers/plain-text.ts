/**
 * Parser for CLIs with plain stdout and no usage (agy, spec/runtime.md §c.1): every non-blank line is assistant
 * text; the reply is the whole stdout, trimmed. Lines naming a gRPC-style failure code become error entries.
 */
import type { StreamParser, TranscriptEntry } from '../types.js';
import { emptyUsage, lineFeed, nowIso } from './lines.js';

const ERROR_LINE = /\b(RESOURCE_EXHAUSTED|UNAVAILABLE|DEADLINE_EXCEEDED|INTERNAL|PERMISSION_DENIED|UNAUTHENTICATED)\b/;

/** Creates a plain-text parser. */
export function createPlainTextParser(): StreamParser {
  const all: string[] = [];
  const onLine = (line: string): TranscriptEntry[] => {
    all.push(line);
    if (line.trim() === '') return [];
    const ts = nowIso();
    return ERROR_LINE.test(line) && /error/i.test(line) ? [{ type: 'error', message: line, ts }] : [{ type: 'assistant', text: line, ts }];
  };
  return {
    ...lineFeed(onLine),
    reply: () => all.join('\n').trim(),
    usage: () => emptyUsage(),
    sessionId: () => null,
  };
}
