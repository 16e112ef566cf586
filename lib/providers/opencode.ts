/**
 * The OpenCode provider (spec/runtime.md §c.1): `opencode run --format json --dangerously-skip-permissions --model
 * <provider/model> --dir <cwd> [extra…] <prompt>` — the prompt is the last argv element; stdin is closed. No effort
 * flag (an explicit effort is an error). Retry [rec]: rate limits / overload; waits [0] s; max 3 retries.
 */
import { commandFor, concreteModel, effortArgs, extraArgs, matchesAny, requireBinary, retryDelays } from './common.js';
import { TIER_MODELS } from './model.js';
import { createOpencodeParser } from './parsers/opencode-json.js';
import type { Provider } from './types.js';

/** Substrings that make a failed opencode attempt retryable [rec]. */
export const OPENCODE_RETRY_PATTERNS = ['rate limit', 'Rate limit', '429', 'overloaded', 'ECONNRESET'];

/** The opencode provider. */
export const opencodeProvider: Provider = {
  name: 'opencode',
  tierModels: TIER_MODELS.opencode!,
  versionArgs: ['--version'],
  invocation({ model, prompt, cwd, env, config }) {
    const bin = requireBinary('opencode', 'opencode', { env, config, cwd });
    const { command, pre } = commandFor(bin.path);
    effortArgs('opencode', model.effort, {});
    const args = [
      ...pre,
      'run',
      '--format',
      'json',
      '--dangerously-skip-permissions',
      '--model',
      concreteModel('opencode', model),
      '--dir',
      cwd,
      ...extraArgs('opencode', model.tier ?? 'large', env),
      prompt,
    ];
    return { command, args, stdin: null, env: {}, cwd, sessionId: null };
  },
  createParser: createOpencodeParser,
  isRetryable: (code, output) => code !== 0 && matchesAny(output, OPENCODE_RETRY_PATTERNS),
  retryDelaysMs: retryDelays([0], 3),
};
