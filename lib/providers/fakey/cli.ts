/**
 * The fakey agent CLI (spec/runtime.md §c.3): reads the prompt on stdin, resolves the layered scenario, advances
 * the persistent attempt cursor, runs the steps, then succeeds (streams the reply) or fails (prints
 * `FAKEY-RETRYABLE: <msg>` / `FAKEY-FAIL: <msg>` on the scenario's channel and exits with its code).
 *
 * Output: by default Claude Code's `stream-json` shape (system init, assistant text/tool_use, user tool_result,
 * result with usage), so the claude parser reads it; `--output-format text` prints SASE's plain protocol (the
 * reply, then `FAKEY-USAGE: {...}`). SIGTERM/SIGINT exit cleanly with 143/130. Every call writes
 * `<state dir>/invocation-<n>.json`.
 */
import { randomUUID } from 'node:crypto';
import { BUNDLED_SCENARIOS } from './scenarios.js';
import { isScenarioSelector, resolveScenario, ScenarioError, selectAttempt, type ResolvedAttempt } from './scenario.js';
import { fakeyStateDir, fakeyStateKey, reserveInvocation, writeInvocation } from './state.js';
import { runSteps, sleepMs, StepError, TerminatedError, type FileChange } from './steps.js';

/** Where fakey writes; each write resolves once the chunk is flushed to the OS. */
export interface FakeyIo {
  stdout(s: string): Promise<void>;
  stderr(s: string): Promise<void>;
}

/** Everything one fakey run needs (bin/fakey.ts passes the real process). */
export interface FakeyRunOptions {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Reads all of stdin (the prompt). */
  readStdin(): Promise<string>;
  io: FakeyIo;
  /** Aborted on SIGTERM/SIGINT; `reason` is the signal name. */
  signal: AbortSignal;
  version: string;
}

interface ParsedArgs {
  model: string | null;
  effort: string | null;
  scenario: string | null;
  format: 'stream-json' | 'text';
  explain: boolean;
  list: boolean;
  help: boolean;
  version: boolean;
  extras: string[];
}

const HELP = `usage: fakey [-m MODEL] [-e LEVEL] [-s PATH|@NAME] [--output-format stream-json|text] [-x] [-l] [-h] [-v]

Run a deterministic fake agent using a layered YAML scenario. The prompt is read from stdin.

options:
  -m, --model MODEL       record the model; @NAME or a scenario file path selects that scenario
  -e, --effort LEVEL      record the requested effort level
  -s, --scenario PATH|@NAME  load a scenario file or bundled named scenario
  --output-format FORMAT  stream-json (default, Claude Code's shape) or text (SASE's plain protocol)
  -x, --explain           print the resolved scenario as JSON and exit
  -l, --list-scenarios    list bundled scenario names and exit
  -h, --help              show this help and exit
  -v, --version           show the version and exit

Scenario grammar:
  reply: text            delay: seconds          stream: {chunk_delay: seconds}
  usage: {input_tokens: 7, output_tokens: 3}
  steps: [{signal: path}, {wait_for: {path, timeout}}, {sleep: s},
          {write: {path, content}}, {append: {path, content}}, {edit: {path, find, replace}}, {delete: path}, {run: shell command}]
  attempts:
    - fail: {message: unavailable, retryable: true, exit_code: 1, channel: stderr}
    - succeed: {reply: recovered}
Embed the same YAML in a fenced \`\`\`fakey prompt block, pass a file, or use a bundled name such as @flaky.
`;

function takeValue(argv: string[], i: number, flag: string): string {
  const v = argv[i + 1];
  if (v === undefined) throw new ScenarioError(`${flag} needs a value`);
  return v;
}

function parseArgs(argv: string[]): ParsedArgs {
  const a: ParsedArgs = { model: null, effort: null, scenario: null, format: 'stream-json', explain: false, list: false, help: false, version: false, extras: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => (inline !== undefined ? inline : takeValue(argv, i++, flag));
    switch (flag) {
      case '-m':
      case '--model':
        a.model = value();
        break;
      case '-e':
      case '--effort':
        a.effort = value();
        break;
      case '-s':
      case '--scenario':
        a.scenario = value();
        break;
      case '--output-format': {
        const f = value();
        if (f !== 'stream-json' && f !== 'text') throw new ScenarioError(`--output-format must be stream-json or text, not '${f}'`);
        a.format = f;
        break;
      }
      case '-x':
      case '--explain':
        a.explain = true;
        break;
      case '-l':
      case '--list-scenarios':
        a.list = true;
        break;
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '-v':
      case '--version':
        a.version = true;
        break;
      default:
        a.extras.push(arg);
    }
  }
  return a;
}

function selectedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(env).sort()) if ((k.startsWith('FAKEY_') || k === 'SASE_ARTIFACTS_DIR') && env[k] !== undefined) out[k] = env[k]!;
  return out;
}

/** The `{{prompt}}` value: the prompt's first non-blank line outside a ```fakey block, at most 200 characters. */
function promptLine(prompt: string): string {
  const stripped = prompt.replace(/```fakey[\s\S]*?```/gi, '');
  const line = stripped.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** Writes newline-delimited stream-json events in Claude Code's shape. */
class StreamJsonWriter {
  private n = 0;
  constructor(
    private readonly io: FakeyIo,
    readonly sessionId: string,
    private readonly model: string,
  ) {}
  event(e: Record<string, unknown>): Promise<void> {
    return this.io.stdout(`${JSON.stringify({ ...e, session_id: this.sessionId })}\n`);
  }
  assistant(content: unknown[]): Promise<void> {
    this.n += 1;
    return this.event({
      type: 'assistant',
      message: { id: `msg_fakey_${this.n}`, type: 'message', role: 'assistant', model: this.model, content, stop_reason: null },
      parent_tool_use_id: null,
    });
  }
}

async function runAttempt(
  behaviour: ResolvedAttempt,
  ctx: { args: ParsedArgs; prompt: string; cwd: string; io: FakeyIo; signal: AbortSignal; out: StreamJsonWriter | null; startedMs: number },
): Promise<{ code: number; outcome: Record<string, unknown> }> {
  const { io, out, signal } = ctx;
  const model = ctx.args.model ?? 'fakey-large';
  const expand = (s: string): string => s.replaceAll('{{prompt}}', promptLine(ctx.prompt)).replaceAll('{{model}}', model);
  let tools = 0;
  const onFileChange = async (c: FileChange): Promise<void> => {
    if (!out) return;
    tools += 1;
    const id = `toolu_fakey_${tools}`;
    await out.assistant([{ type: 'tool_use', id, name: c.tool, input: c.input }]);
    await out.event({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: c.result, is_error: false }] }, parent_tool_use_id: null });
  };
  try {
    await runSteps(behaviour.steps ?? [], { cwd: ctx.cwd, barrierTimeoutS: behaviour.barrier_timeout, signal, expand, onFileChange });
    await sleepMs((behaviour.delay ?? 0) * 1000, signal);
    if (behaviour.fail) {
      const f = behaviour.fail;
      const marker = f.retryable ? 'FAKEY-RETRYABLE' : 'FAKEY-FAIL';
      const line = `${marker}: ${f.message ?? 'simulated failure'}`;
      const channel = f.channel ?? 'stderr';
      await (channel === 'stdout' ? io.stdout(`${line}\n`) : io.stderr(`${line}\n`));
      const code = f.exit_code ?? 1;
      if (out) await out.event({ type: 'result', subtype: 'error_during_execution', is_error: true, result: line, duration_ms: Date.now() - ctx.startedMs, num_turns: 1 });
      return { code, outcome: { channel, exit_code: code, marker, status: 'failed' } };
    }
    const reply = expand(behaviour.reply);
    const chunkDelay = behaviour.stream ? (behaviour.stream.chunk_delay ?? 0.05) : null;
    const chunks = chunkDelay === null ? [reply] : reply.split('\n');
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      if (out) await out.assistant([{ type: 'text', text: chunkDelay === null || i === chunks.length - 1 ? chunk : `${chunk}\n` }]);
      else await io.stdout(`${chunk}\n`);
      if (chunkDelay !== null) await sleepMs(chunkDelay * 1000, signal);
    }
    const u = behaviour.usage;
    if (out) {
      await out.event({
        type: 'result',
        subtype: 'success',
        is_error: false,
        result: reply,
        duration_ms: Date.now() - ctx.startedMs,
        num_turns: 1 + tools,
        total_cost_usd: 0,
        usage: {
          input_tokens: u?.input_tokens ?? 0,
          output_tokens: u?.output_tokens ?? 0,
          cache_creation_input_tokens: u?.cache_write_tokens ?? 0,
          cache_read_input_tokens: u?.cache_read_tokens ?? 0,
        },
      });
    } else if (u) {
      // SASE prints json.dumps(usage, sort_keys=True): `{"input_tokens": 7, "output_tokens": 3}`.
      const body = Object.entries(u)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
        .join(', ');
      await io.stdout(`FAKEY-USAGE: {${body}}\n`);
    }
    return { code: 0, outcome: { exit_code: 0, status: 'succeeded' } };
  } catch (e) {
    if (e instanceof TerminatedError) {
      const code = signal.reason === 'SIGINT' ? 130 : 143;
      return { code, outcome: { exit_code: code, status: 'terminated' } };
    }
    if (e instanceof StepError) {
      await io.stderr(`FAKEY-FAIL: ${e.message}\n`);
      return { code: e.exitCode, outcome: { exit_code: e.exitCode, message: e.message, status: e.exitCode === 124 ? 'timed_out' : 'failed' } };
    }
    throw e;
  }
}

/**
 * Runs fakey once.
 * @returns the process exit code (0 success, the scenario's code on failure, 2 bad scenario/usage, 124 barrier
 *   timeout, 143/130 terminated)
 */
export async function runFakey(opts: FakeyRunOptions): Promise<number> {
  const startedMs = Date.now();
  const { io, env, cwd } = opts;
  let args: ParsedArgs;
  try {
    args = parseArgs(opts.argv);
  } catch (e) {
    await io.stderr(`fakey: error: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.help) return io.stdout(HELP).then(() => 0);
  if (args.version) return io.stdout(`fakey ${opts.version}\n`).then(() => 0);
  if (args.list) {
    const lines = Object.entries(BUNDLED_SCENARIOS).map(([n, s]) => `@${n} — ${s.description}\n`);
    return io.stdout(lines.join('')).then(() => 0);
  }
  const prompt = await opts.readStdin();
  const selector = args.scenario ?? (args.model && isScenarioSelector(args.model) ? args.model : null);
  let resolved;
  try {
    resolved = await resolveScenario(prompt, selector, env, cwd);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    await io.stderr(`fakey: error: ${e.message}\n`);
    return 2;
  }
  if (args.explain) return io.stdout(`${JSON.stringify(resolved.data, null, 2)}\n`).then(() => 0);

  const stateDir = fakeyStateDir(env, cwd, resolved.source);
  const { attemptIndex, invocation } = await reserveInvocation(stateDir, fakeyStateKey(cwd, resolved.source));
  const behaviour = selectAttempt(resolved.data, attemptIndex);
  const model = args.model ?? 'fakey-large';
  const out = args.format === 'stream-json' ? new StreamJsonWriter(io, randomUUID(), model) : null;
  let result: { code: number; outcome: Record<string, unknown> } = { code: 1, outcome: { exit_code: 1, status: 'internal_error' } };
  try {
    if (out) await out.event({ type: 'system', subtype: 'init', cwd, model, tools: ['Write', 'Edit', 'Bash'], permissionMode: 'bypassPermissions', apiKeySource: 'none' });
    result = await runAttempt(behaviour, { args, prompt, cwd, io, signal: opts.signal, out, startedMs });
    return result.code;
  } finally {
    await writeInvocation(stateDir, invocation, {
      argv: opts.argv,
      attempt_index: attemptIndex,
      effort: args.effort,
      environment: selectedEnv(env),
      extra_args: args.extras,
      model: args.model,
      outcome: result.outcome,
      prompt,
      resolved_attempt: behaviour,
      resolved_scenario: resolved.data,
      scenario_source: resolved.source,
      cwd,
    });
  }
}
