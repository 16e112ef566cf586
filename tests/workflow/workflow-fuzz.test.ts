/** Workflow fuzz: generated (often malformed) workflow YAML never makes the loader or validator throw. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import YAML from 'yaml';
import { parseWorkflow } from '../../lib/workflow/load.js';
import { validateWorkflow } from '../../lib/workflow/validate.js';

const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/);
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
const template = fc.oneof(fc.string({ maxLength: 20 }), fc.tuple(ident, ident).map(([a, b]) => `echo {{ ${a}.${b} }} #${a}(${b}=1)`), fc.constant('{% if x %}y'));
const stepKeys = {
  name: fc.oneof(ident, scalar),
  agent: template,
  bash: template,
  python: template,
  prompt_part: template,
  prompt: template,
  output: fc.oneof(fc.dictionary(ident, fc.constantFrom('word', 'int', 'bool', 'path')), fc.array(fc.dictionary(ident, fc.constantFrom('word', 'int'))), scalar),
  if: fc.oneof(template, scalar),
  for: fc.oneof(fc.dictionary(ident, template), scalar),
  while: fc.oneof(template, fc.record({ condition: template, max: fc.oneof(fc.integer(), scalar) }, { requiredKeys: [] }), scalar),
  repeat: fc.oneof(fc.record({ until: template, max: fc.oneof(fc.integer(), scalar) }, { requiredKeys: [] }), scalar),
  join: fc.oneof(fc.constantFrom('array', 'object', 'text', 'lastOf'), scalar),
  hitl: fc.oneof(fc.boolean(), scalar),
  finally: fc.boolean(),
  artifact: fc.oneof(fc.constant('stdout'), scalar),
  use: fc.oneof(fc.constantFrom('../x', '/abs', 'shared/none'), scalar),
  on_error: fc.oneof(fc.constantFrom('stop', 'continue'), scalar),
};
const leaf = fc.record(stepKeys, { requiredKeys: [] });
const step = fc.oneof(leaf, leaf, fc.record({ name: ident, parallel: fc.oneof(fc.array(leaf, { maxLength: 3 }), scalar) }), scalar);
const workflow = fc.record(
  {
    name: fc.oneof(ident, scalar),
    input: fc.oneof(fc.dictionary(ident, fc.constantFrom('word', 'int', 'bool')), fc.array(fc.record({ name: ident, type: fc.constantFrom('word', 'x') })), scalar),
    environment: fc.oneof(fc.dictionary(ident, scalar), scalar),
    xprompts: fc.oneof(fc.dictionary(ident, fc.oneof(fc.string({ maxLength: 8 }), fc.record({ content: template, input: fc.dictionary(ident, fc.constant('word')) }))), scalar),
    steps: fc.oneof(fc.array(step, { maxLength: 5 }), scalar),
  },
  { requiredKeys: [] },
);

test('3,000 generated workflows load and validate without throwing; every diagnostic is located', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(workflow, (wf) => {
      const text = YAML.stringify(wf);
      const r = parseWorkflow(text, '/fuzz/wf.yml', { stepDirs: [] });
      const all = [...r.diagnostics, ...(r.workflow ? validateWorkflow(r.workflow, () => undefined) : [])];
      for (const d of all) {
        assert.equal(d.file, '/fuzz/wf.yml');
        assert.ok(d.line >= 1 && d.column >= 1, JSON.stringify(d));
        assert.ok(d.message.length > 0);
      }
      if (r.workflow) assert.equal(JSON.parse(JSON.stringify(r.workflow)).name, r.workflow.name, 'the model is plain data');
    }),
    { numRuns: 3000, seed: 2026 },
  );
});
