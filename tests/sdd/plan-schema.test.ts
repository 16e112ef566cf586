/**
 * Table-driven tests of the strict plan schema (spec/beads-sdd-changespecs.md §A.3): every rule and diagnostic
 * code, with the exact severity, field path and document line. Documents are built line by line so the expected
 * line of a key is its position in the array + 2 (line 1 is the opening `---`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePlan, type PlanMode, type PlanTier } from '../../lib/sdd/plan-schema.js';

function doc(front: string[], body = '# Plan\nBody.\n'): string {
  return `---\n${front.join('\n')}\n---\n${body}`;
}

// Tale: tier 2, title 3, goal 4, size 5; extra keys from line 6.
const T = ['tier: tale', 'title: Ship it', 'goal: It ships', 'size: small'];
// Epic: tier 2, title 3, goal 4, phases 5, phase[0] id 6, title 7, depends_on 8, description 9, size 10.
const PHASE0 = ['  - id: core', '    title: Core', '    depends_on: []', '    description: Core section.', '    size: small'];
// phase[1] (when appended right after PHASE0): id 11, title 12, depends_on 13, description 14, size 15.
const PHASE1 = ['  - id: api', '    title: API', '    depends_on: [core]', '    description: API section.', '    size: medium'];
const E = ['tier: epic', 'title: Engine', 'goal: It runs', 'phases:', ...PHASE0];
const without = (lines: string[], prefix: string): string[] => lines.filter((l) => !l.trimStart().startsWith(prefix));
const replace = (lines: string[], prefix: string, line: string): string[] => lines.map((l) => (l.startsWith(prefix) ? line : l));

type Exp = [severity: 'error' | 'warning', code: string, field: string, line: number | null];
interface Case {
  name: string;
  content: string;
  tier: PlanTier;
  mode?: PlanMode;
  expect: Exp[];
}

const header = (block: string): string => doc(T, `\n${block}\n\n# Plan\nDo it.\n`); // first bullet on line 8

const CASES: Case[] = [
  { name: 'a complete tale is valid with no diagnostics', content: doc(T), tier: 'tale', expect: [] },
  { name: 'a complete two-phase epic is valid with no diagnostics', content: doc([...E, ...PHASE1]), tier: 'epic', expect: [] },
  { name: 'no frontmatter at all', content: '# Plan\n', tier: 'tale', expect: [['error', 'frontmatter-missing', '', 1]] },
  { name: 'frontmatter not at byte 0', content: '\n---\ntier: tale\n---\nx\n', tier: 'tale', expect: [['error', 'frontmatter-missing', '', 1]] },
  { name: 'frontmatter never closed', content: '---\ntier: tale\n', tier: 'tale', expect: [['error', 'frontmatter-unclosed', '', 1]] },
  {
    name: 'invalid YAML is located on its file line (after an empty body)',
    content: '---\ntier: [tale\n---\n',
    tier: 'tale',
    expect: [
      ['error', 'body-empty', '', null],
      ['error', 'yaml-invalid', '', 3],
    ],
  },
  { name: 'an alias without its anchor is invalid YAML', content: doc(replace(T, 'title:', 'title: *nope')), tier: 'tale', expect: [['error', 'yaml-invalid', '', 2]] },
  { name: 'frontmatter that is a list', content: '---\n- tale\n---\nbody\n', tier: 'tale', expect: [['error', 'frontmatter-not-mapping', '', 2]] },
  { name: 'a blank body', content: doc(T, '\n   \n'), tier: 'tale', expect: [['error', 'body-empty', '', null]] },
  { name: 'an unknown top-level key', content: doc([...T, 'typo: x']), tier: 'tale', expect: [['error', 'unknown-key', 'typo', 6]] },
  { name: 'a non-string key', content: doc([...T, '1: x']), tier: 'tale', expect: [['error', 'unknown-key', '', 2]] },
  {
    name: 'a tale-only key in an epic is an error',
    content: doc([E[0]!, 'size: small', ...E.slice(1)]),
    tier: 'epic',
    expect: [['error', 'unknown-key', 'size', 3]],
  },
  {
    name: 'epic-only keys in a tale are inert warnings',
    content: doc([...T, 'phases: x', 'patch: y']),
    tier: 'tale',
    expect: [
      ['warning', 'tale-inert-field', 'phases', 6],
      ['warning', 'tale-inert-field', 'patch', 7],
    ],
  },
  { name: 'tier outside tale|epic', content: doc(replace(T, 'tier:', 'tier: story')), tier: 'tale', expect: [['error', 'tier-invalid', 'tier', 2]] },
  {
    name: 'an epic validated as a tale: mismatch, inert phases, missing size (unlocated → line 1)',
    content: doc(E),
    tier: 'tale',
    expect: [
      ['warning', 'tale-inert-field', 'phases', 5],
      ['error', 'tier-mismatch', 'tier', 2],
      ['error', 'tale-size-missing', 'size', 1],
    ],
  },
  { name: 'tier missing', content: doc(without(T, 'tier:')), tier: 'tale', expect: [['error', 'required-missing', 'tier', 1]] },
  { name: 'title missing', content: doc(without(T, 'title:')), tier: 'tale', expect: [['error', 'required-missing', 'title', 1]] },
  { name: 'goal of the wrong type', content: doc(replace(T, 'goal:', 'goal: [a, b]')), tier: 'tale', expect: [['error', 'type-mismatch', 'goal', 4]] },
  { name: 'title blank', content: doc(replace(T, 'title:', "title: '   '")), tier: 'tale', expect: [['error', 'value-empty', 'title', 3]] },
  { name: 'tale size missing (authoring)', content: doc(without(T, 'size:')), tier: 'tale', expect: [['error', 'tale-size-missing', 'size', 1]] },
  { name: 'tale size missing (launch) warns', content: doc(without(T, 'size:')), tier: 'tale', mode: 'launch', expect: [['warning', 'tale-size-missing', 'size', 1]] },
  { name: 'tale size unknown', content: doc(replace(T, 'size:', 'size: enormous')), tier: 'tale', expect: [['error', 'tale-size-invalid', 'size', 5]] },
  { name: 'tale size not a string', content: doc(replace(T, 'size:', 'size: [x]')), tier: 'tale', mode: 'launch', expect: [['error', 'tale-size-invalid', 'size', 5]] },
  { name: 'tale size large (authoring)', content: doc(replace(T, 'size:', 'size: large')), tier: 'tale', expect: [['error', 'tale-size-invalid', 'size', 5]] },
  { name: 'tale size xlarge (launch) warns', content: doc(replace(T, 'size:', 'size: xlarge')), tier: 'tale', mode: 'launch', expect: [['warning', 'tale-size-invalid', 'size', 5]] },
  { name: 'model with control characters', content: doc([...T, 'model: |', '  bad', '  model']), tier: 'tale', expect: [['error', 'model-invalid', 'model', 6]] },
  { name: 'model blank', content: doc([...T, "model: ''"]), tier: 'tale', expect: [['error', 'value-empty', 'model', 6]] },
  { name: 'parent frontmatter is deprecated', content: doc([...T, 'parent: sase/repos/plans/202607/p.md']), tier: 'tale', expect: [['warning', 'parent-frontmatter-deprecated', 'parent', 6]] },
  { name: 'bead of the wrong type', content: doc([...T, 'bead: [sase-1]']), tier: 'tale', expect: [['error', 'type-mismatch', 'bead', 6]] },
  { name: 'proposed_by blank', content: doc([...T, "proposed_by: ' '"]), tier: 'tale', expect: [['error', 'value-empty', 'proposed_by', 6]] },
  {
    name: 'system-managed fields accept any value and links is a transient inlet',
    content: doc([...T, 'create_time: [x]', 'status: {a: 1}', 'bead_id: 42', 'prompt: null', 'links:', '  - ref: research:202608/x.md']),
    tier: 'tale',
    expect: [],
  },
  { name: 'bug_id without patch', content: doc([...E, 'bug_id: 7']), tier: 'epic', expect: [['error', 'bug-id-without-patch', 'bug_id', 11]] },
  { name: 'bug_id not an integer', content: doc([...E, 'patch: p', 'bug_id: nope']), tier: 'epic', expect: [['error', 'type-mismatch', 'bug_id', 12]] },
  { name: 'changespec is an alias of patch', content: doc([...E, 'changespec: p', 'bug_id: 7']), tier: 'epic', expect: [] },
  { name: 'parent_bead of the wrong type', content: doc([...E, 'parent_bead: [x]']), tier: 'epic', expect: [['error', 'type-mismatch', 'parent_bead', 11]] },
  { name: 'phases missing', content: doc(E.slice(0, 3)), tier: 'epic', expect: [['error', 'required-missing', 'phases', 1]] },
  { name: 'phases not a list', content: doc([...E.slice(0, 3), 'phases: {}']), tier: 'epic', expect: [['error', 'type-mismatch', 'phases', 5]] },
  { name: 'phases empty', content: doc([...E.slice(0, 3), 'phases: []']), tier: 'epic', expect: [['error', 'phases-empty', 'phases', 5]] },
  { name: 'a phase that is not a mapping', content: doc([...E.slice(0, 4), '  - nope']), tier: 'epic', expect: [['error', 'phase-type-mismatch', 'phases[0]', 6]] },
  { name: 'an unknown phase key', content: doc([...E, '    surprise: true']), tier: 'epic', expect: [['error', 'unknown-key', 'phases[0].surprise', 11]] },
  {
    name: 'a phase without id (located at its bullet)',
    content: doc([...E.slice(0, 4), '  - title: Core', '    depends_on: []', '    description: d', '    size: small']),
    tier: 'epic',
    expect: [['error', 'required-missing', 'phases[0].id', 6]],
  },
  { name: 'a phase id that is not a slug', content: doc(replace(E, '  - id:', '  - id: Bad_')), tier: 'epic', expect: [['error', 'phase-id-invalid', 'phases[0].id', 6]] },
  {
    name: 'a duplicate phase id',
    content: doc([...E, ...replace(replace(PHASE1, '  - id:', '  - id: core'), '    depends_on:', '    depends_on: []')]),
    tier: 'epic',
    expect: [['error', 'phase-id-duplicate', 'phases[1].id', 11]],
  },
  { name: 'a phase title missing', content: doc(without(E, 'title: Core')), tier: 'epic', expect: [['error', 'required-missing', 'phases[0].title', 6]] },
  { name: 'a phase description missing warns', content: doc(without(E, 'description:')), tier: 'epic', expect: [['warning', 'phase-description-missing', 'phases[0].description', 6]] },
  { name: 'a phase description of the wrong type', content: doc(replace(E, '    description:', '    description: [x]')), tier: 'epic', expect: [['error', 'type-mismatch', 'phases[0].description', 9]] },
  { name: 'depends_on missing', content: doc(without(E, 'depends_on:')), tier: 'epic', expect: [['error', 'required-missing', 'phases[0].depends_on', 6]] },
  { name: 'depends_on not a list', content: doc(replace(E, '    depends_on:', '    depends_on: nope')), tier: 'epic', expect: [['error', 'type-mismatch', 'phases[0].depends_on', 8]] },
  { name: 'a dependency that is not a string', content: doc(replace(E, '    depends_on:', '    depends_on: [1]')), tier: 'epic', expect: [['error', 'type-mismatch', 'phases[0].depends_on[0]', 8]] },
  { name: 'an empty dependency', content: doc(replace(E, '    depends_on:', "    depends_on: ['']")), tier: 'epic', expect: [['error', 'value-empty', 'phases[0].depends_on[0]', 8]] },
  { name: 'a phase depending on itself', content: doc(replace(E, '    depends_on:', '    depends_on: [core]')), tier: 'epic', expect: [['error', 'dep-self', 'phases[0].depends_on[0]', 8]] },
  { name: 'a dependency on no phase', content: doc(replace(E, '    depends_on:', '    depends_on: [ghost]')), tier: 'epic', expect: [['error', 'dep-unknown', 'phases[0].depends_on[0]', 8]] },
  {
    name: 'a dependency on a later phase',
    content: doc([...replace(E, '    depends_on:', '    depends_on: [api]'), ...replace(PHASE1, '    depends_on:', '    depends_on: []')]),
    tier: 'epic',
    expect: [['error', 'dep-forward', 'phases[0].depends_on[0]', 8]],
  },
  {
    name: 'a dependency listed twice',
    content: doc([...E, ...replace(PHASE1, '    depends_on:', '    depends_on: [core, core]')]),
    tier: 'epic',
    expect: [['error', 'dep-duplicate', 'phases[1].depends_on[1]', 13]],
  },
  { name: 'phase size missing (authoring)', content: doc(without(E, 'size:')), tier: 'epic', expect: [['error', 'phase-size-missing', 'phases[0].size', 6]] },
  { name: 'phase size missing (launch) warns', content: doc(without(E, 'size:')), tier: 'epic', mode: 'launch', expect: [['warning', 'phase-size-missing', 'phases[0].size', 6]] },
  { name: 'phase size unknown', content: doc(replace(E, '    size:', '    size: huge')), tier: 'epic', expect: [['error', 'phase-size-invalid', 'phases[0].size', 10]] },
  { name: 'phase size not a string', content: doc(replace(E, '    size:', '    size: 3')), tier: 'epic', mode: 'launch', expect: [['error', 'phase-size-invalid', 'phases[0].size', 10]] },
  { name: 'phase model with a control character', content: doc([...E, '    model: "a\\tb"']), tier: 'epic', expect: [['error', 'model-invalid', 'phases[0].model', 11]] },
  { name: 'header: trailing text after a link section', content: header('- **PARENT:** [a](a.md) (in progress)'), tier: 'tale', expect: [['error', 'header-invalid', '', 8]] },
  { name: 'header: duplicate section', content: header('- **PARENT:** [a](a.md)\n- **PARENT:** [b](b.md)'), tier: 'tale', expect: [['error', 'header-invalid', '', 9]] },
  { name: 'header: unknown section inside the block', content: header('- **PARENT:** [a](a.md)\n- **NOPE:** [b](b.md)'), tier: 'tale', expect: [['error', 'header-invalid', '', 9]] },
  { name: 'header: a link section without a link', content: header('- **PARENT:** epic.md'), tier: 'tale', expect: [['error', 'header-invalid', '', 8]] },
  {
    name: 'header: trailing text after a list entry',
    content: header('- **PARENT:** [a](a.md)\n- **AGENTS:**\n  - [one](one.md)\n  - [two](two.md) bad'),
    tier: 'tale',
    expect: [['error', 'header-invalid', '', 11]],
  },
  {
    name: 'header: the canonical block (links on continuation lines, described entries) is valid',
    content: header('- **PROMPT:**\n  [p.md](https://x/p.md)\n- **AGENTS:**\n  - [w](https://x/w) — phase one\n- **COMMITS:**\n  - [44bf25f](https://x/c)\n    — perf: faster'),
    tier: 'tale',
    expect: [],
  },
  { name: 'header-shaped prose later in the body is not a header block', content: doc(T, '# Plan\n\n- **PARENT:** [a](a.md) (annotated)\n'), tier: 'tale', expect: [] },
];

for (const c of CASES) {
  test(`plan schema: ${c.name}`, () => {
    const r = validatePlan(c.content, c.tier, c.mode ?? 'authoring');
    const got = r.diagnostics.map((d) => [d.severity, d.code, d.field_path, d.line]);
    assert.deepEqual(got, c.expect);
    assert.equal(r.ok, !c.expect.some((e) => e[0] === 'error'));
    assert.equal(r.plan === null, !r.ok);
  });
}

test('every diagnostic code of the schema is exercised by the table', () => {
  const codes = new Set(CASES.flatMap((c) => c.expect.map((e) => e[1])));
  for (const code of [
    'frontmatter-missing', 'frontmatter-unclosed', 'yaml-invalid', 'frontmatter-not-mapping', 'unknown-key', 'body-empty',
    'header-invalid', 'tale-inert-field', 'tier-invalid', 'tier-mismatch', 'required-missing', 'type-mismatch', 'value-empty',
    'tale-size-missing', 'tale-size-invalid', 'model-invalid', 'parent-frontmatter-deprecated', 'bug-id-without-patch',
    'phases-empty', 'phase-type-mismatch', 'phase-id-invalid', 'phase-id-duplicate', 'phase-description-missing',
    'dep-duplicate', 'dep-self', 'dep-unknown', 'dep-forward', 'phase-size-missing', 'phase-size-invalid',
  ]) assert.ok(codes.has(code), `no case for ${code}`);
});

test('launch mode normalises legacy sizes and a valid epic returns its phases in order', () => {
  const tale = validatePlan(doc(replace(T, 'size:', 'size: large')), 'tale', 'launch');
  assert.equal(tale.plan?.size, 'medium');
  const epic = validatePlan(doc([...without(E, 'size:'), ...PHASE1, 'patch: cs', 'bug_id: 9']), 'epic', 'launch');
  assert.equal(epic.ok, true);
  assert.deepEqual(epic.plan?.phases.map((p) => [p.id, p.size, p.depends_on]), [
    ['core', 'small'],
    ['api', 'medium', ['core']],
  ].map(([id, size, deps]) => [id, size, deps ?? []]));
  assert.equal(epic.plan?.changespec, 'cs');
  assert.equal(epic.plan?.bug_id, 9);
});
