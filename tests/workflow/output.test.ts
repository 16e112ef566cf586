/** Step output parsing and join modes (spec/xprompt-vectors.md J4, J5; spec/xprompts.md §6.3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinResults, parseStepOutput, defaultJoin, type IterationResult } from '../../lib/workflow/output.js';
import { parseOutputSpec } from '../../lib/workflow/output-spec.js';
import { InvalidDataError } from '../../lib/errors/index.js';

test('J4: key=value lines are converted per the declared output types', () => {
  const spec = parseOutputSpec({ success: 'bool', count: 'int' });
  assert.deepEqual(parseStepOutput('success=true\ncount=42\n', spec), { success: true, count: 42 });
});

test('J4: JSON stdout is parsed first', () => {
  assert.deepEqual(parseStepOutput('{"a": 1}\n', parseOutputSpec({ a: 'int' })), { a: 1 });
  assert.deepEqual(parseStepOutput('[{"n": "x"}]', parseOutputSpec([{ n: 'word' }])), [{ n: 'x' }]);
});

test('stdout that is neither JSON nor key=value is kept as _raw/_output', () => {
  assert.deepEqual(parseStepOutput('just some text\n', null), { _raw: 'just some text\n', _output: 'just some text' });
  assert.deepEqual(parseStepOutput('{not json', null), { _raw: '{not json', _output: '{not json' });
});

test('a declared field that cannot be converted is an InvalidDataError naming the step', () => {
  assert.throws(() => parseStepOutput('count=lots', parseOutputSpec({ count: 'int' }), 'build'), (e: unknown) => {
    assert.ok(e instanceof InvalidDataError);
    assert.equal(e.message, "Step 'build' output: Argument 'count' expects int, got 'lots'");
    return true;
  });
});

function iterate(values: string[], line: (v: string) => string): IterationResult[] {
  return values.map((v, i) => {
    const stdout = line(v) + '\n';
    return { key: String(i), stdout, result: parseStepOutput(stdout, null) };
  });
}

const J5: Array<[string, Parameters<typeof joinResults>[0], string[], (v: string) => string, unknown]> = [
  ['text', 'text', ['a', 'b', 'c'], (v) => `line=${v}`, 'line=a\nline=b\nline=c'],
  ['lastOf', 'lastOf', ['first', 'middle', 'last'], (v) => `final=${v}`, { final: 'last' }],
  ['array (default for for:)', defaultJoin('for'), ['1', '2', '3'], (v) => `{"value": ${v}}`, [{ value: 1 }, { value: 2 }, { value: 3 }]],
  ['object', 'object', ['a', 'b'], (v) => `key_${v}=value_${v}`, { key_a: 'value_a', key_b: 'value_b' }],
];
for (const [label, mode, values, line, want] of J5) {
  test(`J5: join ${label}`, () => {
    assert.deepEqual(joinResults(mode, iterate(values, line)), want);
  });
}

test('parallel steps join as an object keyed by branch name by default', () => {
  const items: IterationResult[] = [
    { key: 'lint', stdout: 'ok=true', result: { ok: 'true' } },
    { key: 'test', stdout: 'ok=false', result: { ok: 'false' } },
  ];
  assert.deepEqual(joinResults(defaultJoin('parallel'), items, 'parallel'), { lint: { ok: 'true' }, test: { ok: 'false' } });
});
