/** Layout detection for every SDD generation (spec/beads-sdd-changespecs.md §A.1) and path classification. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { detectLayout, artifactDir } from '../../lib/sdd/layout.js';
import { classifyPath, scanArtifacts } from '../../lib/sdd/scan.js';
import { tmpdir, type Tree } from '../helpers/index.js';

const CASES: Array<{ name: string; tree: Tree; layout: string; generation: number | null; found?: string[] }> = [
  { name: 'Gen 1 kind directories with months', tree: { 'tales/202605/a.md': 'x', 'prompts/202605/a.md': 'x', 'beads/': null }, layout: 'kind-dirs', generation: 1 },
  { name: 'a fresh init tree (kind dirs, no months yet)', tree: { 'prompts/': null, 'tales/': null, 'epics/': null, 'beads/': null }, layout: 'kind-dirs', generation: 1 },
  { name: 'Gen 2 unified plans', tree: { 'plans/202606/a.md': 'x', 'plans/202606/prompts/a.md': 'x', 'legends/202605/l.md': 'x' }, layout: 'unified-plans', generation: 2 },
  { name: 'Gen 3 split sidecar', tree: { '202608/a.md': 'x', 'README.md': 'x', 'plans/README.md': 'x' }, layout: 'split-sidecar', generation: 3 },
  { name: 'legacy flat kind directories', tree: { 'tales/a.md': 'x', 'specs/b.md': 'x' }, layout: 'legacy-flat', generation: null },
  { name: 'nothing recognisable', tree: { 'notes.txt': 'x' }, layout: 'empty', generation: null },
  {
    name: 'a mixed tree lists every layout it shows, the primary first',
    tree: { 'tales/202605/a.md': 'x', 'epics/': null, 'prompts/': null, 'plans/202607/b.md': 'x', 'plans/old.md': 'x' },
    layout: 'kind-dirs',
    generation: 1,
    found: ['kind-dirs', 'unified-plans', 'legacy-flat'],
  },
];

for (const c of CASES) {
  test(`detectLayout: ${c.name}`, (t) => {
    const l = detectLayout(tmpdir(t, c.tree));
    assert.equal(l.layout, c.layout);
    assert.equal(l.generation, c.generation);
    if (c.found) assert.deepEqual(l.found, c.found);
  });
}

test('classifyPath knows every generation\'s places and ignores research, beads and READMEs', () => {
  const table: Array<[string, string | null, string | null]> = [
    ['prompts/202605/a.md', 'prompt', '202605'],
    ['tales/202605/a.md', 'tale', '202605'],
    ['epics/202605/a.md', 'epic', '202605'],
    ['legends/202605/a.md', 'legend', '202605'],
    ['plans/202606/a.md', 'plan-file', '202606'],
    ['plans/202606/prompts/a.md', 'prompt', '202606'],
    ['specs/a.md', 'plan-file', null],
    ['202608/a.md', 'plan-file', '202608'],
    ['202608/prompts/a.md', 'prompt', '202608'],
    ['tales/a.md', 'tale', null],
    ['research/202605/a.md', null, null],
    ['a.md', null, null],
  ];
  for (const [rel, kind, month] of table) {
    const c = classifyPath(rel);
    assert.deepEqual(c && [c.kind, c.month], kind === null ? null : [kind, month], rel);
  }
});

test('plan files take their kind from tier; research, beads and READMEs are not artifacts', (t) => {
  const root = tmpdir(t, {
    'plans/202606/t.md': '---\ntier: tale\n---\nx\n',
    'plans/202606/e.md': '---\ntier: epic\n---\nx\n',
    'plans/202606/n.md': '---\nstatus: wip\n---\nx\n',
    'research/202606/r.md': 'x',
    'beads/README.md': 'x',
    'plans/README.md': 'x',
  });
  assert.deepEqual(scanArtifacts(root).map((a) => [a.rel, a.kind]), [
    ['plans/202606/e.md', 'epic'],
    ['plans/202606/n.md', 'plan'],
    ['plans/202606/t.md', 'tale'],
  ]);
});

test('new artifacts go where the tree\'s own layout puts them', (t) => {
  assert.equal(artifactDir(join(tmpdir(t), 'missing'), 'tale', '202611'), 'tales/202611');
  assert.equal(artifactDir(tmpdir(t, { 'plans/202606/a.md': 'x' }), 'prompt', '202611'), 'plans/202611/prompts');
  assert.equal(artifactDir(tmpdir(t, { '202608/a.md': 'x' }), 'epic', '202611'), '202611');
});
