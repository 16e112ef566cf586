/**
 * The Claude Code provider (spec/runtime.md §c.1): `claude -p --verbose --model <M> --output-format stream-json
 * --dangerously-skip-permissions --session-id <uuid4> [--effort <lvl>] [extra…]`, prompt on stdin, a new uuid per
 * attempt. Efforts: low, medium, high, xhigh, max (Claude rejects none/minimal). Retry (SASE ClaudeCodeProvider):
 * "Prompt is too long", "socket connection was closed unexpectedly", "API Error"; waits [0] s; max 3 retries.
 */
import { randomUUID } from 'node:crypto';
import { commandFor, concreteModel, effortArgs, extraArgs, matchesAny, requireBinary, retryDelays } from './common.js';
import { TIER_MODELS } from './model.js';
import { createStreamJsonParser } from './parsers/stream-json.js';
import type { Provider } from './types.js';

const EFFORTS: Record<string, string[]> = Object.fromEntries(['low', 'medium', 'high', 'xhigh', 'max'].map((l) => [l, ['--effort', l]]));

/** Substrings that make a failed claude attempt retryable. */
export const CLAUDE_RETRY_PATTERNS = ['Prompt is too long', 'socket connection was closed unexpectedly', 'API Error'];

/** The claude provider. */
export const claudeProvider: Provider = {
  name: 'claude',
  tierModels: TIER_MODELS.claude!,
  versionArgs: ['--version'],
  invocation({ model, prompt, cwd, env, config }) {
    const bin = requireBinary('claude', 'claude', { env, config, cwd });
    const { command, pre } = commandFor(bin.path);
    const sessionId = randomUUID();
    const args = [
      ...pre,
      '-p',
      '--verbose',
      '--model',
      concreteModel('claude', model),
      '--output-format',
      'stream-json',
      '--dangerously-skip-permissions',
      '--session-id',
      sessionId,
      ...effortArgs('claude', model.effort, EFFORTS),
      ...extraArgs('claude', model.tier ?? 'large', env),
    ];
    return { command, args, stdin: prompt, env: {}, cwd, sessionId };
  },
  createParser: () => createStreamJsonParser(),
  isRetryable: (code, output) => code !== 0 && matchesAny(output, CLAUDE_RETRY_PATTERNS),
  retryDelaysMs: retryDelays([0], 3),
};
