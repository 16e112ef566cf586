/**
 * End-to-end: the REAL `claude` CLI (devDependency @anthropic-ai/claude-code) driven through the claude provider's
 * invocation against a loopback Anthropic Messages API stub. The stub asks for a Write tool call, then replies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getProvider, resolveModel } from '../../lib/providers/index.js';
import { tmpdir } from '../helpers/index.js';
import { errorTurn, textTurn, toolUseTurn } from './stubs/anthropic-stub.js';
import { claudeStubSetup, NODE_BIN, runInvocation } from './stubs/e2e.js';

const hasClaude = existsSync(join(NODE_BIN, 'claude'));

test('the real claude CLI writes a file through the Write tool and the provider parses the transcript, reply and usage', { skip: !hasClaude && 'claude devDependency not installed', timeout: 180_000 }, async (t) => {
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const target = join(ws, 'notes', 'hello.txt');
  const { stub, env } = await claudeStubSetup(t, [
    toolUseTurn('Write', { file_path: target, content: 'hello from the stub\n' }, { id: 'toolu_e2e_write', usage: { input_tokens: 310, output_tokens: 41, cache_creation_input_tokens: 77, cache_read_input_tokens: 5 } }),
    textTurn('I created notes/hello.txt.', { input_tokens: 420, output_tokens: 9, cache_read_input_tokens: 300 }),
  ]);
  const provider = getProvider('claude');
  const inv = provider.invocation({ model: resolveModel('claude/sonnet', {}), prompt: 'Create notes/hello.txt saying hello.', cwd: ws, env, config: {} });
  assert.equal(inv.stdin, 'Create notes/hello.txt saying hello.');
  const r = await runInvocation(provider, inv, env);
  assert.equal(r.code, 0, `claude failed: ${r.stderr}\n${r.stdout.slice(0, 2000)}`);

  assert.equal(readFileSync(target, 'utf8'), 'hello from the stub\n');
  const call = r.entries.find((e) => e.type === 'tool_call');
  assert.ok(call && call.type === 'tool_call');
  assert.equal(call.name, 'Write');
  assert.equal(call.id, 'toolu_e2e_write');
  assert.deepEqual(call.input, { file_path: target, content: 'hello from the stub\n' });
  const result = r.entries.find((e) => e.type === 'tool_result');
  assert.ok(result && result.type === 'tool_result' && result.id === 'toolu_e2e_write' && !result.is_error);
  assert.ok(r.entries.some((e) => e.type === 'assistant' && e.text === 'I created notes/hello.txt.'));
  assert.equal(r.reply, 'I created notes/hello.txt.');
  assert.equal(r.sessionId, inv.sessionId);

  // Usage: the two scripted turns (input, output from message_delta, cache creation/read), as claude totals them.
  assert.equal(r.usage.input_tokens, 310 + 420);
  assert.equal(r.usage.output_tokens, 41 + 9);
  assert.equal(r.usage.cache_write_tokens, 77);
  assert.equal(r.usage.cache_read_tokens, 5 + 300);
  assert.equal(typeof r.usage.cost_usd, 'number');

  // The conversation really went through the stub: the second main request carried the tool result.
  const main = stub.requests.filter((q) => q.kind === 'main');
  assert.equal(main.length, 2);
  assert.equal(main[0]!.body.model.includes('sonnet'), true);
  const last = main[1]!.body.messages.at(-1);
  assert.ok(JSON.stringify(last).includes('toolu_e2e_write'));
});

test('a claude attempt that hits an API error exits non-zero and the claude provider classes it as retryable', { skip: !hasClaude && 'claude devDependency not installed', timeout: 180_000 }, async (t) => {
  const ws = tmpdir(t);
  const { env } = await claudeStubSetup(t, [errorTurn(400, 'invalid_request_error', 'stub says no')]);
  const provider = getProvider('claude');
  const inv = provider.invocation({ model: resolveModel('opus', {}), prompt: 'hello', cwd: ws, env, config: {} });
  const r = await runInvocation(provider, inv, env);
  assert.notEqual(r.code, 0);
  const output = r.stdout + r.stderr;
  assert.match(output, /API Error/);
  assert.equal(provider.isRetryable(r.code, output), true);
  assert.ok(r.entries.some((e) => e.type === 'error' && /API Error: 400 stub says no/.test(e.message)));
  assert.equal(r.reply, '', 'an error result is not a reply');
});
