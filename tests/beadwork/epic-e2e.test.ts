/**
 * End-to-end bead work with fakey (no model): a planner run proposes a diamond epic, approval creates the beads and
 * runs the phases in dependency order in their own checkouts, each phase bead closes, the land run closes the epic;
 * beads, plan, prompt snapshots and agent records link to each other. Then the failure path and resume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { git } from '../helpers/index.js';
import { diamondPlan, makeWorld, PHASE_SCRIPT, readJson, sase, saseJson, scenario, waitFor, type World } from './helpers.js';

function phaseScenario(w: World, name: string, reply: string, guard = ''): string {
  return scenario(w, name, `version: 1\nreply: ${JSON.stringify(reply)}\nsteps:\n  - run: ${JSON.stringify(guard + PHASE_SCRIPT)}\n`);
}

function landScenario(w: World): string {
  return scenario(w, 'land', `version: 1\nreply: landed\nsteps:\n  - run: ${JSON.stringify('git pull -q --no-rebase --no-edit origin main && test -f phase-a.txt && test -f phase-b.txt && test -f phase-c.txt && test -f phase-d.txt')}\n`);
}

function routeSizes(w: World, small: string, medium: string): void {
  writeFileSync(join(w.primary, 'sase.yml'), `bead_work:\n  size_models:\n    small: fakey/${small}\n    medium: fakey/${medium}\n`);
}

async function bead(w: World, id: string): Promise<any> {
  return (await saseJson(w, ['bead', 'show', id])).bead;
}

async function agentsByName(w: World): Promise<Map<string, any[]>> {
  const data = await saseJson(w, ['agent', 'list', '--all']);
  const m = new Map<string, any[]>();
  for (const a of data.agents) m.set(a.name, [...(m.get(a.name) ?? []), a]);
  return m;
}

function startedAt(recordDir: string): number {
  const ev = readFileSync(join(recordDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return Date.parse(ev.find((e: any) => e.event === 'runner_started').ts);
}

function finishedAt(recordDir: string): number {
  return readJson(join(recordDir, 'done.json')).finished_at * 1000;
}

test('a planner run proposes a diamond epic; approval runs the phases in dependency order, closes every bead and links everything', { timeout: 240_000 }, async (t) => {
  const w = makeWorld(t);
  const small = phaseScenario(w, 'phase-small', 'small phase done');
  const medium = phaseScenario(w, 'phase-medium', 'medium phase done');
  routeSizes(w, small, medium);
  const land = landScenario(w);
  const plan = diamondPlan().replace('goal: ', `model: fakey/${land}\ngoal: `);
  const planner = scenario(
    w,
    'planner',
    `version: 1\nreply: plan proposed\nsteps:\n  - write: {path: diamond_epic.md, content: ${JSON.stringify(plan)}}\n  - run: "sase plan propose diamond_epic.md"\n`,
  );
  const launched = await saseJson(w, ['run', `%name:planner %m:fakey/${planner} #cd:${w.primary} Plan a diamond-shaped epic.`]);
  const plannerDir = launched.agents[0].record_dir;

  // The planner shows PLAN in `sase agent list` until the plan is answered.
  await waitFor(async () => (await agentsByName(w)).get('planner')?.[0]?.status === 'PLAN', 60_000, 'planner in PLAN');
  const pending = (await saseJson(w, ['plan', 'list'])).plans ?? (await saseJson(w, ['plan', 'list']));
  assert.ok(JSON.stringify(pending).includes('diamond_epic'));

  const ans = await saseJson(w, ['plan', 'approve', '--kind', 'epic']);
  assert.equal(ans.agent_status, 'EPIC APPROVED');
  assert.equal(ans.actions.error, null, JSON.stringify(ans.actions));
  assert.equal(ans.actions.run_status, 'EPIC APPROVED');
  const work = ans.actions.bead_work;
  const epic: string = work.epic;
  assert.ok(work.created);
  assert.deepEqual(work.schedule.waves.map((x: string[]) => x.length), [1, 2, 1]);
  const ids = new Map<string, string>(work.runs.filter((r: any) => r.role === 'phase').map((r: any) => [readJson(join(r.record_dir, 'run_env.json')).SASE_PHASE_ID, r.bead]));
  assert.deepEqual([...ids.keys()].sort(), ['a', 'b', 'c', 'd']);

  // Everything lands.
  await waitFor(async () => (await bead(w, epic)).status === 'closed', 180_000, `epic ${epic} closed`);
  const byName = await agentsByName(w);
  assert.equal(byName.get('planner')![0].status, 'EPIC APPROVED');
  for (const [key, id] of ids) {
    const b = await bead(w, id);
    assert.equal(b.status, 'closed', `${key} closed`);
    assert.equal(b.issue_type, 'phase');
    assert.equal(b.parent_id, epic);
    const runs = byName.get(id)!;
    assert.equal(runs.length, 1, `one run for phase ${key}`);
    assert.equal(runs[0].status, 'DONE');
    // bead ↔ agent: the bead references the run, the run's env names the bead, the close reason names the run.
    assert.ok(b.refs.includes(`agent:${runs[0].id}`));
    assert.match(b.close_reason, new RegExp(runs[0].id));
    const re = readJson(join(runs[0].record_dir, 'run_env.json'));
    assert.equal(re.SASE_BEAD_ID, id);
    assert.equal(re.SASE_EPIC_BEAD_ID, epic);
    // Each phase ran in its own numbered checkout, not in the primary.
    const ws = readJson(join(runs[0].record_dir, 'workspace.json'));
    assert.notEqual(resolve(ws.dir), resolve(w.primary));
    assert.ok(ws.num >= 10);
  }
  const dirs = [...ids.values()].map((id) => readJson(join(byName.get(id)![0].record_dir, 'workspace.json')).dir);
  assert.equal(new Set(dirs).size >= 2, true, 'parallel phases used different checkouts');
  // Size routing: b is medium, the others small.
  const reply = (id: string): string => readFileSync(join(byName.get(id)![0].record_dir, 'reply.md'), 'utf8');
  assert.match(reply(ids.get('b')!), /medium phase done/);
  assert.match(reply(ids.get('a')!), /small phase done/);

  // Dependency order: a before b and c; d after both; land after d.
  const rec = (key: string): string => byName.get(ids.get(key)!)![0].record_dir;
  for (const [before, after] of [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']] as const) {
    assert.ok(finishedAt(rec(before)) <= startedAt(rec(after)), `${before} finished before ${after} started`);
  }
  const seenByD = git(w.bare, ['show', 'main:seen-d.txt']);
  for (const k of ['a', 'b', 'c']) assert.match(seenByD, new RegExp(`phase-${k}\\.txt`));
  assert.doesNotMatch(git(w.bare, ['show', 'main:seen-a.txt']), /phase-/);
  const landRun = byName.get(`${epic}.land`)![0];
  assert.equal(landRun.status, 'DONE');
  assert.ok(startedAt(landRun.record_dir) >= finishedAt(rec('d')));
  const e = await bead(w, epic);
  assert.match(e.close_reason, /landed by/);
  assert.ok(e.refs.includes(`agent:${landRun.id}`));

  // Plan ↔ beads ↔ prompt snapshot.
  const archived: string = ans.archived_plan;
  const planText = readFileSync(archived, 'utf8');
  assert.match(planText, new RegExp(`^bead_id: ${epic.replace('.', '\\.')}$`, 'm'));
  assert.match(planText, /^tier: epic$/m);
  assert.equal(e.design, archived.slice(w.primary.length + 1));
  const promptRel = /^prompt: (.+)$/m.exec(planText)![1]!;
  const snapshot = join(w.primary, 'sdd', promptRel);
  assert.ok(existsSync(snapshot), `prompt snapshot ${snapshot}`);
  assert.match(readFileSync(snapshot, 'utf8'), new RegExp(`plan: ${archived.slice(join(w.primary, 'sdd').length + 1)}`));
  assert.match(readFileSync(snapshot, 'utf8'), /agent: planner/);
  assert.equal(readJson(join(plannerDir, 'plan_status.json')).agent_status, 'EPIC APPROVED');

  // The approved graph was checkpointed in git: store + plan with its bead_id, SASE_TYPE=beads footer.
  assert.equal(work.checkpoint.committed, true, JSON.stringify(work.checkpoint));
  assert.equal(git(w.primary, ['log', '-1', '--format=%B', work.checkpoint.sha]), `chore(beads): checkpoint approved epic graph ${epic}\n\nSASE_TYPE=beads`);
  assert.match(git(w.primary, ['show', `${work.checkpoint.sha}:${e.design}`]), new RegExp(`^bead_id: ${epic}$`, 'm'));

  // The finish hooks' closes are committed too: one `chore(beads): close <ids>` commit per close, store files only.
  const subjects = (): Array<[string, string]> => git(w.primary, ['log', '--format=%H%x09%s']).split('\n').map((l) => l.split('\t') as [string, string]);
  await waitFor(async () => subjects().some(([, s]) => s === `chore(beads): close ${epic}`), 30_000, 'the epic close committed');
  for (const id of [...ids.values(), epic]) {
    const found = subjects().find(([, s]) => s === `chore(beads): close ${id}`);
    assert.ok(found, `close of ${id} committed`);
    assert.match(git(w.primary, ['log', '-1', '--format=%B', found[0]]), /\n\nSASE_TYPE=beads$/);
    const files = git(w.primary, ['show', '--name-only', '--format=', found[0]]).split('\n').filter(Boolean);
    assert.ok(files.length > 0 && files.every((f) => f.startsWith('sdd/beads/')), `only store files: ${files.join(', ')}`);
  }

  // Commits made by phase runs carry the footer block.
  const log = git(w.bare, ['log', '--format=%B%x00', 'main']).split('\0');
  for (const [key, id] of ids) {
    const msg = log.find((m) => m.includes(`phase ${key}\n`))!;
    assert.ok(msg, `commit of phase ${key}`);
    assert.match(msg, new RegExp(`\\n\\nSASE_BEAD=${id.replace('.', '\\.')}\\nSASE_AGENT=${id.replace('.', '\\.')}\\nSASE_PLAN=${archived.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  }
});

test('a failing phase parks its dependents and leaves the epic open; bead work on the epic resumes only what is left', { timeout: 240_000 }, async (t) => {
  const w = makeWorld(t);
  const marker = join(w.home, 'allow-c');
  const small = phaseScenario(w, 'phase-small', 'small phase done');
  const flaky = phaseScenario(w, 'phase-c', 'c done', `test -f ${JSON.stringify(marker).slice(1, -1)} && `);
  routeSizes(w, small, small);
  const land = landScenario(w);
  const plan = diamondPlan({ phaseModels: { c: `fakey/${flaky}` } }).replace('goal: ', `model: fakey/${land}\ngoal: `);
  writeFileSync(join(w.primary, 'diamond_epic.md'), plan);
  await saseJson(w, ['plan', 'propose', 'diamond_epic.md']);
  const ans = await saseJson(w, ['plan', 'approve', '--kind', 'epic']);
  const work = ans.actions.bead_work;
  const epic: string = work.epic;
  const ids = new Map<string, string>(work.runs.filter((r: any) => r.role === 'phase').map((r: any) => [readJson(join(r.record_dir, 'run_env.json')).SASE_PHASE_ID, r.bead]));

  // c fails; a and b close; d and the land run stay parked; nothing else closes.
  await waitFor(async () => (await agentsByName(w)).get(ids.get('c')!)?.[0]?.status === 'FAILED', 120_000, 'phase c FAILED');
  await waitFor(async () => (await bead(w, ids.get('b')!)).status === 'closed', 120_000, 'phase b closed');
  await new Promise((r) => setTimeout(r, 1500));
  let byName = await agentsByName(w);
  assert.equal(byName.get(ids.get('d')!)![0].status, 'WAITING');
  assert.equal(byName.get(`${epic}.land`)![0].status, 'WAITING');
  const c = await bead(w, ids.get('c')!);
  assert.equal(c.status, 'in_progress');
  assert.match(c.notes, /FAILED/);
  await waitFor(async () => git(w.primary, ['log', '--format=%s']).split('\n').includes(`chore(beads): note ${ids.get('c')!}`), 30_000, 'the failure note committed');
  assert.equal((await bead(w, ids.get('d')!)).status, 'in_progress');
  assert.notEqual((await bead(w, epic)).status, 'closed');
  const showD = await saseJson(w, ['bead', 'show', ids.get('d')!]);
  assert.equal(showD.blocked, true);
  assert.equal(git(w.bare, ['log', '--format=%s', 'main']).includes('phase d'), false);

  // Fix the cause and resume: only c is relaunched; d and land are kept (still parked), a and b are done.
  writeFileSync(marker, '');
  const again = await saseJson(w, ['bead', 'work', epic]);
  assert.equal(again.created, false);
  const act = new Map<string, string>(again.runs.map((r: any) => [r.agent, r.action]));
  assert.equal(act.get(ids.get('c')!), 'launched');
  assert.equal(act.get(ids.get('d')!), 'kept');
  assert.equal(act.get(`${epic}.land`), 'kept');
  assert.equal(act.has(ids.get('a')!), false);
  assert.equal(act.has(ids.get('b')!), false);

  await waitFor(async () => (await bead(w, epic)).status === 'closed', 180_000, `epic ${epic} closed`);
  byName = await agentsByName(w);
  assert.equal(byName.get(ids.get('a')!)!.length, 1);
  assert.equal(byName.get(ids.get('c')!)!.length, 2);
  assert.equal(byName.get(ids.get('d')!)!.length, 1);
  for (const id of ids.values()) assert.equal((await bead(w, id)).status, 'closed');

  // A third run on the closed epic launches nothing.
  const third = await saseJson(w, ['bead', 'work', epic]);
  assert.equal(third.runs.length, 0);
});
