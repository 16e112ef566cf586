/**
 * Top-level prompts rendered as Jinja (spec/xprompts.md §4.4, last paragraph): globals only, fences and disabled
 * regions protected, runtime names deferred at plan time, errors `Jinja2 template error in prompt: …`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidDataError } from '../../lib/errors/index.js';
import { planLaunches } from '../../lib/xprompt/planner.js';
import { renderRuntimeNames } from '../../lib/xprompt/template.js';
import { cat } from './lang-helpers.js';

const plan = (text: string, bodies: Record<string, string> = {}) =>
  planLaunches(text, { cwd: '/tmp', env: { HOME: '/tmp' }, config: {}, now: new Date('2026-01-02T03:04:05Z'), runCommand: null, catalog: cat(bodies) } as never);

test('an expression in a top-level prompt is rendered at plan time', async () => {
  const [l] = await plan('What is {{ 1 + 2 }}?');
  assert.equal(l!.prompt, 'What is 3?');
});

test('Jinja produced by an xprompt expansion is rendered with the top-level prompt', async () => {
  const [l] = await plan('#sum please', { sum: 'Total {{ 2 * 5 }}' });
  assert.equal(l!.prompt, 'Total 10 please');
});

test('a fenced block keeps its Jinja literal while the rest renders', async () => {
  const [l] = await plan('A {{ "x" ~ "y" }}\n```\n{{ x }}\n```\n');
  assert.equal(l!.prompt, 'A xy\n```\n{{ x }}\n```');
});

test('a %xprompts_enabled:false region keeps its Jinja literal', async () => {
  const [l] = await plan('B {{ 4 }}\n%xprompts_enabled:false\n{{ y }}\n%xprompts_enabled:true\nend');
  assert.match(l!.prompt, /^B 4\n/);
  assert.match(l!.prompt, /\{\{ y \}\}/);
});

test('a prompt without Jinja syntax is unchanged', async () => {
  const [l] = await plan('Plain {braces} and {1} stay');
  assert.equal(l!.prompt, 'Plain {braces} and {1} stay');
});

test('an undefined name is an InvalidDataError naming it in SASE wording', async () => {
  await assert.rejects(plan('Hi {{ nope }}'), (e: unknown) => {
    assert.ok(e instanceof InvalidDataError);
    assert.match((e as Error).message, /^Jinja2 template error in prompt: 'nope' is undefined/);
    return true;
  });
});

test('a syntax error is a Jinja2 template error in prompt', async () => {
  await assert.rejects(plan('Bad {% if %}'), (e: unknown) => {
    assert.ok(e instanceof InvalidDataError);
    assert.match((e as Error).message, /^Jinja2 template error in prompt: /);
    return true;
  });
});

test('runtime names stay deferred at plan time and render once known', async () => {
  const [l] = await plan('%n:bob ws={{ workspace_num }} me={{ cl_name }} i={{ n }}/{{ N }}');
  assert.equal(l!.prompt, 'ws={{ workspace_num }} me={{ cl_name }} i={{ n }}/{{ N }}');
  const out = await renderRuntimeNames(l!.prompt, { workspace_num: 12, cl_name: 'bob', n: 1, N: 1 });
  assert.equal(out, 'ws=12 me=bob i=1/1');
});

test('repeat slots fill n and N and the rest of the expression still renders', async () => {
  const ls = await plan('%repeat:2 %n:rr step {{ n }} of {{ N }} = {{ 3 + 4 }}');
  assert.deepEqual(ls.map((l) => l.prompt), ['step 1 of 2 = 7', 'step 2 of 2 = 7']);
});

test('wait_chats and agents render as lists at run time', async () => {
  const out = await renderRuntimeNames("{{ agents | join(',') }}: {{ wait_chats | length }}", { agents: ['a', 'b'], wait_chats: ['/x', '/y'] });
  assert.equal(out, 'a,b: 2');
});

test('at run time Jinja from a disabled region (names not runtime names) and fenced blocks stay literal', async () => {
  const [l] = await plan('%n:z me={{ cl_name }}\n%xprompts_enabled:false\n{{ y }}\n%xprompts_enabled:true\n```\n{{ cl_name }}\n```');
  const out = await renderRuntimeNames(l!.prompt, { cl_name: 'z' });
  assert.equal(out, 'me=z\n{{ y }}\n```\n{{ cl_name }}\n```');
});
