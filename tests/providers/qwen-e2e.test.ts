/**
 * End-to-end: the REAL `qwen` CLI (devDependency @qwen-code/qwen-code, pinned to the last release that runs on
 * Node 20) driven through the qwen provider's invocation against the loopback OpenAI stub's Chat Completions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getProvider, resolveModel } from '../../lib/providers/index.js';
import { tmpdir } from '../helpers/index.js';
import { assertShellToolRun, NODE_BIN, qwenStubSetup, runInvocation } from './stubs/e2e.js';

const hasQwen = existsSync(join(NODE_BIN, 'qwen'));

test('the real qwen CLI runs a shell tool that writes a file and the provider parses the transcript, reply and usage', { skip: !hasQwen && 'qwen devDependency not installed', timeout: 180_000 }, async (t) => {
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const { stub, env } = await qwenStubSetup(t, [
    { call: { name: 'run_shell_command', arguments: { command: 'printf "made by qwen\\n" > made.txt', description: 'write made.txt' }, id: 'call_qwen_1' }, usage: { input_tokens: 500, output_tokens: 30, cached_tokens: 100 } },
    { text: 'Created made.txt.', usage: { input_tokens: 650, output_tokens: 8, cached_tokens: 400 } },
  ]);
  const provider = getProvider('qwen');
  const inv = provider.invocation({ model: resolveModel('qwen/qwen3.6-plus', {}), prompt: 'Create made.txt.', cwd: ws, env, config: {} });
  const r = await runInvocation(provider, inv, env);
  // Qwen reports OpenAI's prompt_tokens (cached included) as input_tokens; the provider reports uncached input.
  assertShellToolRun('qwen', r, {
    ws, file: 'made.txt', content: 'made by qwen\n', tool: 'run_shell_command', reply: 'Created made.txt.',
    usage: { input_tokens: 500 - 100 + (650 - 400), cache_read_tokens: 100 + 400, output_tokens: 38 },
  });

  const calls = stub.requests.filter((q) => q.path.endsWith('/chat/completions'));
  assert.equal(calls.length, 2);
  assert.equal(calls[0]!.body.model, 'qwen3.6-plus', '--model wins over OPENAI_MODEL');
  assert.equal(calls[0]!.body.messages.at(-1).role, 'user');
  assert.match(JSON.stringify(calls[0]!.body.messages.at(-1).content), /Create made\.txt\./);
  assert.ok(calls[1]!.body.messages.some((m: any) => m.role === 'tool' && m.tool_call_id === 'call_qwen_1'));
});
