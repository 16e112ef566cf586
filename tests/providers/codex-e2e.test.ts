/**
 * End-to-end: the REAL `codex` CLI (devDependency @openai/codex) driven through the codex provider's invocation
 * (shadow CODEX_HOME and all) against a loopback OpenAI Responses API stub configured as a custom model provider.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getProvider, resolveModel } from '../../lib/providers/index.js';
import { tmpdir } from '../helpers/index.js';
import { assertShellToolRun, codexStubSetup, NODE_BIN, runInvocation } from './stubs/e2e.js';

const hasCodex = existsSync(join(NODE_BIN, 'codex'));

test('the real codex CLI runs a shell tool that writes a file and the provider parses the transcript, reply and usage', { skip: !hasCodex && 'codex devDependency not installed', timeout: 180_000 }, async (t) => {
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const { stub, env, home } = await codexStubSetup(t, [
    { call: { name: 'exec_command', arguments: { cmd: 'printf "made by codex\\n" > made.txt' }, id: 'call_e2e_1' }, usage: { input_tokens: 500, output_tokens: 30, cached_tokens: 200 } },
    { text: 'Created made.txt.', usage: { input_tokens: 650, output_tokens: 8, cached_tokens: 450 } },
  ]);
  const provider = getProvider('codex');
  const inv = provider.invocation({ model: resolveModel('gpt55', {}), prompt: 'Create made.txt.', cwd: ws, env, config: {} });
  assert.ok(inv.env.CODEX_HOME?.startsWith(join(home, '.cache', 'sase', 'codex_home')), 'a shadow CODEX_HOME under ~/.cache/sase/codex_home');
  assert.equal(readFileSync(join(inv.env.CODEX_HOME!, 'config.toml'), 'utf8'), readFileSync(join(home, '.codex', 'config.toml'), 'utf8'));
  const r = await runInvocation(provider, inv, env);
  for (const p of inv.cleanupPaths ?? []) rmSync(p, { recursive: true, force: true });
  // Usage: input excludes cached tokens, which are counted as cache reads.
  assertShellToolRun('codex', r, {
    ws, file: 'made.txt', content: 'made by codex\n', tool: 'shell', reply: 'Created made.txt.',
    usage: { input_tokens: 500 - 200 + (650 - 450), cache_read_tokens: 200 + 450, output_tokens: 38 },
  });

  const calls = stub.requests.filter((q) => q.path.endsWith('/responses'));
  assert.equal(calls.length, 2);
  assert.equal(calls[0]!.body.model, 'gpt-5.5');
  assert.ok(calls[1]!.body.input.some((i: any) => i.type === 'function_call_output' && i.call_id === 'call_e2e_1'));
  assert.deepEqual(readdirSync(join(home, '.cache', 'sase', 'codex_home')), [], 'the shadow home was removed');
});
