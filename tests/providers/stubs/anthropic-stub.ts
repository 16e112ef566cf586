/**
 * A loopback stub of the Anthropic Messages API (`POST /v1/messages`, SSE streaming as the real API does), for
 * end-to-end tests that drive the REAL `claude` CLI offline. Reusable by other areas (the runner's `sase run` e2e).
 *
 * Scripted turns: a main-agent request (one that offers tools) is answered with `turns[k]`, where k is the number of
 * assistant messages already in the request's conversation (so turn 0 answers the prompt, turn 1 answers the first
 * tool result, …; the last turn repeats). Auxiliary requests the CLI makes on the side (no tools: titles, topic
 * checks) get a short text reply. `count_tokens` is answered too. Every request is recorded.
 *
 * Usage:
 *   const stub = await startAnthropicStub([toolUseTurn('Write', {file_path, content}), textTurn('Done.')]);
 *   spawn(claude, args, { env: { ...process.env, ...claudeStubEnv(stub.url, home) } });
 *   await stub.close();
 */
import type { ServerResponse } from 'node:http';
import { startLoopbackServer, writeJson, writeSse as sse } from './loopback.js';

/** Token usage the stub reports for one turn. */
export interface StubUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** One content block of a scripted assistant turn. */
export type StubBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** One scripted assistant turn (or, with `error`, an API error response instead). */
export interface StubTurn {
  content: StubBlock[];
  stop_reason: 'end_turn' | 'tool_use';
  usage: StubUsage;
  /** Answer with this HTTP error (the API's JSON error shape) instead of a message. */
  error?: { status: number; type: string; message: string };
}

/** A turn answered with an API error, e.g. `errorTurn(400, 'invalid_request_error', 'prompt is too long')`. */
export function errorTurn(status: number, type: string, message: string): StubTurn {
  return { content: [], stop_reason: 'end_turn', usage: { input_tokens: 0, output_tokens: 0 }, error: { status, type, message } };
}

/** A request the stub received. */
export interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /** 'main' (answered from the script), 'aux' (side request), or 'other'. */
  kind: 'main' | 'aux' | 'other';
  /** Index of the scripted turn used (main requests only). */
  turn?: number;
}

/** A running stub. */
export interface AnthropicStub {
  /** Base URL for ANTHROPIC_BASE_URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** A final text turn. */
export function textTurn(text: string, usage: StubUsage = { input_tokens: 120, output_tokens: 12 }): StubTurn {
  return { content: [{ type: 'text', text }], stop_reason: 'end_turn', usage };
}

let toolIds = 0;
/** A turn that calls one tool (optionally preceded by some text). */
export function toolUseTurn(name: string, input: Record<string, unknown>, opts: { text?: string; usage?: StubUsage; id?: string } = {}): StubTurn {
  const id = opts.id ?? `toolu_stub_${String(++toolIds).padStart(4, '0')}`;
  const content: StubBlock[] = [];
  if (opts.text) content.push({ type: 'text', text: opts.text });
  content.push({ type: 'tool_use', id, name, input });
  return { content, stop_reason: 'tool_use', usage: opts.usage ?? { input_tokens: 100, output_tokens: 30, cache_creation_input_tokens: 50, cache_read_input_tokens: 0 } };
}

/**
 * Environment that points the real claude CLI at the stub and keeps it offline and isolated: ANTHROPIC_BASE_URL,
 * ANTHROPIC_API_KEY=test, IS_SANDBOX=1 (claude refuses --dangerously-skip-permissions as root otherwise), HOME and
 * CLAUDE_CONFIG_DIR under `home`, and no telemetry, autoupdate or nonessential traffic.
 */
export function claudeStubEnv(url: string, home: string): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'test',
    IS_SANDBOX: '1',
    HOME: home,
    CLAUDE_CONFIG_DIR: `${home}/.claude`,
    XDG_CONFIG_HOME: `${home}/.config`,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1',
    CLAUDE_CODE_ENABLE_TELEMETRY: '0',
    NO_PROXY: '127.0.0.1,localhost',
    HTTPS_PROXY: '',
    HTTP_PROXY: '',
  };
}

let msgIds = 0;
function streamTurn(res: ServerResponse, turn: StubTurn, model: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': `req_stub_${msgIds}` });
  const id = `msg_stub_${String(++msgIds).padStart(4, '0')}`;
  const u = turn.usage;
  sse(res, 'message_start', {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: u.input_tokens, output_tokens: 1, cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0, cache_read_input_tokens: u.cache_read_input_tokens ?? 0 },
    },
  });
  sse(res, 'ping', { type: 'ping' });
  turn.content.forEach((block, index) => {
    if (block.type === 'text') {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      // Stream the text in a few pieces, as the real API does.
      const pieces = block.text.match(/.{1,16}/gs) ?? [''];
      for (const text of pieces) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    } else {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      const json = JSON.stringify(block.input);
      const pieces = json.match(/.{1,24}/gs) ?? [''];
      for (const partial_json of pieces) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: turn.stop_reason, stop_sequence: null }, usage: { output_tokens: u.output_tokens } });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

function jsonTurn(res: ServerResponse, turn: StubTurn, model: string): void {
  const id = `msg_stub_${String(++msgIds).padStart(4, '0')}`;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model, content: turn.content, stop_reason: turn.stop_reason, stop_sequence: null, usage: turn.usage }));
}

/** Starts the stub on 127.0.0.1 (a free port). */
export async function startAnthropicStub(turns: StubTurn[]): Promise<AnthropicStub> {
  if (turns.length === 0) throw new Error('startAnthropicStub needs at least one turn');
  const requests: StubRequest[] = [];
  const server = await startLoopbackServer((req, res) => {
    const { method, path, body } = req;
    const rec: StubRequest = { ...req, kind: 'other' };
    requests.push(rec);
    if (method === 'POST' && path.endsWith('/v1/messages/count_tokens')) {
      writeJson(res, 200, { input_tokens: 100 });
      return;
    }
    if (method === 'POST' && path.endsWith('/v1/messages')) {
      const model = typeof body?.model === 'string' ? body.model : 'claude-stub';
      const hasTools = Array.isArray(body?.tools) && body.tools.length > 0;
      let turn: StubTurn;
      if (hasTools) {
        const assistantCount = Array.isArray(body?.messages) ? body.messages.filter((m: any) => m?.role === 'assistant').length : 0;
        rec.kind = 'main';
        rec.turn = Math.min(assistantCount, turns.length - 1);
        turn = turns[rec.turn]!;
      } else {
        rec.kind = 'aux';
        turn = textTurn('{"isNewTopic": false, "title": null}', { input_tokens: 5, output_tokens: 5 });
      }
      if (turn.error) writeJson(res, turn.error.status, { type: 'error', error: { type: turn.error.type, message: turn.error.message } }, { 'x-should-retry': 'false' });
      else if (body?.stream) streamTurn(res, turn, model);
      else jsonTurn(res, turn, model);
      return;
    }
    writeJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `stub: no route ${method} ${path}` } });
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, close: server.close };
}
