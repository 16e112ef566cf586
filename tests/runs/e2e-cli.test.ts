/**
 * End-to-end `sase run` with the REAL agent CLIs (devDependencies) against the loopback API stubs of
 * tests/providers/stubs: the stub asks for a file write, then replies; the run's record must hold the tool call,
 * the reply, the usage and the diff, and the file must exist in the workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { textTurn, toolUseTurn } from '../providers/stubs/anthropic-stub.js';
import { claudeStubSetup, codexStubSetup, NODE_BIN } from '../providers/stubs/e2e.js';
import { isolatedEnv, recJson, recJsonl, sase } from './helpers.js';

function strEnv(e: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e)) if (v !== undefined) out[k] = v;
  return out;
}

test('sase run drives the real claude CLI: Write tool call, reply, usage, diff, status DONE', { skip: !existsSync(join(NODE_BIN, 'claude')) && 'claude not installed', timeout: 240_000 }, async (t) => {
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const target = join(ws, 'notes', 'hello.txt');
  const { stub, env: stubEnv } = await claudeStubSetup(t, [
    toolUseTurn('Write', { file_path: target, content: 'hello from the stub\n' }, { id: 'toolu_run_write', usage: { input_tokens: 310, output_tokens: 41 } }),
    textTurn('I created notes/hello.txt.', { input_tokens: 420, output_tokens: 9 }),
  ]);
  const env = { ...strEnv(stubEnv), ...isolatedEnv(t), HOME: stubEnv.HOME! };
  const r = await sase(['run', '--wait', '--json', '--timeout', '200s', `#cd:${ws} %m:claude/sonnet %n:cl Create notes/hello.txt saying hello.`], env, undefined, 230_000);
  const a = r.json?.data?.agents?.[0];
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}\n${a ? readFileSync(join(a.record_dir, 'attempts', '1', 'stderr'), 'utf8') : ''}`);
  assert.equal(a.status, 'DONE');
  assert.equal(readFileSync(target, 'utf8'), 'hello from the stub\n');
  const transcript = recJsonl(a.record_dir, 'transcript.jsonl');
  const call = transcript.find((e) => e.type === 'tool_call');
  assert.equal(call.name, 'Write');
  assert.equal(call.id, 'toolu_run_write');
  assert.ok(transcript.some((e) => e.type === 'tool_result' && e.id === 'toolu_run_write'));
  assert.equal(readFileSync(join(a.record_dir, 'reply.md'), 'utf8').trim(), 'I created notes/hello.txt.');
  const usage = recJson(a.record_dir, 'usage.json').total;
  assert.equal(usage.input_tokens, 730);
  assert.equal(usage.output_tokens, 50);
  const diff = recJson(a.record_dir, 'diff.json');
  assert.deepEqual(diff.files.map((f: any) => [f.path, f.status, f.added]), [['notes/hello.txt', 'added', 1]]);
  const inv = recJson(join(a.record_dir, 'attempts', '1'), 'invocation.json');
  assert.ok(inv.args.includes('--output-format') && inv.args.includes('stream-json'));
  assert.ok(stub.requests.filter((q) => q.kind === 'main').length >= 2, 'the conversation went through the stub');
});

test('sase run drives the real codex CLI against the OpenAI stub', { skip: !existsSync(join(NODE_BIN, 'codex')) && 'codex not installed', timeout: 240_000 }, async (t) => {
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const { env: stubEnv } = await codexStubSetup(t, [
    { call: { name: 'exec_command', arguments: { cmd: 'printf "hello from codex\\n" > hello.txt' }, id: 'call_run_1' }, usage: { input_tokens: 500, output_tokens: 30, cached_tokens: 200 } },
    { text: 'Created hello.txt.', usage: { input_tokens: 650, output_tokens: 8, cached_tokens: 450 } },
  ]);
  const env = { ...strEnv(stubEnv), ...isolatedEnv(t), HOME: stubEnv.HOME! };
  const r = await sase(['run', '--wait', '--json', '--timeout', '200s', `#cd:${ws} %m:codex/gpt-5.5 %n:cx Create hello.txt.`], env, undefined, 230_000);
  const a = r.json?.data?.agents?.[0];
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.equal(a.status, 'DONE');
  assert.equal(readFileSync(join(ws, 'hello.txt'), 'utf8'), 'hello from codex\n');
  assert.ok(recJsonl(a.record_dir, 'transcript.jsonl').some((e) => e.type === 'tool_call'));
  assert.equal(readFileSync(join(a.record_dir, 'reply.md'), 'utf8').trim(), 'Created hello.txt.');
  assert.equal(recJson(a.record_dir, 'usage.json').total.output_tokens, 38);
  assert.deepEqual(recJson(a.record_dir, 'diff.json').files.map((f: any) => f.path), ['hello.txt']);
});
