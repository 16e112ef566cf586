/**
 * The fakey provider (spec/runtime.md §c.1/§c.3): `fakey --model <M> [--effort <lvl>] [extra…]`, prompt on stdin.
 * Binary: sase.yml `llm_provider.fakey.path`, then `SASE_FAKEY_PATH`, then the fakey bundled with this package
 * (`<build>/bin/fakey.js`, run with the current node), then `fakey` on PATH. A `.js` binary is run with node.
 * Retry: `FAKEY-RETRYABLE` in the output, waits [0] s, max 3 retries (SASE FakeyProvider retry config).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_ROOT } from '../package.js';
import { commandFor, configuredBinary, concreteModel, effortArgs, extraArgs, matchesAny, retryDelays, whichBinary, type FoundBinary } from './common.js';
import { createStreamJsonParser } from './parsers/stream-json.js';
import { EFFORT_LEVELS, TIER_MODELS } from './model.js';
import type { Provider } from './types.js';

/** Path of the fakey CLI bundled with this build. */
export const BUNDLED_FAKEY = join(BUILD_ROOT, 'bin', 'fakey.js');

const EFFORTS: Record<string, string[]> = Object.fromEntries(EFFORT_LEVELS.map((l) => [l, ['--effort', l]]));

/** Finds the fakey binary (see module doc for the order); never null while the package is intact. */
export function findFakey(env: Record<string, string | undefined>, config: Record<string, unknown>): FoundBinary | null {
  const fromConfig = configuredBinary('fakey', config);
  if (fromConfig) return { path: fromConfig, via: 'config' };
  if (env.SASE_FAKEY_PATH) return { path: env.SASE_FAKEY_PATH, via: 'env' };
  if (existsSync(BUNDLED_FAKEY)) return { path: BUNDLED_FAKEY, via: 'bundled' };
  const onPath = whichBinary('fakey', env);
  return onPath ? { path: onPath, via: 'path' } : null;
}

/** The fakey provider. */
export const fakeyProvider: Provider = {
  name: 'fakey',
  tierModels: TIER_MODELS.fakey!,
  versionArgs: ['--version'],
  invocation({ model, prompt, cwd, env, config }) {
    const bin = findFakey(env, config) ?? { path: 'fakey', via: 'path' as const };
    const { command, pre } = commandFor(bin.path);
    const args = [...pre, '--model', concreteModel('fakey', model), ...effortArgs('fakey', model.effort, EFFORTS), ...extraArgs('fakey', model.tier ?? 'large', env)];
    return { command, args, stdin: prompt, env: {}, cwd, sessionId: null };
  },
  createParser: () => createStreamJsonParser({ plainTextIsReply: true }),
  isRetryable: (_code, output) => matchesAny(output, ['FAKEY-RETRYABLE']),
  retryDelaysMs: retryDelays([0], 3),
};
