/** `sase xprompt validate|explain|graph|list` through the real binary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBin, tmpdir } from '../helpers/index.js';

const WF = `description: Build and deploy
input:
  target: word
  dry: {type: bool, default: false}
steps:
  - name: build
    bash: make {{ target }}
    output: {artifact_path: path, status: word}
  - name: checks
    parallel:
      - name: lint
        bash: lint {{ build.artifact_path }}
      - name: test
        agent: "Test {{ target }}"
  - name: deploy
    if: "{{ not dry }}"
    bash: deploy {{ build.atrifact_path }} {{ dry | tojson }}
`;

function fixture(t: Parameters<typeof tmpdir>[0]) {
  const dir = tmpdir(t, {
    'lib/deploy.yml': WF,
    'lib/greet.md': '---\ndescription: Say hello\ninput:\n  user: word\n  times: {type: int, default: 1}\n---\nHello {{ user }} x{{ times }}\n',
    'lib/bad.md': '---\ninput: 5\n---\nx\n',
    'other/greet.md': 'shadowed greeting\n',
    'home/.keep': '',
  });
  const env = { HOME: join(dir, 'home'), SASE_HOME: join(dir, 'home/.sase'), XDG_CONFIG_HOME: join(dir, 'home/.config') };
  return { dir, env };
}

test('validate prints file:line:col diagnostics, one per line, and exits 6 on errors', async (t) => {
  const { dir, env } = fixture(t);
  const r = await runBin('sase', ['xprompt', 'validate', 'lib'], { cwd: dir, env });
  assert.equal(r.code, 6, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.includes(`${join(dir, 'lib/bad.md')}:2:1: 'input' must be a list or a mapping, got 5`), r.stdout);
  assert.ok(
    lines.includes(`${join(dir, 'lib/deploy.yml')}:15:1: Step 'deploy': references 'build.atrifact_path' but 'build' output has no field 'atrifact_path'. Available: ['artifact_path', 'status']`),
    r.stdout,
  );
  for (const l of lines) assert.match(l, /^\/.+:\d+:\d+: /);
  assert.match(r.stderr, /3 file\(s\) checked: 2 error\(s\)/);
  const j = await runBin('sase', ['xprompt', 'validate', '--json', join(dir, 'lib/deploy.yml')], { cwd: dir, env });
  assert.equal(j.code, 6);
  assert.equal(j.json.data.diagnostics.length, 1);
  assert.deepEqual(Object.keys(j.json.data.diagnostics[0]).sort(), ['code', 'column', 'file', 'line', 'message', 'severity']);
  const ok = await runBin('sase', ['xprompt', 'validate', join(dir, 'lib/greet.md')], { cwd: dir, env });
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, '');
});

test('explain shows the winner, its source, what it shadows and the bound inputs', async (t) => {
  const { dir, env } = fixture(t);
  const r = await runBin('sase', ['xprompt', 'explain', '#greet(bob)', '--xprompts-dir', 'lib', '--xprompts-dir', 'other', '--json'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
  const d = r.json.data;
  assert.equal(d.entry.definition_path, join(dir, 'lib/greet.md'));
  assert.deepEqual(d.entry.shadows, [{ source: 'extra', path: join(dir, 'other/greet.md') }]);
  assert.deepEqual(d.resolved_args, { user: 'bob', times: 1 });
  assert.deepEqual(d.body, { text: 'Hello bob x1\n', static: true, segments: 1 });
  const human = await runBin('sase', ['xprompt', 'explain', 'greet', 'amy', '--arg', 'times=3', '--xprompts-dir', 'lib', '--xprompts-dir', 'other'], { cwd: dir, env });
  assert.equal(human.code, 0);
  assert.match(human.stdout, /shadows: +.*other\/greet\.md \(extra\)/);
  assert.match(human.stdout, /Hello amy x3/);
});

test('explain dry-runs a workflow: steps with phases, annotations and statically rendered bodies', async (t) => {
  const { dir, env } = fixture(t);
  const r = await runBin('sase', ['xprompt', 'explain', '#!deploy', 'web', '--arg', 'dry=yes', '--xprompts-dir', 'lib', '--json'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
  const d = r.json.data;
  assert.deepEqual(d.resolved_args, { target: 'web', dry: true });
  assert.deepEqual(d.steps.map((s: any) => [s.name, s.kind, s.phase]), [['build', 'bash', 'main'], ['checks', 'parallel', 'main'], ['deploy', 'bash', 'main']]);
  assert.equal(d.steps[0].body, 'make web');
  assert.equal(d.steps[0].static, true);
  assert.equal(d.steps[2].static, false, 'bodies using step outputs are not fully rendered');
  assert.equal(d.steps[2].body, 'deploy {{ build.atrifact_path }} true', 'bound inputs are still substituted');
  assert.deepEqual(d.steps[2].annotations, ['if {{ not dry }}']);
  assert.deepEqual(d.steps[1].steps.map((s: any) => s.name), ['lint', 'test']);
  assert.equal(d.steps[0].output_schema.properties.status.type, 'string');
  assert.ok(d.diagnostics.some((x: any) => x.code === 'unknown-field'));
});

test('explain errors: unknown names exit 3, #! on an inline xprompt exits 2 with SASE\'s message', async (t) => {
  const { dir, env } = fixture(t);
  const missing = await runBin('sase', ['xprompt', 'explain', '#nope', '--xprompts-dir', 'lib', '--json'], { cwd: dir, env });
  assert.equal(missing.code, 3);
  assert.equal(missing.json.error.code, 'NOT_FOUND');
  const bang = await runBin('sase', ['xprompt', 'explain', '#!greet(x)', '--xprompts-dir', 'lib'], { cwd: dir, env });
  assert.equal(bang.code, 2);
  assert.match(bang.stderr, /Only standalone workflows and multi-agent xprompts use '#!'; '#!greet\(x\)' resolves to an embeddable xprompt\. Use '#greet' for inline expansion\./);
});

test('graph renders Mermaid (parallel as a subgraph, if as a skip edge) and text; no name lists workflows', async (t) => {
  const { dir, env } = fixture(t);
  const m = await runBin('sase', ['xprompt', 'graph', '#!deploy', '--xprompts-dir', 'lib'], { cwd: dir, env });
  assert.equal(m.code, 0, m.stderr);
  assert.match(m.stdout, /^flowchart TD\n/);
  assert.match(m.stdout, /subgraph s_checks\["checks \(parallel\)"\]/);
  assert.match(m.stdout, /s_build --> s_checks__lint/);
  assert.match(m.stdout, /s_checks__test --> s_deploy/);
  assert.match(m.stdout, /-\.->\|"skip unless \{\{ not dry \}\}"\| finish/);
  const tx = await runBin('sase', ['xprompt', 'graph', 'deploy', '--format', 'text', '--xprompts-dir', 'lib'], { cwd: dir, env });
  assert.equal(tx.code, 0);
  assert.match(tx.stdout, /^deploy \(standalone workflow, 3 steps\)/);
  assert.match(tx.stdout, /2\. checks \[parallel\]\n +├─ lint \[bash\]\n +└─ test \[agent\]/);
  const all = await runBin('sase', ['xprompt', 'graph', '--json', '--xprompts-dir', 'lib'], { cwd: dir, env });
  const mine = all.json.data.workflows.filter((w: any) => w.path.startsWith(dir));
  assert.deepEqual(mine, [{ name: 'deploy', reference: '#!deploy', steps: 3, path: join(dir, 'lib/deploy.yml') }]);
  const notwf = await runBin('sase', ['xprompt', 'graph', '#greet', '--xprompts-dir', 'lib'], { cwd: dir, env });
  assert.equal(notwf.code, 2);
});

test('list --json has name, kind, description, inputs, source, reference_prefix and definition_path; --kind filters', async (t) => {
  const { dir, env } = fixture(t);
  const r = await runBin('sase', ['xprompt', 'list', '--json', '--xprompts-dir', 'lib'], { cwd: dir, env });
  assert.equal(r.code, 0);
  const greet = r.json.data.xprompts.find((x: any) => x.name === 'greet');
  assert.equal(greet.kind, 'xprompt');
  assert.equal(greet.description, 'Say hello');
  assert.equal(greet.source, 'extra');
  assert.equal(greet.reference_prefix, '#');
  assert.equal(greet.definition_path, join(dir, 'lib/greet.md'));
  assert.deepEqual(greet.inputs[1], { name: 'times', type: 'int', required: false, default_display: '1', position: 1, repeatable: false, description: null });
  assert.ok(r.json.data.issues.some((i: any) => i.file === join(dir, 'lib/bad.md') && i.line === 2));
  const wf = await runBin('sase', ['xprompt', 'list', '--json', '--kind', 'standalone_workflow', '--xprompts-dir', 'lib'], { cwd: dir, env });
  assert.deepEqual(wf.json.data.xprompts.filter((x: any) => x.source === 'extra').map((x: any) => x.name), ['deploy']);
  const filtered = await runBin('sase', ['xprompt', 'list', 'GRE', '--json', '--xprompts-dir', 'lib'], { cwd: dir, env });
  assert.deepEqual(filtered.json.data.xprompts.map((x: any) => x.name), ['greet']);
  const bad = await runBin('sase', ['xprompt', 'list', '--kind', 'nope'], { cwd: dir, env });
  assert.equal(bad.code, 2);
});

test('validate with no paths checks every visible source; list lists what loads and reports unloadable files on stderr', async (t) => {
  const dir = tmpdir(t, {
    '.xprompts/ok.md': 'fine',
    '.xprompts/broken.yml': 'steps:\n  - name: a\n    bash: x\n    python: y\n',
    'home/.keep': '',
  });
  const env = { HOME: join(dir, 'home'), SASE_HOME: join(dir, 'home/.sase'), XDG_CONFIG_HOME: join(dir, 'home/.config') };
  const v = await runBin('sase', ['xprompt', 'validate', '--json'], { cwd: dir, env });
  assert.equal(v.code, 6);
  const errors = v.json.data.diagnostics.filter((d: any) => d.severity === 'error');
  assert.deepEqual(errors.map((d: any) => [d.file, d.line]), [[join(dir, '.xprompts/broken.yml'), 2]]);
  assert.ok(v.json.data.files > 2, 'built-in definitions are checked too');
  const l = await runBin('sase', ['xprompt', 'list'], { cwd: dir, env });
  assert.equal(l.code, 0);
  assert.match(l.stdout, /#ok/);
  assert.match(l.stdout, /#!broken/, 'a step-level schema error does not hide the workflow (validate reports it)');
  assert.equal(l.stderr, '');
  writeFileSync(join(dir, '.xprompts/notyaml.yml'), 'steps: [\n');
  const l2 = await runBin('sase', ['xprompt', 'list'], { cwd: dir, env });
  assert.equal(l2.code, 0);
  assert.match(l2.stderr, /^error: .*notyaml\.yml:\d+(:\d+)?: invalid YAML/m);
});
