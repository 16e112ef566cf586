/**
 * fakey's bundled scenarios, kept as compiled data so they ship inside `dist/` with the package (no loose files).
 * Names and behaviour follow SASE's bundled set (spec/runtime.md §c.3: `@ok`, `@flaky`, `@flaky2`, `@crash`,
 * `@hang`, `@slow`, `@capacity`, `@demo`); `@demo` additionally writes a file (the TS-only `write` step).
 */
import type { Scenario } from './scenario.js';

/** One bundled scenario: a one-line description (for `fakey --list-scenarios`) and its data. */
export interface BundledScenario {
  description: string;
  data: Scenario;
}

/** Bundled scenarios by name (without the leading `@`). */
export const BUNDLED_SCENARIOS: Readonly<Record<string, BundledScenario>> = {
  ok: {
    description: 'succeed at once with a short reply and usage',
    data: { version: 1, reply: 'Fakey completed successfully.', usage: { input_tokens: 7, output_tokens: 3 } },
  },
  flaky: {
    description: 'fail retryably on the first attempt, then succeed',
    data: {
      version: 1,
      attempts: [
        { fail: { message: 'transient fakey failure', retryable: true, exit_code: 1, channel: 'stderr' } },
        { succeed: { reply: 'Fakey recovered on the second attempt.' } },
      ],
    },
  },
  flaky2: {
    description: 'fail retryably on the first two attempts, then succeed',
    data: {
      version: 1,
      attempts: [
        { fail: { message: 'transient fakey failure 1', retryable: true, exit_code: 1, channel: 'stderr' } },
        { fail: { message: 'transient fakey failure 2', retryable: true, exit_code: 1, channel: 'stderr' } },
        { succeed: { reply: 'Fakey recovered on the third attempt.' } },
      ],
    },
  },
  crash: {
    description: 'fail at once with a non-retryable error (exit 3)',
    data: { version: 1, attempts: [{ fail: { message: 'fakey crashed', retryable: false, exit_code: 3, channel: 'stderr' } }] },
  },
  capacity: {
    description: 'always fail with a retryable capacity error',
    data: {
      version: 1,
      attempts: [{ fail: { message: 'model capacity exhausted', retryable: true, exit_code: 1, channel: 'stderr' } }],
    },
  },
  hang: {
    description: 'never finish on its own (sleeps an hour; SIGTERM exits cleanly)',
    data: { version: 1, delay: 3600, reply: 'Fakey hang completed.' },
  },
  slow: {
    description: 'wait briefly, then stream two lines',
    data: { version: 1, delay: 0.25, stream: { chunk_delay: 0.05 }, reply: 'Fakey is streaming.\nFakey completed successfully.' },
  },
  demo: {
    description: 'stream a short narrated reply and write fakey-demo.md into the workspace',
    data: {
      version: 1,
      delay: 0.3,
      stream: { chunk_delay: 0.25 },
      usage: { input_tokens: 1250, output_tokens: 180 },
      steps: [
        {
          write: {
            path: 'fakey-demo.md',
            content:
              '# fakey demo\n\nThis file was written by the fakey demo agent.\n\nPrompt:\n\n> {{prompt}}\n\nModel: {{model}}\n',
          },
        },
      ],
      reply:
        'Reading the request: {{prompt}}\n' +
        'Looking around the workspace for the files that matter.\n' +
        'Wrote fakey-demo.md with a short note about this run.\n' +
        'No model was called: fakey is the deterministic demo agent bundled with sase.\n' +
        'Done. Try `sase agent show` to see the record, transcript, usage and diff.',
    },
  },
};
