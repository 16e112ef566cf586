/**
 * A run's prompt snapshot is written by lib/sdd (`writePromptSnapshot`): SASE's `create_time`, the tree's own layout
 * (spec/beads-sdd-changespecs.md §A.1), `_N` on collision, the run's metadata kept and the file left out of the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { gitRepo } from '../helpers/index.js';
import { isolatedEnv, recJson, recJsonl, sase } from '../runs/helpers.js';

test('a run in a Gen-2 SDD tree snapshots its prompt under plans/<month>/prompts with create_time and run metadata', { timeout: 180_000 }, async (t) => {
  const env = isolatedEnv(t, { SASE_NO_STANDBY_RUNNER: '1' });
  const repo = gitRepo(t, { 'README.md': '# repo\n', 'sdd/plans/202401/old_plan.md': '---\ntitle: Old\n---\nBody.\n' });
  const r = await sase(['run', '--wait', '--json', `#cd:${repo} %m:fakey/@demo %n:snap-me Tell me what this repository is.`], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const a = r.json.data.agents[0];
  const ev = recJsonl(a.record_dir, 'events.jsonl').find((e) => e.event === 'prompt_snapshot');
  assert.ok(ev, 'a prompt_snapshot event');
  const path: string = ev.detail.path;
  assert.match(path, /\/sdd\/plans\/\d{6}\/prompts\/snap_me\.md$/);
  assert.ok(!existsSync(join(repo, 'sdd', 'prompts')), 'no Gen-1 prompts/ directory in a Gen-2 tree');
  const text = readFileSync(path, 'utf8');
  assert.match(text, /^---\ncreate_time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
  const fm = YAML.parse(text.split('---\n')[1]!);
  assert.deepEqual(
    { agent: fm.agent, agent_id: fm.agent_id, model: fm.model, workspace_ref: fm.workspace_ref },
    { agent: 'snap-me', agent_id: a.id, model: 'fakey/@demo', workspace_ref: `#cd:${repo}` },
  );
  assert.equal(Date.parse(fm.created_at), Date.parse(recJson(a.record_dir, 'agent.json').created_at));
  assert.match(text, /\nTell me what this repository is\.\n$/);
  assert.deepEqual(recJson(a.record_dir, 'diff.json').files.map((f: any) => f.path), ['fakey-demo.md'], 'the snapshot is not part of the diff');

  const again = await sase(['run', '--wait', '--json', `#cd:${repo} %m:fakey/@demo %n:!snap-me Tell me again.`], env);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  const month = path.split('/').at(-3)!;
  assert.deepEqual(readdirSync(join(repo, 'sdd', 'plans', month, 'prompts')).sort(), ['snap_me.md', 'snap_me_1.md']);
});
