/**
 * XPrompt catalog start-up: `sase xprompt list` and `sase xprompt expand` over the real SASE library
 * (shared/corpus/xprompts, read in place through `--xprompts-dir`), each against `node -e 0`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, corpusPath } from '../helpers/index.js';
import type { BenchGroup } from './harness.js';

let home = '';

export const group: BenchGroup = {
  name: 'xprompt',
  setup: () => {
    home = mkdtempSync(join(tmpdir(), 'sase-bench-xprompt-'));
    const root = corpusPath('xprompts');
    const dirs = ['xprompts', '.xprompts', join('src', 'sase', 'xprompts')].flatMap((d) => ['--xprompts-dir', join(root, d)]);
    const env = { HOME: home, SASE_HOME: join(home, '.sase'), XDG_CONFIG_HOME: join(home, '.config') };
    const sase = binPath('sase');
    // A project with a sase.yml (as most SASE users have): expand reads its xprompt_aliases, which loads the YAML parser.
    const project = join(home, 'project');
    mkdirSync(join(project, '.git'), { recursive: true });
    writeFileSync(join(project, 'sase.yml'), 'xprompt_aliases:\n  d: docs\nagent:\n  timeout: 1h\n');
    return [
      { name: '`sase xprompt list` (corpus, 33 files)', nodeArgs: [sase, 'xprompt', 'list', ...dirs], cwd: home, env, target: { ratio: 1.5 } },
      { name: '`sase xprompt list --json` (corpus)', nodeArgs: [sase, 'xprompt', 'list', '--json', ...dirs], cwd: home, env, target: { ratio: 1.5 } },
      { name: '`sase xprompt expand "#docs"` (plain body)', nodeArgs: [sase, 'xprompt', 'expand', '#docs', ...dirs], cwd: home, env, target: { ratio: 1.5 } },
      {
        name: '`sase xprompt expand "#summarize(…)"` (Jinja body)',
        nodeArgs: [sase, 'xprompt', 'expand', '#summarize(README.md, usage=a tooltip)', ...dirs],
        cwd: home,
        env,
        target: { ratio: 1.5 },
      },
      { name: '`sase xprompt expand "#d"` (alias from a project sase.yml)', nodeArgs: [sase, 'xprompt', 'expand', '#d', ...dirs], cwd: project, env, target: { ratio: 1.5 } },
    ];
  },
  teardown: () => {
    if (home) rmSync(home, { recursive: true, force: true });
  },
  notes:
    'The CLI runs from the bundle with its per-command V8 code cache (docs/adr/0006); the warm-up run writes that cache ' +
    'and fills the per-file parse cache in `$SASE_HOME/cache/xprompt-files.json`. Timed runs read both and stat the ' +
    'definition files, so `list` runs neither the YAML parser nor the markdown loader. The Jinja case renders through ' +
    'the built-in mini-Jinja subset (Nunjucks is not loaded). The alias case runs in a project whose sase.yml sets ' +
    '`xprompt_aliases`, so it also parses YAML.',
};
