/** Binding and type-conversion vectors (spec/xprompt-vectors.md §B; spec/xprompts.md §4.2–4.3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindInputArgs } from '../../lib/xprompt/inputs.js';
import { convertArg, parseInputs } from '../../lib/xprompt/inputs.js';
import { InvalidDataError } from '../../lib/errors/index.js';
import type { InputSpec } from '../../lib/xprompt/types.js';

function def(name: string, inputs: Record<string, unknown> | unknown[] | null) {
  return { name, inputs: parseInputs(inputs, () => 7), path: `/defs/${name}.md`, bodyLine: 10 };
}

test('B1: a positional value binds to the first input', () => {
  const b = bindInputArgs(def('greet', { user_name: 'word' }), ['Alice'], {});
  assert.equal(b.named.user_name, 'Alice');
  assert.equal(b.vars.user_name, 'Alice');
});

test('B11/B12: positional args convert to named ones in order; the positional list is unchanged', () => {
  const b = bindInputArgs(def('mentor', { prompt: 'text' }), ['This is my prompt text'], {});
  assert.deepEqual(b.positional, ['This is my prompt text']);
  assert.deepEqual(b.named, { prompt: 'This is my prompt text' });
  const b2 = bindInputArgs(def('two', { first: 'line', second: 'line' }), ['value1', 'value2'], {});
  assert.deepEqual(b2.named, { first: 'value1', second: 'value2' });
});

test('B13: a named arg beats the positional binding of the same input', () => {
  const b = bindInputArgs(def('mentor', { prompt: 'text' }), ['positional value'], { prompt: 'explicit named value' });
  assert.deepEqual(b.positional, ['positional value']);
  assert.deepEqual(b.named, { prompt: 'explicit named value' });
});

test('B14: extra positional args are an error naming the xprompt, the file and the line', () => {
  assert.throws(
    () => bindInputArgs(def('x', { a: 'word' }), ['x', 'y'], {}),
    (e: unknown) => {
      assert.ok(e instanceof InvalidDataError);
      assert.equal(e.message, "XPrompt '#x' argument error: Too many positional arguments: input 2 has no declaration");
      assert.equal(e.location?.file, '/defs/x.md');
      assert.equal(e.location?.line, 10);
      return true;
    },
  );
});

const B15: Array<[string, string, unknown]> = [
  ['int', '42', 42],
  ['int', ' -7 ', -7],
  ['int', '1_000', 1000],
  ['float', '2.5', 2.5],
  ['float', '1e3', 1000],
  ['bool', 'Yes', true],
  ['bool', 'off', false],
  ['bool', 'TRUE', true],
  ['bool', '0', false],
  ['word', 'abc', 'abc'],
  ['line', 'one line', 'one line'],
  ['text', 'a\nb', 'a\nb'],
  ['path', 'a b/c', 'a b/c'],
];
for (const [type, value, want] of B15) {
  test(`B15: ${type} accepts ${JSON.stringify(value)} as ${JSON.stringify(want)}`, () => {
    assert.deepEqual(convertArg({ name: 'n', type }, value), want);
  });
}

const B15_ERRORS: Array<[string, string, string]> = [
  ['int', 'abc', "Argument 'n' expects int, got 'abc'"],
  ['int', '1.5', "Argument 'n' expects int, got '1.5'"],
  ['float', 'x1', "Argument 'n' expects float, got 'x1'"],
  ['bool', 'maybe', "Argument 'n' expects bool, got 'maybe'"],
  ['word', 'two words', "Argument 'n' expects word (no spaces), got 'two words'"],
  ['word', '', "Argument 'n' expects a non-empty word"],
  ['line', 'a\nb', "Argument 'n' expects line (no newlines), got value with newlines"],
  ['path', 'a\nb', "Argument 'n' expects single-line path (no newlines), got value with newlines"],
];
for (const [type, value, message] of B15_ERRORS) {
  test(`B15: ${type} rejects ${JSON.stringify(value)}`, () => {
    assert.throws(() => convertArg({ name: 'n', type }, value), { message });
  });
}

test('B15 through binding: the type error is wrapped with the xprompt name and located at the input', () => {
  assert.throws(
    () => bindInputArgs(def('count', [{ name: 'n', type: 'int' }]), ['abc'], {}),
    (e: unknown) => {
      assert.ok(e instanceof InvalidDataError);
      assert.equal(e.message, "XPrompt '#count' argument error: Argument 'n' expects int, got 'abc'");
      assert.equal(e.location?.line, 7);
      assert.equal(e.location?.field, 'n');
      return true;
    },
  );
});

test('B16: a named null falls back to the default', () => {
  const b = bindInputArgs(def('x', { count: { type: 'int', default: 3 } }), [], { count: null });
  assert.equal(b.named.count, 3);
});

test('a positional null binds nothing but stays in the positional list', () => {
  const d = def('x', { a: { type: 'word', default: 'dflt' }, b: 'word' });
  const b = bindInputArgs(d, [null, 'bee'], {});
  assert.deepEqual(b.named, { a: 'dflt', b: 'bee' });
  assert.deepEqual(b.vars._args, [null, 'bee']);
  assert.equal(b.vars._1, null);
});

test('no declared inputs: positionals pass through as _1.._n and _args, named args become variables', () => {
  const b = bindInputArgs(def('p', null), ['a', 'b'], { k: 'v' });
  assert.equal(b.vars._1, 'a');
  assert.equal(b.vars._2, 'b');
  assert.deepEqual(b.vars._args, ['a', 'b']);
  assert.equal(b.vars.k, 'v');
});

test('named args that match no input are kept as extra variables', () => {
  const b = bindInputArgs(def('x', { a: 'word' }), ['1'], { extra: 'e' });
  assert.equal(b.vars.extra, 'e');
  assert.equal(b.named.extra, 'e');
});

test('missing required inputs are an error by default and reported with allowMissing', () => {
  const d = def('greet', { user: 'word', other: { type: 'word', default: null } });
  assert.throws(() => bindInputArgs(d, [], {}), { message: "XPrompt '#greet' argument error: Missing required argument: 'user'" });
  const b = bindInputArgs(d, [], {}, { allowMissing: true });
  assert.deepEqual(b.missing, ['user']);
  assert.equal('user' in b.vars, false);
  assert.equal(b.vars.other, null);
});

test('a final repeatable input swallows the remaining positional args', () => {
  const inputs: InputSpec[] = parseInputs([{ name: 'first', type: 'word' }, { name: 'rest', type: 'int', repeatable: true }]);
  const b = bindInputArgs({ name: 'r', inputs, path: null, bodyLine: 1 }, ['a', '1', '2', '3'], {});
  assert.deepEqual(b.named, { first: 'a', rest: [1, 2, 3] });
});

test('enum inputs accept only declared choices', () => {
  const inputs = parseInputs({ mode: { type: 'enum', choices: ['fast', 'slow'] } });
  const d = { name: 'e', inputs, path: null, bodyLine: 1 };
  assert.equal(bindInputArgs(d, ['fast'], {}).named.mode, 'fast');
  assert.throws(() => bindInputArgs(d, ['medium'], {}), { message: "XPrompt '#e' argument error: Argument 'mode' expects one of fast, slow, got 'medium'" });
});

test('input declarations with bad shapes are rejected with the offending line', () => {
  assert.throws(() => parseInputs(5, () => 3), { message: /'input' must be a list or a mapping/ });
  assert.throws(() => parseInputs({ 'bad name': 'word' }), { message: /must be an identifier/ });
  assert.throws(() => parseInputs([{ name: 'a' }, { name: 'a' }]), { message: /duplicate input 'a'/ });
  assert.throws(() => parseInputs([{ name: 'a', repeatable: true }, { name: 'b' }]), { message: /repeatable but is not the last/ });
});

test("SASE leniency: a non-type scalar means 'line' and non-mapping longform items are skipped", () => {
  assert.deepEqual(parseInputs({ a: 5, b: null, c: 'Word' }).map((i) => [i.name, i.type, i.required]), [['a', 'line', true], ['b', 'line', true], ['c', 'word', true]]);
  assert.deepEqual(parseInputs([{ name: 'x', type: 'int' }, 'junk', 3, null]).map((i) => i.name), ['x']);
});
