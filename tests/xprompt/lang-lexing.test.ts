/** Vectors A (reference lexing) and B1–B10 (argument forms) of spec/xprompt-vectors.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findReferences, refArgs } from '../../lib/xprompt/lexer.js';
import { parseArgs, processTextBlock } from '../../lib/xprompt/lexer.js';
import { expandPrompt } from '../../lib/xprompt/expand.js';
import { cat, inp, md } from './lang-helpers.js';

interface LexRow {
  id: string;
  input: string;
  name: string | null;
  form?: 'none' | 'paren' | 'colon' | 'plus';
  colon?: string;
  marker?: '#' | '#!';
  hitl?: boolean | null;
}

const LEXING: LexRow[] = [
  { id: 'A1', input: '#foo', name: 'foo', form: 'none' },
  { id: 'A2', input: '#foo_bar', name: 'foo_bar' },
  { id: 'A3', input: '#foo123', name: 'foo123' },
  { id: 'A4', input: '#mentor/aaa', name: 'mentor/aaa' },
  { id: 'A5', input: '#foo/bar/baz', name: 'foo/bar/baz' },
  { id: 'A6', input: '#mentor/aaa(arg1)', name: 'mentor/aaa', form: 'paren' },
  { id: 'A7', input: '#foo/bar:value', name: 'foo/bar', form: 'colon', colon: 'value' },
  { id: 'A8', input: '#foo/bar+', name: 'foo/bar', form: 'plus' },
  { id: 'A9', input: 'text #mentor/aaa', name: 'mentor/aaa' },
  { id: 'A10', input: '(#mentor/aaa)', name: 'mentor/aaa' },
  { id: 'A11', input: '"#mentor/aaa"', name: 'mentor/aaa' },
  { id: 'A12', input: '#clr:832098883.', name: 'clr', form: 'colon', colon: '832098883' },
  { id: 'A13', input: 'C#mentor', name: null },
  { id: 'A14', input: '#foo//bar', name: 'foo' },
  { id: 'A15', input: '#/foo', name: null },
  { id: 'A16', input: '#foo/', name: 'foo' },
  { id: 'A17', input: '# Heading', name: null },
  { id: 'A18a', input: '#foo__bar', name: 'foo/bar' },
  { id: 'A18b', input: '#a__b__c', name: 'a/b/c' },
  { id: 'A19a', input: '#!sync', name: 'sync', marker: '#!', hitl: null },
  { id: 'A19b', input: '#!fix_just!!', name: 'fix_just', marker: '#!', hitl: true },
  { id: 'A19c', input: '#!fix_just??', name: 'fix_just', marker: '#!', hitl: false },
  { id: 'A19d', input: '#gh:sase', name: 'gh', marker: '#', form: 'colon', colon: 'sase' },
  // §1.1 boundary table rows beyond the numbered vectors.
  { id: '§1.1 issue#12', input: 'issue#12', name: null },
  { id: '§1.1 a.#foo', input: 'a.#foo', name: null },
  { id: '§1.1 [#foo', input: '[#foo', name: 'foo' },
];

for (const row of LEXING) {
  test(`${row.id}: lexing ${JSON.stringify(row.input)}`, () => {
    const refs = findReferences(row.input);
    if (row.name === null) {
      assert.equal(refs.length, 0, `expected no match, got ${JSON.stringify(refs.map((r) => r.raw))}`);
      return;
    }
    assert.equal(refs.length, 1);
    const r = refs[0]!;
    assert.equal(r.name, row.name);
    if (row.form) assert.equal(r.form, row.form);
    if (row.colon !== undefined) assert.equal(r.colonArg, row.colon);
    if (row.marker) assert.equal(r.marker, row.marker);
    if (row.hitl !== undefined) assert.equal(r.hitl, row.hitl);
    if (row.form === 'plus') assert.deepEqual(refArgs(r).positional, ['true']);
  });
}

interface ArgRow {
  id: string;
  input: string;
  positional: string[];
  named?: Record<string, string>;
}

const ARGS: ArgRow[] = [
  { id: 'B2', input: '#format(style=json, indent=4)', positional: [], named: { style: 'json', indent: '4' } },
  { id: 'B3', input: '#template(Alice, style=formal)', positional: ['Alice'], named: { style: 'formal' } },
  { id: 'B4', input: '#note("Hello, world!", priority=high)', positional: ['Hello, world!'], named: { priority: 'high' } },
  { id: 'B5', input: "#tag('key=value')", positional: ['key=value'], named: {} },
  {
    id: 'B6',
    input: '#review([[\n  This is a multi-line\n  text block argument.\n  Blank lines are preserved.\n]])',
    positional: ['This is a multi-line\ntext block argument.\nBlank lines are preserved.'],
  },
  { id: 'B7', input: '#foo+', positional: ['true'] },
  { id: 'B8', input: '#foo:a,b,c', positional: ['a', 'b', 'c'] },
  { id: 'B9', input: '#foo:`a, b c`', positional: ['a, b c'] },
  { id: '§1.2 cmd-subst', input: '#bug:$(branch_bug)', positional: ['$(branch_bug)'] },
  { id: '§1.2 jinja colon', input: '#foo:{{ x }}', positional: ['{{ x }}'] },
  { id: '§1.2 colon ends at space', input: '#cd:~/my project', positional: ['~/my'] },
  { id: '§1.2 paren with spaces', input: '#cd(~/my project)', positional: ['~/my project'] },
];

for (const row of ARGS) {
  test(`${row.id}: arguments of ${JSON.stringify(row.input)}`, () => {
    const refs = findReferences(row.input);
    assert.equal(refs.length, 1);
    const a = refArgs(refs[0]!);
    assert.deepEqual(a.positional, row.positional);
    assert.deepEqual(a.named, row.named ?? {});
  });
}

test('B1: a positional argument binds to the first declared input', async () => {
  const c = cat({}, [md('greet', 'Hi {{ user_name }}!', [inp('user_name', 'word', 0)])]);
  assert.equal(await expandPrompt('#greet(Alice)', c), 'Hi Alice!');
});

test('B10 [later]: `+` inside argument values is NOT decoded to a space (seed-era decision)', () => {
  const a = refArgs(findReferences('#cd:Application+Support')[0]!);
  assert.deepEqual(a.positional, ['Application+Support']);
});

test('§1.3: an unclosed paren expands with no args and keeps the rest of the text', async () => {
  const c = cat({ foo: 'FOO' });
  assert.equal(await expandPrompt('#foo(a, b and more', c), 'FOOa, b and more');
});

test('§1.3: nested parens do not protect commas; quotes and text blocks do', () => {
  assert.deepEqual(parseArgs('f(a, b), "c, d", [[e, f]]').positional, ['f(a', 'b)', 'c, d', 'e, f']);
  assert.deepEqual(parseArgs(' , a ,, ').positional, ['a']);
  assert.deepEqual(parseArgs('k=1, k=2').named, { k: '2' });
});

test('§1.3: text blocks keep relative indentation and drop common indentation', () => {
  assert.equal(processTextBlock('[[  first\n    a\n      b\n\n    c\n]]'), 'first\na\n  b\n\nc');
});
