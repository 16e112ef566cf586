/** Vectors F (model / alternative fan-out, naming, %repeat) of spec/xprompt-vectors.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanOutPrompt, planLaunches } from '../../lib/xprompt/planner.js';
import { expandPrompt } from '../../lib/xprompt/expand.js';
import { findAltDirectives } from '../../lib/xprompt/alt.js';
import { XpromptError } from '../../lib/xprompt/lexer.js';
import type { Catalog } from '../../lib/xprompt/types.js';
import { cat } from './lang-helpers.js';

const NOW = new Date(2026, 10, 21, 12, 0, 0);

function plan(text: string, catalog: Catalog = cat()) {
  return planLaunches(text, { cwd: '/tmp', env: {}, config: {}, now: NOW, catalog, autoName: () => 'auto' });
}

/** Rows whose expected result is a list of exact prompt texts (`split_prompt_for_models` output). */
const TEXT_ROWS: Array<{ id: string; input: string; expected: string[] }> = [
  {
    id: 'F2',
    input: '%n:foo\n%{%model:opus | %model:sonnet}\nReview this code',
    expected: ['%name:foo.cld_opus\n%model:opus\nReview this code', '%name:foo.cld_sonnet\n%model:sonnet\nReview this code'],
  },
  {
    id: 'F9',
    input: '%n:foo\n%auto\n%{%model:opus | %model:sonnet}\nReview this code',
    expected: [
      '%name:foo.cld_opus\n%auto\n%model:opus\nReview this code',
      '%name:foo.cld_sonnet\n%auto\n%model:sonnet\nReview this code',
    ],
  },
  {
    id: 'F10',
    input: '%n:foo\n%{%model:codex/o3 | %model:claude/opus}\nReview this code',
    expected: ['%name:foo.cdx\n%model:codex/o3\nReview this code', '%name:foo.cld\n%model:claude/opus\nReview this code'],
  },
];

for (const row of TEXT_ROWS) {
  test(`${row.id}: fan-out of ${JSON.stringify(row.input)}`, () => {
    assert.deepEqual(
      fanOutPrompt(row.input).map((v) => v.text),
      row.expected,
    );
  });
}

/** Rows planned end to end: expected launch names, models, overrides, or an error. */
const PLAN_ROWS: Array<{
  id: string;
  input: string;
  names?: Array<string | null>;
  models?: Array<string | null>;
  overrides?: Array<Record<string, string>>;
  prompts?: string[];
  altIds?: Array<string | null>;
  error?: string;
}> = [
  { id: 'F1', input: '%m(opus,sonnet)\nReview this code', error: '%m(opus,sonnet) is no longer supported; use %{%m:opus | %m:sonnet} instead' },
  {
    id: 'F3',
    input: '%n:foo\n%{%model:opus | %model:sonnet | %model:haiku}\nDo work',
    names: ['foo.cld_opus', 'foo.cld_sonnet', 'foo.cld_haiku'],
    models: ['opus', 'sonnet', 'haiku'],
  },
  { id: 'F4', input: '%m(opus)\nDo work', models: ['opus'], altIds: [null] },
  { id: 'F5', input: '%m(opus, coder=sonnet)\nDo work', models: ['opus'], overrides: [{ coder: 'sonnet' }], altIds: [null] },
  {
    id: 'F6',
    input: '%{%m(opus, coder=sonnet) | %m(haiku, coder=opus)}\nDo work',
    models: ['opus', 'haiku'],
    overrides: [{ coder: 'sonnet' }, { coder: 'opus' }],
  },
  { id: 'F7', input: 'Just a prompt', models: [null], altIds: [null], prompts: ['Just a prompt'] },
  { id: 'F8', input: '%m:opus\nDo work', models: ['opus'], altIds: [null] },
  {
    id: 'F11',
    input: '%n:foo\n%{%m("agy/Gemini 3.1 Pro (High)") | %m("agy/Gemini 3.5 Flash (High)")}\nReview this code',
    models: ['agy/Gemini 3.1 Pro (High)', 'agy/Gemini 3.5 Flash (High)'],
  },
  { id: 'F13', input: '%n:foo\n%model:opus\n%model:sonnet\nReview this code', error: 'use %{%m:opus | %m:sonnet} instead' },
  { id: 'F13 alias + canonical', input: '%m:opus\n%model:sonnet\nx', error: 'use %{%m:opus | %m:sonnet} instead' },
  { id: 'F13 identical twice', input: '%model:opus\n%model:opus\nx', error: 'use %{%m:opus | %m:opus} instead' },
  { id: 'F13 non-adjacent lines', input: '%model:opus\nsome text\n%model:sonnet\nx', error: '%model:opus ... %model:sonnet is no longer supported' },
  { id: 'F14', input: '%model:opus\n```\n%model:sonnet\n```\nReview', models: ['opus'], altIds: [null] },
  {
    id: 'F17',
    input: '%name:review %alt(sec=[[security]],perf=[[performance]])',
    names: ['review.sec', 'review.perf'],
    prompts: ['security', 'performance'],
    altIds: ['sec', 'perf'],
  },
  { id: 'F18', input: '%(2=[[named]], [[first]], [[second]])', altIds: ['2', '1', '3'], prompts: ['named', 'first', 'second'] },
  {
    id: 'F19',
    input: '%(Also check for security issues.)\nReview this module.',
    prompts: ['Also check for security issues.\nReview this module.', 'Review this module.'],
  },
  {
    id: 'F20',
    input: '%(Focus on security, Focus on perf) %{%m:opus | %m:sonnet}\nReview this code.',
    models: ['opus', 'sonnet', 'opus', 'sonnet'],
    prompts: ['Focus on security \nReview this code.', 'Focus on security \nReview this code.', 'Focus on perf \nReview this code.', 'Focus on perf \nReview this code.'],
  },
  {
    id: 'F21',
    input: '%repeat:3\n%name:linter\nRun lint checks on the codebase. Pass {{ n }} of {{ N }}.',
    names: ['linter.1', 'linter.2', 'linter.3'],
    prompts: [
      'Run lint checks on the codebase. Pass 1 of 3.',
      'Run lint checks on the codebase. Pass 2 of 3.',
      'Run lint checks on the codebase. Pass 3 of 3.',
    ],
  },
];

for (const row of PLAN_ROWS) {
  test(`${row.id}: planning ${JSON.stringify(row.input)}`, async () => {
    if (row.error) {
      await assert.rejects(plan(row.input), (e: unknown) => e instanceof XpromptError && e.message.includes(row.error!));
      return;
    }
    const ls = await plan(row.input);
    if (row.names) assert.deepEqual(ls.map((l) => l.name), row.names);
    if (row.models) assert.deepEqual(ls.map((l) => l.directives.model), row.models);
    if (row.overrides) assert.deepEqual(ls.map((l) => l.directives.model_overrides), row.overrides);
    if (row.prompts) assert.deepEqual(ls.map((l) => l.prompt), row.prompts);
    if (row.altIds) assert.deepEqual(ls.map((l) => l.alt_id), row.altIds);
  });
}

test('F12: `%alt(%model:a,%model:b)` fans out exactly like `%{%model:a | %model:b}`', async () => {
  const a = await plan('%n:foo\n%{%model:opus | %model:sonnet}\nReview this code');
  const b = await plan('%n:foo\n%alt(%model:opus,%model:sonnet)\nReview this code');
  const strip = (ls: typeof a) => ls.map(({ raw_prompt: _r, ...rest }) => rest);
  assert.deepEqual(strip(b), strip(a));
});

test('F15: alternatives injected by an xprompt fan out only after expansion (4 raw, 8 expanded)', async () => {
  const c = cat({ codex: 'gpt-5.6-sol', m_opus_codex: '%{%model:opus | %model:#codex}' });
  const raw = "%n:foo Describe this repo %(briefly, in detail). %(Don't trust the documentation!) #m_opus_codex";
  const rawVariants = fanOutPrompt(raw);
  assert.equal(rawVariants.length, 4);
  assert.ok(rawVariants.every((v) => !v.text.includes('%model')));
  const expanded = fanOutPrompt(await expandPrompt(raw, c));
  assert.equal(expanded.length, 8);
  assert.equal(expanded.filter((v) => v.text.includes('%model:opus')).length, 4);
  assert.equal(expanded.filter((v) => v.text.includes('%model:#codex')).length, 4);
  const launches = await plan(raw, c);
  assert.equal(launches.length, 8);
  assert.deepEqual([...new Set(launches.map((l) => l.directives.model))].sort(), ['gpt-5.6-sol', 'opus']);
});

test('F16: a prompt-local xprompt that injects `%{…}` fans out once expanded', async () => {
  assert.equal(fanOutPrompt('#_fanout').length, 1);
  const c = cat({ _fanout: '%n:foo\n%{%model:opus | %model:sonnet}\nReview this code' });
  const ls = await plan('#_fanout', c);
  assert.deepEqual(ls.map((l) => [l.name, l.prompt]), [
    ['foo.cld_opus', 'Review this code'],
    ['foo.cld_sonnet', 'Review this code'],
  ]);
});

test('F21: repeat slots after the first wait on the previous slot and carry their slot numbers', async () => {
  const ls = await plan('%repeat:3\n%name:linter\nRun lint checks on the codebase.');
  assert.deepEqual(ls.map((l) => l.directives.waits), [[], ['linter.1'], ['linter.2']]);
  assert.deepEqual(ls.map((l) => l.repeat_slot), [
    { iteration: 1, total: 3 },
    { iteration: 2, total: 3 },
    { iteration: 3, total: 3 },
  ]);
  assert.ok(ls.every((l) => l.prompt === 'Run lint checks on the codebase.' && l.directives.repeat === 3));
});

test('§2.7: `%repeat:1` is a normal single launch', async () => {
  const ls = await plan('%r:1\n%n:x\nGo');
  assert.equal(ls.length, 1);
  assert.equal(ls[0]!.name, 'x');
  assert.equal(ls[0]!.repeat_slot, null);
});

test('§2.5: an unclosed alternative is an error naming the delimiter', async () => {
  await assert.rejects(plan('%{%m:a | %m:b\nx'), /Unclosed %\{ directive/);
  await assert.rejects(plan('%alt(a, b\nx'), /Unclosed %alt directive/);
});

test('§2.5: correlated directives share one axis through explicit branch names', () => {
  const dirs = findAltDirectives('%(a=[[A1]], b=[[B1]]) and %(a=[[A2]], b=[[B2]])');
  assert.equal(dirs.length, 2);
  const v = fanOutPrompt('%n:x %(a=[[A1]], b=[[B1]]) and %(a=[[A2]], b=[[B2]])');
  assert.deepEqual(v.map((x) => x.text), ['%name:x.a\nA1 and A2', '%name:x.b\nB1 and B2']);
});
