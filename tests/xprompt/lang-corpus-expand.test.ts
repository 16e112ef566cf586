/**
 * The real corpus library (shared/corpus/xprompts) through the planner: every markdown xprompt and embeddable
 * workflow `prompt_part` expands, and representative references give the launches SASE would plan.
 * (Loading and catalog listing of the corpus are tested by the catalog side.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../../lib/xprompt/catalog.js';
import { planLaunches } from '../../lib/xprompt/planner.js';
import type { Catalog, InputSpec, XpromptDef } from '../../lib/xprompt/types.js';
import { corpusPath, hasCorpus, tmpdir } from '../helpers/index.js';

const NOW = new Date(2026, 10, 21, 12, 0, 0);
const SAMPLE: Record<string, string> = { word: 'w1', path: '/tmp/some/file.md', int: '2', float: '1.5', bool: 'true', text: 'Some text.', line: 'a line' };

async function corpusCatalog(t: import('node:test').TestContext): Promise<Catalog> {
  const home = tmpdir(t);
  const root = corpusPath('xprompts');
  return loadCatalog({
    cwd: home,
    env: { HOME: home, SASE_HOME: `${home}/.sase`, XDG_CONFIG_HOME: `${home}/.config` },
    config: {},
    project: null,
    extraDirs: [`${root}/.xprompts`, `${root}/xprompts`, `${root}/src/sase/xprompts`],
  });
}

function sampleArg(def: XpromptDef, i: InputSpec): string {
  if (def.name === 't') return '5m';
  return SAMPLE[String(i.type)] ?? 'x';
}

function call(def: XpromptDef): string {
  const args = def.inputs.filter((i) => i.required).map((i) => `${i.name}=${JSON.stringify(sampleArg(def, i))}`);
  return `${def.multiAgent ? '#!' : '#'}${def.name}${args.length ? `(${args.join(', ')})` : ''}`;
}

const plan = (text: string, catalog: Catalog) =>
  planLaunches(text, { cwd: '/tmp', env: {}, config: {}, now: NOW, catalog, autoName: () => 'auto' });

test('every corpus markdown xprompt and embeddable workflow expands through the planner', { skip: !hasCorpus() }, async (t) => {
  const catalog = await corpusCatalog(t);
  const inline = catalog.entries().filter((d) => d.body !== null || d.promptPart);
  assert.ok(inline.length >= 20, `expected the corpus's inline definitions, got ${inline.length}`);
  const failures: string[] = [];
  for (const def of inline) {
    const ref = call(def);
    try {
      const ls = await plan(ref, catalog);
      assert.ok(ls.length >= 1);
      if (def.name !== 'fork') assert.ok(!ls.some((l) => l.prompt.includes(ref)), `${ref} was left unexpanded`);
    } catch (e) {
      failures.push(`${ref}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('representative corpus references plan as SASE would', { skip: !hasCorpus() }, async (t) => {
  const catalog = await corpusCatalog(t);
  const [tw] = await plan('#t:5m Do it', catalog);
  assert.deepEqual(tw!.directives.wait_time, { duration_s: 300 });
  assert.equal(tw!.prompt, 'Do it');

  const [tribe] = await plan('#tribe:docs\nWrite docs.', catalog);
  assert.equal(tribe!.directives.group, 'docs');
  assert.equal(tribe!.prompt, 'Write docs.');

  const swarm = await plan('#!research_swarm(prompt="Find prior art.")', catalog);
  assert.equal(swarm.length, 3);
  assert.equal(swarm[0]!.prompt, 'Find prior art. #research');
  assert.equal(swarm[1]!.directives.model, 'opus');
  assert.equal(swarm[1]!.prompt.replace(/\s+/g, ' '), '#resume #research/more');

  const [summ] = await plan('#summarize(/tmp/a.py, usage="the module header")', catalog);
  assert.match(summ!.prompt, /@\/tmp\/a\.py/);

  const [forked] = await plan('%w:planner\n#fork:planner\nGo on.', catalog);
  assert.deepEqual(forked!.deferred, ['#fork:planner']);
  assert.equal(forked!.name, 'planner.f@');

  const [gh] = await plan('#gh:sase Fix the bug.', catalog);
  assert.equal(gh!.workspace_ref, '#gh:sase');
  assert.equal(gh!.prompt, 'Fix the bug.');

  const [wf] = await plan('#!fix_just', catalog);
  assert.equal(wf!.workflow?.name, 'fix_just');
});
