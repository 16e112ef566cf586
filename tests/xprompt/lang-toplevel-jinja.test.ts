/**
 * Top-level prompts rendered as Jinja (spec/xprompts.md §4.4, last paragraph): globals only, fences and disabled
 * regions protected, runtime names deferred at plan time, errors `Jinja2 template error in prompt: …`.
 */
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { InvalidDataError } from '../../lib/errors/index.js';
import { planLaunches } from '../../lib/xprompt/planner.js';
import { renderRuntimeNames } from '../../lib/xprompt/toplevel.js';
import { loadTemplateEngine, renderJinja } from '../../lib/xprompt/template.js';
import { cat, inp, md } from './lang-helpers.js';

const plan = (text: string, bodies: Record<string, string> = {}) =>
  planLaunches(text, { cwd: '/tmp', env: { HOME: '/tmp' }, config: {}, now: new Date('2026-01-02T03:04:05Z'), runCommand: null, catalog: cat(bodies) } as never);

/** Asserts that planning `text` fails with an InvalidDataError `Jinja2 template error in prompt: <detail>`. */
async function rejectsAsPromptError(text: string, detail: RegExp): Promise<void> {
  await assert.rejects(plan(text), (e: unknown) => {
    assert.ok(e instanceof InvalidDataError);
    assert.match((e as Error).message, new RegExp(`^Jinja2 template error in prompt: ${detail.source}`));
    return true;
  });
}

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
  await rejectsAsPromptError('Hi {{ nope }}', /'nope' is undefined/);
});

test('a syntax error is a Jinja2 template error in prompt', async () => {
  await rejectsAsPromptError('Bad {% if %}', /.+/);
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

/*
 * Blocks that test runtime names (lib/xprompt/blocks.ts): kept as written at plan time, rendered by the runner. The
 * definition they are checked against: the whole original template rendered by the Jinja engine with every name
 * known — what rendering at run time means.
 */
async function renderedWhole(src: string, vars: Record<string, unknown>): Promise<string> {
  await loadTemplateEngine();
  return renderJinja(src, vars, { label: 'prompt' }, { engineOnly: true });
}

const RUNTIME_BLOCKS: Array<[string, string, Record<string, unknown>]> = [
  ['if over a list, empty', '{% if wait_chats %}Read {{ wait_chats | join(", ") }} first. {% endif %}Go.', { wait_chats: [] }],
  ['if over a list, set', '{% if wait_chats %}Read {{ wait_chats | join(", ") }} first. {% endif %}Go.', { wait_chats: ['/a.jsonl', '/b.jsonl'] }],
  ['if/elif/else', '{% if agents | length > 1 %}many{% elif agents %}one: {{ agents[0] }}{% else %}none{% endif %}.', { agents: ['x'] }],
  ['for loop', 'Chats:\n{% for c in wait_chats %}- {{ c }} ({{ loop.index }})\n{% endfor %}done', { wait_chats: ['/a', '/b'] }],
  ['nested blocks', '{% if agents %}{% for a in agents %}{% if a != "skip" %}[{{ a }}]{% endif %}{% endfor %}{% endif %}!', { agents: ['p', 'skip', 'q'] }],
  ['whitespace control', 'A\n  {%- if agents %} B {% endif -%}\n  C', { agents: ['x'] }],
  ['a runtime expression beside a block', 'ws {{ workspace_num }}: {% if cl_name == "bob" %}hi bob{% endif %}', { workspace_num: 3, cl_name: 'bob' }],
];
for (const [label, src, vars] of RUNTIME_BLOCKS) {
  test(`a block on runtime names waits for the runner: ${label}`, async () => {
    const [l] = await plan(`%n:bob ${src}`);
    assert.equal(l!.prompt, src.trim(), 'kept as written at plan time');
    assert.equal(await renderRuntimeNames(l!.prompt, vars), await renderedWhole(src, vars));
  });
}

test('a repeat slot decides a block on n at run time, per slot', async () => {
  const ls = await plan('%repeat:2 %n:rr {% if n == 1 %}first{% else %}later {{ n }}{% endif %}');
  // The slot fills `{{ n }}` as text; the block itself waits.
  assert.deepEqual(ls.map((l) => l.prompt), ['{% if n == 1 %}first{% else %}later 1{% endif %}', '{% if n == 1 %}first{% else %}later 2{% endif %}']);
  const out = await Promise.all(ls.map((l, i) => renderRuntimeNames(l.prompt, { n: i + 1, N: 2 })));
  assert.deepEqual(out, ['first', 'later 2']);
});

test('an xprompt body keeps a runtime-name block and renders its inputs around it', async () => {
  const defs = [md('ctx', '{% if agents %}After {{ agents | join(",") }}: {% endif %}do {{ task }}', [inp('task', 'line', 0)])];
  const [l] = await planLaunches('%n:z #ctx(ship it)', { cwd: '/tmp', env: { HOME: '/tmp' }, config: {}, now: new Date(), runCommand: null, catalog: cat({}, defs) } as never);
  assert.equal(l!.prompt, '{% if agents %}After {{ agents | join(",") }}: {% endif %}do ship it');
  assert.equal(await renderRuntimeNames(l!.prompt, { agents: ['a', 'b'] }), 'After a,b: do ship it');
  assert.equal(await renderRuntimeNames(l!.prompt, { agents: [] }), 'do ship it');
});

test('a block that also reads an xprompt input is decided at expansion (runtime names count as set)', async () => {
  const defs = [md('mix', '{% if wait_chats %}chats for {{ task }}{% endif %}', [inp('task', 'word', 0)])];
  const [l] = await planLaunches('%n:z #mix(t1)', { cwd: '/tmp', env: { HOME: '/tmp' }, config: {}, now: new Date(), runCommand: null, catalog: cat({}, defs) } as never);
  assert.equal(l!.prompt, 'chats for t1');
});

test('a syntax error inside a kept block is reported at plan time', async () => {
  await rejectsAsPromptError('%n:z {% if wait_chats %}{{ wait_chats | }}{% endif %}', /.+/);
});

test('a block on a name that is neither runtime nor known is still an undefined-name error', async () => {
  await assert.rejects(plan('%n:z {% if wait_chats %}{{ nope }}{% endif %}'), /'nope' is undefined/);
});

test('keeping a block in the mini-Jinja subset does not load the template engine (start-up time)', () => {
  const planner = new URL('../../lib/xprompt/planner.js', import.meta.url).href;
  const template = new URL('../../lib/xprompt/template.js', import.meta.url).href;
  const helpers = new URL('./lang-helpers.js', import.meta.url).href;
  const script = [
    `const { planLaunches } = await import(${JSON.stringify(planner)});`,
    `const { templateEngineLoaded } = await import(${JSON.stringify(template)});`,
    `const { cat } = await import(${JSON.stringify(helpers)});`,
    "const [l] = await planLaunches('%n:z {% if wait_chats %}Read {{ wait_chats }}.{% endif %} Go.', { cwd: '/tmp', env: { HOME: '/tmp' }, config: {}, now: new Date(), runCommand: null, catalog: cat({}) });",
    'console.log(JSON.stringify({ prompt: l.prompt, engine: templateEngineLoaded() }));',
  ].join('\n');
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.deepEqual(out, { prompt: '{% if wait_chats %}Read {{ wait_chats }}.{% endif %} Go.', engine: false });
});
