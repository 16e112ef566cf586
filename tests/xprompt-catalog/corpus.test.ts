/**
 * The real SASE library (shared/corpus/xprompts, spec/xprompts.md §10): every definition file is listed with the
 * right name, namespace, prefix and kind; every workflow (and the step-import file) validates; every markdown
 * xprompt expands with arguments built from its declared inputs. Expectations are computed from the files
 * themselves with simple independent rules, not from our loader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { corpusPath, hasCorpus, runBin, tmpdir, writeTree } from '../helpers/index.js';
import { loadCatalog } from '../../lib/xprompt/catalog.js';
import { expandPrompt } from '../../lib/xprompt/expand.js';

const ROOT = corpusPath('xprompts');
const BUILTIN = join(ROOT, 'src', 'sase', 'xprompts');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Expected catalog entries, derived from the files with plain text rules. */
function expected(): Map<string, { kind: string; prefix: string; file: string }> {
  const out = new Map<string, { kind: string; prefix: string; file: string }>();
  for (const file of walk(ROOT)) {
    const rel = relative(ROOT, file);
    const ext = extname(file);
    if (ext !== '.md' && ext !== '.yml') continue;
    if (rel.split('/').includes('steps')) continue;
    const text = readFileSync(file, 'utf8');
    const builtin = rel.startsWith('src/');
    const ns = builtin ? '' : 'sase/';
    if (basename(file) === 'xprompts.yml') {
      for (const m of text.matchAll(/^([A-Za-z_][A-Za-z0-9_/]*):/gm)) out.set(`${ns}${m[1]}`, { kind: 'xprompt', prefix: '#', file });
      continue;
    }
    let name = basename(file, ext);
    let kind: string;
    if (ext === '.md') {
      const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
      const fmName = fm ? /^name:\s*(\S+)\s*$/m.exec(fm[1]!) : null;
      if (fmName) name = fmName[1]!;
      const body = fm ? text.slice(fm[0].length) : text;
      let inFence = false;
      let multi = false;
      for (const line of body.split('\n')) {
        if (line.trim().startsWith('```')) inFence = !inFence;
        else if (!inFence && line.trim() === '---') multi = true;
      }
      kind = multi ? 'standalone_workflow' : 'xprompt';
    } else {
      kind = /^\s*(?:-\s+)?prompt_part:/m.test(text) ? 'embeddable_workflow' : 'standalone_workflow';
    }
    const folder = relative(builtin ? BUILTIN : join(ROOT, rel.split('/')[0]!), join(file, '..'));
    const folderNs = folder === '' ? '' : folder.replace(/^skills\b/, 'skill').replace(/^refs\b/, 'ref') + '/';
    out.set(`${ns}${folderNs}${name}`, { kind, prefix: kind === 'standalone_workflow' ? '#!' : '#', file });
  }
  return out;
}

function isolatedEnv(t: Parameters<typeof tmpdir>[0]): Record<string, string> {
  const home = tmpdir(t);
  writeTree(home, { 'sase-test.yml': `project: sase\nplugins:\n  - ${BUILTIN}\n` });
  return { HOME: home, SASE_HOME: join(home, '.sase'), XDG_CONFIG_HOME: join(home, '.config'), SASE_CONFIG: join(home, 'sase-test.yml') };
}

test('every corpus definition appears in `sase xprompt list --json` with the right name, prefix and kind', { skip: !hasCorpus() }, async (t) => {
  const env = isolatedEnv(t);
  const r = await runBin('sase', ['xprompt', 'list', '--json'], { cwd: ROOT, env });
  assert.equal(r.code, 0, r.stderr);
  const listed = new Map<string, any>((r.json.data.xprompts as any[]).map((x) => [x.name, x]));
  const want = expected();
  assert.ok(want.size >= 33, `expected at least 33 definitions, computed ${want.size}`);
  for (const [name, w] of want) {
    const got = listed.get(name);
    assert.ok(got, `${name} (${relative(ROOT, w.file)}) is listed`);
    assert.equal(got.kind, w.kind, `${name} kind`);
    assert.equal(got.reference_prefix, w.prefix, `${name} prefix`);
    assert.equal(got.insertion, `${w.prefix}${name}`);
    // The child resolves its cwd through symlinks (shared/ may be a link), so compare real paths.
    assert.equal(realpathSync(got.definition_path), realpathSync(w.file), `${name} definition_path`);
    assert.equal(got.source, w.file.startsWith(BUILTIN) ? 'plugin' : 'project');
    assert.equal(got.project, w.file.startsWith(BUILTIN) ? null : 'sase');
  }
  assert.deepEqual(r.json.data.issues, []);
  const human = await runBin('sase', ['xprompt', 'list'], { cwd: ROOT, env });
  assert.equal(human.code, 0);
  assert.match(human.stdout, /#!sase\/research_swarm/);
  assert.match(human.stdout, /#sase\/split_executor\(diff_path: path/);
});

test('every corpus workflow and the step-import file validate without errors', { skip: !hasCorpus() }, async (t) => {
  const env = isolatedEnv(t);
  const dirs = ['.xprompts', 'xprompts', 'src/sase/xprompts'];
  const r = await runBin('sase', ['xprompt', 'validate', '--json', ...dirs], { cwd: ROOT, env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const diags = r.json.data.diagnostics as any[];
  assert.deepEqual(diags.filter((d) => d.severity === 'error'), []);
  const files = walk(ROOT).filter((f) => /\.(md|yml)$/.test(f));
  assert.equal(r.json.data.files, files.length, 'every .md/.yml file was checked, step imports included');
});

function sampleValue(type: string): string {
  switch (type) {
    case 'int':
      return '3';
    case 'float':
      return '1.5';
    case 'bool':
      return 'true';
    case 'word':
    case 'agent':
      return 'sample_word';
    case 'path':
      return 'docs/sample.md';
    case 'text':
      return '[[first line\nsecond line]]';
    default:
      return '"a sample line"';
  }
}

test('every corpus markdown xprompt expands with arguments built from its declared inputs', { skip: !hasCorpus() }, async (t) => {
  const env = isolatedEnv(t);
  const cat = await loadCatalog({ cwd: ROOT, env });
  const mds = cat.entries().filter((d) => d.path?.endsWith('.md') || (d.path?.endsWith('xprompts.yml') && d.body !== null));
  assert.ok(mds.length >= 20);
  for (const def of mds) {
    const args = def.inputs.map((i) => `${i.name}=${sampleValue(String(i.type))}`);
    // Undeclared template variables (e.g. runtime-injected `provider_name`) are passed as extra named args.
    const declared = new Set(def.inputs.map((i) => i.name));
    for (const m of (def.body ?? '').matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!declared.has(m[1]!) && !args.some((a) => a.startsWith(`${m[1]}=`))) args.push(`${m[1]}=extra_value`);
    }
    // Inline use; a multi-agent body keeps only its first segment inline (vector G11).
    const ref = `#${def.name}(${args.join(', ')})`;
    const out = await expandPrompt(`Before ${ref} after`, cat);
    if (def.multiAgent) assert.ok(!/^---\s*$/m.test(out), `${def.name}: only the first segment is inlined`);
    assert.ok(!out.includes(`#${def.name}(`), `${def.name} was expanded`);
    for (const i of def.inputs) {
      if (new RegExp(`\\{\\{-?\\s*${i.name}\\s*-?\\}\\}`).test(def.body ?? '')) {
        assert.ok(!new RegExp(`\\{\\{-?\\s*${i.name}\\s*-?\\}\\}`).test(out), `${def.name}: {{ ${i.name} }} was rendered`);
      }
    }
    assert.match(out, /^Before /);
  }
});
