/**
 * Top-level Jinja through the real `sase` binary and fakey (spec/xprompts.md §4.4): plan-time rendering, runtime
 * names rendered by the runner in the prompt the provider receives, and a plan-time refusal for undefined names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from '../helpers/index.js';
import { isolatedEnv, sase } from './helpers.js';

/** Prompts fakey received (its `invocation-<n>.json` records in the run's artifacts dir). */
function receivedPrompts(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^invocation-\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).prompt as string);
}

test('sase run renders an expression at plan time and a runtime name in the prompt fakey receives', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const r = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@ok %n:jinjy What is {{ 1 + 2 }}? I am {{ cl_name }} in ws {{ workspace_num }}.`], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const dir = r.json.data.agents[0].record_dir;
  assert.equal(readFileSync(join(dir, 'expanded_prompt.md'), 'utf8').trim(), 'What is 3? I am {{ cl_name }} in ws {{ workspace_num }}.');
  const prompts = receivedPrompts(dir);
  assert.ok(prompts.length >= 1, 'fakey recorded its invocation');
  assert.equal(prompts[0]!.trim(), 'What is 3? I am jinjy in ws 0.');
});

test('a fenced Jinja block reaches the agent literally', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const r = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@ok %n:fence Look {{ 2 * 2 }}\n\`\`\`\n{{ x }}\n\`\`\`\n`], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const prompts = receivedPrompts(r.json.data.agents[0].record_dir);
  assert.match(prompts[0]!, /Look 4\n```\n\{\{ x \}\}\n```/);
});

test('an undefined name is refused before launching: exit 6, the SASE message, no record', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const r = await sase(['run', '--json', `#cd:${ws} %m:fakey/@ok %n:bad Hello {{ nope }}`], env);
  assert.equal(r.code, 6, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /Jinja2 template error in prompt: 'nope' is undefined/);
  const agents = join(env.SASE_HOME!, 'agents');
  const ids = existsSync(agents) ? readdirSync(agents).filter((f) => /^\d{6}/.test(f)) : [];
  assert.deepEqual(ids, []);
});

test('a block testing wait_chats waits for the runner: dropped for a run that waits on nothing, kept for one that waits', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const block = '{% if wait_chats %}Read {{ wait_chats | length }} chat(s) first. {% endif %}Then summarize.';
  const first = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@ok %n:solo ${block}`], env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const soloDir = first.json.data.agents[0].record_dir;
  assert.equal(readFileSync(join(soloDir, 'expanded_prompt.md'), 'utf8').trim(), block, 'kept as written at plan time');
  assert.equal(receivedPrompts(soloDir)[0]!.trim(), 'Then summarize.');
  const second = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@ok %n:after %w:solo ${block}`], env);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.equal(receivedPrompts(second.json.data.agents[0].record_dir)[0]!.trim(), 'Read 1 chat(s) first. Then summarize.');
});
