/** Vectors C (shorthand) of spec/xprompt-vectors.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDoubleColonTextEnd, findShorthandTextEnd, preprocessShorthand } from '../../lib/xprompt/expand.js';
import { findReferences, refArgs } from '../../lib/xprompt/lexer.js';

const known = (names: string[]) => (n: string) => names.includes(n);

const SHORTHAND: Array<{ id: string; input: string; known: string[]; expected: string }> = [
  { id: 'C1', input: '#foo: simple text', known: ['foo'], expected: '#foo([[simple text]])' },
  { id: 'C2', input: '#foo: line one\nline two\n\nother text', known: ['foo'], expected: '#foo([[line one\n  line two]])\n\nother text' },
  { id: 'C3', input: '#foo: line one\nline two\nline three', known: ['foo'], expected: '#foo([[line one\n  line two\n  line three]])' },
  { id: 'C4', input: '#unknown: some text', known: ['foo', 'bar'], expected: '#unknown: some text' },
  { id: 'C5', input: '#mentor/aaa: review this code', known: ['mentor/aaa'], expected: '#mentor/aaa([[review this code]])' },
  { id: 'C6', input: '#foo: text one\n\n#bar: text two', known: ['foo', 'bar'], expected: '#foo([[text one]])\n\n#bar([[text two]])' },
  { id: 'C7', input: 'Use #foo: inline', known: ['foo'], expected: 'Use #foo: inline' },
  { id: 'C8', input: '#foo: line one\n\n\nmore text', known: ['foo'], expected: '#foo([[line one]])\n\n\nmore text' },
  { id: 'C9', input: '#foo:bar', known: ['foo'], expected: '#foo:bar' },
  {
    id: 'C13',
    input: '#template(style=formal): Please review the following code.',
    known: ['template'],
    expected: '#template(style=formal, [[Please review the following code.]])',
  },
];

for (const row of SHORTHAND) {
  test(`${row.id}: shorthand ${JSON.stringify(row.input)}`, () => {
    assert.equal(preprocessShorthand(row.input, known(row.known)), row.expected);
  });
}

test('C10: single-colon text ends at the first blank line or at the end', () => {
  assert.equal(findShorthandTextEnd('some text here\n\nmore text', 0), 14);
  assert.equal(findShorthandTextEnd('no blank line here', 0), 18);
});

test('C11: the double-colon form matches `#foo:: text` and not `#foo: text`', () => {
  assert.equal(preprocessShorthand('#foo:: some text', known(['foo'])), '#foo([[some text]])');
  assert.equal(preprocessShorthand('Say #foo: some text', known(['foo'])), 'Say #foo: some text');
});

test('C12: double-colon text spans blank lines and stops before the next line starting a call', () => {
  const input = '#instructions:: Follow these rules:\n\n1. Be concise\n2. Be accurate\n\n#review: Now review the code.';
  const out = preprocessShorthand(input, known(['instructions', 'review']));
  const refs = findReferences(out);
  assert.deepEqual(
    refs.map((r) => [r.name, refArgs(r).positional]),
    [
      ['instructions', ['Follow these rules:\n\n1. Be concise\n2. Be accurate']],
      ['review', ['Now review the code.']],
    ],
  );
  assert.equal(findDoubleColonTextEnd('a\n\nb\n#x: y', 0), 4);
});

test('§1.4: paren + double-colon shorthand appends the text as the last positional', () => {
  const out = preprocessShorthand('#t(a=1):: one\n\ntwo', known(['t']));
  const r = findReferences(out)[0]!;
  assert.deepEqual(refArgs(r), { positional: ['one\n\ntwo'], named: { a: '1' } });
});
