/** `sase sdd` end to end through the real binary: init, new (templates), validate, links, repair-links. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBin, tmpdir, gitRepo } from '../helpers/index.js';
import { validatePlan } from '../../lib/sdd/plan-schema.js';
import { writePromptSnapshot } from '../../lib/sdd/snapshot.js';

const env = (dir: string): Record<string, string> => ({ HOME: dir, SASE_HOME: join(dir, '.sase'), XDG_STATE_HOME: join(dir, '.state'), SASE_SDD_DIR: '' });

test('sdd init creates the seed tree with READMEs, is idempotent, and validates strictly', async (t) => {
  const dir = tmpdir(t);
  const r = await runBin('sase', ['sdd', 'init', '--root', 'sdd', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['README.md', 'prompts/README.md', 'tales/README.md', 'epics/README.md', 'beads/README.md']) assert.ok(existsSync(join(dir, 'sdd', f)), f);
  const again = await runBin('sase', ['sdd', 'init', '--root', 'sdd', '--json'], { cwd: dir, env: env(dir) });
  assert.deepEqual(again.json.data.written, []);
  const v = await runBin('sase', ['sdd', 'validate', '--root', 'sdd', '--strict', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(v.code, 0);
  assert.equal(v.json.data.layout.layout, 'kind-dirs');
});

test('sdd new tale/epic produce cross-linked files that pass the strict schema and strict validation', async (t) => {
  const dir = gitRepo(t);
  await runBin('sase', ['sdd', 'init'], { cwd: dir, env: env(dir) });
  const tale = await runBin('sase', ['sdd', 'new', 'tale', 'Add Login Form', '--goal', 'Users log in', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(tale.code, 0, tale.stderr);
  assert.match(tale.json.data.plan, /^tales\/\d{6}\/add_login_form\.md$/);
  const epic = await runBin('sase', ['sdd', 'new', 'epic', 'big rewrite', '--json'], { cwd: dir, env: env(dir) });
  assert.match(epic.json.data.plan, /^epics\/\d{6}\/big_rewrite\.md$/);
  const again = await runBin('sase', ['sdd', 'new', 'tale', 'Add Login Form', '--json'], { cwd: dir, env: env(dir) });
  assert.match(again.json.data.plan, /add_login_form_1\.md$/, 'collisions get _1');
  for (const [kind, rel] of [['tale', tale.json.data.plan], ['epic', epic.json.data.plan]] as const) {
    const v = validatePlan(readFileSync(join(dir, 'sdd', rel), 'utf8'), kind, 'authoring');
    assert.deepEqual(v.diagnostics, [], rel);
  }
  const bad = await runBin('sase', ['sdd', 'new', 'tale', 'x', '--size', 'large'], { cwd: dir, env: env(dir) });
  assert.equal(bad.code, 2);
  const v = await runBin('sase', ['sdd', 'validate', '--strict', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(v.code, 0, JSON.stringify(v.json));
  assert.equal(v.json.data.files_checked, 6);
  const links = await runBin('sase', ['sdd', 'links', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(links.json.data.links.length, 6);
  assert.ok(links.json.data.links.every((l: { reverse_ok: boolean }) => l.reverse_ok === true));
});

test('repair-links reports in a dry run, fixes with -w, and the tree then validates', async (t) => {
  const m = '202611';
  const dir = tmpdir(t, {
    [`sdd/prompts/${m}/a.md`]: '---\ncreate_time: 2026-11-01 10:00:00\n---\nPrompt A\n',
    [`sdd/tales/${m}/a.md`]: '---\ntier: tale\ntitle: A\ngoal: G\nsize: small\n---\n# A\n',
    [`sdd/prompts/${m}/b.md`]: 'Prompt B without frontmatter\n',
    [`sdd/epics/${m}/b.md`]: `---\ntier: epic\ntitle: B\ngoal: G\nphases:\n  - id: p\n    title: P\n    depends_on: []\n    size: small\n    description: P.\nprompt: prompts/${m}/old_b.md\n---\n# B\n`,
  });
  const before = await runBin('sase', ['sdd', 'validate', '--root', 'sdd', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(before.code, 6);
  assert.deepEqual(
    before.json.data.diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`).sort(),
    [`link-missing prompts/${m}/a.md`, `link-missing prompts/${m}/b.md`, `link-missing tales/${m}/a.md`, `link-target-missing epics/${m}/b.md`].sort(),
  );
  const snapshot = readFileSync(join(dir, `sdd/tales/${m}/a.md`), 'utf8');
  const dry = await runBin('sase', ['sdd', 'repair-links', '--root', 'sdd', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(dry.code, 0);
  assert.equal(dry.json.data.repairs.length, 4);
  assert.deepEqual(dry.json.data.written, []);
  assert.equal(readFileSync(join(dir, `sdd/tales/${m}/a.md`), 'utf8'), snapshot, 'dry run writes nothing');
  const wet = await runBin('sase', ['sdd', 'repair-links', '--root', 'sdd', '-w', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(wet.json.data.written.length, 4);
  assert.match(readFileSync(join(dir, `sdd/epics/${m}/b.md`), 'utf8'), new RegExp(`^prompt: prompts/${m}/b.md$`, 'm'));
  assert.match(readFileSync(join(dir, `sdd/prompts/${m}/b.md`), 'utf8'), new RegExp(`^---\\nplan: epics/${m}/b.md\\n---\\nPrompt B`));
  const after = await runBin('sase', ['sdd', 'validate', '--root', 'sdd', '--strict', '--json'], { cwd: dir, env: env(dir) });
  assert.equal(after.code, 0, JSON.stringify(after.json.data.diagnostics));
});

test('writePromptSnapshot names files <YYYYMM>/<snake>.md with _1 on collision and writes frontmatter', async (t) => {
  const dir = tmpdir(t);
  const now = new Date(2026, 10, 21, 9, 5, 7);
  const a = await writePromptSnapshot(dir, { prompt: 'hello', name: 'zz--plan', now, env: {} });
  const b = await writePromptSnapshot(dir, { prompt: 'again', name: 'zz--plan', now, env: {}, plan: 'tales/202611/x.md' });
  assert.equal(a.rel, 'prompts/202611/zz_plan.md');
  assert.equal(b.rel, 'prompts/202611/zz_plan_1.md');
  assert.equal(readFileSync(a.path, 'utf8'), '---\ncreate_time: 2026-11-21 09:05:07\n---\nhello\n');
  assert.match(readFileSync(b.path, 'utf8'), /^plan: tales\/202611\/x\.md$/m);
  writeFileSync(join(dir, 'sdd', 'prompts', '202611', 'zz_plan_2.md'), 'taken');
  const c = await writePromptSnapshot(dir, { prompt: 'x', name: 'zz--plan', now, env: {} });
  assert.equal(c.rel, 'prompts/202611/zz_plan_3.md');
});

test('loadPlanFile returns an epic\'s phases in launch mode and throws located errors; setPlanField writes bead_id', async (t) => {
  const { loadPlanFile, setPlanField } = await import('../../lib/sdd/plan-file.js');
  const dir = tmpdir(t, {
    'e.md': '---\ntier: epic\ntitle: E\ngoal: G\nphases:\n  - id: a\n    title: A\n    depends_on: []\n    description: A.\n  - id: b\n    title: B\n    depends_on: [a]\n    size: large\n    description: B.\n---\n# E\n',
    'bad.md': '---\ntier: epic\ntitle: E\ngoal: G\nphases:\n  - id: a\n    title: A\n    depends_on: [b]\n    size: small\n---\n# E\n',
  });
  const ok = await loadPlanFile(join(dir, 'e.md'), 'epic');
  assert.deepEqual(ok.plan.phases.map((p) => [p.id, p.size, p.depends_on]), [['a', 'small', []], ['b', 'large', ['a']]]);
  assert.deepEqual(ok.warnings.map((w) => w.code), ['phase-size-missing']);
  await assert.rejects(loadPlanFile(join(dir, 'e.md'), 'epic', 'authoring'), (e: { code: string; location: { line: number; field: string } }) => e.code === 'INVALID' && e.location.line === 6 && e.location.field === 'phases[0].size');
  await assert.rejects(loadPlanFile(join(dir, 'bad.md'), 'epic'), (e: { location: { line: number; field: string } }) => e.location.line === 8 && e.location.field === 'phases[0].depends_on[0]');
  await assert.rejects(loadPlanFile(join(dir, 'none.md'), 'epic'), (e: { code: string }) => e.code === 'NOT_FOUND');
  await setPlanField(join(dir, 'e.md'), 'bead_id', 'sase-7');
  assert.match(readFileSync(join(dir, 'e.md'), 'utf8'), /^bead_id: sase-7\n---\n# E\n$/m);
  assert.equal((await loadPlanFile(join(dir, 'e.md'), 'epic')).plan.phases.length, 2);
});
