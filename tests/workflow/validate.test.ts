/** Workflow loading and validation vectors (spec/xprompt-vectors.md §J; spec/xprompts.md §6.2–6.4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseWorkflow } from '../../lib/workflow/load.js';
import { validateWorkflow } from '../../lib/workflow/validate.js';
import { parseOutputSpec } from '../../lib/workflow/output-spec.js';
import { parseInputs } from '../../lib/xprompt/inputs.js';
import { tmpdir } from '../helpers/index.js';

/** All messages (load + semantic) for a workflow text. */
function messages(yaml: string, lookup: (n: string) => ReturnType<typeof parseInputs> | undefined = () => undefined, stepDirs: string[] = []) {
  const r = parseWorkflow(yaml, '/wf/test.yml', { stepDirs });
  const sem = r.workflow ? validateWorkflow(r.workflow, lookup) : [];
  return [...r.diagnostics, ...sem];
}

test('J1: a reference to a missing output field names the available fields', () => {
  const d = messages(`steps:
  - name: build
    bash: echo artifact_path=x status=ok
    output: {artifact_path: path, status: word}
  - name: deploy
    bash: deploy {{ build.atrifact_path }}
`);
  const m = d.find((x) => x.code === 'unknown-field')!;
  assert.equal(m.message, "Step 'deploy': references 'build.atrifact_path' but 'build' output has no field 'atrifact_path'. Available: ['artifact_path', 'status']");
  assert.equal(m.severity, 'error');
  assert.equal(m.line, 5);
  assert.equal(m.file, '/wf/test.yml');
});

test('J1: special fields (_artifact, approved, _raw, meta_*) are always allowed', () => {
  const d = messages(`steps:
  - name: build
    bash: echo a=1
    output: {a: int}
    artifact: stdout
    hitl: true
  - name: use
    bash: echo {{ build._artifact }} {{ build.approved }} {{ build._raw }} {{ build.meta_workspace }} {{ build.a }}
`);
  assert.deepEqual(d.filter((x) => x.severity === 'error'), []);
});

test('J2: two prompt_part steps, and a prompt_part with if:', () => {
  const two = messages(`steps:
  - name: a
    prompt_part: one
  - name: b
    prompt_part: two
`);
  assert.ok(two.some((x) => x.message === 'Workflow has 2 prompt_part steps, but at most one is allowed'));
  const cond = messages(`input: {x: bool}
steps:
  - name: inject
    if: "{{ x }}"
    prompt_part: hi
`);
  const m = cond.find((x) => x.code === 'prompt-part-control-flow')!;
  assert.equal(m.message, "Step 'inject' with 'prompt_part' cannot have 'if' condition");
  assert.equal(m.line, 4);
});

const PP_RULES: Array<[string, string]> = [
  ['for: {i: "[1,2]"}', "Step 'inject' with 'prompt_part' cannot have 'for' loop"],
  ['while: "{{ inject.x }}"', "Step 'inject' with 'prompt_part' cannot have 'while' loop"],
  ['repeat: {until: "{{ inject.x }}"}', "Step 'inject' with 'prompt_part' cannot have 'repeat' loop"],
  ['output: {a: word}', "Step 'inject' with 'prompt_part' cannot have 'output' specification"],
  ['hitl: true', "Step 'inject' with 'prompt_part' cannot have 'hitl: true'"],
  ['finally: true', "Step 'inject' with 'prompt_part' cannot have 'finally: true'"],
  ['artifact: stdout', "Step 'inject' with 'prompt_part' cannot have 'artifact'"],
];
for (const [extra, message] of PP_RULES) {
  test(`prompt_part restriction: ${extra}`, () => {
    const d = messages(`steps:\n  - name: inject\n    prompt_part: hi\n    ${extra}\n`);
    assert.ok(d.some((x) => x.message === message), JSON.stringify(d.map((x) => x.message)));
  });
}

test('J3: xprompt calls are checked against the callee inputs', () => {
  const inputs = parseInputs({ diff_path: 'path', spec_markdown: 'text', note: { type: 'line', default: '' } });
  const d = messages(
    `steps:
  - name: run
    agent: "#split_executor(foo=1)"
  - name: run2
    agent: "#split_executor(a, b, c, d)"
`,
    (n) => (n === 'split_executor' ? inputs : undefined),
  );
  const msgs = d.map((x) => x.message);
  assert.ok(msgs.includes("Step 'run': #split_executor has no input named 'foo'. Available: ['diff_path', 'note', 'spec_markdown']"));
  assert.ok(msgs.includes("Step 'run': #split_executor missing required args: ['diff_path', 'spec_markdown']"));
  assert.ok(msgs.includes("Step 'run2': #split_executor has 4 positional args but only 3 inputs defined"));
  assert.ok(!msgs.some((m) => m.startsWith("Step 'run2'") && m.includes('missing')));
});

test('J3: unknown xprompts and workflow-local xprompts are resolved first locally', () => {
  const d = messages(`xprompts:
  _helper:
    input: {who: word}
    content: "Hi {{ who }}"
steps:
  - name: run
    agent: "#_helper #unknown(x=1)"
`);
  assert.ok(d.some((x) => x.message === "Step 'run': #_helper missing required args: ['who']"));
  assert.ok(!d.some((x) => x.message.includes('#unknown')));
});

test('J6: step imports with .. or an absolute path are rejected; imports merge with local keys winning', (t) => {
  assert.ok(messages('steps:\n  - name: a\n    use: ../evil\n').some((x) => x.message === "Step 'a': unsafe step import '../evil'"));
  assert.ok(messages('steps:\n  - name: a\n    use: /etc/x\n').some((x) => x.message === "Step 'a': unsafe step import '/etc/x'"));
  assert.ok(messages('steps:\n  - name: a\n    use: nope/missing\n').some((x) => x.message === "Step 'a': step import 'nope/missing' not found"));
  const dir = tmpdir(t, { 'steps/shared/check.yml': 'hidden: true\npython: print("has_changes=true")\noutput: { has_changes: bool }\n' });
  const r = parseWorkflow('steps:\n  - name: check\n    use: shared/check\n    hidden: false\n  - name: after\n    bash: echo {{ check.has_changes }}\n', '/wf/x.yml', { stepDirs: [join(dir, 'steps')] });
  assert.deepEqual(r.diagnostics, []);
  const s = r.workflow!.steps[0]!;
  assert.equal(s.kind, 'python');
  assert.equal(s.hidden, false);
  assert.deepEqual(s.output?.fields, ['has_changes']);
  assert.equal(s.use?.ref, 'shared/check');
});

const SCHEMA: Array<[string, string, string]> = [
  ['both kinds', '  - name: s\n    bash: a\n    python: b\n', "Step 's' can only have one of 'agent', 'bash', 'python', 'prompt_part', or 'parallel' fields"],
  ['no kind', '  - name: s\n    output: {a: word}\n', "Step 's' must have one of 'agent', 'bash', 'python', 'prompt_part', or 'parallel' field"],
  ['bad artifact', '  - name: s\n    bash: a\n    artifact: file\n', "Step 's' 'artifact' must be 'stdout', got 'file'"],
  ['agent artifact', '  - name: s\n    agent: a\n    artifact: stdout\n', "Step 's' with 'agent' cannot have 'artifact'"],
  ['two loops', '  - name: s\n    bash: a\n    for: {i: "[1]"}\n    while: "{{ s.x }}"\n', "Step 's' can only have one of 'for', 'repeat', or 'while' fields"],
  ['for not a map', '  - name: s\n    bash: a\n    for: "[1, 2]"\n', "Step 's' 'for' field must be a dict mapping variable names to list expressions"],
  ['repeat no until', '  - name: s\n    bash: a\n    repeat: {max: 3}\n', "Step 's' 'repeat' field requires 'until' condition"],
  ['repeat not a map', '  - name: s\n    bash: a\n    repeat: "{{ x }}"\n', "Step 's' 'repeat' field must be a dict with 'until' key"],
  ['while no condition', '  - name: s\n    bash: a\n    while: {max: 3}\n', "Step 's' 'while' field requires 'condition' key"],
  ['while bad type', '  - name: s\n    bash: a\n    while: [1]\n', "Step 's' 'while' field must be a string or dict"],
  ['bad join', '  - name: s\n    bash: a\n    join: list\n', "Step 's' 'join' must be one of: array, lastOf, object, text"],
  ['on_error without for', '  - name: s\n    bash: a\n    on_error: continue\n', "Step 's' 'on_error' is only supported on 'for:' loop steps"],
  ['parallel not list', '  - name: s\n    parallel: {a: 1}\n', "Step 's' 'parallel' field must be a list of steps"],
  ['parallel one step', '  - name: s\n    parallel:\n      - name: a\n        bash: x\n', "Step 's' 'parallel' field requires at least 2 steps"],
  ['parallel dup', '  - name: s\n    parallel:\n      - name: a\n        bash: x\n      - name: a\n        bash: y\n', "Step 's' has duplicate nested step name: 'a'"],
  ['nested loop', '  - name: s\n    parallel:\n      - name: a\n        bash: x\n        for: {i: "[1]"}\n      - name: b\n        bash: y\n', "Nested step 'a' cannot have 'for', 'repeat', 'while', or 'parallel' fields"],
  ['nested hitl', '  - name: s\n    parallel:\n      - name: a\n        bash: x\n        hitl: true\n      - name: b\n        bash: y\n', "Nested step 'a' cannot have 'hitl: true'"],
  ['nested artifact', '  - name: s\n    parallel:\n      - name: a\n        bash: x\n        artifact: stdout\n      - name: b\n        bash: y\n', "Nested step 'a' cannot have 'artifact'"],
  ['parallel + while', '  - name: s\n    while: "{{ s.x }}"\n    parallel:\n      - name: a\n        bash: x\n      - name: b\n        bash: y\n', "Step 's' cannot combine 'parallel' with 'repeat' or 'while'"],
  ['duplicate step', '  - name: s\n    bash: a\n  - name: s\n    bash: b\n', "Duplicate step name 's'"],
  ['finally not trailing', '  - name: s\n    bash: a\n    finally: true\n  - name: t\n    bash: b\n', "Step 't' follows a 'finally: true' step; finally steps must be trailing"],
  ['forward reference', '  - name: s\n    bash: echo {{ t.x }}\n  - name: t\n    bash: echo x=1\n    output: {x: int}\n', "Step 's' references step 't' before it executes"],
];
for (const [label, steps, message] of SCHEMA) {
  test(`schema: ${label}`, () => {
    const d = messages(`steps:\n${steps}`);
    assert.ok(d.some((x) => x.message === message && x.severity === 'error'), JSON.stringify(d.map((x) => x.message)));
  });
}

test('document-level errors: YAML syntax, not a mapping, no steps', () => {
  const y = parseWorkflow('steps: [\n', '/wf/a.yml');
  assert.equal(y.workflow, null);
  assert.equal(y.diagnostics[0]!.code, 'yaml');
  assert.ok(y.diagnostics[0]!.line >= 1);
  assert.equal(parseWorkflow('- a\n', '/wf/a.yml').diagnostics[0]!.message, 'top-level YAML is not a mapping');
  assert.equal(parseWorkflow('steps: 3\n', '/wf/a.yml').diagnostics[0]!.message, 'steps must be a list');
  assert.equal(parseWorkflow('steps: []\n', '/wf/a.yml').diagnostics[0]!.message, 'no valid workflow steps parsed');
});

test('unused inputs, outputs and workflow-local xprompts are reported as warnings; the last step is exempt', () => {
  const d = messages(`input: {used: word, unused: word}
xprompts:
  _lonely: "never called"
  _with_input:
    input: {a: word, b: word}
    content: "{{ a }}"
steps:
  - name: first
    bash: "echo {{ used }} #_with_input"
    output: {x: int}
  - name: last
    bash: echo y=1
    output: {y: int}
`);
  const byCode = (c: string) => d.filter((x) => x.code === c).map((x) => [x.message, x.severity]);
  assert.deepEqual(byCode('unused-input'), [["Unused inputs: ['unused']", 'warning']]);
  assert.deepEqual(byCode('unused-output'), [["Step 'first' has output 'x' but is never referenced", 'warning']]);
  assert.deepEqual(byCode('unused-xprompt'), [["Workflow-local xprompt '_lonely' is defined but never referenced", 'warning']]);
  assert.deepEqual(byCode('unused-xprompt-input'), [["Xprompt '_with_input' input 'b' is defined but never referenced in its content", 'warning']]);
});

test('the step model carries what an executor needs', () => {
  const r = parseWorkflow(
    `name: model
environment: {MODE: "{{ mode }}"}
input: {mode: word}
steps:
  - name: setup
    bash: echo n=1
    output: {n: int}
  - name: loop
    python: print("v={{ item }}")
    for: {item: "[1, 2]"}
    join: text
    on_error: continue
  - name: poll
    bash: echo done=true
    while: {condition: "{{ not poll.done }}", max: 5}
    output: {done: bool}
  - name: fan
    fail_fast: false
    parallel:
      - name: a
        agent: "%model:opus hi"
      - name: b
        prompt: legacy {{ setup.n }}
  - name: inject
    prompt_part: "{{ fan.a }}"
  - name: cleanup
    bash: rm -rf x
    finally: true
`,
    '/wf/model.yml',
  );
  assert.deepEqual(r.diagnostics, []);
  const wf = r.workflow!;
  assert.equal(wf.kind, 'embeddable_workflow');
  assert.deepEqual(wf.environment, { MODE: '{{ mode }}' });
  assert.deepEqual(wf.stepInputs, ['setup', 'poll']);
  const [setup, loop, poll, fan, inject, cleanup] = wf.steps;
  assert.equal(setup!.line, 5);
  assert.deepEqual([loop!.kind, loop!.for, loop!.join, loop!.onError], ['python', { item: '[1, 2]' }, 'text', 'continue']);
  assert.deepEqual(poll!.while, { condition: '{{ not poll.done }}', max: 5 });
  assert.equal(fan!.kind, 'parallel');
  assert.equal(fan!.failFast, false);
  assert.deepEqual(fan!.steps.map((s) => [s.name, s.kind, s.legacyPromptKey]), [['a', 'agent', false], ['b', 'agent', true]]);
  assert.equal(inject!.kind, 'prompt_part');
  assert.equal(cleanup!.finally, true);
});

test('§4.5 output specs normalise to JSON Schema', () => {
  assert.deepEqual(parseOutputSpec({ a: 'word', n: 'int', ok: { type: 'bool', default: false } })!.schema, {
    type: 'object',
    properties: { a: { type: 'string' }, n: { type: 'integer' }, ok: { type: ['boolean', 'null'], default: false } },
    required: ['a', 'n'],
  });
  assert.deepEqual(parseOutputSpec([{ name: 'word', parent: { type: 'word', default: null } }])!.schema, {
    type: 'array',
    items: { type: 'object', properties: { name: { type: 'string' }, parent: { type: ['string', 'null'], default: null } }, required: ['name'] },
  });
  const raw = { type: 'object', properties: { x: { type: 'number' } } };
  assert.deepEqual(parseOutputSpec(raw)!.schema, raw);
  assert.deepEqual(parseOutputSpec({ type: 'json_schema', schema: raw })!.fields, ['x']);
  assert.equal(parseOutputSpec(null), null);
});

test('the validator reads reference arguments exactly as the expander lexes them', async () => {
  const { xpromptCalls } = await import('../../lib/workflow/refs.js');
  const { findReferences, refArgs } = await import('../../lib/xprompt/lexer.js');
  const samples = ['#x:a,b', '#x:`a, b`', '#x:$(date +%s)', '#x:{{ n }}', '#!wf!!(k=v, 2)', 'see #y(1, n="a,b")', '#x:foo.', '#x+'];
  for (const text of samples) {
    const want = findReferences(text).map((r) => ({ name: r.name, ...refArgs(r) }));
    const got = xpromptCalls(text).map((c) => ({ name: c.name, positional: c.positional, named: c.named }));
    assert.deepEqual(got, want, text);
  }
});
