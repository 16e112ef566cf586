import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO_ROOT, tmpdir } from '../helpers/index.js';
import { isolatedEnv, sase } from './helpers.js';

const NODE_BIN = join(REPO_ROOT, 'node_modules', '.bin');

test('doctor reports installed provider CLIs with their versions and where state lives', { timeout: 90_000 }, async (t) => {
  const env = isolatedEnv(t, { PATH: `${NODE_BIN}${delimiter}${process.env.PATH ?? ''}` });
  const r = await sase(['doctor', '--json'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const byName = new Map(r.json.data.providers.map((p: any) => [p.name, p]));
  const fakey: any = byName.get('fakey');
  assert.equal(fakey.installed, true);
  assert.match(fakey.version, /fakey/);
  if (existsSync(join(NODE_BIN, 'claude'))) {
    const claude: any = byName.get('claude');
    assert.equal(claude.installed, true);
    assert.equal(claude.path, join(NODE_BIN, 'claude'));
    assert.match(claude.version ?? '', /\d+\.\d+/);
  }
  assert.equal(r.json.data.state.sase_home, env.SASE_HOME);
  assert.equal(r.json.data.state.agents, join(env.SASE_HOME!, 'agents'));
  assert.equal(r.json.data.problems, 0);
});

test('doctor flags an unparseable sase.yml and a default provider that is not installed', async (t) => {
  const env = isolatedEnv(t, { PATH: '/usr/bin:/bin' });
  const dir = tmpdir(t);
  writeFileSync(join(dir, 'bad.yml'), 'llm_provider: [unclosed\n');
  const bad = await sase(['doctor', '--no-versions', '--json'], { ...env, SASE_CONFIG: join(dir, 'bad.yml') });
  assert.equal(bad.code, 1);
  const cfg = bad.json.data.checks.find((c: any) => c.check === 'config');
  assert.equal(cfg.ok, false);
  assert.match(cfg.detail, /bad\.yml/);
  writeFileSync(join(dir, 'claude.yml'), 'llm_provider:\n  provider: claude\n');
  const missing = await sase(['doctor', '--no-versions', '--json'], { ...env, SASE_CONFIG: join(dir, 'claude.yml') });
  assert.equal(missing.code, 1);
  const def = missing.json.data.checks.find((c: any) => c.check === 'default provider');
  assert.equal(def.ok, false);
  assert.match(def.hint, /SASE_CLAUDE_PATH/);
  const badPath = await sase(['doctor', '--no-versions', '--json'], { ...env, SASE_CODEX_PATH: join(dir, 'no-such-codex') });
  const pathCheck = badPath.json.data.checks.find((c: any) => c.check === 'codex binary');
  assert.equal(pathCheck.ok, false);
  assert.match(pathCheck.detail, /SASE_CODEX_PATH/);
  assert.equal(badPath.json.data.providers.find((p: any) => p.name === 'codex').installed, false);
  assert.equal(badPath.code, 1);
  const human = await sase(['doctor', '--no-versions'], { ...env, SASE_CONFIG: join(dir, 'claude.yml') });
  assert.match(human.stdout, /✗ default provider: claude is not installed/);
});
