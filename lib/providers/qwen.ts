/**
 * The Qwen Code provider (spec/runtime.md §c.1): `qwen --input-format text --output-format stream-json --yolo
 * --model <M> [extra…]`, prompt on stdin. Output is Claude-shaped stream-json (`assistant` events, else the final
 * `result`); its `input_tokens` include cache reads (OpenAI's meaning) and are reported without them. No effort flag (an explicit effort is an error). Retry [rec]: rate-limit / overload / connection
 * errors, waits [0] s, max 3 retries.
 */
import { commandFor, concreteModel, effortArgs, extraArgs, matchesAny, requireBinary, retryDelays } from './common.js';
import { TIER_MODELS } from './model.js';
import { createStreamJsonParser } from './parsers/stream-json.js';
import type { Provider } from './types.js';

/** Substrings that make a failed qwen attempt retryable [rec]. */
export const QWEN_RETRY_PATTERNS = ['429', 'Rate limit', 'overloaded', 'ECONNRESET', 'socket hang up'];

/** The qwen provider. */
export const qwenProvider: Provider = {
  name: 'qwen',
  tierModels: TIER_MODELS.qwen!,
  versionArgs: ['--version'],
  invocation({ model, prompt, cwd, env, config }) {
    const bin = requireBinary('qwen', 'qwen', { env, config, cwd });
    const { command, pre } = commandFor(bin.path);
    effortArgs('qwen', model.effort, {});
    const args = [...pre, '--input-format', 'text', '--output-format', 'stream-json', '--yolo', '--model', concreteModel('qwen', model), ...extraArgs('qwen', model.tier ?? 'large', env)];
    return { command, args, stdin: prompt, env: {}, cwd, sessionId: null };
  },
  createParser: () => createStreamJsonParser({ inputIncludesCacheReads: true }),
  isRetryable: (code, output) => code !== 0 && matchesAny(output, QWEN_RETRY_PATTERNS),
  retryDelaysMs: retryDelays([0], 3),
};
