/**
 * Step output parsing and join modes (spec/xprompt-vectors.md J4, J5; spec/xprompts.md §6.3), through the rule
 * the executor runs: `parseStepStdout` (shape per lib/workflow/output.ts readStdoutShape, plus `_raw`) then
 * `typeOutput` (declared types).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinResults, defaultJoin, type IterationResult, type StepResult } from '../../lib/workflow/output.js';
import { parseOutputSpec } from '../../lib/workflow/output-spec.js';
import { parseStepStdout, typeOutput } from '../../lib/workflow/run/output.js';

/** A step's output as the executor stores it, and the problems `typeOutput` found. */
function stepOutput(stdout: string, spec: Parameters<typeof parseOutputSpec>[0] | null): { value: unknown; errors: string[] } {
  return typeOutput(parseStepStdout(stdout), spec === null ? null : parseOutputSpec(spec));
}

/** An object output without its `_raw` bookkeeping field (which must hold the whole stdout). */
function fields(value: unknown, stdout: string): Record<string, unknown> {
  const { _raw, ...rest } = value as Record<string, unknown>;
  assert.equal(_raw, stdout);
  return rest;
}

test('J4: key=value lines are converted per the declared output types', () => {
  const stdout = 'success=true\ncount=42\n';
  const got = stepOutput(stdout, { success: 'bool', count: 'int' });
  assert.deepEqual(got.errors, []);
  assert.deepEqual(fields(got.value, stdout), { success: true, count: 42 });
});

test('J4: JSON stdout is parsed first (objects keep _raw, arrays are the output as they are)', () => {
  const obj = stepOutput('{"a": 1}\n', { a: 'int' });
  assert.deepEqual(fields(obj.value, '{"a": 1}\n'), { a: 1 });
  assert.deepEqual(stepOutput('[{"n": "x"}]', [{ n: 'word' }]).value, [{ n: 'x' }]);
  // A line that looks like key=value inside JSON text does not turn it into fields.
  assert.deepEqual(fields(stepOutput('{"cmd": "a=b"}', null).value, '{"cmd": "a=b"}'), { cmd: 'a=b' });
});

test('stdout that is neither JSON nor key=value is kept whole as _raw and _output', () => {
  assert.deepEqual(stepOutput('just some text\n', null).value, { _raw: 'just some text\n', _output: 'just some text\n' });
  assert.deepEqual(stepOutput('{not json', null).value, { _raw: '{not json', _output: '{not json' });
});

test('a declared field that cannot be converted is reported with its name and value', () => {
  const got = stepOutput('count=lots', { count: 'int' });
  assert.equal(got.errors.length, 1);
  assert.match(got.errors[0]!, /field 'count' should be "integer", got "lots"/);
});

function iterate(values: string[], line: (v: string) => string): IterationResult[] {
  return values.map((v, i) => {
    const stdout = line(v) + '\n';
    return { key: String(i), stdout, result: parseStepStdout(stdout) as StepResult };
  });
}

/** A join result with every object's `_raw` left out (the vectors show the fields). */
function withoutRaw(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutRaw);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== '_raw'));
  return v;
}

const J5: Array<[string, Parameters<typeof joinResults>[0], string[], (v: string) => string, unknown]> = [
  ['text', 'text', ['a', 'b', 'c'], (v) => `line=${v}`, 'line=a\nline=b\nline=c'],
  ['lastOf', 'lastOf', ['first', 'middle', 'last'], (v) => `final=${v}`, { final: 'last' }],
  ['array (default for for:)', defaultJoin('for'), ['1', '2', '3'], (v) => `{"value": ${v}}`, [{ value: 1 }, { value: 2 }, { value: 3 }]],
  ['object', 'object', ['a', 'b'], (v) => `key_${v}=value_${v}`, { key_a: 'value_a', key_b: 'value_b' }],
];
for (const [label, mode, values, line, want] of J5) {
  test(`J5: join ${label}`, () => {
    assert.deepEqual(withoutRaw(joinResults(mode, iterate(values, line))), want);
  });
}

test('an object join leaves out the iterations\' _raw (bookkeeping fields start with _)', () => {
  const joined = joinResults('object', iterate(['a'], (v) => `k=${v}`)) as Record<string, unknown>;
  assert.deepEqual(joined, { k: 'a' });
});

test('parallel steps join as an object keyed by branch name by default', () => {
  const items: IterationResult[] = [
    { key: 'lint', stdout: 'ok=true', result: { ok: 'true' } },
    { key: 'test', stdout: 'ok=false', result: { ok: 'false' } },
  ];
  assert.deepEqual(joinResults(defaultJoin('parallel'), items, 'parallel'), { lint: { ok: 'true' }, test: { ok: 'false' } });
});
