/**
 * Acting on plan answers and questions with real runs (fakey): statuses of the proposing run (PLAN, TALE APPROVED,
 * EPIC APPROVED, PLAN REJECTED, QUESTION), the coder follow-up of a tale, the relaunched planner after a rejection
 * with feedback, `%auto:epic`, `bead work <task>` and the schedule errors of `bead work`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/index.js';
import { diamondPlan, makeWorld, readJson, sase, saseJson, scenario, waitFor, type World } from './helpers.js';

const TALE = ['---', 'tier: tale', 'title: Small tale', 'goal: Add a greeting file.', 'size: small', '---', '# Plan: Small tale', '', 'Add hello.txt.', ''].join('\n');

async function statusOf(w: World, name: string): Promise<string | undefined> {
  const agents = (await saseJson(w, ['agent', 'list', '--all'])).agents as any[];
  return agents.filter((a) => a.name === name).at(-1)?.status;
}

async function runsNamed(w: World, pattern: RegExp): Promise<any[]> {
  return ((await saseJson(w, ['agent', 'list', '--all'])).agents as any[]).filter((a) => pattern.test(a.name));
}

test('a waiting planner shows PLAN, then TALE APPROVED; the coder follow-up runs with SASE_PLAN and its commit carries the footer', { timeout: 180_000 }, async (t) => {
  const w = makeWorld(t);
  const coder = scenario(w, 'coder', `version: 1\nreply: coded\nsteps:\n  - write: {path: hello.txt, content: "hello\\n"}\n  - run: "git add hello.txt && git commit -qm 'feat: hello'"\n`);
  const planner = scenario(w, 'planner', `version: 1\nreply: planned\nsteps:\n  - write: {path: small_tale.md, content: ${JSON.stringify(TALE)}}\n  - run: "sase plan propose small_tale.md --wait --timeout 120"\n`);
  await saseJson(w, ['run', `%name:tplan--plan %m:fakey/${planner} #cd:${w.primary} Plan a tiny tale.`]);
  await waitFor(async () => (await statusOf(w, 'tplan--plan')) === 'PLAN', 60_000, 'PLAN');
  const ans = await saseJson(w, ['plan', 'approve', '--kind', 'tale', '-m', `fakey/${coder}`]);
  assert.equal(ans.agent_status, 'TALE APPROVED');
  assert.equal(ans.actions.error, null);
  assert.equal(ans.actions.launched[0].name, 'tplan--code');
  // The planner saw the answer and finished: TALE DONE (SASE's Done-bucket form of TALE APPROVED).
  await waitFor(async () => (await statusOf(w, 'tplan--plan')) === 'TALE DONE', 60_000, 'planner TALE DONE');
  await waitFor(async () => (await statusOf(w, 'tplan--code')) === 'DONE', 60_000, 'coder DONE');
  const coderDir = ans.actions.launched[0].record_dir;
  assert.equal(readJson(join(coderDir, 'run_env.json')).SASE_PLAN, ans.archived_plan);
  assert.match(readFileSync(join(coderDir, 'expanded_prompt.md'), 'utf8'), new RegExp(`Implement the approved plan in ${ans.archived_plan}`));
  const msg = git(w.primary, ['log', '-1', '--format=%B']);
  assert.equal(msg, `feat: hello\n\nSASE_AGENT=tplan--code\nSASE_PLAN=${ans.archived_plan}`);
});

test('rejecting with feedback marks the planner PLAN REJECTED and relaunches it with the feedback', { timeout: 180_000 }, async (t) => {
  const w = makeWorld(t);
  const planner = scenario(w, 'planner', `version: 1\nreply: planned\nsteps:\n  - write: {path: small_tale.md, content: ${JSON.stringify(TALE)}}\n  - run: "sase plan propose small_tale.md"\n`);
  const first = await saseJson(w, ['run', `%name:rplan %m:fakey/${planner} #cd:${w.primary} Plan a tiny tale.`]);
  await waitFor(async () => (await statusOf(w, 'rplan')) === 'PLAN' && existsSync(join(first.agents[0].record_dir, 'done.json')), 60_000, 'PLAN after finish');
  const ans = await saseJson(w, ['plan', 'reject', '--feedback', 'Use a YAML file instead.']);
  assert.equal(ans.agent_status, 'PLAN REJECTED');
  assert.equal(ans.actions.run_status, 'PLAN REJECTED');
  const again = ans.actions.launched[0];
  const prompt = readFileSync(join(again.record_dir, 'expanded_prompt.md'), 'utf8');
  assert.match(prompt, /Plan a tiny tale\./);
  assert.match(prompt, /Use a YAML file instead\./);
  assert.equal(readJson(join(again.record_dir, 'agent.json')).workspace_ref, `#cd:${w.primary}`);
  // The relaunched planner proposes again: a second version of the same plan, PLAN again.
  await waitFor(async () => (await saseJson(w, ['plan', 'list'])).plans?.some?.((p: any) => p.status === 'proposed') || JSON.stringify(await saseJson(w, ['plan', 'list'])).includes('"version":2'), 60_000, 'second proposal');
  assert.equal(await statusOf(w, 'rplan'), 'PLAN REJECTED');
});

test('%auto:epic approves without a person and starts bead work; the planner ends EPIC APPROVED', { timeout: 180_000 }, async (t) => {
  const w = makeWorld(t);
  const ok = scenario(w, 'ok', 'version: 1\nreply: phase ok\n');
  writeFileSync(join(w.primary, 'sase.yml'), `bead_work:\n  size_models:\n    small: fakey/${ok}\n    medium: fakey/${ok}\n`);
  const plan = diamondPlan().replace('goal: ', `model: fakey/${ok}\ngoal: `);
  const planner = scenario(w, 'planner', `version: 1\nreply: planned\nsteps:\n  - write: {path: auto_epic.md, content: ${JSON.stringify(plan)}}\n  - run: "sase plan propose auto_epic.md"\n`);
  await saseJson(w, ['run', `%auto:epic %name:aplan %m:fakey/${planner} #cd:${w.primary} Plan an epic.`]);
  await waitFor(async () => (await statusOf(w, 'aplan')) === 'EPIC APPROVED', 60_000, 'EPIC APPROVED');
  let last: any[] = [];
  const epicRuns = await waitFor(async () => {
    const r = (last = await runsNamed(w, /^sase-1\./));
    return r.length === 5 && r.every((a) => a.status === 'DONE') ? r : null;
  }, 150_000, 'four phases and the land run DONE').catch((e) => {
    throw new Error(`${(e as Error).message}: ${JSON.stringify(last.map((a) => [a.name, a.status, readJson(join(a.record_dir, 'done.json'))?.error ?? null]))}`);
  });
  assert.equal(epicRuns!.length, 5);
  await waitFor(async () => (await saseJson(w, ['bead', 'show', 'sase-1'])).bead.status === 'closed', 60_000, 'epic closed');
  assert.equal((await saseJson(w, ['plan', 'list', '--all'])).plans?.[0]?.response?.responder ?? 'auto', 'auto');
});

test('a run that asks a question shows QUESTION until it is answered, then continues', { timeout: 120_000 }, async (t) => {
  const w = makeWorld(t);
  const asker = scenario(w, 'asker', `version: 1\nreply: asked\nsteps:\n  - run: "sase question ask 'Which color?' -o red -o blue --wait --timeout 100 > answer.txt"\n`);
  const r = await saseJson(w, ['run', `%name:asker %m:fakey/${asker} #cd:${w.primary} Ask something.`]);
  await waitFor(async () => (await statusOf(w, 'asker')) === 'QUESTION', 60_000, 'QUESTION');
  const q = await saseJson(w, ['question', 'list']);
  const id = (q.questions ?? q)[0].id;
  await saseJson(w, ['question', 'answer', id, 'blue']);
  await waitFor(async () => (await statusOf(w, 'asker')) === 'DONE', 60_000, 'DONE after the answer');
  assert.match(readFileSync(join(w.primary, 'answer.txt'), 'utf8'), /blue/);
  assert.ok(existsSync(join(r.agents[0].record_dir, 'done.json')));
});

test('bead work on a task claims it (in_progress, assignee) and its successful run closes it', { timeout: 120_000 }, async (t) => {
  const w = makeWorld(t);
  const ok = scenario(w, 'ok', 'version: 1\nreply: task ok\n');
  await saseJson(w, ['bead', 'init']);
  const task = (await saseJson(w, ['bead', 'create', 'Fix the thing', '--type', 'task', '--model', `fakey/${ok}`])).ids[0];
  const work = await saseJson(w, ['bead', 'work', task, '--workspace', `#cd:${w.primary}`]);
  assert.equal(work.kind, 'task');
  assert.equal(work.runs[0].agent, task);
  const b = (await saseJson(w, ['bead', 'show', task])).bead;
  assert.ok(b.status === 'in_progress' || b.status === 'closed');
  assert.equal(b.assignee, task);
  await waitFor(async () => (await saseJson(w, ['bead', 'show', task])).bead.status === 'closed', 60_000, 'task closed');
  const again = await sase(w, ['bead', 'work', task, '--json']);
  assert.equal(again.code, 4, 'a closed task is a conflict');
});

test('bead work refuses a cross-epic blocker and a cycle before launching anything; --dry-run writes nothing', { timeout: 120_000 }, async (t) => {
  const w = makeWorld(t);
  writeFileSync(join(w.primary, 'epic.md'), diamondPlan());
  const dry = await saseJson(w, ['bead', 'work', 'epic.md', '--dry-run']);
  assert.deepEqual(dry.runs.map((r: any) => r.action), ['planned', 'planned', 'planned', 'planned', 'planned']);
  assert.equal((await saseJson(w, ['agent', 'list', '--all'])).agents.length, 0, 'dry run launched nothing');
  const epic = dry.epic;
  const task = (await saseJson(w, ['bead', 'create', 'Outside', '--type', 'task'])).ids[0];
  await saseJson(w, ['bead', 'dep', 'add', `${epic}.1`, task]);
  const r = await sase(w, ['bead', 'work', epic, '--json']);
  assert.equal(r.code, 6);
  assert.deepEqual(r.json.error.data.issues.map((i: any) => i.code), ['cross_epic_blocker']);
  await saseJson(w, ['bead', 'dep', 'rm', `${epic}.1`, task]);
  await saseJson(w, ['bead', 'dep', 'add', `${epic}.1`, `${epic}.4`]);
  const c = await sase(w, ['bead', 'work', epic, '--json']);
  assert.equal(c.code, 6);
  assert.deepEqual(c.json.error.data.issues.map((i: any) => i.code), ['cycle']);
  assert.equal((await saseJson(w, ['agent', 'list', '--all'])).agents.length, 0);
  assert.equal((await saseJson(w, ['bead', 'show', `${epic}.1`])).bead.status, 'open', 'no preclaim was written');
  assert.match(readFileSync(join(w.primary, 'epic.md'), 'utf8'), new RegExp(`^bead_id: ${epic}$`, 'm'));
});
