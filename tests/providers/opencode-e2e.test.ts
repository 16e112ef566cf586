/**
 * End-to-end: the REAL `opencode` CLI (devDependency opencode-ai) driven through the opencode provider's invocation
 * against the loopback OpenAI stub, configured as an OpenAI-compatible provider.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getProvider, resolveModel } from '../../lib/providers/index.js';
import { tmpdir } from '../helpers/index.js';
import { assertShellToolRun, NODE_BIN, opencodeStubSetup, runInvocation } from './stubs/e2e.js';

const hasOpencode = existsSync(join(NODE_BIN, 'opencode'));

test('the real opencode CLI runs a bash tool that writes a file and the provider parses the transcript, reply and usage', { skip: !hasOpencode && 'opencode devDependency not installed', timeout: 180_000 }, async (t) => {
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const { stub, env } = await opencodeStubSetup(t, [
    { call: { name: 'bash', arguments: { command: 'printf "made by opencode\\n" > made.txt', description: 'write made.txt' }, id: 'call_oc_1' }, usage: { input_tokens: 500, output_tokens: 30, cached_tokens: 100 } },
    { text: 'Created made.txt.', usage: { input_tokens: 650, output_tokens: 8, cached_tokens: 400 } },
  ]);
  const provider = getProvider('opencode');
  const inv = provider.invocation({ model: resolveModel('opencode/stub/stub-model', {}), prompt: 'Create made.txt.', cwd: ws, env, config: {} });
  assert.equal(inv.args.at(-1), 'Create made.txt.', 'the prompt is the last argument');
  const r = await runInvocation(provider, inv, env);
  // OpenCode already reports uncached input; cache reads separately.
  assertShellToolRun('opencode', r, {
    ws, file: 'made.txt', content: 'made by opencode\n', tool: 'bash', reply: 'Created made.txt.',
    usage: { input_tokens: 500 - 100 + (650 - 400), cache_read_tokens: 100 + 400, output_tokens: 38 },
  });
  assert.ok(r.sessionId?.startsWith('ses_'));

  const calls = stub.requests.filter((q) => q.path.endsWith('/chat/completions'));
  assert.ok(calls.some((c) => c.body.model === 'stub-model'));
  assert.ok(calls.some((c) => c.body.messages.some((m: any) => m.role === 'tool' && m.tool_call_id === 'call_oc_1')));
});
