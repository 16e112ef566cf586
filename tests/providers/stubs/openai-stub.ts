/**
 * A loopback stub of the OpenAI API for end-to-end tests that drive a REAL OpenAI-compatible agent CLI offline.
 * Serves the Responses API (`POST …/responses`, SSE as the real API streams it — what Codex uses) and Chat
 * Completions (`POST …/chat/completions`, streamed or not). Reusable by other areas.
 *
 * Scripted turns: a request is answered with `turns[k]`, where k is the number of tool results already in the
 * conversation (Responses: `function_call_output` / `custom_tool_call_output` input items; Chat: `tool` messages);
 * the last turn repeats. Every request is recorded.
 */
import type { ServerResponse } from 'node:http';
import { startLoopbackServer, writeJson, writeSse as sse } from './loopback.js';

/** One scripted assistant turn: some text, and/or one function call (arguments as an object, JSON-encoded on send). */
export interface OpenAITurn {
  text?: string;
  call?: { name: string; arguments: Record<string, unknown>; id?: string };
  usage?: { input_tokens: number; output_tokens: number; cached_tokens?: number };
}

/** A request the stub received. */
export interface OpenAIStubRequest {
  method: string;
  path: string;
  body: any;
  /** Index of the scripted turn used, when the request was answered from the script. */
  turn?: number;
}

/** A running stub. */
export interface OpenAIStub {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  requests: OpenAIStubRequest[];
  close(): Promise<void>;
}

let seq = 0;

function responsesTurn(res: ServerResponse, turn: OpenAITurn, model: string): void {
  const respId = `resp_stub_${++seq}`;
  const u = turn.usage ?? { input_tokens: 200, output_tokens: 20, cached_tokens: 0 };
  const usage = {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.input_tokens + u.output_tokens,
  };
  const base = { id: respId, object: 'response', created_at: Math.floor(Date.now() / 1000), model, status: 'in_progress', output: [] as unknown[] };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  sse(res, 'response.created', { type: 'response.created', sequence_number: 0, response: base });
  sse(res, 'response.in_progress', { type: 'response.in_progress', sequence_number: 1, response: base });
  const output: unknown[] = [];
  let idx = 0;
  if (turn.text !== undefined) {
    const itemId = `msg_stub_${++seq}`;
    sse(res, 'response.output_item.added', { type: 'response.output_item.added', output_index: idx, item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] } });
    sse(res, 'response.content_part.added', { type: 'response.content_part.added', item_id: itemId, output_index: idx, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
    for (const delta of turn.text.match(/.{1,16}/gs) ?? ['']) {
      sse(res, 'response.output_text.delta', { type: 'response.output_text.delta', item_id: itemId, output_index: idx, content_index: 0, delta });
    }
    sse(res, 'response.output_text.done', { type: 'response.output_text.done', item_id: itemId, output_index: idx, content_index: 0, text: turn.text });
    const item = { type: 'message', id: itemId, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: turn.text, annotations: [] }] };
    sse(res, 'response.content_part.done', { type: 'response.content_part.done', item_id: itemId, output_index: idx, content_index: 0, part: item.content[0] });
    sse(res, 'response.output_item.done', { type: 'response.output_item.done', output_index: idx, item });
    output.push(item);
    idx++;
  }
  if (turn.call) {
    const itemId = `fc_stub_${++seq}`;
    const callId = turn.call.id ?? `call_stub_${seq}`;
    const args = JSON.stringify(turn.call.arguments);
    const item = { type: 'function_call', id: itemId, call_id: callId, name: turn.call.name, arguments: args, status: 'completed' };
    sse(res, 'response.output_item.added', { type: 'response.output_item.added', output_index: idx, item: { ...item, arguments: '', status: 'in_progress' } });
    sse(res, 'response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', item_id: itemId, output_index: idx, delta: args });
    sse(res, 'response.function_call_arguments.done', { type: 'response.function_call_arguments.done', item_id: itemId, output_index: idx, arguments: args });
    sse(res, 'response.output_item.done', { type: 'response.output_item.done', output_index: idx, item });
    output.push(item);
  }
  sse(res, 'response.completed', { type: 'response.completed', response: { ...base, status: 'completed', output, usage } });
  res.end();
}

function chatTurn(res: ServerResponse, turn: OpenAITurn, model: string, stream: boolean): void {
  const id = `chatcmpl_stub_${++seq}`;
  const u = turn.usage ?? { input_tokens: 200, output_tokens: 20, cached_tokens: 0 };
  const usage = { prompt_tokens: u.input_tokens, completion_tokens: u.output_tokens, total_tokens: u.input_tokens + u.output_tokens, prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 } };
  const toolCalls = turn.call
    ? [{ index: 0, id: turn.call.id ?? `call_stub_${seq}`, type: 'function', function: { name: turn.call.name, arguments: JSON.stringify(turn.call.arguments) } }]
    : undefined;
  const finish = turn.call ? 'tool_calls' : 'stop';
  const created = Math.floor(Date.now() / 1000);
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: turn.text ?? null, tool_calls: toolCalls }, finish_reason: finish }], usage }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: unknown, finish_reason: string | null, extra: Record<string, unknown> = {}): void =>
    sse(res, null, { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason }], ...extra });
  chunk({ role: 'assistant', content: '' }, null);
  if (turn.text) for (const piece of turn.text.match(/.{1,16}/gs) ?? []) chunk({ content: piece }, null);
  if (toolCalls) chunk({ tool_calls: toolCalls }, null);
  chunk({}, finish, { usage });
  res.write('data: [DONE]\n\n');
  res.end();
}

function countToolResults(body: any): number {
  if (Array.isArray(body?.input)) return body.input.filter((i: any) => i?.type === 'function_call_output' || i?.type === 'custom_tool_call_output').length;
  if (Array.isArray(body?.messages)) return body.messages.filter((m: any) => m?.role === 'tool').length;
  return 0;
}

/** Starts the stub on 127.0.0.1 (a free port). */
export async function startOpenAIStub(turns: OpenAITurn[]): Promise<OpenAIStub> {
  if (turns.length === 0) throw new Error('startOpenAIStub needs at least one turn');
  const requests: OpenAIStubRequest[] = [];
  const server = await startLoopbackServer(({ method, path, body }, res) => {
    const rec: OpenAIStubRequest = { method, path, body };
    requests.push(rec);
    const model = typeof body?.model === 'string' ? body.model : 'stub-model';
    if (method === 'POST' && (path.endsWith('/responses') || path.endsWith('/chat/completions'))) {
      rec.turn = Math.min(countToolResults(body), turns.length - 1);
      const turn = turns[rec.turn]!;
      if (path.endsWith('/responses')) responsesTurn(res, turn, model);
      else chatTurn(res, turn, model, body?.stream === true);
      return;
    }
    if (method === 'GET' && path.endsWith('/models')) {
      writeJson(res, 200, { object: 'list', data: [], models: [] });
      return;
    }
    writeJson(res, 404, { error: { message: `stub: no route ${method} ${path}`, type: 'not_found' } });
  });
  return { url: `http://127.0.0.1:${server.port}/v1`, requests, close: server.close };
}

/**
 * Writes `<codexHome>/config.toml` pointing codex at the stub: a custom model provider `stub` with
 * `wire_api = "responses"`, no auth (an `OPENAI_API_KEY`-style env key `STUB_OPENAI_KEY`), and no network extras.
 * Returns the environment the codex process needs (CODEX_HOME, HOME, the key, offline flags).
 */
export function codexStubEnv(url: string, home: string, codexHome: string, model = 'gpt-stub'): { env: Record<string, string>; configToml: string } {
  const configToml = [
    `model = "${model}"`,
    'model_provider = "stub"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    '',
    '[model_providers.stub]',
    'name = "Loopback stub"',
    `base_url = "${url}"`,
    'env_key = "STUB_OPENAI_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
  return {
    configToml,
    env: {
      HOME: home,
      CODEX_HOME: codexHome,
      STUB_OPENAI_KEY: 'test',
      OPENAI_API_KEY: 'test',
      NO_PROXY: '127.0.0.1,localhost',
      HTTPS_PROXY: '',
      HTTP_PROXY: '',
      RUST_LOG: 'error',
    },
  };
}
