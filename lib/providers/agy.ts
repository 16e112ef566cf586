/**
 * The Antigravity provider (spec/runtime.md §c.1): `agy --print-timeout 24h --model "<M>"
 * --dangerously-skip-permissions --add-dir <workspace> [extra…] --print "<wrapped prompt>"`. The prompt is in argv
 * (120 KiB guard), wrapped with a print-mode preamble and `--- User Prompt ---`; env `NO_COLOR=1 TERM=dumb`; cwd is
 * the workspace; plain stdout, no usage. An explicit effort is an error. Retry: `RESOURCE_EXHAUSTED`,
 * `UNAVAILABLE`, `DEADLINE_EXCEEDED`, …; waits [60, 300, 1800] s.
 */
import { UsageError } from '../errors/index.js';
import { commandFor, concreteModel, effortArgs, extraArgs, matchesAny, requireBinary, retryDelays } from './common.js';
import { TIER_MODELS } from './model.js';
import { createPlainTextParser } from './parsers/plain-text.js';
import type { Provider } from './types.js';

/** Largest prompt agy accepts in argv, in bytes (SASE's 120 KiB guard). */
export const AGY_MAX_PROMPT_BYTES = 120 * 1024;

/** Substrings that make a failed agy attempt retryable. */
export const AGY_RETRY_PATTERNS = ['RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'ABORTED'];

/** Wraps the user's prompt for agy's non-interactive print mode. */
export function wrapAgyPrompt(prompt: string): string {
  return [
    'SASE Antigravity print-mode instructions:',
    '- You are running non-interactively; nobody can answer questions mid-run.',
    '- Work directly in the current workspace and finish the task end to end.',
    '- End with a short summary of what you changed and how you verified it.',
    '',
    '--- User Prompt ---',
    prompt,
  ].join('\n');
}

/** The agy provider. */
export const agyProvider: Provider = {
  name: 'agy',
  tierModels: TIER_MODELS.agy!,
  versionArgs: ['--version'],
  invocation({ model, prompt, cwd, env, config }) {
    effortArgs('agy', model.effort, {});
    const wrapped = wrapAgyPrompt(prompt);
    if (Buffer.byteLength(wrapped) > AGY_MAX_PROMPT_BYTES) {
      throw new UsageError(`prompt too large for agy: ${Buffer.byteLength(wrapped)} bytes (limit ${AGY_MAX_PROMPT_BYTES})`, {
        hint: 'agy takes the prompt in argv; shorten it or use another provider',
      });
    }
    const bin = requireBinary('agy', 'agy', { env, config, cwd });
    const { command, pre } = commandFor(bin.path);
    const args = [
      ...pre,
      '--print-timeout',
      '24h',
      '--model',
      concreteModel('agy', model),
      '--dangerously-skip-permissions',
      '--add-dir',
      cwd,
      ...extraArgs('agy', model.tier ?? 'large', env),
      '--print',
      wrapped,
    ];
    return { command, args, stdin: null, env: { NO_COLOR: '1', TERM: 'dumb' }, cwd, sessionId: null };
  },
  createParser: createPlainTextParser,
  isRetryable: (code, output) => code !== 0 && matchesAny(output, AGY_RETRY_PATTERNS),
  retryDelaysMs: retryDelays([60, 300, 1800], 3),
};
