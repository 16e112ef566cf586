/** Commit footers (spec/runtime.md §i) and the commit-msg hook that stamps them in real git commits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyFooter, parseFooter } from '../../lib/git/footer.js';
import { commitHookEnv } from '../../lib/beadwork/commit-hook.js';
import { routeModel } from '../../lib/beadwork/work.js';
import { git, gitRepo, tmpdir } from '../helpers/index.js';

test('applyFooter appends a terminal SASE_ block after one blank line', () => {
  assert.equal(applyFooter('feat: x\n\nbody text\n', { SASE_BEAD: 'sase-1.2', SASE_AGENT: 'sase-1.2', SASE_PLAN: 'sdd/epics/202611/x.md' }), 'feat: x\n\nbody text\n\nSASE_BEAD=sase-1.2\nSASE_AGENT=sase-1.2\nSASE_PLAN=sdd/epics/202611/x.md\n');
});

test('applyFooter replaces existing keys in place, canonicalises bare legacy keys and skips empty values', () => {
  const msg = 'fix: y\n\nAGENT=old\nSASE_TYPE=stitch\n';
  assert.equal(applyFooter(msg, { SASE_AGENT: 'new', SASE_BEAD: '', SASE_PLAN: undefined }), 'fix: y\n\nSASE_AGENT=new\nSASE_TYPE=stitch\n');
});

test('applyFooter keeps a reference-definition block last', () => {
  const msg = 'feat: z\n\nSASE_BEAD=[sase-bg.1][1]\n\n[1]: https://example.com/pages/sase-bg/sase-bg.1.md\n';
  const out = applyFooter(msg, { SASE_AGENT: 'a1' });
  assert.equal(out, 'feat: z\n\nSASE_BEAD=[sase-bg.1][1]\nSASE_AGENT=a1\n\n[1]: https://example.com/pages/sase-bg/sase-bg.1.md\n');
  assert.deepEqual(parseFooter(out).tags, [['SASE_BEAD', '[sase-bg.1][1]'], ['SASE_AGENT', 'a1']]);
});

test('a KEY=VALUE line inside the body is not a footer unless it ends the message after a blank line', () => {
  assert.deepEqual(parseFooter('subject\nFOO=bar\n').tags, []);
  assert.deepEqual(parseFooter('subject\n\nSASE_BEAD=x\n').tags, [['SASE_BEAD', 'x']]);
});

test('applyFooter rejects keys outside the tag grammar and multi-line values', () => {
  assert.throws(() => applyFooter('s', { bad_key: 'x' }));
  assert.throws(() => applyFooter('s', { SASE_BEAD: 'a\nb' }));
});

test('applyFooter is idempotent and parse(apply(m)) returns the tags (property)', () => {
  const key = fc.constantFrom('SASE_BEAD', 'SASE_AGENT', 'SASE_PLAN', 'SASE_TYPE');
  const val = fc.stringMatching(/^[a-z0-9./_-]{1,12}$/);
  const subject = fc.stringMatching(/^[a-z][a-z :]{0,20}$/);
  fc.assert(
    fc.property(subject, fc.dictionary(key, val), (s, tags) => {
      const once = applyFooter(s, tags);
      assert.equal(applyFooter(once, tags), once);
      assert.deepEqual(Object.fromEntries(parseFooter(once).tags), { ...tags });
    }),
  );
});

test('the commit-msg hook stamps SASE_BEAD/SASE_AGENT/SASE_PLAN into a real git commit made with the run env', async (t) => {
  const repo = gitRepo(t);
  const home = tmpdir(t);
  const hookEnv = await commitHookEnv({ SASE_HOME: join(home, '.sase') }, process.execPath);
  assert.ok(existsSync(join(home, '.sase', 'git-hooks', 'commit-msg')));
  git(repo, ['commit', '-q', '--allow-empty', '-m', 'feat: phase work'], { ...hookEnv, SASE_BEAD_ID: 'sase-3.1', SASE_AGENT_NAME: 'sase-3.1', SASE_PLAN: 'sdd/epics/202611/p.md' });
  assert.equal(git(repo, ['log', '-1', '--format=%B']), 'feat: phase work\n\nSASE_BEAD=sase-3.1\nSASE_AGENT=sase-3.1\nSASE_PLAN=sdd/epics/202611/p.md');
  // Without run variables the hook leaves the message alone.
  git(repo, ['commit', '-q', '--allow-empty', '-m', 'chore: plain'], hookEnv);
  assert.equal(git(repo, ['log', '-1', '--format=%B']), 'chore: plain');
});

test('commitHookEnv appends to an existing GIT_CONFIG_COUNT instead of replacing it', async (t) => {
  const home = tmpdir(t);
  const e = await commitHookEnv({ SASE_HOME: home, GIT_CONFIG_COUNT: '2' }, process.execPath);
  assert.equal(e.GIT_CONFIG_COUNT, '3');
  assert.equal(e.GIT_CONFIG_KEY_2, 'core.hooksPath');
});

test('phase size routes the model: phase model, then size route (config, env), then the epic model', () => {
  const config = { bead_work: { size_models: { large: 'claude/opus', small: 'claude/haiku' } } };
  assert.equal(routeModel({ model: 'codex/gpt-5', size: 'large' }, { model: 'x' }, config, {}), 'codex/gpt-5');
  assert.equal(routeModel({ model: '', size: 'large' }, { model: 'x' }, config, {}), 'claude/opus');
  assert.equal(routeModel({ model: '', size: null }, null, config, {}), 'claude/haiku', 'no size counts as small');
  assert.equal(routeModel({ model: '', size: 'medium' }, null, config, { SASE_BEAD_WORK_MODEL_MEDIUM: 'claude/sonnet' }), 'claude/sonnet');
  assert.equal(routeModel({ model: '', size: 'xlarge' }, { model: 'epic/model' }, config, {}), 'epic/model');
  assert.equal(routeModel({ model: '', size: 'xlarge' }, { model: '' }, {}, {}), null);
});
