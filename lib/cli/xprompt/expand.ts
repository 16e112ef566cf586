/**
 * `sase xprompt expand ['<prompt>']`: plans a prompt exactly as `sase run` would (references expanded, segments,
 * fan-out, `%repeat` slots, directives extracted, workspace reference canonicalised) without launching anything.
 * Prompt from the argument or stdin. `--trace` prints each resolved reference to stderr. spec/xprompts.md §7.
 */
import { existsSync } from 'node:fs';
import type { CommandModule } from '../command.js';
import type { Ctx } from '../context.js';
import { UsageError } from '../../errors/index.js';
import type { PlannedLaunch } from '../../xprompt/launch-types.js';
import type { TraceEvent } from '../../xprompt/expand.js';
// Static on purpose: this module is loaded only to run `expand`, and one module graph loads in parallel where
// successive `await import()`s would each wait for the previous (start-up time).
import { loadCatalog } from '../../xprompt/catalog.js';
import { configCandidates } from '../../xprompt/discovery.js';
import { planLaunches } from '../../xprompt/planner.js';
import { defineXpromptsDir, xpromptsDirs } from './index.js';

interface ExpandOptions {
  prompt: string | null;
  trace: boolean;
  extraDirs: string[];
}

/** Result of `sase xprompt expand`. */
export interface ExpandResult {
  launches: PlannedLaunch[];
}

async function readStdin(ctx: Ctx): Promise<string> {
  const stdin = ctx.io.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
  if (stdin.isTTY) throw new UsageError('no prompt given', { hint: `pass it as an argument or on stdin: sase xprompt expand '#foo bar'` });
  let s = '';
  for await (const chunk of stdin) s += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return s;
}

function traceLine(ctx: Ctx, e: TraceEvent): void {
  const args = [...e.args.positional.map((v) => JSON.stringify(v)), ...Object.entries(e.args.named).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
  ctx.io.stderr.write(`trace: ${e.reference} -> #${e.name} (${e.file ?? 'config'}) args=[${args.join(', ')}]\n`);
  for (const l of e.result.split('\n')) ctx.io.stderr.write(`trace:   | ${l}\n`);
}

export const command: CommandModule<ExpandOptions, ExpandResult> = {
  meta: {
    name: 'expand',
    summary: 'Expand a prompt and show the planned launches (no agent is started)',
    description:
      "The prompt comes from the argument or stdin; quote prompts with '#!' in single quotes.\n" +
      'Output: one block per planned launch (name, workspace, directives, prompt). --json: data.launches[].',
  },
  define: (cmd) => {
    cmd.argument('[prompt]', 'prompt text (default: read stdin)');
    cmd.option('--trace', 'print each resolved reference, its source file, args and result to stderr');
    defineXpromptsDir(cmd);
  },
  parse: ({ args, opts }) => ({
    prompt: typeof args[0] === 'string' ? args[0] : null,
    trace: opts.trace === true,
    extraDirs: xpromptsDirs(opts),
  }),
  run: async (ctx, o) => {
    const text = o.prompt ?? (await readStdin(ctx));
    let layers: { layers: never[] } | Awaited<ReturnType<typeof import('../../config/index.js').loadConfig>> = { layers: [] };
    let merged: Record<string, unknown> = {};
    if (configCandidates(ctx.cwd, ctx.env).some((c) => existsSync(c.path))) {
      const { loadConfig } = await import('../../config/index.js');
      layers = loadConfig(ctx.cwd, ctx.env);
      merged = layers.merged;
    }
    const catalog = await loadCatalog({ cwd: ctx.cwd, env: ctx.env, config: layers, extraDirs: o.extraDirs });
    const launches = await planLaunches(text, {
      cwd: ctx.cwd,
      env: ctx.env,
      config: merged,
      extraDirs: o.extraDirs,
      now: ctx.now(),
      catalog,
      trace: o.trace ? (e) => traceLine(ctx, e) : undefined,
    });
    return { launches };
  },
  human: (r, out) => {
    if (r.launches.length === 0) out.line('No launches: the prompt is empty.');
    r.launches.forEach((l, i) => {
      if (i > 0) out.line();
      const d = l.directives;
      const facts = [
        `name=${l.name ?? '(auto)'}`,
        `workspace=${l.workspace_ref}`,
        d.model ? `model=${d.model}` : '',
        d.waits.length ? `wait=${d.waits.join(',')}` : '',
        d.wait_time ? `wait_time=${d.wait_time.duration_s !== undefined ? `${d.wait_time.duration_s}s` : d.wait_time.until_local}` : '',
        d.wait_runners !== null ? `runners=${d.wait_runners}` : '',
        d.hide ? 'hide' : '',
        d.auto ? `auto=${d.auto}` : '',
        d.group ? `group=${d.group}` : '',
        l.repeat_slot ? `repeat=${l.repeat_slot.iteration}/${l.repeat_slot.total}` : '',
        l.alt_id ? `alt=${l.alt_id}` : '',
        l.workflow ? `workflow=#!${l.workflow.name}` : '',
        l.deferred.length ? `deferred=${l.deferred.join(',')}` : '',
      ].filter(Boolean);
      out.line(out.c.bold(`── launch ${i + 1}/${r.launches.length}`) + `  ${facts.join('  ')}`);
      if (l.prompt) out.line(l.prompt);
      for (const w of l.warnings) out.warn(`warning: ${w}`);
    });
  },
};
