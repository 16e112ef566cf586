/**
 * Stream parsers over realistic samples in each CLI's documented output shape (Claude Code stream-json, qwen
 * stream-json, `codex exec --json`, `opencode run --format json`, agy plain text), fed whole and split at every
 * possible chunk boundary (fast-check): a line may arrive in pieces and must parse the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getProvider } from '../../lib/providers/index.js';
import type { StreamParser, TranscriptEntry } from '../../lib/providers/types.js';

const j = (o: unknown): string => JSON.stringify(o);

function parse(provider: string, text: string, cuts: number[] = []): { entries: TranscriptEntry[]; p: StreamParser } {
  const p = getProvider(provider).createParser();
  const entries: TranscriptEntry[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    entries.push(...p.feed(text.slice(prev, c)));
    prev = c;
  }
  entries.push(...p.feed(text.slice(prev)));
  entries.push(...p.end());
  return { entries, p };
}

const strip = (es: TranscriptEntry[]): unknown[] => es.map(({ ts: _ts, ...rest }) => rest);

function sameUnderAnySplit(provider: string, text: string): void {
  const whole = strip(parse(provider, text).entries);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
      assert.deepEqual(strip(parse(provider, text, cuts).entries), whole);
    }),
    { numRuns: 60 },
  );
}

const SESSION = '7d2c0c2e-2b5e-4a43-9a52-0f1f3c6c9e11';
const CLAUDE_SAMPLE = [
  j({ type: 'system', subtype: 'init', cwd: '/w', session_id: SESSION, tools: ['Bash', 'Edit', 'Read', 'Write'], model: 'claude-opus-4-5', permissionMode: 'bypassPermissions', apiKeySource: 'none' }),
  j({ type: 'assistant', message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'thinking', thinking: 'Let me look.', signature: 'sig' }], usage: { input_tokens: 3, cache_creation_input_tokens: 1500, cache_read_input_tokens: 12000, output_tokens: 8 } }, parent_tool_use_id: null, session_id: SESSION }),
  j({ type: 'assistant', message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'text', text: "I'll check the tests first." }], usage: { input_tokens: 3, cache_creation_input_tokens: 1500, cache_read_input_tokens: 12000, output_tokens: 8 } }, parent_tool_use_id: null, session_id: SESSION }),
  j({ type: 'assistant', message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'npm test', description: 'Run tests' } }], usage: { input_tokens: 3, cache_creation_input_tokens: 1500, cache_read_input_tokens: 12000, output_tokens: 8 } }, parent_tool_use_id: null, session_id: SESSION }),
  j({ type: 'user', message: { role: 'user', content: [{ tool_use_id: 'toolu_01', type: 'tool_result', content: [{ type: 'text', text: '1 failing' }, { type: 'text', text: 'parser.test.ts' }], is_error: true }] }, parent_tool_use_id: null, session_id: SESSION }),
  j({ type: 'assistant', message: { id: 'msg_02', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'tool_use', id: 'toolu_02', name: 'Edit', input: { file_path: '/w/parser.ts', old_string: 'a', new_string: 'b' } }], usage: { input_tokens: 5, cache_creation_input_tokens: 200, cache_read_input_tokens: 13500, output_tokens: 60 } }, session_id: SESSION }),
  j({ type: 'user', message: { role: 'user', content: [{ tool_use_id: 'toolu_02', type: 'tool_result', content: 'The file /w/parser.ts has been updated.' }] }, session_id: SESSION }),
  j({ type: 'assistant', message: { id: 'msg_03', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'text', text: 'Fixed the off-by-one in the parser.' }], usage: { input_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 13700, output_tokens: 15 } }, session_id: SESSION }),
  j({ type: 'result', subtype: 'success', is_error: false, duration_ms: 21034, duration_api_ms: 19876, num_turns: 3, result: 'Fixed the off-by-one in the parser.', session_id: SESSION, total_cost_usd: 0.0873, usage: { input_tokens: 10, cache_creation_input_tokens: 1700, cache_read_input_tokens: 39200, output_tokens: 83 } }),
].join('\n') + '\n';

test('claude stream-json: text, tool calls and results (string and block content), reply, result usage and cost', () => {
  const { entries, p } = parse('claude', CLAUDE_SAMPLE);
  assert.deepEqual(strip(entries), [
    { type: 'system', text: 'session started model=claude-opus-4-5' },
    { type: 'assistant', text: "I'll check the tests first." },
    { type: 'tool_call', id: 'toolu_01', name: 'Bash', input: { command: 'npm test', description: 'Run tests' } },
    { type: 'tool_result', id: 'toolu_01', output: '1 failing\nparser.test.ts', is_error: true },
    { type: 'tool_call', id: 'toolu_02', name: 'Edit', input: { file_path: '/w/parser.ts', old_string: 'a', new_string: 'b' } },
    { type: 'tool_result', id: 'toolu_02', output: 'The file /w/parser.ts has been updated.', is_error: false },
    { type: 'assistant', text: 'Fixed the off-by-one in the parser.' },
  ]);
  assert.equal(p.reply(), 'Fixed the off-by-one in the parser.');
  assert.deepEqual(p.usage(), { input_tokens: 10, output_tokens: 83, cache_read_tokens: 39200, cache_write_tokens: 1700, cost_usd: 0.0873 });
  assert.equal(p.sessionId(), SESSION);
  for (const e of entries) assert.match(e.ts!, /^\d{4}-\d\d-\d\dT/);
});

test('claude stream-json without a result event sums usage once per message id and replies with the last message', () => {
  const cut = CLAUDE_SAMPLE.split('\n').filter((l) => l && !l.includes('"type":"result"')).join('\n');
  const { p } = parse('claude', cut);
  assert.equal(p.reply(), 'Fixed the off-by-one in the parser.');
  assert.deepEqual(p.usage(), { input_tokens: 10, output_tokens: 83, cache_read_tokens: 39200, cache_write_tokens: 1700, cost_usd: null });
});

test('claude stream-json: an error result becomes an error entry; stray text lines are ignored', () => {
  const text = 'Warning: something on stdout\n' + j({ type: 'result', subtype: 'error_during_execution', is_error: true, result: 'API Error: 529 overloaded', session_id: SESSION }) + '\n';
  const { entries, p } = parse('claude', text);
  assert.deepEqual(strip(entries), [{ type: 'error', message: 'API Error: 529 overloaded' }]);
  assert.equal(p.reply(), '');
  assert.equal(getProvider('claude').isRetryable(1, text), true);
  assert.equal(getProvider('claude').isRetryable(1, 'Error: invalid model'), false);
});

test('claude stream-json parses the same under any chunking', () => sameUnderAnySplit('claude', CLAUDE_SAMPLE));

const QWEN_SAMPLE = [
  j({ type: 'system', subtype: 'init', uuid: 'u0', session_id: 'qwen-s1', cwd: '/w', tools: ['read_file', 'write_file', 'run_shell_command'], model: 'qwen3.6-plus', permission_mode: 'yolo', qwen_code_version: '0.2.0' }),
  j({ type: 'assistant', uuid: 'u1', session_id: 'qwen-s1', parent_tool_use_id: null, message: { id: 'q1', type: 'message', role: 'assistant', model: 'qwen3.6-plus', content: [{ type: 'tool_use', id: 'call_q1', name: 'write_file', input: { file_path: '/w/a.txt', content: 'A' } }], stop_reason: null, usage: { input_tokens: 900, output_tokens: 40, cache_read_input_tokens: 0 } } }),
  j({ type: 'user', uuid: 'u2', session_id: 'qwen-s1', parent_tool_use_id: null, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_q1', is_error: false, content: 'Successfully created and wrote to new file: /w/a.txt.' }] } }),
  j({ type: 'assistant', uuid: 'u3', session_id: 'qwen-s1', parent_tool_use_id: null, message: { id: 'q2', type: 'message', role: 'assistant', model: 'qwen3.6-plus', content: [{ type: 'text', text: 'Wrote a.txt.' }], stop_reason: null, usage: { input_tokens: 960, output_tokens: 6 } } }),
  j({ type: 'result', subtype: 'success', uuid: 'u4', session_id: 'qwen-s1', is_error: false, duration_ms: 5000, duration_api_ms: 4000, num_turns: 2, result: 'Wrote a.txt.', usage: { input_tokens: 1860, output_tokens: 46, cache_read_input_tokens: 0, total_tokens: 1906 }, permission_denials: [] }),
].join('\n');

test('qwen stream-json: tool call and result, assistant text, final result and usage', () => {
  const { entries, p } = parse('qwen', QWEN_SAMPLE);
  assert.deepEqual(strip(entries).slice(1), [
    { type: 'tool_call', id: 'call_q1', name: 'write_file', input: { file_path: '/w/a.txt', content: 'A' } },
    { type: 'tool_result', id: 'call_q1', output: 'Successfully created and wrote to new file: /w/a.txt.', is_error: false },
    { type: 'assistant', text: 'Wrote a.txt.' },
  ]);
  assert.equal(p.reply(), 'Wrote a.txt.');
  assert.equal(p.usage().input_tokens, 1860);
  assert.equal(p.usage().output_tokens, 46);
  assert.equal(p.usage().cost_usd, null);
  assert.equal(p.sessionId(), 'qwen-s1');
  sameUnderAnySplit('qwen', QWEN_SAMPLE);
});

test('qwen usage: cache reads come out of input_tokens (OpenAI prompt_tokens include them); claude keeps its input as is', () => {
  const usage = { input_tokens: 1200, output_tokens: 50, cache_read_input_tokens: 800, total_tokens: 1250 };
  const result = j({ type: 'result', subtype: 'success', session_id: 's', is_error: false, result: 'ok', usage });
  const qwen = parse('qwen', result).p.usage();
  assert.deepEqual([qwen.input_tokens, qwen.cache_read_tokens, qwen.output_tokens], [400, 800, 50]);
  const claude = parse('claude', result).p.usage();
  assert.deepEqual([claude.input_tokens, claude.cache_read_tokens], [1200, 800]);
});

const CODEX_SAMPLE = [
  j({ type: 'thread.started', thread_id: '0199a213-81c0-7800-8aa1-bbab2a035a53' }),
  j({ type: 'turn.started' }),
  j({ type: 'item.completed', item: { id: 'item_0', type: 'reasoning', text: '**Inspecting the repo**' } }),
  j({ type: 'item.started', item: { id: 'item_1', type: 'command_execution', command: "bash -lc 'ls'", aggregated_output: '', exit_code: null, status: 'in_progress' } }),
  j({ type: 'item.completed', item: { id: 'item_1', type: 'command_execution', command: "bash -lc 'ls'", aggregated_output: 'README.md\nsrc\n', exit_code: 0, status: 'completed' } }),
  j({ type: 'item.started', item: { id: 'item_2', type: 'command_execution', command: "bash -lc 'npm test'", aggregated_output: '', exit_code: null, status: 'in_progress' } }),
  j({ type: 'item.completed', item: { id: 'item_2', type: 'command_execution', command: "bash -lc 'npm test'", aggregated_output: '1 failing\n', exit_code: 1, status: 'failed' } }),
  j({ type: 'item.completed', item: { id: 'item_3', type: 'file_change', changes: [{ path: '/w/src/parser.ts', kind: 'update' }, { path: '/w/src/new.ts', kind: 'add' }], status: 'completed' } }),
  j({ type: 'item.completed', item: { id: 'item_4', type: 'agent_message', text: 'Fixed the parser and added new.ts.' } }),
  j({ type: 'turn.completed', usage: { input_tokens: 24763, cached_input_tokens: 24448, output_tokens: 122 } }),
].join('\n') + '\n';

test('codex exec --json: command and file-change tool rows, agent message, usage with cached input', () => {
  const { entries, p } = parse('codex', CODEX_SAMPLE);
  assert.deepEqual(strip(entries), [
    { type: 'system', text: 'thread started 0199a213-81c0-7800-8aa1-bbab2a035a53' },
    { type: 'tool_call', id: 'item_1', name: 'shell', input: { command: "bash -lc 'ls'" } },
    { type: 'tool_result', id: 'item_1', output: 'README.md\nsrc\n', is_error: false },
    { type: 'tool_call', id: 'item_2', name: 'shell', input: { command: "bash -lc 'npm test'" } },
    { type: 'tool_result', id: 'item_2', output: '1 failing\n', is_error: true },
    { type: 'tool_call', id: 'item_3', name: 'apply_patch', input: { changes: [{ path: '/w/src/parser.ts', kind: 'update' }, { path: '/w/src/new.ts', kind: 'add' }] } },
    { type: 'tool_result', id: 'item_3', output: 'update /w/src/parser.ts\nadd /w/src/new.ts', is_error: false },
    { type: 'assistant', text: 'Fixed the parser and added new.ts.' },
  ]);
  assert.equal(p.reply(), 'Fixed the parser and added new.ts.');
  assert.deepEqual(p.usage(), { input_tokens: 24763 - 24448, output_tokens: 122, cache_read_tokens: 24448, cache_write_tokens: 0, cost_usd: null });
  assert.equal(p.sessionId(), '0199a213-81c0-7800-8aa1-bbab2a035a53');
  sameUnderAnySplit('codex', CODEX_SAMPLE);
});

test('codex exec --json: a failed turn and a stream error become error entries', () => {
  const text = [j({ type: 'thread.started', thread_id: 't' }), j({ type: 'error', message: 'stream disconnected before completion: Transport error' }), j({ type: 'turn.failed', error: { message: 'stream disconnected before completion' } })].join('\n');
  const { entries } = parse('codex', text);
  assert.deepEqual(strip(entries).slice(1), [
    { type: 'error', message: 'stream disconnected before completion: Transport error' },
    { type: 'error', message: 'stream disconnected before completion' },
  ]);
  assert.equal(getProvider('codex').isRetryable(1, text), true);
});

const OPENCODE_SAMPLE = [
  j({ type: 'step_start', timestamp: 1763700000000, sessionID: 'ses_oc1', part: { id: 'prt_1', sessionID: 'ses_oc1', messageID: 'msg_1', type: 'step-start' } }),
  j({ type: 'tool_use', timestamp: 1763700001000, sessionID: 'ses_oc1', part: { id: 'prt_2', type: 'tool', callID: 'toolu_oc1', tool: 'write', state: { status: 'completed', input: { filePath: '/w/a.txt', content: 'A' }, output: '', title: 'a.txt', time: { start: 1, end: 2 } } } }),
  j({ type: 'tool_use', timestamp: 1763700001500, sessionID: 'ses_oc1', part: { id: 'prt_3', type: 'tool', callID: 'toolu_oc2', tool: 'bash', state: { status: 'error', input: { command: 'false' }, error: 'exit code 1' } } }),
  j({ type: 'text', timestamp: 1763700002000, sessionID: 'ses_oc1', part: { id: 'prt_4', type: 'text', text: 'Wrote a.txt.', time: { start: 1, end: 2 } } }),
  j({ type: 'step_finish', timestamp: 1763700003000, sessionID: 'ses_oc1', part: { id: 'prt_5', type: 'step-finish', reason: 'stop', cost: 0.0123, tokens: { input: 1200, output: 50, reasoning: 0, cache: { read: 800, write: 100 } } } }),
  j({ type: 'step_finish', timestamp: 1763700004000, sessionID: 'ses_oc1', part: { id: 'prt_6', type: 'step-finish', reason: 'stop', cost: 0.001, tokens: { input: 10, output: 5, reasoning: 0, cache: { read: 0, write: 0 } } } }),
  j({ type: 'error', timestamp: 1763700005000, sessionID: 'ses_oc1', error: { name: 'APIError', data: { message: 'Rate limit exceeded' } } }),
].join('\n');

test('opencode run --format json: tool rows, text, step_finish usage and cost, error detail', () => {
  const { entries, p } = parse('opencode', OPENCODE_SAMPLE);
  assert.deepEqual(strip(entries), [
    { type: 'tool_call', id: 'toolu_oc1', name: 'write', input: { filePath: '/w/a.txt', content: 'A' } },
    { type: 'tool_result', id: 'toolu_oc1', output: '', is_error: false },
    { type: 'tool_call', id: 'toolu_oc2', name: 'bash', input: { command: 'false' } },
    { type: 'tool_result', id: 'toolu_oc2', output: 'exit code 1', is_error: true },
    { type: 'assistant', text: 'Wrote a.txt.' },
    { type: 'error', message: 'Rate limit exceeded' },
  ]);
  assert.equal(p.reply(), 'Wrote a.txt.');
  const u = p.usage();
  assert.deepEqual({ ...u, cost_usd: Math.round(u.cost_usd! * 1e4) / 1e4 }, { input_tokens: 1210, output_tokens: 55, cache_read_tokens: 800, cache_write_tokens: 100, cost_usd: 0.0133 });
  assert.equal(p.sessionId(), 'ses_oc1');
  sameUnderAnySplit('opencode', OPENCODE_SAMPLE);
});

test('agy plain text: lines are assistant text, the reply is the whole output, no usage; retry on RESOURCE_EXHAUSTED', () => {
  const text = 'Looking at the parser.\n\nFixed it.\n';
  const { entries, p } = parse('agy', text);
  assert.deepEqual(strip(entries), [
    { type: 'assistant', text: 'Looking at the parser.' },
    { type: 'assistant', text: 'Fixed it.' },
  ]);
  assert.equal(p.reply(), 'Looking at the parser.\n\nFixed it.');
  assert.deepEqual(p.usage(), { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: null });
  const agy = getProvider('agy');
  assert.equal(agy.isRetryable(1, 'Error: RESOURCE_EXHAUSTED: quota'), true);
  assert.deepEqual(agy.retryDelaysMs, [60_000, 300_000, 1_800_000]);
  sameUnderAnySplit('agy', text);
});

test('fakey output in either protocol goes through the shared stream-json parser', () => {
  const stream = [
    j({ type: 'system', subtype: 'init', session_id: 'f1', model: 'fakey-large' }),
    j({ type: 'assistant', message: { id: 'msg_fakey_1', content: [{ type: 'text', text: 'hello\n' }] }, session_id: 'f1' }),
    j({ type: 'assistant', message: { id: 'msg_fakey_2', content: [{ type: 'text', text: 'world' }] }, session_id: 'f1' }),
    j({ type: 'result', subtype: 'success', is_error: false, result: 'hello\nworld', total_cost_usd: 0, usage: { input_tokens: 7, output_tokens: 3 }, session_id: 'f1' }),
  ].join('\n');
  const a = parse('fakey', stream).p;
  assert.equal(a.reply(), 'hello\nworld');
  assert.equal(a.usage().output_tokens, 3);
  const b = parse('fakey', 'hello\nworld\nFAKEY-USAGE: {"input_tokens": 7, "output_tokens": 3}\n').p;
  assert.equal(b.reply(), 'hello\nworld');
  assert.equal(b.usage().input_tokens, 7);
  const { entries } = parse('fakey', 'FAKEY-RETRYABLE: try again\n');
  assert.deepEqual(strip(entries), [{ type: 'error', message: 'FAKEY-RETRYABLE: try again' }]);
});
