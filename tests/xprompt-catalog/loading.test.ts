/**
 * Loading vectors (spec/xprompt-vectors.md §I) and discovery/precedence rules (spec/xprompts.md §3), against real
 * temp directories.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCatalog } from '../../lib/xprompt/catalog.js';
import { parseMarkdownXprompt, splitFrontmatter } from '../../lib/xprompt/loader.js';
import { parseInputType } from '../../lib/xprompt/inputs.js';
import { tmpdir, gitRepo, writeTree } from '../helpers/index.js';

/** Env with HOME (and SASE_HOME, XDG_CONFIG_HOME under it) at `home`; `extra` entries added. */
function homeEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: home, SASE_HOME: join(home, '.sase'), XDG_CONFIG_HOME: join(home, '.config'), ...extra };
}

/** A catalog over `tree` with an isolated HOME and no built-ins. */
async function catalogOf(t: Parameters<typeof tmpdir>[0], tree: Record<string, string>, extra: { env?: Record<string, string>; project?: string | null; extraDirs?: string[] } = {}) {
  const root = tmpdir(t, tree);
  const home = join(root, '__home');
  const cat = await loadCatalog({
    cwd: root,
    env: homeEnv(home, extra.env),
    project: extra.project === undefined ? null : extra.project,
    builtinDir: join(root, '__builtin'),
    extraDirs: extra.extraDirs,
  });
  return { cat, root, home };
}

test('I1: frontmatter name, typed input and body with one leading newline removed', () => {
  const r = parseMarkdownXprompt('---\nname: greet\ninput:\n  user_name: word\n---\n\nHello, {{ user_name }}! Welcome aboard.', '/x/greet_file.md', 'greet_file');
  const d = r.defs[0]!;
  assert.equal(d.name, 'greet');
  assert.deepEqual(
    d.inputs.map((i) => [i.name, i.type, i.required]),
    [['user_name', 'word', true]],
  );
  assert.equal(d.body, 'Hello, {{ user_name }}! Welcome aboard.');
  assert.equal(d.bodyLine, 7);
  assert.equal(d.inputs[0]!.line, 4);
  assert.deepEqual(r.issues, []);
});

test('I2: invalid frontmatter YAML makes the whole file the body and records a load issue', () => {
  const text = '---\nname: [unclosed\n---\nBody';
  const r = parseMarkdownXprompt(text, '/x/broken.md', 'broken');
  assert.equal(r.defs[0]!.name, 'broken');
  assert.equal(r.defs[0]!.body, text);
  assert.equal(r.issues.length, 1);
  assert.match(r.issues[0]!.message, /invalid YAML frontmatter \(treated as plain body\)/);
  assert.equal(r.issues[0]!.file, '/x/broken.md');
  assert.ok((r.issues[0]!.line ?? 0) >= 2);
});

test('I3: a file without a closing --- has no frontmatter', () => {
  const text = '---\nname: x\nno closing line';
  assert.equal(splitFrontmatter(text).yaml, null);
  const r = parseMarkdownXprompt(text, '/x/open.md', 'open');
  assert.equal(r.defs[0]!.name, 'open');
  assert.equal(r.defs[0]!.body, text);
});

const TYPE_CASES: Array<[unknown, string]> = [
  ['string', 'line'],
  ['Integer', 'int'],
  ['boolean', 'bool'],
  ['WORD', 'word'],
  ['text', 'text'],
  ['path', 'path'],
  ['float', 'float'],
  ['int', 'int'],
  ['bool', 'bool'],
  ['agent', 'agent'],
  ['enum', 'enum'],
  ['nonsense', 'line'],
  [42, 'line'],
];
for (const [raw, want] of TYPE_CASES) {
  test(`I4: input type ${JSON.stringify(raw)} folds to ${want}`, () => {
    assert.equal(parseInputType(raw), want);
  });
}

test('I5: shortform flow-map inputs keep their order and only the defaulted one is optional', () => {
  const r = parseMarkdownXprompt(
    '---\ninput: {diff_path: path, spec_markdown: text, default_parent: word, bug_flag: {type: line, default: ""}, note: line, processing_order: text}\n---\nx',
    '/x/split_executor.md',
    'split_executor',
  );
  const inputs = r.defs[0]!.inputs;
  assert.deepEqual(
    inputs.map((i) => i.name),
    ['diff_path', 'spec_markdown', 'default_parent', 'bug_flag', 'note', 'processing_order'],
  );
  assert.deepEqual(inputs.filter((i) => !i.required).map((i) => [i.name, i.default]), [['bug_flag', '']]);
  assert.deepEqual(inputs.map((i) => i.position), [0, 1, 2, 3, 4, 5]);
});

test('defaults: key absent → required; default null → optional null; values keep their YAML type', () => {
  const r = parseMarkdownXprompt(
    '---\ninput:\n  - {name: a, type: word}\n  - {name: b, type: int, default: null}\n  - {name: c, type: int, default: 3}\n  - {type: word}\n  - {name: d, type: bool, default: "yes", description: flag}\n---\nx',
    '/x/d.md',
    'd',
  );
  const byName = Object.fromEntries(r.defs[0]!.inputs.map((i) => [i.name, i]));
  assert.equal(r.defs[0]!.inputs.length, 4, 'items without a name are skipped');
  assert.equal(byName.a!.required, true);
  assert.equal(byName.b!.required, false);
  assert.equal(byName.b!.default, null);
  assert.equal(byName.c!.default, 3);
  assert.equal(byName.d!.default, 'yes', 'defaults are not converted through the type');
  assert.equal(byName.d!.description, 'flag');
});

test('I6: project xprompt dirs are auto-namespaced with the detected project; ~/.xprompts is not', async (t) => {
  const { cat } = await catalogOf(
    t,
    { 'xprompts/deploy.md': 'Deploy it', 'xprompts/fix_just.yml': 'steps:\n  - name: a\n    bash: echo hi\n', '__home/.xprompts/mine.md': 'Mine' },
    { project: 'myapp' },
  );
  assert.equal(cat.get('myapp/deploy')?.body, 'Deploy it');
  assert.equal(cat.get('deploy'), undefined);
  const wf = cat.get('myapp/fix_just')!;
  assert.equal(wf.kind, 'standalone_workflow');
  assert.equal(wf.referencePrefix, '#!');
  assert.equal(cat.get('mine')?.source, 'user');
  assert.equal(cat.get('myapp__deploy')?.name, 'myapp/deploy', '__ is the flat spelling of /');
});

test('I6: the project name is detected from sase.yml `project:`', async (t) => {
  const repo = gitRepo(t, { 'sase.yml': 'project: myapp\n', '.xprompts/deploy.md': 'Deploy' });
  const home = tmpdir(t);
  const cat = await loadCatalog({ cwd: repo, env: homeEnv(home), builtinDir: join(home, 'none') });
  assert.ok(cat.get('myapp/deploy'));
});

test('I7: a project definition shadows the home one of the same name and records it', async (t) => {
  const { cat, root, home } = await catalogOf(t, { '.xprompts/deploy.md': 'project copy', '__home/.xprompts/deploy.md': 'home copy' });
  const d = cat.get('deploy')!;
  assert.equal(d.body, 'project copy');
  assert.equal(d.source, 'project');
  assert.equal(d.path, join(root, '.xprompts', 'deploy.md'));
  assert.deepEqual(d.shadows, [{ source: 'user', path: join(home, '.xprompts', 'deploy.md') }]);
});

test('precedence: --xprompts-dir, then SASE_XPROMPT_PATH, .xprompts/, xprompts/, ~/.xprompts, ~/xprompts, sase.yml, plugins, built-ins', async (t) => {
  const tiers = ['extra', 'envpath', 'dot', 'plain', 'homedot', 'homeplain', 'config', 'plugin', 'builtin'];
  const tree: Record<string, string> = {};
  const dirs: Record<string, string> = {
    extra: 'x1',
    envpath: 'x2',
    dot: '.xprompts',
    plain: 'xprompts',
    homedot: '__home/.xprompts',
    homeplain: '__home/xprompts',
    plugin: 'plug/xprompts',
    builtin: '__builtin',
  };
  // Tier i defines names p0..p<i>: p<k> is defined by tiers k..8, and its winner must be tier k.
  tiers.forEach((tier, i) => {
    for (let k = 0; k <= i; k++) {
      if (tier === 'config') continue;
      tree[`${dirs[tier]}/p${k}.md`] = tier;
    }
  });
  const cfg = ['project: null', 'plugins: [./plug]', 'xprompts:'];
  for (let k = 0; k <= 6; k++) cfg.push(`  p${k}: config`);
  tree['sase.yml'] = cfg.join('\n') + '\n';
  const root = tmpdir(t, tree);
  writeTree(root, { '.git/HEAD': 'ref: refs/heads/main\n' });
  const home = join(root, '__home');
  const cat = await loadCatalog({
    cwd: root,
    env: homeEnv(home, { SASE_XPROMPT_PATH: join(root, 'x2') }),
    extraDirs: ['x1'],
    builtinDir: join(root, '__builtin'),
  });
  tiers.forEach((tier, k) => {
    const d = cat.get(`p${k}`);
    assert.ok(d, `p${k} exists`);
    assert.equal((d.body ?? '').trim(), tier, `p${k} comes from ${tier}`);
    assert.equal(d.shadows.length, tiers.length - 1 - k, `p${k} shadows every lower tier`);
  });
  assert.equal(cat.get('p6')!.source, 'config');
  assert.equal(cat.get('p7')!.source, 'plugin');
  assert.equal(cat.get('p8')!.source, 'built-in');
  assert.equal(cat.get('p0')!.source, 'extra');
});

test('SASE_DISABLE_PLUGINS removes plugin xprompts', async (t) => {
  const root = tmpdir(t, { 'sase.yml': 'plugins: [./plug]\n', 'plug/xprompts/hello.md': 'hi', '.git/HEAD': 'x' });
  const env = homeEnv(join(root, 'h'));
  assert.ok((await loadCatalog({ cwd: root, env, builtinDir: join(root, 'none') })).get('hello'));
  assert.equal((await loadCatalog({ cwd: root, env: { ...env, SASE_DISABLE_PLUGINS: '1' }, builtinDir: join(root, 'none') })).get('hello'), undefined);
});

test('folders are namespaces; skills/ → skill/, refs/ → ref/, steps/ is not part of the catalog', async (t) => {
  const { cat } = await catalogOf(t, {
    '.xprompts/review/plan.md': 'Plan review',
    '.xprompts/review/deep/check.md': 'deep',
    '.xprompts/skills/helper.md': '---\nname: helper\nskill: true\n---\nHelp',
    '.xprompts/refs/file.md': '---\nref: true\n---\n@{{ p }}',
    '.xprompts/steps/shared/check.yml': 'bash: echo\n',
    '.xprompts/bad-name.md': 'not referenceable',
  });
  assert.ok(cat.get('review/plan'));
  assert.ok(cat.get('review/deep/check'));
  assert.equal(cat.get('skill/helper')?.isSkill, true);
  assert.ok(cat.get('ref/file'));
  assert.equal(cat.entries().some((d) => d.name.includes('check') && d.name.includes('shared')), false);
  assert.equal(cat.get('bad-name'), undefined);
  assert.ok(cat.issues().some((i) => i.file.endsWith('bad-name.md') && /not a valid reference name/.test(i.message)), 'bad names are reported');
});

test('directory xprompts.yml entries load; a .md of the same name in that directory wins', async (t) => {
  const { cat, root } = await catalogOf(t, {
    '.xprompts/xprompts.yml': 'bd/next: Claim the next bead\nsame: from yml\nbd/new_epic:\n  input:\n    plan_file_path: path\n  content: |\n    Plan {{ plan_file_path }}\n',
    '.xprompts/same.md': 'from md',
  });
  assert.equal(cat.get('bd/next')?.body, 'Claim the next bead');
  assert.equal(cat.get('same')?.body, 'from md');
  assert.equal(cat.get('same')?.shadows[0]?.path, join(root, '.xprompts', 'xprompts.yml'));
  const epic = cat.get('bd/new_epic')!;
  assert.equal(epic.inputs[0]!.name, 'plan_file_path');
  assert.equal(epic.inputs[0]!.line, 5);
  assert.equal(epic.bodyLine, 7);
});

test('sase.yml xprompts: simple and structured entries; bad keys are skipped with an issue', async (t) => {
  const root = tmpdir(t, {
    'sase.yml': 'xprompts:\n  hi: "Hello"\n  review:\n    description: Review things\n    input: {target: word}\n    content: "Review {{ target }}"\n    tags: [crs, mentor]\n  bad-key: x\n  nocontent: {description: d}\n',
    '.git/HEAD': 'x',
  });
  const env = homeEnv(join(root, 'h'));
  const cat = await loadCatalog({ cwd: root, env, builtinDir: join(root, 'none') });
  assert.equal(cat.get('hi')?.body, 'Hello');
  assert.equal(cat.get('hi')?.source, 'config');
  assert.equal(cat.get('hi')?.path, null);
  const r = cat.get('review')!;
  assert.equal(r.description, 'Review things');
  assert.deepEqual(r.tags, ['crs', 'mentor']);
  assert.equal(r.inputs[0]!.type, 'word');
  assert.equal(cat.get('bad-key'), undefined);
  assert.equal(cat.get('nocontent'), undefined);
  assert.equal(cat.issues().length, 2);
  assert.ok(cat.issues().every((i) => i.file === join(root, 'sase.yml') && typeof i.line === 'number'));
});

test('kinds and prefixes: markdown, multi-agent markdown, embeddable and standalone workflows', async (t) => {
  const { cat } = await catalogOf(t, {
    '.xprompts/plain.md': 'Just text\n```\n---\n```\n',
    '.xprompts/swarm.md': 'first\n---\nsecond\n',
    '.xprompts/emb.yml': 'steps:\n  - name: pre\n    bash: echo a=1\n    output: {a: int}\n  - name: inject\n    prompt_part: "A={{ pre.a }}"\n',
    '.xprompts/solo.yaml': 'name: solo_named\nsteps:\n  - name: a\n    bash: echo\n',
    '.xprompts/vcs.yml': 'wraps_all: true\nsteps:\n  - name: inject\n    prompt_part: ""\n',
  });
  assert.deepEqual([cat.get('plain')!.kind, cat.get('plain')!.referencePrefix], ['xprompt', '#']);
  assert.deepEqual([cat.get('swarm')!.kind, cat.get('swarm')!.referencePrefix, cat.get('swarm')!.multiAgent], ['standalone_workflow', '#!', true]);
  const emb = cat.get('emb')!;
  assert.deepEqual([emb.kind, emb.referencePrefix], ['embeddable_workflow', '#']);
  assert.deepEqual(emb.promptPart, { text: 'A={{ pre.a }}', line: 6, step: 'inject' });
  assert.deepEqual([cat.get('solo_named')!.kind, cat.get('solo_named')!.referencePrefix], ['standalone_workflow', '#!']);
  assert.deepEqual(cat.get('vcs')!.tags, ['vcs']);
});

test('snippet and skill metadata are carried', async (t) => {
  const { cat } = await catalogOf(t, {
    '.xprompts/ns/snip.md': '---\nsnippet: true\n---\nS',
    '.xprompts/trig.md': '---\nsnippet: tr\nskill: [claude]\nlog_skill_use: false\n---\nT',
  });
  assert.equal(cat.get('ns/snip')!.snippet, 'snip');
  assert.equal(cat.get('trig')!.snippet, 'tr');
  assert.equal(cat.get('trig')!.isSkill, true);
  assert.equal(cat.get('trig')!.meta.log_skill_use, false);
});

test('malformed files are reported with file and line and do not stop the load', async (t) => {
  const { cat, root } = await catalogOf(t, {
    '.xprompts/good.md': 'ok',
    '.xprompts/badinput.md': '---\ndescription: d\ninput: 5\n---\nx',
    '.xprompts/badwf.yml': 'steps: [\n',
    '.xprompts/nosteps.yml': 'description: no steps\n',
  });
  assert.ok(cat.get('good'));
  const byFile = Object.fromEntries(cat.issues().map((i) => [i.file, i]));
  assert.equal(byFile[join(root, '.xprompts/badinput.md')]!.line, 3);
  assert.ok(byFile[join(root, '.xprompts/badwf.yml')]!.line);
  assert.match(byFile[join(root, '.xprompts/nosteps.yml')]!.message, /steps/);
});

test('the file cache is invalidated when a definition changes', async (t) => {
  const root = tmpdir(t, { '.xprompts/a.md': 'one' });
  const env = homeEnv(join(root, 'h'));
  const load = () => loadCatalog({ cwd: root, env, builtinDir: join(root, 'none'), project: null });
  assert.equal((await load()).get('a')!.body, 'one');
  writeTree(root, { '.xprompts/a.md': '---\ndescription: changed\n---\ntwo, longer' });
  const again = (await load()).get('a')!;
  assert.equal(again.body, 'two, longer');
  assert.equal(again.description, 'changed');
});

test('sase.yml xprompts are served from the cache until the file changes', async (t) => {
  const root = tmpdir(t, { 'sase.yml': 'project: demo\nxprompts:\n  hi: "Hello"\n', '.git/HEAD': 'x', '.xprompts/local.md': 'L' });
  const env = homeEnv(join(root, 'h'));
  const load = () => loadCatalog({ cwd: root, env, builtinDir: join(root, 'none') });
  const first = await load();
  assert.equal(first.get('demo/hi')?.body, 'Hello');
  assert.ok(first.get('demo/local'));
  const second = await load();
  assert.equal(second.get('demo/hi')?.body, 'Hello');
  assert.equal(second.get('demo/hi')?.bodyLine, 3);
  assert.ok(second.get('demo/local'), 'the cached project name still namespaces directory xprompts');
  writeTree(root, { 'sase.yml': 'project: other\nxprompts:\n  hi: "Changed greeting"\n' });
  const third = await load();
  assert.equal(third.get('other/hi')?.body, 'Changed greeting');
  assert.equal(third.get('demo/hi'), undefined);
});

test('a missing --xprompts-dir is reported, not silently ignored', async (t) => {
  const { cat, root } = await catalogOf(t, { '.xprompts/a.md': 'A' }, { extraDirs: ['nope'] });
  assert.ok(cat.get('a'));
  assert.deepEqual(cat.issues(), [{ file: join(root, 'nope'), message: '--xprompts-dir is not a directory (ignored)', severity: 'warning' }]);
});

test('~/.config/sase/xprompts/<project>/ files become <project>/<name> in the user tier', async (t) => {
  const { cat } = await catalogOf(t, { '__home/.config/sase/xprompts/myapp/release.md': 'Release notes' }, { project: 'myapp' });
  const d = cat.get('myapp/release')!;
  assert.equal(d.source, 'user');
  assert.equal(d.body, 'Release notes');
});

test('a plugin named by package resolves through node_modules and uses its xprompts/ folder', async (t) => {
  const root = tmpdir(t, {
    '.git/HEAD': 'x',
    'sase.yml': 'plugins:\n  - sase-plugin-demo\n  - name: missing-package\n',
    'node_modules/sase-plugin-demo/package.json': '{"name":"sase-plugin-demo"}',
    'node_modules/sase-plugin-demo/xprompts/lint.md': '---\ndescription: Lint it\n---\nRun the linters.',
  });
  const env = homeEnv(join(root, 'h'));
  const cat = await loadCatalog({ cwd: root, env, builtinDir: join(root, 'none') });
  assert.equal(cat.get('lint')?.source, 'plugin');
  assert.equal(cat.get('lint')?.description, 'Lint it');
});

test("a top-level 'workflows:' key in sase.yml is ignored with a warning (SASE dropped it)", async (t) => {
  const root = tmpdir(t, { '.git/HEAD': 'x', 'sase.yml': 'workflows:\n  old: {steps: []}\n' });
  const env = homeEnv(join(root, 'h'));
  for (let i = 0; i < 2; i++) {
    const cat = await loadCatalog({ cwd: root, env, builtinDir: join(root, 'none') });
    assert.equal(cat.get('old'), undefined);
    assert.deepEqual(cat.issues().map((x) => [x.file, x.severity]), [[join(root, 'sase.yml'), 'warning']], `run ${i + 1} (cache ${i ? 'warm' : 'cold'})`);
  }
});
