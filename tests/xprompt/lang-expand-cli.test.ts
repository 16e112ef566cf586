/** `sase xprompt expand` end to end through the real binary: argument/stdin, --json, --trace, --xprompts-dir, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gitRepo, runBin, tmpdir } from '../helpers/index.js';

function setup(t: import('node:test').TestContext) {
  const root = tmpdir(t, {
    'home/.keep': '',
    'defs/greet.md': '---\ninput:\n  - name: who\n    type: word\n---\nHello {{ who }}! {% if loud %}LOUD{% endif %}\n',
    'defs/plain.md': 'Plain body with #greet(ann)',
    'defs/broken.md': '---\ninput: { who: word }\n---\nline one\nHi {{ whom }}\n',
    'more/extra.md': 'EXTRA',
  });
  const home = join(root, 'home');
  const env = { HOME: home, SASE_HOME: join(home, '.sase'), XDG_CONFIG_HOME: join(home, '.config') };
  return { root, env, dirs: ['--xprompts-dir', join(root, 'defs')] };
}

test('expand prints each planned launch with its directives and prompt', async (t) => {
  const { root, env, dirs } = setup(t);
  const r = await runBin('sase', ['xprompt', 'expand', '%n:rev %{%m:opus | %m:sonnet}\n#plain', ...dirs], { cwd: root, env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /launch 1\/2 .*name=rev\.cld_opus .*workspace=#git:home .*model=opus/);
  assert.match(r.stdout, /launch 2\/2 .*name=rev\.cld_sonnet/);
  assert.equal(r.stdout.split('Plain body with Hello ann!\n').length, 3);
});

test('expand --json gives data.launches[] with name, directives, workspace_ref and prompt', async (t) => {
  const { root, env, dirs } = setup(t);
  const r = await runBin('sase', ['xprompt', 'expand', '--json', '#cd:sub %w:planner #greet(bob, loud=yes)', ...dirs], { cwd: root, env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.ok, true);
  const [l] = r.json.data.launches;
  assert.equal(l.workspace_ref, `#cd:${join(root, 'sub')}`);
  assert.deepEqual(l.directives.waits, ['planner']);
  assert.equal(l.name, 'planner.w@');
  assert.equal(l.prompt, 'Hello bob! LOUD');
});

test('expand reads the prompt from stdin and accepts repeated --xprompts-dir', async (t) => {
  const { root, env, dirs } = setup(t);
  const r = await runBin('sase', ['xprompt', 'expand', '--json', ...dirs, '--xprompts-dir', join(root, 'more')], {
    cwd: root,
    env,
    input: 'A\n---\n#extra',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.data.launches.map((l: { prompt: string }) => l.prompt), ['A', 'EXTRA']);
});

test('expand --trace reports resolved references and their files on stderr', async (t) => {
  const { root, env, dirs } = setup(t);
  const r = await runBin('sase', ['xprompt', 'expand', '--trace', '#plain', ...dirs], { cwd: root, env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /trace: #plain -> #plain \(.*plain\.md\)/);
  assert.match(r.stderr, /trace: #greet\(ann\) -> #greet \(.*greet\.md\) args=\["ann"\]/);
  assert.doesNotMatch(r.stdout, /trace:/);
});

test('a template error exits 6 and names the xprompt, file and line', async (t) => {
  const { root, env, dirs } = setup(t);
  const r = await runBin('sase', ['xprompt', 'expand', '#broken(x)', ...dirs], { cwd: root, env });
  assert.equal(r.code, 6);
  assert.match(r.stderr, /broken\.md:5: XPrompt '#broken' template error: 'whom' is undefined/);
  const j = await runBin('sase', ['xprompt', 'expand', '--json', '%time:5m go', ...dirs], { cwd: root, env });
  assert.equal(j.code, 6);
  assert.equal(j.json.ok, false);
  assert.equal(j.json.error.code, 'INVALID');
  assert.match(j.json.error.message, /The '%time' directive has been removed/);
});

test('xprompt_aliases from the project sase.yml apply before expansion', async (t) => {
  const { root, env, dirs } = setup(t);
  const repo = gitRepo(t, { 'sase.yml': 'xprompt_aliases:\n  hi: "greet(zed)"\n  home_ws: "cd:sub"\n' });
  const r = await runBin('sase', ['xprompt', 'expand', '--json', '#home_ws #hi and #hix', ...dirs.map((d) => (d.startsWith('--') ? d : d))], { cwd: repo, env });
  assert.equal(r.code, 0, r.stderr);
  const [l] = r.json.data.launches;
  assert.equal(l.workspace_ref, `#cd:${join(repo, 'sub')}`);
  assert.equal(l.prompt, 'Hello zed!  and #hix');
  assert.ok(root);
});

test('`$(cmd)` in an argument runs in the cwd and its output becomes the value', async (t) => {
  const { root, env, dirs } = setup(t);
  const r = await runBin('sase', ['xprompt', 'expand', '--json', '#greet:$(basename $PWD)', ...dirs], { cwd: join(root, 'defs'), env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.data.launches[0].prompt, 'Hello defs!');
});
