/** Vectors G (multi-prompt segments and multi-agent xprompts) of spec/xprompt-vectors.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planLaunches } from '../../lib/xprompt/planner.js';
import { splitPrompt } from '../../lib/xprompt/segments.js';
import { expandMultiAgentSegments } from '../../lib/xprompt/multi-agent.js';
import { expandPrompt } from '../../lib/xprompt/expand.js';
import { loadTemplateEngine } from '../../lib/xprompt/template.js';
import { XpromptError } from '../../lib/xprompt/lexer.js';
import type { Catalog } from '../../lib/xprompt/types.js';
import { cat, inp, md, standalone } from './lang-helpers.js';

const NOW = new Date(2026, 10, 21, 12, 0, 0);

function plan(text: string, catalog: Catalog = cat(), extra: { previousAgentName?: string } = {}) {
  return planLaunches(text, { cwd: '/work/proj', env: { HOME: '/home/u' }, config: {}, now: NOW, catalog, ...extra });
}

const THREE_PHASE = md(
  'three_phase',
  '%name:plan\nDraft a plan for {{ target }}.\n---\n%name:code\n%wait:plan\nImplement {{ target }} following the plan.\n---\n%name:review\n%wait:code\nReview the {{ target }} implementation and propose follow-ups.',
  [inp('target', 'word', 0)],
);
const CATALOG = cat({ summarize: 'Summarize {1}.', loop: 'a\n---\n#!loop' }, [THREE_PHASE, standalone('sync')]);

test('G1: frontmatter locals and `---` segments give two launches, the second waiting on the first', async () => {
  const text =
    '---\nxprompts:\n  _common: "Follow the project coding conventions."\n---\n%name:step1\n#_common\nImplement the new feature.\n---\n%name:step2\n%wait:step1\n#_common\nWrite tests for the new feature.';
  const ls = await plan(text);
  assert.deepEqual(
    ls.map((l) => [l.name, l.directives.waits, l.prompt]),
    [
      ['step1', [], 'Follow the project coding conventions.\nImplement the new feature.'],
      ['step2', ['step1'], 'Follow the project coding conventions.\nWrite tests for the new feature.'],
    ],
  );
  assert.deepEqual(ls.map((l) => l.segment), [0, 1]);
});

const SPLITS: Array<{ id: string; input: string; segments: string[] }> = [
  { id: 'G2', input: 'A\n---\nB\n---\n\n---\nC', segments: ['A', 'B', 'C'] },
  { id: 'G3', input: 'A\n```\n---\n```\nB', segments: ['A\n```\n---\n```\nB'] },
  { id: 'G4', input: '---\nplain\n---\nB', segments: ['plain', 'B'] },
];
for (const row of SPLITS) {
  test(`${row.id}: segments of ${JSON.stringify(row.input)}`, () => {
    assert.deepEqual(splitPrompt(row.input).segments, row.segments);
  });
}

test('G5: `#!three_phase(login)` becomes three chained launches with the argument substituted', async () => {
  const ls = await plan('#!three_phase(login)', CATALOG);
  assert.deepEqual(
    ls.map((l) => [l.name, l.directives.waits, l.prompt]),
    [
      ['plan', [], 'Draft a plan for login.'],
      ['code', ['plan'], 'Implement login following the plan.'],
      ['review', ['code'], 'Review the login implementation and propose follow-ups.'],
    ],
  );
});

test('§1.6: a workspace reference at a multi-agent call site is inherited by every generated launch', async () => {
  const ls = await plan('#gh:sase\n#!three_phase(login)', CATALOG);
  assert.deepEqual(ls.map((l) => l.workspace_ref), ['#gh:sase', '#gh:sase', '#gh:sase']);
});

test('G6: `#three_phase(login)` as a sole reference must use `#!`', async () => {
  await assert.rejects(
    plan('#three_phase(login)', CATALOG),
    (e: unknown) =>
      e instanceof XpromptError &&
      e.message.includes(
        "Multi-agent xprompt '#three_phase' must be invoked as '#!three_phase' because it expands to multiple agent prompts.",
      ),
  );
});

test('G7: leading directive lines attach to the first generated segment only', async () => {
  await loadTemplateEngine();
  const segs = expandMultiAgentSegments(['%name:custom\n#!three_phase(login)'], CATALOG);
  assert.equal(segs.length, 3);
  assert.ok(segs[0]!.startsWith('%name:custom\n'));
  assert.ok(!segs[1]!.includes('custom') && !segs[2]!.includes('custom'));
});

test('G8: `#!` on an ordinary xprompt is rejected', async () => {
  await assert.rejects(
    plan('#!summarize(x)', CATALOG),
    (e: unknown) =>
      e instanceof XpromptError &&
      e.message.includes(
        "Only standalone workflows and multi-agent xprompts use '#!'; '#!summarize(x)' resolves to an embeddable xprompt. Use '#summarize' for inline expansion.",
      ),
  );
});

test('G9: a multi-agent reference among prose is rejected (strict target)', async () => {
  await assert.rejects(
    plan('Please run #!three_phase(login) now', CATALOG),
    /Multi-agent xprompt reference must be invoked as a sole '#!' reference in its segment \(no surrounding prose\)\./,
  );
});

test('G10: a self-referencing multi-agent xprompt stops at depth 8', async () => {
  await assert.rejects(
    plan('#!loop', CATALOG),
    /multi-agent xprompt expansion exceeded max depth at #!loop \(possible self-reference\)/,
  );
});

test('G11: inline expansion of a multi-agent xprompt keeps only its first segment', async () => {
  assert.equal(await expandPrompt('Run: #three_phase(login)', CATALOG), 'Run: %name:plan\nDraft a plan for login.');
});

test('D15: bare `%wait` in segment 2 waits on the agent named in segment 1', async () => {
  const ls = await plan('%name:refresh_docs.sase_core.abcdef012345.update\nRefresh docs.\n---\n%wait\nCheck the refresh.');
  assert.deepEqual(ls.map((l) => l.directives.waits), [[], ['refresh_docs.sase_core.abcdef012345.update']]);
  const solo = await plan('%wait\nGo on.', cat(), { previousAgentName: 'planner' });
  assert.deepEqual(solo[0]!.directives.waits, ['planner']);
});

test('§5.2: the seed chain plans three launches; `#fork:planner` is deferred and named `.f@`', async () => {
  const text =
    '%n:planner\nPlan a safe docs refresh.\n---\n%n:coder\n%w:planner\n#fork:planner\nImplement the plan.\n---\n%n:reviewer\n%w:coder\nReview the diff and list follow-ups.';
  const ls = await plan(text);
  assert.deepEqual(ls.map((l) => l.name), ['planner', 'coder', 'reviewer']);
  assert.deepEqual(ls[1]!.deferred, ['#fork:planner']);
  assert.equal(ls[1]!.prompt, '#fork:planner\nImplement the plan.');
  const unnamed = await plan('%w:planner\n#fork:planner\nGo.');
  assert.equal(unnamed[0]!.name, 'planner.f@');
});

test('§1.6: workspace references are canonicalised and stripped; `#git:home` is the default', async () => {
  const rows: Array<[string, string, string]> = [
    ['Do it', '#git:home', 'Do it'],
    ['#cd:. %h Tell me', '#cd:/work/proj', 'Tell me'],
    ['%m:opus #cd:~/src Go', '#cd:/home/u/src', 'Go'],
    ['#cd(~/my project)\nGo', '#cd:/home/u/my project', 'Go'],
    ['#gh_sase fix it', '#gh:sase', 'fix it'],
    ['#gh@planner fix it', '#gh:planner', 'fix it'],
    ['#gh:owner/repo\nfix it', '#gh:owner/repo', 'fix it'],
    ['Later #gh:sase is just text', '#git:home', 'Later #gh:sase is just text'],
  ];
  for (const [input, ws, prompt] of rows) {
    const [l] = await plan(input);
    assert.equal(l!.workspace_ref, ws, input);
    assert.equal(l!.prompt, prompt, input);
  }
});

test('§6.5: a sole `#!workflow` segment plans a workflow launch; `#workflow` warns', async () => {
  const [l] = await plan('%n:s\n#!sync', CATALOG);
  assert.deepEqual(l!.workflow, { name: 'sync', args: {}, hitl: null });
  assert.equal((await plan('#!sync!!', CATALOG))[0]!.workflow?.hitl, true);
  assert.equal(l!.name, 's');
  assert.deepEqual(l!.warnings, []);
  const [w] = await plan('#sync', CATALOG);
  assert.equal(w!.workflow?.name, 'sync');
  assert.equal(w!.warnings.length, 1);
  await assert.rejects(plan('Please #sync now', CATALOG), /cannot be used inline/);
});
