/**
 * The real SASE SDD stores in shared/corpus/sdd (Gen 2 `sase--sdd`, Gen 3 `sase--plans`) validate the way SASE
 * would: every link intact, Gen-3 plans pass the strict schema, legacy Gen-2 plans warn and never fail.
 * Expectations are derived from the raw files with independent regexes, not from our own output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateTree } from '../../lib/sdd/validate.js';
import { readArtifact, classifyPath } from '../../lib/sdd/scan.js';
import { validatePlan } from '../../lib/sdd/plan-schema.js';
import { corpusPath, hasCorpus, runBin } from '../helpers/index.js';

function mdFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...mdFiles(p));
    else if (n.endsWith('.md')) out.push(p);
  }
  return out;
}

const frontOf = (text: string): string => (text.startsWith('---\n') ? text.slice(4, text.indexOf('\n---', 4)) : '');
const skip = !hasCorpus() && 'shared corpus not present';

test('every markdown file of the SDD corpus is read without throwing', { skip }, () => {
  const root = corpusPath('sdd');
  let n = 0;
  for (const repo of ['sase--sdd', 'sase--plans']) {
    for (const f of mdFiles(join(root, repo))) {
      const rel = relative(join(root, repo), f);
      const a = readArtifact(f, rel);
      if (classifyPath(rel)) {
        assert.ok(a, rel);
        assert.equal(a.yamlError, null, rel);
        n++;
      }
    }
  }
  assert.ok(n >= 10, `only ${n} artifacts classified`);
});

test('Gen 2 sase--sdd: no errors, every link pair intact, each legacy plan warns exactly once', { skip }, () => {
  const root = corpusPath('sdd', 'sase--sdd');
  const r = validateTree(root);
  assert.equal(r.layout.layout, 'unified-plans');
  assert.equal(r.layout.generation, 2);
  assert.equal(r.errors, 0, JSON.stringify(r.diagnostics, null, 1));
  const linked = mdFiles(root).filter((f) => /^(prompt|plan): \S/m.test(frontOf(readFileSync(f, 'utf8'))));
  assert.equal(r.links.length, linked.length);
  for (const row of r.links) assert.equal(row.reverse_ok, true, `${row.from} → ${row.value}`);
  const legacy = mdFiles(root)
    .filter((f) => {
      const fm = frontOf(readFileSync(f, 'utf8'));
      return /^tier: (tale|epic)$/m.test(fm) && !/^(title|goal):/m.test(fm);
    })
    .map((f) => relative(root, f))
    .sort();
  assert.ok(legacy.length >= 3);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.file]), legacy.map((f) => ['plan-legacy-schema', 'warning', f]));
});

test('Gen 3 sase--plans: plans pass the strict schema in authoring mode and validate clean', { skip }, () => {
  const root = corpusPath('sdd', 'sase--plans');
  const plans = mdFiles(root).filter((f) => /\/\d{6}\/[^/]+\.md$/.test(f));
  assert.ok(plans.length >= 2);
  for (const f of plans) {
    const text = readFileSync(f, 'utf8');
    const tier = /^tier: (tale|epic)$/m.exec(frontOf(text))![1] as 'tale' | 'epic';
    const v = validatePlan(text, tier, 'authoring');
    assert.equal(v.ok, true, `${f}: ${JSON.stringify(v.diagnostics)}`);
  }
  const r = validateTree(root, { strict: true });
  assert.equal(r.layout.layout, 'split-sidecar');
  assert.equal(r.layout.generation, 3);
  assert.equal(r.errors, 0, JSON.stringify(r.diagnostics, null, 1));
  for (const row of r.links) assert.equal(row.target, 'external');
});

test('sase sdd validate --json over the corpus exits 0 with data.diagnostics', { skip }, async () => {
  const r = await runBin('sase', ['sdd', 'validate', '--root', corpusPath('sdd', 'sase--sdd'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.ok, true);
  assert.equal(r.json.data.errors, 0);
  assert.ok(Array.isArray(r.json.data.diagnostics));
  for (const d of r.json.data.diagnostics) assert.deepEqual(Object.keys(d).sort(), ['code', 'field', 'file', 'line', 'message', 'severity']);
  const list = await runBin('sase', ['sdd', 'list', '-k', 'epics', '--root', corpusPath('sdd', 'sase--sdd'), '--json']);
  assert.equal(list.code, 0);
  assert.deepEqual(list.json.data.artifacts.map((a: { path: string }) => a.path).sort(), ['plans/202605/mobile_gateway_epic_1.md', 'plans/202607/fakey_provider.md']);
});
