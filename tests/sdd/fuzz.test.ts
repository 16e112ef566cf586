/** Robustness: the schema, header parser and artifact reader never throw on arbitrary text (fast-check). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validatePlan } from '../../lib/sdd/plan-schema.js';
import { readArtifact } from '../../lib/sdd/scan.js';

const pieces = fc.constantFrom('---\n', 'tier: tale\n', 'tier: epic\n', 'title: x\n', 'goal: y\n', 'size: small\n', 'phases:\n', '  - id: a\n', '    depends_on: [a, b]\n', '    size: huge\n', '- **PROMPT:** [a](b)\n', '- **AGENTS:**\n', '  - [x](y) z\n', '\n', ': :\n', '[\n', '"\n', '\t\n', '# Plan\n');
const docs = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 30 }).map((a) => a.join('')));

test('validatePlan returns diagnostics (never throws) and ok iff no error, for any text', () => {
  fc.assert(
    fc.property(docs, fc.constantFrom('tale' as const, 'epic' as const), fc.constantFrom('authoring' as const, 'launch' as const), (text, tier, mode) => {
      const r = validatePlan(text, tier, mode);
      assert.equal(r.ok, !r.diagnostics.some((d) => d.severity === 'error'));
      for (const d of r.diagnostics) assert.ok(d.line === null || d.line >= 1);
    }),
    { numRuns: 500 },
  );
});

test('readArtifact never throws on arbitrary text', () => {
  fc.assert(
    fc.property(docs, (text) => {
      readArtifact('/nowhere/tales/202611/x.md', 'tales/202611/x.md', text);
    }),
    { numRuns: 300 },
  );
});
