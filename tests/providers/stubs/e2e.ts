/**
 * End-to-end helpers for driving REAL agent CLIs against the loopback stubs: set up an isolated HOME and stub,
 * run one provider invocation to completion, and collect what the provider's parser made of it. Reusable by the
 * runner's `sase run` end-to-end tests (they need `claudeStubSetup` / `codexStubSetup` for the env).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Invocation, Provider, TranscriptEntry, Usage } from '../../../lib/providers/types.js';
import { REPO_ROOT, tmpdir } from '../../helpers/index.js';
import { claudeStubEnv, startAnthropicStub, type AnthropicStub, type StubTurn } from './anthropic-stub.js';
import { codexStubEnv, startOpenAIStub, type OpenAIStub, type OpenAITurn } from './openai-stub.js';

/** Our devDependencies' binaries (claude, codex). */
export const NODE_BIN = join(REPO_ROOT, 'node_modules', '.bin');

/** What one attempt produced. */
export interface AttemptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  entries: TranscriptEntry[];
  reply: string;
  usage: Usage;
  sessionId: string | null;
}

/**
 * Spawns `inv` (cwd = `inv.cwd`), feeds stdin, streams stdout through a fresh parser of `provider`, and waits for
 * exit (SIGKILL after `timeoutMs`, default 120_000).
 */
export function runInvocation(provider: Provider, inv: Invocation, env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<AttemptResult> {
  return new Promise((res, rej) => {
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...env, ...inv.env })) if (v !== undefined) childEnv[k] = v;
    const child = spawn(inv.command, inv.args, { cwd: inv.cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const parser = provider.createParser();
    const entries: TranscriptEntry[] = [];
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      entries.push(...parser.feed(d));
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', rej);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      entries.push(...parser.end());
      res({ code, signal, stdout, stderr, entries, reply: parser.reply(), usage: parser.usage(), sessionId: parser.sessionId() });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(inv.stdin ?? '');
  });
}

/** A started stub plus the env that points the real CLI at it (isolated HOME, node_modules/.bin first on PATH). */
export interface StubSetup<S> {
  stub: S;
  env: Record<string, string | undefined>;
  home: string;
}

/** The environment every real CLI runs with: ours, then `extra`, loopback traffic unproxied, our devDependencies first on PATH. */
function cliEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, NO_PROXY: '127.0.0.1,localhost', HTTPS_PROXY: '', HTTP_PROXY: '', ...extra, PATH: `${NODE_BIN}${delimiter}${process.env.PATH ?? ''}` };
}

/** Starts the Anthropic stub with `turns` (closed after the test) and builds claude's env. */
export async function claudeStubSetup(t: TestContext, turns: StubTurn[]): Promise<StubSetup<AnthropicStub>> {
  const stub = await startAnthropicStub(turns);
  t.after(() => stub.close());
  const home = tmpdir(t);
  const env = cliEnv(claudeStubEnv(stub.url, home));
  return { stub, env, home };
}

/** Starts the OpenAI stub with `turns` (closed after the test), writes `$CODEX_HOME/config.toml`, builds codex's env. */
export async function codexStubSetup(t: TestContext, turns: OpenAITurn[]): Promise<StubSetup<OpenAIStub>> {
  const stub = await startOpenAIStub(turns);
  t.after(() => stub.close());
  const home = tmpdir(t);
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  const { env: extra, configToml } = codexStubEnv(stub.url, home, codexHome, 'gpt-5.5');
  writeFileSync(join(codexHome, 'config.toml'), configToml);
  const env = cliEnv(extra);
  return { stub, env, home };
}

/**
 * Starts the OpenAI stub with `turns` (closed after the test) and builds Qwen Code's env: its OpenAI auth pointed at
 * the stub's Chat Completions (`OPENAI_BASE_URL`, `OPENAI_API_KEY`, `OPENAI_MODEL`), an isolated HOME (no ~/.qwen settings), no
 * proxies and no telemetry.
 */
export async function qwenStubSetup(t: TestContext, turns: OpenAITurn[]): Promise<StubSetup<OpenAIStub>> {
  const stub = await startOpenAIStub(turns);
  t.after(() => stub.close());
  const home = tmpdir(t);
  const env = cliEnv({
    HOME: home,
    OPENAI_API_KEY: 'test',
    OPENAI_BASE_URL: stub.url,
    // With a model named in the environment Qwen Code selects its OpenAI auth in non-interactive mode.
    OPENAI_MODEL: 'qwen3-coder-plus',
    QWEN_TELEMETRY_ENABLED: 'false',
  });
  return { stub, env, home };
}

/**
 * Starts the OpenAI stub with `turns` (closed after the test) and builds OpenCode's env: an isolated HOME and XDG
 * directories, and `OPENCODE_CONFIG` naming a config whose `stub` provider (`@ai-sdk/openai-compatible`, model
 * `stub/stub-model`) points at the stub's Chat Completions. The registry is pointed at a closed port so the CLI's
 * background plugin install fails fast instead of reaching the network (the run does not need it).
 */
export async function opencodeStubSetup(t: TestContext, turns: OpenAITurn[]): Promise<StubSetup<OpenAIStub>> {
  const stub = await startOpenAIStub(turns);
  t.after(() => stub.close());
  const home = tmpdir(t);
  const config = join(home, 'opencode.json');
  writeFileSync(config, JSON.stringify({
    provider: {
      stub: { npm: '@ai-sdk/openai-compatible', name: 'Loopback stub', options: { baseURL: stub.url, apiKey: 'test' }, models: { 'stub-model': { name: 'Stub model', tool_call: true } } },
    },
  }));
  const env = cliEnv({
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    OPENCODE_CONFIG: config,
    OPENCODE_DISABLE_MODELS_FETCH: 'true',
    OPENCODE_DISABLE_AUTOUPDATE: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
  });
  return { stub, env, home };
}

/** What an end-to-end shell-tool run must show (see {@link assertShellToolRun}). */
export interface ShellToolExpectation {
  /** The workspace the run worked in, the file its tool call wrote there, and that file's expected content. */
  ws: string;
  file: string;
  content: string;
  /** The tool name the CLI reports for its shell tool (`shell`, `run_shell_command`, `bash`). */
  tool: string;
  /** The final assistant text, which is also the reply. */
  reply: string;
  /** Expected usage totals, in tokens. */
  usage: { input_tokens: number; cache_read_tokens: number; output_tokens: number };
}

/**
 * The common checks of a real CLI run whose scripted first turn calls a shell tool that writes `file` and whose
 * second turn replies: exit 0, the file, a tool_call naming the file, its successful tool_result, the assistant
 * text and reply, a session id, and the usage totals.
 */
export function assertShellToolRun(name: string, r: AttemptResult, want: ShellToolExpectation): void {
  assert.equal(r.code, 0, `${name} failed: ${r.stderr}\n${r.stdout.slice(0, 2000)}`);
  assert.equal(readFileSync(join(want.ws, want.file), 'utf8'), want.content);
  const call = r.entries.find((e) => e.type === 'tool_call');
  assert.ok(call && call.type === 'tool_call' && call.name === want.tool, `a ${want.tool} tool call: ${JSON.stringify(call)}`);
  assert.ok(JSON.stringify(call.input).includes(want.file));
  assert.ok(r.entries.some((e) => e.type === 'tool_result' && e.id === call.id && !e.is_error));
  assert.ok(r.entries.some((e) => e.type === 'assistant' && e.text === want.reply));
  assert.equal(r.reply, want.reply);
  assert.ok(r.sessionId);
  assert.deepEqual({ input_tokens: r.usage.input_tokens, cache_read_tokens: r.usage.cache_read_tokens, output_tokens: r.usage.output_tokens }, want.usage);
}
