/** File-level validation (`validatePaths`): markdown, config, step-import and workflow files, Jinja syntax, J7 reference checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expandPaths, validatePaths, formatDiagnostic } from '../../lib/workflow/validate-files.js';
import { checkTemplate, blankFences } from '../../lib/workflow/template-check.js';
import { tmpdir } from '../helpers/index.js';
import { checkReferences } from '../../lib/workflow/reference-check.js';
import { parseInputs } from '../../lib/xprompt/inputs.js';

test('Jinja syntax errors are located at the file line of the body', (t) => {
  const dir = tmpdir(t, {
    'x/open_if.md': '---\ndescription: d\n---\n\nline one\n{% if verbose %}\nno endif\n',
    'x/fenced.md': 'Example:\n```\n{% if not closed\n```\nfine {{ x }}\n',
    'x/wf.yml': 'steps:\n  - name: a\n    bash: |\n      echo one\n      echo {{ broken }\n',
  });
  const d = validatePaths(expandPaths(['x'], dir), { cwd: dir, checkTemplate });
  const lines = d.map(formatDiagnostic);
  assert.equal(d.length, 2, lines.join('\n'));
  assert.equal(d[0]!.file, join(dir, 'x/open_if.md'));
  assert.equal(d[0]!.code, 'template');
  assert.match(d[0]!.message, /^template syntax error: .*endif/);
  assert.ok(d[0]!.line >= 6, `line ${d[0]!.line}`);
  assert.equal(d[1]!.file, join(dir, 'x/wf.yml'));
  assert.equal(d[1]!.line, 5);
  assert.match(d[1]!.message, /^Step 'a': template syntax error/);
});

test('fenced blocks are blanked line for line before checking', () => {
  assert.equal(blankFences('a\n```\n{% x\n```\nb'), 'a\n\n\n\nb');
  assert.equal(checkTemplate('no template here'), null);
  assert.equal(checkTemplate("{{ '-b ' + s.bug if s.bug else '' }} {{ x | tojson }}"), null);
});

test('step-import files are validated as single steps; xprompts.yml entries as config', (t) => {
  const dir = tmpdir(t, {
    'lib/steps/shared/ok.yml': 'hidden: true\npython: print("has_changes=true")\noutput: { has_changes: bool }\n',
    'lib/steps/shared/bad.yml': 'bash: a\npython: b\n',
    'lib/xprompts.yml': 'good: text\nbad-key: x\n',
  });
  const files = expandPaths(['lib'], dir);
  assert.deepEqual(files.map((f) => f.slice(dir.length + 1)).sort(), ['lib/steps/shared/bad.yml', 'lib/steps/shared/ok.yml', 'lib/xprompts.yml']);
  const d = validatePaths(files, { cwd: dir });
  assert.deepEqual(
    d.map((x) => [x.file.slice(dir.length + 1), x.line, x.severity, x.message]),
    [
      ['lib/steps/shared/bad.yml', 1, 'error', "Step 'step_0' can only have one of 'agent', 'bash', 'python', 'prompt_part', or 'parallel' fields"],
      ['lib/xprompts.yml', 2, 'warning', "config xprompt key 'bad-key' is not a valid xprompt name (skipped)"],
    ],
  );
});

test('unreadable paths and unknown extensions are diagnostics, not crashes', (t) => {
  const dir = tmpdir(t, { 'notes.txt': 'x' });
  const d = validatePaths([join(dir, 'missing.md'), join(dir, 'notes.txt')], { cwd: dir });
  assert.deepEqual(d.map((x) => x.code).sort(), ['extension', 'read']);
});

const SUMMARIZE = parseInputs({ target_file: 'path', usage: 'line' });
const TYPED = parseInputs({ n: 'int', flag: { type: 'bool', default: false }, w: { type: 'word', default: 'x' } });
const lookup = (name: string) => (name === 'summarize' ? SUMMARIZE : name === 'typed' ? TYPED : undefined);

const J7: Array<[string, string[]]> = [
  ['#summarize(x, y, z)', ['Too many positional arguments for `summarize`']],
  ['#summarize(usage=a)', ['Missing required argument `target_file` for xprompt `summarize`']],
  ['#summarize(nope=1)', ['Unknown argument `nope` for xprompt `summarize`', 'Missing required argument `target_file` for xprompt `summarize`', 'Missing required argument `usage` for xprompt `summarize`']],
  ['#summarize(a.md, target_file=b.md)', ['Argument `target_file` was already provided positionally', 'Missing required argument `usage` for xprompt `summarize`']],
  ['#summarize(a.md, usage=tooltip)', []],
  ['#typed(abc)', ['Argument `n` for xprompt `typed` expects int']],
  ['#typed(3, flag=maybe)', ['Argument `flag` for xprompt `typed` expects bool']],
  ['#typed(3, w="two words")', ['Argument `w` for xprompt `typed` expects word']],
  ['#typed(null, flag={{ x }})', []],
  ['#typed:7', []],
  ['mention #summarize in prose, #unknown(a, b)', []],
];
for (const [text, want] of J7) {
  test(`J7: ${text}`, () => {
    assert.deepEqual(checkReferences(text, lookup).map((p) => p.message), want);
  });
}

test('validate reports reference problems inside markdown bodies at their line', async (t) => {
  const { loadCatalog } = await import('../../lib/xprompt/catalog.js');
  const dir = tmpdir(t, {
    'lib/summarize.md': '---\ninput: {target_file: path, usage: line}\n---\nSummarize {{ target_file }} for {{ usage }}\n',
    'lib/caller.md': 'First line\nThen #summarize(x, y, z) please\n',
  });
  const env = { HOME: join(dir, 'h'), SASE_HOME: join(dir, 'h/.sase'), XDG_CONFIG_HOME: join(dir, 'h/.config') };
  const catalog = await loadCatalog({ cwd: dir, env, extraDirs: ['lib'], builtinDir: join(dir, 'none') });
  const d = validatePaths([join(dir, 'lib/caller.md')], { cwd: dir, catalog });
  assert.deepEqual(d.map((x) => [x.line, x.column, x.severity, x.message]), [[2, 6, 'error', 'Too many positional arguments for `summarize`']]);
});
