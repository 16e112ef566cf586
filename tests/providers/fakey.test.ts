/**
 * fakey scenario tests: the REAL compiled fakey binary, spawned through the fakey provider's invocation, parsed by
 * the provider's parser. spec/runtime.md §c.3, runtime-vectors.md "fakey vectors".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getProvider, resolveModel } from '../../lib/providers/index.js';
import { binPath, runBin, tmpdir } from '../helpers/index.js';
import { runInvocation } from './stubs/e2e.js';

const fakey = getProvider('fakey');

function baseEnv(stateDir: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: stateDir, FAKEY_STATE_DIR: stateDir, ...extra };
}

async function attempt(model: string, prompt: string, cwd: string, env: Record<string, string | undefined>) {
  const inv = fakey.invocation({ model: resolveModel(model, {}), prompt, cwd, env, config: {} });
  return { inv, r: await runInvocation(fakey, inv, env, 60_000) };
}

function invocationRecords(stateDir: string): any[] {
  return readdirSync(stateDir)
    .filter((f) => /^invocation-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
    .map((f) => JSON.parse(readFileSync(join(stateDir, f), 'utf8')));
}

test('fakey/@ok succeeds with the scenario reply, its usage, and an invocation record', async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const { inv, r } = await attempt('fakey/@ok', 'say hi', ws, baseEnv(state));
  assert.deepEqual(inv.args.slice(-2), ['--model', '@ok']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.reply, 'Fakey completed successfully.');
  assert.equal(r.usage.input_tokens, 7);
  assert.equal(r.usage.output_tokens, 3);
  assert.ok(r.entries.some((e) => e.type === 'assistant' && e.text === 'Fakey completed successfully.'));
  const [rec] = invocationRecords(state);
  assert.equal(rec.prompt, 'say hi');
  assert.equal(rec.model, '@ok');
  assert.equal(rec.scenario_source, '@ok');
  assert.deepEqual(rec.outcome, { exit_code: 0, status: 'succeeded' });
});

test('bare fakey runs the default scenario, which echoes the first line of the prompt', async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const { inv, r } = await attempt('fakey', 'Tell me about\nthis repo', ws, baseEnv(state));
  assert.deepEqual(inv.args.slice(-2), ['--model', 'fakey-large']);
  assert.equal(r.code, 0);
  assert.match(r.reply, /^Fakey completed successfully\./);
  assert.match(r.reply, /Tell me about/);
  assert.doesNotMatch(r.reply, /this repo/);
});

test('@flaky fails retryably on the first attempt and succeeds on the next process, keyed by workspace', async (t) => {
  const ws = tmpdir(t);
  const other = tmpdir(t);
  const state = tmpdir(t);
  const env = baseEnv(state);
  const first = await attempt('fakey/@flaky', 'x', ws, env);
  assert.equal(first.r.code, 1);
  assert.match(first.r.stderr, /^FAKEY-RETRYABLE: transient fakey failure$/m);
  assert.equal(fakey.isRetryable(first.r.code, first.r.stdout + first.r.stderr), true);
  assert.deepEqual(fakey.retryDelaysMs, [0, 0, 0]);
  assert.ok(first.r.entries.some((e) => e.type === 'error'));

  // Another workspace has its own cursor: it fails first too.
  const elsewhere = await attempt('fakey/@flaky', 'x', other, env);
  assert.equal(elsewhere.r.code, 1);

  const second = await attempt('fakey/@flaky', 'x', ws, env);
  assert.equal(second.r.code, 0, second.r.stderr);
  assert.equal(second.r.reply, 'Fakey recovered on the second attempt.');
  assert.equal(fakey.isRetryable(second.r.code, second.r.stdout + second.r.stderr), false);

  const recs = invocationRecords(state);
  assert.deepEqual(recs.map((r) => r.outcome.status), ['failed', 'failed', 'succeeded']);
  assert.deepEqual(recs.map((r) => r.attempt_index), [0, 0, 1]);
  assert.equal(recs[0].outcome.marker, 'FAKEY-RETRYABLE');
});

test('@crash exits non-zero with a non-retryable FAKEY-FAIL', async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const { r } = await attempt('fakey/@crash', 'x', ws, baseEnv(state));
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^FAKEY-FAIL: fakey crashed$/m);
  assert.equal(fakey.isRetryable(r.code, r.stdout + r.stderr), false);
  const err = r.entries.find((e) => e.type === 'error');
  assert.ok(err && err.type === 'error' && /fakey crashed/.test(err.message));
  assert.equal(r.reply, '');
});

test('@hang never finishes on its own; SIGTERM ends it cleanly with 143 and the outcome is recorded', { timeout: 60_000 }, async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const env = baseEnv(state);
  const inv = fakey.invocation({ model: resolveModel('fakey/@hang', {}), prompt: 'wait', cwd: ws, env, config: {} });
  const child = spawn(inv.command, inv.args, { cwd: ws, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(inv.stdin);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
  // Started: the init event is out. Then it must still be running a while later.
  for (let i = 0; i < 400 && !out.includes('"subtype":"init"'); i++) await new Promise((r) => setTimeout(r, 25));
  assert.match(out, /"subtype":"init"/);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(child.exitCode, null, 'still running');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 143);
  const [rec] = invocationRecords(state);
  assert.deepEqual(rec.outcome, { exit_code: 143, status: 'terminated' });
});

test('@hang killed with SIGKILL dies at once', { timeout: 60_000 }, async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const env = baseEnv(state);
  const inv = fakey.invocation({ model: resolveModel('fakey/@hang', {}), prompt: 'wait', cwd: ws, env, config: {} });
  const child = spawn(inv.command, inv.args, { cwd: ws, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end(inv.stdin);
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('close', (_c, s) => res(s)));
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
});

test('file steps write, edit, append and delete files in the working directory and show up as tool calls', async (t) => {
  const ws = tmpdir(t, { 'src/app.txt': 'version = 1\nname = demo\n', 'old.txt': 'bye\n' });
  const state = tmpdir(t);
  const prompt = [
    'Please change the app.',
    '```fakey',
    'reply: edited the app',
    'usage: {input_tokens: 11, output_tokens: 5}',
    'steps:',
    '  - write: {path: docs/NEW.md, content: "# new\\n"}',
    '  - edit: {path: src/app.txt, find: "version = 1", replace: "version = 2"}',
    '  - append: {path: src/app.txt, content: "extra = yes\\n"}',
    '  - delete: old.txt',
    '```',
  ].join('\n');
  const { r } = await attempt('fakey', prompt, ws, baseEnv(state));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(ws, 'docs/NEW.md'), 'utf8'), '# new\n');
  assert.equal(readFileSync(join(ws, 'src/app.txt'), 'utf8'), 'version = 2\nname = demo\nextra = yes\n');
  assert.equal(existsSync(join(ws, 'old.txt')), false);
  const calls = r.entries.filter((e) => e.type === 'tool_call');
  assert.deepEqual(calls.map((c) => (c.type === 'tool_call' ? c.name : '')), ['Write', 'Edit', 'Edit', 'Bash']);
  assert.equal(r.entries.filter((e) => e.type === 'tool_result').length, 4);
  assert.equal(r.reply, 'edited the app');
  assert.equal(r.usage.input_tokens, 11);
});

test('a file step may not leave the working directory', async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const prompt = '```fakey\nsteps:\n  - write: {path: ../escape.txt, content: x}\n```';
  const { r } = await attempt('fakey', prompt, ws, baseEnv(state));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FAKEY-FAIL: file step path escapes the working directory/);
  assert.equal(existsSync(join(ws, '..', 'escape.txt')), false);
});

test('the text protocol prints the embedded reply then a FAKEY-USAGE line the parser strips (runtime-vectors fakey)', async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const prompt = 'Run a deterministic response.\n```fakey\nreply: embedded reply\nusage: {input_tokens: 7, output_tokens: 3}\n```\n';
  const r = await runBin('fakey', ['--output-format', 'text'], { cwd: ws, input: prompt, env: { FAKEY_STATE_DIR: state } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'embedded reply\nFAKEY-USAGE: {"input_tokens": 7, "output_tokens": 3}\n');
  const p = fakey.createParser();
  p.feed(r.stdout);
  p.end();
  assert.equal(p.reply(), 'embedded reply');
  assert.equal(p.usage().input_tokens, 7);
  assert.equal(p.usage().output_tokens, 3);
});

test('env knobs: FAKEY_FAIL_TIMES fails that many invocations, then succeeds', async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const env = baseEnv(state, { FAKEY_FAIL_TIMES: '2', FAKEY_FAIL_MESSAGE: 'try later', FAKEY_REPLY: 'finally' });
  const codes: (number | null)[] = [];
  for (let i = 0; i < 3; i++) codes.push((await attempt('fakey', 'x', ws, env)).r.code);
  assert.deepEqual(codes, [1, 1, 0]);
});

test('an invalid scenario exits 2 and names the offending field', async (t) => {
  const ws = tmpdir(t);
  const r = await runBin('fakey', [], { cwd: ws, input: '```fakey\nattempts:\n  - fail: {exit_code: 0}\n```', env: { FAKEY_STATE_DIR: tmpdir(t) } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /attempts\[1\]\.fail\.exit_code must be at least 1/);
  const unknown = await runBin('fakey', ['--scenario', '@nope'], { cwd: ws, input: '', env: { FAKEY_STATE_DIR: tmpdir(t) } });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown bundled scenario '@nope'; available scenarios: @ok/);
});

test('a scenario file path selects that scenario (fakey/<path>)', async (t) => {
  const ws = tmpdir(t, { 'sc.yml': 'version: 1\nreply: from a file\n' });
  const state = tmpdir(t);
  const { r } = await attempt(`fakey/${join(ws, 'sc.yml')}`, 'x', ws, baseEnv(state));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.reply, 'from a file');
});

test('@slow streams its reply in chunks and @demo writes its file', { timeout: 60_000 }, async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const slow = await attempt('fakey/@slow', 'x', ws, baseEnv(state));
  assert.equal(slow.r.code, 0);
  assert.equal(slow.r.entries.filter((e) => e.type === 'assistant').length, 2);
  assert.equal(slow.r.reply, 'Fakey is streaming.\nFakey completed successfully.');
  const demo = await attempt('fakey/@demo', 'Show me the demo', ws, baseEnv(state));
  assert.equal(demo.r.code, 0);
  assert.match(readFileSync(join(ws, 'fakey-demo.md'), 'utf8'), /> Show me the demo/);
  assert.ok(demo.r.entries.some((e) => e.type === 'tool_call' && e.name === 'Write'));
  assert.ok(demo.r.usage.output_tokens > 0);
});

test('fakey --list-scenarios lists every bundled scenario', async () => {
  const r = await runBin('fakey', ['--list-scenarios']);
  assert.equal(r.code, 0);
  const names = r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
  for (const n of ['@ok', '@flaky', '@flaky2', '@crash', '@hang', '@slow', '@capacity', '@demo']) assert.ok(names.includes(n), n);
  assert.ok(existsSync(binPath('fakey')));
});

test('concurrent fakey processes sharing a state dir never reuse an attempt or an invocation number', { timeout: 120_000 }, async (t) => {
  const ws = tmpdir(t);
  const state = tmpdir(t);
  const env = baseEnv(state);
  const results = await Promise.all(Array.from({ length: 8 }, () => attempt('fakey/@flaky', 'x', ws, env)));
  assert.equal(results.filter(({ r }) => r.code === 1).length, 1, 'exactly one process drew the failing first attempt');
  assert.equal(results.filter(({ r }) => r.code === 0).length, 7);
  const recs = invocationRecords(state);
  assert.equal(recs.length, 8);
  assert.deepEqual(recs.map((r) => r.attempt_index).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
});
