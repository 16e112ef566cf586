/** File-level validation (`validatePaths`): markdown, config, step-import and workflow files, Jinja syntax. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expandPaths, validatePaths, formatDiagnostic } from '../../lib/workflow/validate-files.js';
import { checkTemplate, blankFences } from '../../lib/workflow/template-check.js';
import { tmpdir } from '../helpers/index.js';

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
