/**
 * The approval flow driven by the REAL claude CLI (node_modules/.bin/claude) against the loopback Anthropic stub:
 * the stub scripts the planner's Write of the epic plan and its `sase plan propose` call through the Bash tool;
 * the run shows PLAN, approval starts bead work, the fakey phase runs land the epic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { textTurn, toolUseTurn } from '../providers/stubs/anthropic-stub.js';
import { claudeStubSetup, NODE_BIN } from '../providers/stubs/e2e.js';
import { diamondPlan, makeWorld, PHASE_SCRIPT, readJson, saseJson, scenario, waitFor } from './helpers.js';

test('a claude planner proposes an epic through its Bash tool; it shows PLAN, approval runs bead work to a closed epic', { skip: !existsSync(join(NODE_BIN, 'claude')) && 'claude not installed', timeout: 300_000 }, async (t) => {
  const w = makeWorld(t);
  const planPath = join(w.primary, 'claude_epic.md');
  const { stub, env: stubEnv } = await claudeStubSetup(t, [
    toolUseTurn('Write', { file_path: planPath, content: diamondPlan() }, { id: 'toolu_plan_write' }),
    toolUseTurn('Bash', { command: `sase plan propose ${planPath}`, description: 'Propose the plan' }, { id: 'toolu_plan_propose' }),
    textTurn('I proposed the epic plan; waiting for approval.'),
  ]);
  // claude's variables (API URL, key, IS_SANDBOX, CLAUDE_CONFIG_DIR, no telemetry); HOME/XDG stay the world's.
  for (const k of Object.keys(stubEnv)) if (/^(ANTHROPIC_|CLAUDE_|DISABLE_|IS_SANDBOX$|NO_PROXY$|HTTPS?_PROXY$)/.test(k) && stubEnv[k] !== undefined) w.env[k] = stubEnv[k]!;
  w.env.PATH = `${join(w.home, 'bin')}${delimiter}${stubEnv.PATH ?? ''}`;
  const small = scenario(w, 'phase', `version: 1\nreply: phase done\nsteps:\n  - run: ${JSON.stringify(PHASE_SCRIPT)}\n`);
  writeFileSync(join(w.primary, 'sase.yml'), `bead_work:\n  size_models:\n    small: fakey/${small}\n    medium: fakey/${small}\n`);

  const launched = await saseJson(w, ['run', '--timeout', '240s', `%name:cplanner %m:claude/sonnet #cd:${w.primary} Plan a diamond-shaped epic and propose it with sase plan propose.`]);
  const dir = launched.agents[0].record_dir;
  await waitFor(async () => (await saseJson(w, ['agent', 'list', '--all'])).agents.find((a: any) => a.name === 'cplanner')?.status === 'PLAN', 240_000, 'claude planner in PLAN');
  // Still PLAN after claude finished its session: the plan waits for an answer.
  await waitFor(() => existsSync(join(dir, 'done.json')), 120_000, 'claude planner finished');
  assert.equal((await saseJson(w, ['agent', 'list'])).agents.find((a: any) => a.name === 'cplanner')?.status, 'PLAN');

  // The propose call really went through claude's Bash tool, inside the run.
  const transcript = readFileSync(join(dir, 'transcript.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const call = transcript.find((e: any) => e.type === 'tool_call' && e.id === 'toolu_plan_propose');
  assert.equal(call?.name, 'Bash');
  const result = transcript.find((e: any) => e.type === 'tool_result' && e.id === 'toolu_plan_propose');
  assert.ok(result && !result.is_error, JSON.stringify(result));
  assert.ok(stub.requests.filter((q) => q.kind === 'main').length >= 3);
  const plans = await saseJson(w, ['plan', 'list']);
  assert.match(JSON.stringify(plans), /cplanner/);
  assert.match(readFileSync(planPath, 'utf8'), /^proposed_by: cplanner$/m);

  const ans = await saseJson(w, ['plan', 'approve', '--kind', 'epic']);
  assert.equal(ans.actions.error, null, JSON.stringify(ans.actions));
  const epic: string = ans.actions.bead_work.epic;
  await waitFor(async () => (await saseJson(w, ['bead', 'show', epic])).bead.status === 'closed', 200_000, `epic ${epic} closed`);
  const agents = (await saseJson(w, ['agent', 'list', '--all'])).agents;
  assert.equal(agents.find((a: any) => a.name === 'cplanner').status, 'EPIC APPROVED');
  const show = await saseJson(w, ['bead', 'show', epic]);
  assert.equal(show.children.length, 4);
  assert.ok(show.children.every((c: any) => c.status === 'closed'));
  assert.equal(readJson(join(dir, 'plan_status.json')).agent_status, 'EPIC APPROVED');
});
