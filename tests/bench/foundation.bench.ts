/** Startup of the umbrella binary on a trivial command. */
import { binPath } from '../helpers/index.js';
import type { BenchGroup } from './harness.js';

export const group: BenchGroup = {
  name: 'foundation',
  setup: () => [{ name: '`sase version`', nodeArgs: [binPath('sase'), 'version'], target: { ratio: 1.5 } }],
  notes:
    'Measures the dispatcher and CLI framework start-up alone: nine small ES modules; commander is not loaded ' +
    '(lib/cli/argv.ts parses the common argv), nor are stdin, stderr or child_process.',
};
