/**
 * `sase run [PROMPT…]`: plan launches from a prompt (argument, `-f FILE`, stdin, or `$EDITOR` on a terminal),
 * write one agent record per launch, start one detached runner each, print names and record paths, return.
 * `--wait` blocks until every launched run finishes (exit 1 if any failed). spec/runtime.md §b.
 */
import { readFileSync } from 'node:fs';
import type { CommandModule } from '../command.js';
import type { Ctx } from '../context.js';
import { UsageError } from '../../errors/index.js';
import type { LaunchedAgent } from '../../agents/launch.js';
import type { StandbyRunner } from '../../agents/standby.js';

/** Parsed options of `sase run`. */
export interface RunOptions {
  prompt: string | null;
  file: string | null;
  wait: boolean;
  timeout: string | null;
  waitTimeout: string | null;
}

/** One run in the result (`data.agents[]`). */
export interface RunAgentRow extends LaunchedAgent {
  reply_path?: string;
  error?: string | null;
  /** With --wait: what the run changed in its workspace (`diff.json` files: `{path, status}`), null when unknown. */
  changed?: { path: string; status: string }[] | null;
}

/** Result of `sase run`. */
export interface RunResult {
  agents: RunAgentRow[];
  waited: boolean;
  failed: number;
}

async function readStream(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of s) out += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  return out;
}

async function promptFromEditor(ctx: Ctx): Promise<string> {
  const editor = ctx.env.VISUAL || ctx.env.EDITOR;
  if (!editor) throw new UsageError('no prompt given', { hint: 'pass the prompt as an argument, with -f FILE, on stdin, or set $EDITOR' });
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { spawnSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'sase-prompt-'));
  const file = join(dir, 'prompt.md');
  writeFileSync(file, '');
  try {
    const r = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit', env: ctx.env as NodeJS.ProcessEnv });
    if (r.status !== 0) throw new UsageError(`editor exited with status ${r.status}; nothing launched`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readPrompt(ctx: Ctx, opts: RunOptions): Promise<string> {
  if (opts.prompt !== null) return opts.prompt;
  if (opts.file !== null) {
    const { readFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    try {
      return await readFile(resolve(ctx.cwd, opts.file), 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read prompt file ${opts.file}: ${(e as Error).message}`);
    }
  }
  if ((ctx.io.stdin as { isTTY?: boolean }).isTTY) return promptFromEditor(ctx);
  return readStream(ctx.io.stdin);
}

function readReply(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The merged sase.yml for a launch. When no layer file exists (lib/config's layer rule: user
 * `$XDG_CONFIG_HOME/sase/sase.yml`, the project's `sase.yml`, `$SASE_CONFIG`), the YAML parser is not loaded at all —
 * it is the largest import on the launch path.
 */
async function loadRunConfig(ctx: Ctx): Promise<Record<string, unknown>> {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { findRepoRoot, findUp, xdgConfigHome } = await import('../../store/paths.js');
  const project = findRepoRoot(ctx.cwd) ?? findUp(ctx.cwd, ['sase.yml']);
  const candidates = [join(xdgConfigHome(ctx.env), 'sase', 'sase.yml'), ...(project ? [join(project, 'sase.yml')] : []), ...(ctx.env.SASE_CONFIG ? [ctx.env.SASE_CONFIG] : [])];
  if (!candidates.some((p) => existsSync(p))) return {};
  const { loadConfig } = await import('../../config/index.js');
  return loadConfig(ctx.cwd, ctx.env).merged;
}

/** Plans, launches and (with --wait) waits; `standby` is a runner started ahead of planning. */
async function launchAndWait(
  ctx: Ctx,
  opts: RunOptions,
  text: string,
  standby: StandbyRunner | null,
  duration: typeof import('../../agents/duration.js'),
): Promise<RunResult> {
  const config = await loadRunConfig(ctx);
  const { timeoutMs, killGraceMs } = duration.runLimits(config, ctx.env, opts.timeout);
  const waitTimeoutMs = opts.waitTimeout ? duration.parseDurationMs(opts.waitTimeout) : 0;
  const { loadPlanner } = await import('../../agents/planner-bridge.js');
  const planLaunches = await loadPlanner();
  // A bare `%wait` refers to the most recently named agent, also one launched by an earlier `sase run` (spec §2.4).
  const prev = await import('../../agents/previous-name.js');
  const previousAgentName = prev.mayHaveBareWait(text) ? await prev.latestNamedAgent(ctx.env) : null;
  const launches = await planLaunches(text, { cwd: ctx.cwd, env: ctx.env, config, now: ctx.now(), previousAgentName });
  if (launches.length === 0) throw new UsageError('the prompt planned no launches');
  const { launchRuns } = await import('../../agents/launch.js');
  const { resolveModel } = await import('../../providers/model.js');
  const agents: RunAgentRow[] = await launchRuns(launches, {
    env: ctx.env,
    cwd: ctx.cwd,
    now: () => new Date(),
    config,
    timeoutMs,
    killGraceMs,
    resolveModel: (spec, cfg) => resolveModel(spec, cfg),
    standby,
  });
  standby?.cancel();
  // The next `sase run` hands its first launch to an already loaded runner (lib/agents/spare.ts).
  (await import('../../agents/standby.js')).replenishSpare(ctx.env);
  if (!opts.wait) return { agents, waited: false, failed: 0 };
  const { waitAgents } = await import('../../agents/control.js');
  const { join } = await import('node:path');
  const w = await waitAgents(ctx.env, agents.map((a) => a.record_dir), { now: () => new Date(), timeoutMs: waitTimeoutMs });
  const { readJsonOrNull } = await import('../../agents/records.js');
  for (const a of agents) {
    const s = w.agents.find((x) => x.id === a.id);
    if (s) a.status = s.status;
    a.reply_path = join(a.record_dir, 'reply.md');
    a.error = readJsonOrNull<{ error: string | null }>(join(a.record_dir, 'done.json'))?.error ?? null;
    a.changed = readJsonOrNull<{ files?: { path: string; status: string }[] }>(join(a.record_dir, 'diff.json'))?.files?.map((f) => ({ path: f.path, status: f.status })) ?? null;
  }
  if (w.timed_out) {
    const { TimeoutError } = await import('../../errors/index.js');
    throw new TimeoutError(`runs still going after ${opts.waitTimeout}`, { data: { agents } });
  }
  return { agents, waited: true, failed: w.agents.filter((a) => a.bucket === 'Failed').length };
}

export const command: CommandModule<RunOptions, RunResult> = {
  meta: {
    name: 'run',
    summary: 'Launch agents from a prompt (xprompts, directives, segments)',
    description: [
      'Examples:',
      '  sase run "#cd:~/src/app %m:claude/opus Fix the failing test"',
      '  sase run --wait "#cd:. %m:fakey/@demo Tell me what this repository is."',
      '  sase run -f prompt.md',
      '',
      'Each planned launch gets a record under $SASE_HOME/agents/<YYYYMM>/<id>/ and a detached runner.',
      'Timeout: --timeout, else $SASE_AGENT_TIMEOUT, else sase.yml agent.timeout, else 2h (0 = none).',
    ].join('\n'),
  },
  define(cmd) {
    cmd
      .argument('[prompt...]', 'the prompt (quote it); omitted = -f, stdin, or $EDITOR')
      .option('-f, --file <file>', 'read the prompt from a file')
      .option('-w, --wait', 'block until every launched run finishes; exit 1 if any failed')
      .option('--timeout <duration>', 'kill a run that takes longer (e.g. 30m, 2h; 0 = no limit)')
      .option('--wait-timeout <duration>', 'with --wait: stop waiting after this long (exit 8)');
  },
  parse(raw) {
    const words = (raw.args[0] as string[] | undefined) ?? [];
    const file = (raw.opts.file as string | undefined) ?? null;
    const prompt = words.length > 0 ? words.join(' ') : null;
    if (prompt !== null && file !== null) throw new UsageError('give the prompt either as an argument or with -f, not both');
    return {
      prompt,
      file,
      wait: raw.opts.wait === true,
      timeout: (raw.opts.timeout as string | undefined) ?? null,
      waitTimeout: (raw.opts.waitTimeout as string | undefined) ?? null,
    };
  },
  async run(ctx, opts) {
    const duration = await import('../../agents/duration.js');
    const text = await readPrompt(ctx, opts);
    if (text.trim() === '') throw new UsageError('the prompt is empty; nothing launched');
    // Start a runner now so its Node start-up overlaps planning; the first launch is handed to it.
    const { takeStandbyRunner } = await import('../../agents/standby.js');
    const standby = takeStandbyRunner(ctx.env);
    try {
      return await launchAndWait(ctx, opts, text, standby, duration);
    } finally {
      standby?.cancel();
    }
  },
  human(r, out) {
    for (const a of r.agents) {
      if (r.waited && a.reply_path && r.agents.length === 1) {
        const reply = readReply(a.reply_path);
        if (reply) out.write(reply.endsWith('\n') ? reply : reply + '\n');
      }
      out.line(`${a.name}  ${a.status}  ${a.model}`);
      out.line(`  record: ${a.record_dir}`);
      if (a.workspace_dir) out.line(`  workspace: ${a.workspace_dir}`);
      if (r.waited && a.reply_path) out.line(`  reply: ${a.reply_path}`);
      if (a.changed && a.changed.length > 0) {
        const shown = a.changed.slice(0, 5).map((f) => `${f.path} (${f.status})`).join(', ');
        out.line(`  changed: ${shown}${a.changed.length > 5 ? `, … ${a.changed.length - 5} more` : ''} — see 'sase agent diff ${a.name}'`);
      }
      if (a.error) out.line(`  error: ${a.error}`);
    }
    if (!r.waited) out.line(`Follow with 'sase agent logs -f ${r.agents[0]?.name ?? 'NAME'}'.`);
  },
  exitCode: (r) => (r.failed > 0 ? 1 : 0),
};
