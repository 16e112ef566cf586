/**
 * Frontmatter fuzz: ≥ 10,000 generated markdown xprompt documents go through the loader. Each must either load
 * (one definition with a valid name and canonical input types) or throw a SaseError located at the file and a
 * positive line — never another exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import YAML from 'yaml';
import { isSaseError } from '../../lib/errors/index.js';
import { parseMarkdownXprompt, XPROMPT_NAME_RE } from '../../lib/xprompt/loader.js';

const FILE = '/fuzz/doc.md';
const CANONICAL = new Set(['word', 'line', 'text', 'path', 'int', 'float', 'bool', 'agent', 'enum', 'code']);

function check(text: string): void {
  let r;
  try {
    r = parseMarkdownXprompt(text, FILE, 'doc');
  } catch (e) {
    assert.ok(isSaseError(e), `non-SaseError thrown: ${String(e)}\n--- input ---\n${text}`);
    assert.equal(e.location?.file, FILE);
    assert.ok(Number.isInteger(e.location?.line) && e.location!.line! >= 1, `line missing for: ${e.message}`);
    return;
  }
  assert.equal(r.defs.length, 1);
  const d = r.defs[0]!;
  assert.match(d.name, XPROMPT_NAME_RE);
  for (const i of d.inputs) assert.ok(CANONICAL.has(String(i.type)), `type ${String(i.type)}`);
  assert.equal(typeof d.body, 'string');
  for (const issue of r.issues) assert.ok(issue.file === FILE && (issue.line ?? 1) >= 1);
}

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const typeName = fc.constantFrom('word', 'line', 'text', 'path', 'int', 'integer', 'float', 'bool', 'Boolean', 'string', 'enum', 'agent', 'code', 'weird', '');
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true }));
const anyValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }));
const longInput = fc.record(
  {
    name: fc.oneof(ident, ident, scalar),
    type: fc.oneof(typeName, scalar),
    default: anyValue,
    description: fc.oneof(fc.string({ maxLength: 20 }), scalar),
    repeatable: fc.boolean(),
    choices: fc.oneof(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), scalar),
  },
  { requiredKeys: [] },
);
const shortInput = fc.dictionary(fc.oneof(ident, fc.string({ maxLength: 6 })), fc.oneof(typeName, fc.record({ type: typeName, default: anyValue }, { requiredKeys: [] }), scalar), { maxKeys: 4 });
const frontmatter = fc.record(
  {
    name: fc.oneof(ident, fc.string({ maxLength: 10 }), fc.constantFrom('ns/sub', 'a//b', 'x-y'), scalar),
    description: anyValue,
    input: fc.oneof(fc.array(fc.oneof(longInput, scalar), { maxLength: 4 }), shortInput, scalar),
    snippet: fc.oneof(fc.boolean(), fc.string({ maxLength: 6 }), scalar),
    skill: fc.oneof(fc.boolean(), fc.array(fc.constantFrom('claude', 'codex'))),
    tags: fc.oneof(fc.string({ maxLength: 12 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), scalar),
    xprompts: fc.oneof(fc.dictionary(fc.oneof(ident, fc.string({ maxLength: 5 })), fc.oneof(fc.string({ maxLength: 10 }), fc.record({ content: fc.string({ maxLength: 8 }) })), { maxKeys: 2 }), scalar),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('Hello {{ x }}', 'a\n---\nb', '```\n---\n```\n', ''));

function doc(fm: string, b: string): string {
  return `---\n${fm}${fm.endsWith('\n') ? '' : '\n'}---\n${b}`;
}

test('10,000 generated frontmatter documents each load or fail with a located SaseError', { timeout: 120_000 }, () => {
  const t0 = Date.now();
  let runs = 0;
  fc.assert(
    fc.property(frontmatter, body, (fm, b) => {
      runs++;
      check(doc(YAML.stringify(fm), b));
    }),
    { numRuns: 4000, seed: 4242 },
  );
  const yamlChars = fc.constantFrom(...'ab_:-[]{}\'"#&*!|>%@,? \n\t1'.split(''));
  fc.assert(
    fc.property(fc.array(yamlChars, { maxLength: 60 }).map((a) => a.join('')), body, (raw, b) => {
      runs++;
      check(doc(raw, b));
    }),
    { numRuns: 3000, seed: 99 },
  );
  fc.assert(
    fc.property(frontmatter, fc.nat(), fc.nat(), fc.constantFrom('', ':', '[', '{', '"', '\n  - ', '\t', '&a', '*a', '---'), (fm, cut, at, insert) => {
      runs++;
      const y = YAML.stringify(fm);
      const i = y.length ? at % y.length : 0;
      const mutated = y.slice(0, i) + insert + y.slice(Math.min(y.length, i + (cut % 4)));
      check(doc(mutated, 'Body {{ x }}'));
    }),
    { numRuns: 3000, seed: 7 },
  );
  assert.ok(runs >= 10_000, `ran ${runs}`);
  // Budget: ~5 s of CPU on an idle machine (< 30 s wall on a loaded one); not asserted, timing is not a test.
  void t0;
});
