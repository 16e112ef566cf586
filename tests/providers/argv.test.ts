/**
 * Provider command lines for given model strings: the table of runtime-vectors.md §5 (tier large, workspace /w,
 * no extra-args env unless shown), plus binary lookup order (config → SASE_<PROVIDER>_PATH → PATH).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ExternalToolError } from '../../lib/errors/index.js';
import { BUNDLED_FAKEY, execProviderName, getProvider, listProviders, probeVersion, resolveModel } from '../../lib/providers/index.js';
import type { Invocation, ModelTier } from '../../lib/providers/types.js';
import { tmpdir } from '../helpers/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PROMPT = 'Fix the parser.';

/** A PATH directory holding stand-in executables for every provider CLI. */
function fakeClis(t: TestContext): string {
  const dir = tmpdir(t);
  for (const name of ['claude', 'codex', 'qwen', 'opencode', 'agy', 'fakey']) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function build(t: TestContext, spec: string | null, opts: { env?: Record<string, string>; config?: Record<string, unknown>; tier?: ModelTier; provider?: string } = {}): { inv: Invocation; bin: string; home: string } {
  const bin = fakeClis(t);
  const home = tmpdir(t);
  const env = { PATH: bin, HOME: home, SASE_FAKEY_PATH: join(bin, 'fakey'), ...opts.env };
  const config = opts.config ?? {};
  const model = resolveModel(spec, config, { tier: opts.tier });
  const provider = getProvider(opts.provider ?? model.provider);
  return { inv: provider.invocation({ model, prompt: PROMPT, cwd: '/w', env, config }), bin, home };
}

/** argv with the executable's directory stripped and the session uuid replaced by `<uuid4>`. */
function shown(inv: Invocation, bin: string): string[] {
  return [inv.command.replace(`${bin}/`, ''), ...inv.args].map((a) => (UUID.test(a) ? '<uuid4>' : a));
}

const CLAUDE = ['claude', '-p', '--verbose', '--model', 'opus', '--output-format', 'stream-json', '--dangerously-skip-permissions', '--session-id', '<uuid4>'];
const CODEX = ['codex', 'exec', '--model', 'gpt-5.5', '--dangerously-bypass-approvals-and-sandbox', '--json', '--color', 'never', '--skip-git-repo-check', '-'];

const VECTORS: { spec: string | null; argv: string[]; stdin: boolean; tier?: ModelTier; config?: Record<string, unknown> }[] = [
  { spec: 'claude/opus', argv: CLAUDE, stdin: true },
  { spec: 'opus@xhigh', argv: [...CLAUDE, '--effort', 'xhigh'], stdin: true },
  { spec: 'sonnet', argv: CLAUDE.map((a) => (a === 'opus' ? 'sonnet' : a)), stdin: true },
  { spec: 'codex/gpt-5.5', argv: CODEX, stdin: true },
  { spec: 'gpt55', argv: CODEX, stdin: true },
  { spec: null, tier: 'small', config: { llm_provider: { provider: 'codex' } }, argv: CODEX.map((a) => (a === 'gpt-5.5' ? 'codex-mini-latest' : a)), stdin: true },
  { spec: 'qwen/qwen3.6-plus', argv: ['qwen', '--input-format', 'text', '--output-format', 'stream-json', '--yolo', '--model', 'qwen3.6-plus'], stdin: true },
  {
    spec: 'opencode/anthropic/claude-sonnet-4-5',
    argv: ['opencode', 'run', '--format', 'json', '--dangerously-skip-permissions', '--model', 'anthropic/claude-sonnet-4-5', '--dir', '/w', PROMPT],
    stdin: false,
  },
  { spec: 'fakey-large', argv: ['fakey', '--model', 'fakey-large'], stdin: true },
  { spec: 'fakey/fakey-large', argv: ['fakey', '--model', 'fakey-large'], stdin: true },
  { spec: 'fakey-small@low', argv: ['fakey', '--model', 'fakey-small', '--effort', 'low'], stdin: true },
];

for (const v of VECTORS) {
  test(`model string ${JSON.stringify(v.spec)} builds SASE's argv: ${v.argv.join(' ').slice(0, 90)}`, (t) => {
    const { inv, bin } = build(t, v.spec, { tier: v.tier, config: v.config });
    assert.deepEqual(shown(inv, bin), v.argv);
    assert.equal(inv.stdin, v.stdin ? PROMPT : null);
    assert.equal(inv.cwd, '/w');
  });
}

for (const spec of ['agy/Gemini 3.5 Flash (High)', 'flash35h']) {
  test(`agy model string ${JSON.stringify(spec)} puts the wrapped prompt in argv with NO_COLOR and TERM=dumb`, (t) => {
    const { inv, bin } = build(t, spec);
    const argv = shown(inv, bin);
    assert.deepEqual(argv.slice(0, -1), ['agy', '--print-timeout', '24h', '--model', 'Gemini 3.5 Flash (High)', '--dangerously-skip-permissions', '--add-dir', '/w', '--print']);
    assert.match(argv.at(-1)!, /^SASE Antigravity print-mode instructions:\n[\s\S]*\n\n--- User Prompt ---\nFix the parser\.$/);
    assert.equal(inv.stdin, null);
    assert.deepEqual(inv.env, { NO_COLOR: '1', TERM: 'dumb' });
  });
}

test('codex runs with a shadow CODEX_HOME under ~/.cache/sase/codex_home/<pid>-<hex> and CODEX_PROJECT_DIR', (t) => {
  const { inv, home } = build(t, 'codex/gpt-5.5');
  assert.match(inv.env.CODEX_HOME!, new RegExp(`^${home}/\\.cache/sase/codex_home/${process.pid}-[0-9a-f]{32}$`));
  assert.equal(inv.env.CODEX_PROJECT_DIR, '/w');
  assert.deepEqual(inv.cleanupPaths, [inv.env.CODEX_HOME]);
  const off = build(t, 'codex/gpt-5.5', { env: { SASE_CODEX_DISABLE_SHADOW_HOME: '1' } }).inv;
  assert.equal(off.env.CODEX_HOME, undefined);
  assert.deepEqual(off.cleanupPaths, []);
});

test('every claude attempt gets a new session uuid, reported on the invocation', (t) => {
  const a = build(t, 'claude/opus').inv;
  const b = build(t, 'claude/opus').inv;
  assert.match(a.sessionId!, UUID);
  assert.notEqual(a.sessionId, b.sessionId);
  assert.equal(a.args[a.args.indexOf('--session-id') + 1], a.sessionId);
});

test('SASE_LLM_LARGE_ARGS is appended and wins over SASE_CLAUDE_LARGE_ARGS; the small tier reads the _SMALL_ variables', (t) => {
  const both = build(t, 'claude/opus', { env: { SASE_LLM_LARGE_ARGS: '--foo 1', SASE_CLAUDE_LARGE_ARGS: '--bar 2' } }).inv;
  assert.deepEqual(both.args.slice(-2), ['--foo', '1']);
  assert.ok(!both.args.includes('--bar'));
  const own = build(t, 'claude/opus', { env: { SASE_CLAUDE_LARGE_ARGS: '--bar  2' } }).inv;
  assert.deepEqual(own.args.slice(-2), ['--bar', '2']);
  const small = build(t, 'claude/sonnet', { env: { SASE_LLM_LARGE_ARGS: '--large', SASE_CLAUDE_SMALL_ARGS: '--small' } }).inv;
  assert.deepEqual(small.args.slice(-1), ['--small']);
  const effortFirst = build(t, 'opus@high', { env: { SASE_LLM_LARGE_ARGS: '--foo 1' } }).inv;
  assert.deepEqual(effortFirst.args.slice(-4), ['--effort', 'high', '--foo', '1']);
});

test('SASE_LLM_EXEC_PROVIDER=fakey runs fakey with the displayed model', (t) => {
  const env = { SASE_LLM_EXEC_PROVIDER: 'fakey' };
  const choice = resolveModel('opus', {});
  assert.equal(choice.provider, 'claude');
  assert.equal(execProviderName(choice, env), 'fakey');
  assert.equal(execProviderName(choice, {}), 'claude');
  const { inv, bin } = build(t, 'opus', { env, provider: 'fakey' });
  assert.deepEqual(shown(inv, bin), ['fakey', '--model', 'opus']);
});

test('an explicit effort a provider cannot honour is an error (agy, and claude for none/minimal)', (t) => {
  assert.throws(() => build(t, 'agy/Gemini 3.5 Flash (High)@high'), /agy cannot honour reasoning effort 'high'/);
  assert.throws(() => build(t, 'opus@minimal'), /claude cannot honour reasoning effort 'minimal'/);
  assert.deepEqual(build(t, 'codex/gpt-5.5@high').inv.args.slice(-2), ['-c', 'model_reasoning_effort="high"']);
});

test('agy refuses a prompt over 120 KiB', (t) => {
  const bin = fakeClis(t);
  const model = resolveModel('flash35h', {});
  assert.throws(() => getProvider('agy').invocation({ model, prompt: 'x'.repeat(121 * 1024), cwd: '/w', env: { PATH: bin }, config: {} }), /prompt too large for agy/);
});

test('binaries are found via sase.yml first, then SASE_<PROVIDER>_PATH, then PATH; missing is an ExternalToolError', (t) => {
  const bin = fakeClis(t);
  const model = resolveModel('claude/opus', {});
  const claude = getProvider('claude');
  const run = (env: Record<string, string>, config: Record<string, unknown> = {}) => claude.invocation({ model, prompt: 'x', cwd: '/w', env, config }).command;
  assert.equal(run({ PATH: bin }), join(bin, 'claude'));
  assert.equal(run({ PATH: bin, SASE_CLAUDE_PATH: '/opt/claude/bin/claude' }), '/opt/claude/bin/claude');
  assert.equal(run({ PATH: bin, SASE_CLAUDE_PATH: '/opt/claude/bin/claude' }, { llm_provider: { claude: { path: '/cfg/claude' } } }), '/cfg/claude');
  assert.throws(() => run({ PATH: tmpdir(t) }), (e: unknown) => e instanceof ExternalToolError && /SASE_CLAUDE_PATH/.test(e.hint ?? ''));
});

test('fakey falls back to the bundled binary, run with node, when nothing else is configured', () => {
  const inv = getProvider('fakey').invocation({ model: resolveModel('fakey', {}), prompt: 'x', cwd: '/w', env: { PATH: '' }, config: {} });
  assert.equal(inv.command, process.execPath);
  assert.deepEqual(inv.args, [BUNDLED_FAKEY, '--model', 'fakey-large']);
});

test('listProviders reports each provider in autodetect order with its binary and version command', (t) => {
  const bin = fakeClis(t);
  const list = listProviders({ env: { PATH: bin }, config: {} });
  assert.deepEqual(list.map((p) => p.name), ['claude', 'codex', 'qwen', 'opencode', 'agy', 'fakey']);
  assert.deepEqual(list[0]!.versionCommand, [join(bin, 'claude'), '--version']);
  assert.equal(list.find((p) => p.name === 'fakey')!.binary!.via, 'bundled');
  const none = listProviders({ env: { PATH: '' }, config: {} });
  assert.equal(none[0]!.binary, null);
  assert.deepEqual(none[0]!.versionCommand, []);
});

test('getProvider rejects an unknown provider and lists the known ones', () => {
  assert.throws(() => getProvider('gpt'), /unknown provider 'gpt'/);
});

test('probeVersion runs the version command of the real claude CLI and of the bundled fakey', { timeout: 60_000 }, async (t) => {
  const { NODE_BIN } = await import('./stubs/e2e.js');
  const list = listProviders({ env: { PATH: NODE_BIN }, config: {} });
  const claude = list.find((p) => p.name === 'claude')!;
  const fakeyInfo = list.find((p) => p.name === 'fakey')!;
  if (claude.binary) assert.match((await probeVersion(claude, { PATH: process.env.PATH, HOME: tmpdir(t), DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' }))!, /\d+\.\d+\.\d+ \(Claude Code\)/);
  assert.match((await probeVersion(fakeyInfo, {}))!, /^fakey \d+\.\d+\.\d+/);
  assert.equal(await probeVersion(list.find((p) => p.name === 'agy')!, {}), null);
});

test('building a codex invocation prunes shadow homes of processes that are gone and keeps live ones', (t) => {
  const home = tmpdir(t);
  const root = join(home, '.cache', 'sase', 'codex_home');
  const dead = join(root, '999999999-abcdef');
  const live = join(root, `${process.pid}-0123ab`);
  for (const d of [dead, live]) mkdirSync(d, { recursive: true });
  const bin = fakeClis(t);
  const inv = getProvider('codex').invocation({ model: resolveModel('gpt55', {}), prompt: 'x', cwd: '/w', env: { PATH: bin, HOME: home }, config: {} });
  assert.equal(existsSync(dead), false);
  assert.equal(existsSync(live), true);
  assert.equal(existsSync(inv.env.CODEX_HOME!), true);
});
