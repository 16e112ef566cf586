/**
 * Plan approval round trips through the real binary (spec/runtime.md §d.1/§d.2, beads-sdd-changespecs.md §A.5):
 * propose → list → show (version diff) → approve/reject, write-once conflicts, tale/epic archives, %auto, --wait.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cpSync } from 'node:fs';
import { corpusPath, gitRepo, hasCorpus, runBin } from '../helpers/index.js';
import { waitFor } from '../helpers/runs.js';
import { validateTree } from '../../lib/sdd/validate.js';

const TALE = '---\ntier: tale\ntitle: Add login\ngoal: Users can log in\nsize: small\n---\n# Plan\nDo it.\n';
const EPIC =
  '---\ntier: epic\ntitle: Big rewrite\ngoal: It is rewritten\nphases:\n  - id: core\n    title: Core\n    depends_on: []\n    size: small\n    description: Core.\n  - id: api\n    title: API\n    depends_on: [core]\n    size: medium\n    description: API.\n---\n# Plan\nPhases.\n';

function setup(t: Parameters<typeof gitRepo>[0], files: Record<string, string> = { 'plan.md': TALE }) {
  const dir = gitRepo(t, { 'README.md': '# r\n', ...files });
  const env: Record<string, string> = { HOME: dir, SASE_HOME: join(dir, '.sase-home'), XDG_STATE_HOME: join(dir, '.state'), SASE_SDD_DIR: '', SASE_PLAN_FOLLOW_UP: '0' };
  for (const k of ['SASE_AGENT_NAME', 'SASE_BEAD_ID', 'SASE_PHASE_BEAD_ID', 'SASE_EPIC_BEAD_ID', 'SASE_ARTIFACTS_DIR', 'SASE_AUTO_APPROVE_PLAN']) env[k] = '';
  const sase = (args: string[], extra: Record<string, string> = {}) => runBin('sase', [...args, '--json'], { cwd: dir, env: { ...env, ...extra } });
  return { dir, env, sase };
}

test('propose → list → approve as tale archives the plan with a cross-linked prompt snapshot; a second answer conflicts', async (t) => {
  const { dir, env, sase } = setup(t);
  const p = await sase(['plan', 'propose', 'plan.md']);
  assert.equal(p.code, 0, p.stderr);
  const id: string = p.json.data.id;
  const req = JSON.parse(readFileSync(join(env.SASE_HOME!, 'plan_approval', id, 'plan_request.json'), 'utf8'));
  assert.equal(req.plan_file, join(dir, 'plan.md'));
  assert.equal(req.session_id, id);
  assert.equal(typeof req.timestamp, 'number');
  assert.match(readFileSync(join(dir, 'plan.md'), 'utf8'), /^status: wip$/m, 'SASE adds status: wip');
  const list = await sase(['plan', 'list']);
  assert.deepEqual(list.json.data.plans.map((x: { id: string; status: string }) => [x.id, x.status]), [[id, 'proposed']]);

  const a = await sase(['plan', 'approve', id.slice(0, 5), '--kind', 'tale']);
  assert.equal(a.code, 0, a.stderr);
  const resp = JSON.parse(readFileSync(join(env.SASE_HOME!, 'plan_approval', id, 'plan_response.json'), 'utf8'));
  assert.equal(resp.action, 'approve');
  assert.equal(resp.commit_plan, true);
  assert.equal(resp.run_coder, true);
  assert.ok(existsSync(join(env.SASE_HOME!, 'plan_approval', id, 'plan_approved.marker')));
  const d = a.json.data;
  assert.match(d.archived_plan, /sdd\/tales\/\d{6}\/plan\.md$/);
  assert.equal(d.next.action, 'launch_coder');
  assert.equal(d.next.plan_file, d.archived_plan);
  assert.equal(d.agent_status, 'TALE APPROVED');
  assert.ok(existsSync(d.home_copy) && d.home_copy.startsWith(join(env.SASE_HOME!, 'plans')));
  const v = validateTree(join(dir, 'sdd'), { strict: true });
  assert.equal(v.errors, 0, JSON.stringify(v.diagnostics));
  assert.equal(v.links.length, 2);

  const again = await sase(['plan', 'approve', id]);
  assert.equal(again.code, 4);
  assert.equal(again.json.error.code, 'CONFLICT');
  const rej = await sase(['plan', 'reject', id, '--feedback', 'late']);
  assert.equal(rej.code, 4);
  const all = await sase(['plan', 'list', '--all']);
  assert.equal(all.json.data.plans[0].status, 'approved');
  assert.equal((await sase(['plan', 'list'])).json.data.plans.length, 0);
});

test('reject with feedback asks for a replanner; a new version of the same plan shows the diff against the old one', async (t) => {
  const { dir, sase } = setup(t);
  const v1 = (await sase(['plan', 'propose', 'plan.md'], { SASE_AGENT_NAME: 'zz--plan' })).json.data.id as string;
  const r = await sase(['plan', 'reject', v1, '--feedback', 'split the login form']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.data.next, { action: 'relaunch_planner', plan_file: join(dir, 'plan.md'), feedback: 'split the login form', agent_name: 'zz--plan', artifacts_dir: null });
  writeFileSync(join(dir, 'plan.md'), readFileSync(join(dir, 'plan.md'), 'utf8').replace('Do it.', 'Do it in two steps.'));
  const v2 = (await sase(['plan', 'propose', 'plan.md'])).json.data.id as string;
  const show = await sase(['plan', 'show', v2]);
  assert.equal(show.json.data.request.version, 2);
  assert.equal(show.json.data.diff.previous_id, v1);
  assert.match(show.json.data.diff.patch, /^-Do it\.$/m);
  assert.match(show.json.data.diff.patch, /^\+Do it in two steps\.$/m);
  const rejNoFeedback = await sase(['plan', 'reject']);
  assert.equal(rejNoFeedback.json.data.next.action, 'stop_planner');
  assert.equal(rejNoFeedback.json.data.id, v2, 'with no id the single pending plan is answered');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, '.sase-home', 'plan_approval', v2, 'plan_response.json'), 'utf8')), { action: 'reject', kind: 'reject', responder: 'user' });
});

test('propose inside a run stamps provenance; an invalid tier plan is refused with located diagnostics', async (t) => {
  const { dir, env, sase } = setup(t, { 'epic.md': EPIC, 'bad.md': TALE.replace('size: small', 'size: huge') });
  const art = join(dir, '.art');
  mkdirSync(art);
  const snap = join(dir, 'sdd', 'prompts', '202611', 'zz_plan.md');
  mkdirSync(join(dir, 'sdd', 'prompts', '202611'), { recursive: true });
  writeFileSync(snap, '---\nagent: zz--plan\n---\nPlan the rewrite.\n');
  writeFileSync(join(art, 'events.jsonl'), JSON.stringify({ ts: 'x', status: 'RUNNING', event: 'prompt_snapshot', detail: { path: snap } }) + '\n');
  const runEnv = { SASE_AGENT_NAME: 'zz--plan', SASE_BEAD_ID: 'sase-9.2', SASE_PHASE_BEAD_ID: 'sase-9.1', SASE_ARTIFACTS_DIR: art };
  const p = await sase(['plan', 'propose', 'epic.md'], runEnv);
  assert.equal(p.code, 0, p.stderr);
  const text = readFileSync(join(dir, 'epic.md'), 'utf8');
  assert.match(text, /^proposed_by: zz--plan$/m);
  assert.match(text, /^parent_bead: sase-9\.1$/m);
  assert.match(text, /^bead: sase-9\.2$/m);
  assert.equal(p.json.data.request.prompt_snapshot, snap);
  assert.deepEqual(JSON.parse(readFileSync(join(art, 'pending_plan.json'), 'utf8')).id, p.json.data.id, 'the run shows a pending plan');

  const a = await sase(['plan', 'approve']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.json.data.kind, 'epic', 'default kind is the plan tier');
  assert.ok(!existsSync(join(art, 'pending_plan.json')), 'answered plans are no longer pending in the run');
  assert.match(a.json.data.archived_plan, /sdd\/epics\/\d{6}\/epic\.md$/);
  assert.equal(a.json.data.archived_prompt, snap, "the run's snapshot is reused and cross-linked");
  assert.deepEqual(a.json.data.next.argv.slice(0, 3), ['sase', 'bead', 'work']);
  assert.equal(JSON.parse(readFileSync(join(env.SASE_HOME!, 'plan_approval', a.json.data.id, 'plan_response.json'), 'utf8')).action, 'epic');
  const v = validateTree(join(dir, 'sdd'), { strict: true });
  assert.equal(v.errors, 0, JSON.stringify(v.diagnostics));

  const bad = await sase(['plan', 'propose', 'bad.md']);
  assert.equal(bad.code, 6);
  assert.equal(bad.json.error.code, 'INVALID');
  assert.deepEqual(bad.json.error.data.diagnostics.map((d: { code: string; field_path: string; line: number }) => [d.code, d.field_path, d.line]), [['tale-size-invalid', 'size', 5]]);
});

test('%auto:epic approves at once without a person', async (t) => {
  const { dir, sase } = setup(t, { 'epic.md': EPIC });
  const p = await sase(['plan', 'propose', 'epic.md'], { SASE_AUTO_APPROVE_PLAN: 'epic' });
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.json.data.auto.kind, 'epic');
  assert.equal(p.json.data.auto.response.responder, 'auto');
  assert.equal(p.json.data.auto.next.action, 'bead_work');
  assert.equal(readdirSync(join(dir, 'sdd', 'epics')).length, 1);
});

test('propose --wait returns the answer written by a concurrent approver process and consumes the request', async (t) => {
  const { env, sase } = setup(t);
  const waiting = sase(['plan', 'propose', 'plan.md', '--wait', '--timeout', '60']);
  const root = join(env.SASE_HOME!, 'plan_approval');
  const id = await waitFor(() => (existsSync(root) ? (readdirSync(root).find((d) => existsSync(join(root, d, 'plan_request.json'))) ?? '') : ''), 60_000, 'the request');
  assert.ok(id, 'request appeared');
  const a = await sase(['plan', 'approve', id, '--kind', 'approve', '-m', 'claude/opus']);
  assert.equal(a.code, 0, a.stderr);
  const w = await waiting;
  assert.equal(w.code, 0, w.stderr);
  assert.equal(w.json.data.response.action, 'approve');
  assert.equal(w.json.data.response.coder_model, 'claude/opus');
  assert.ok(!existsSync(join(root, id, 'plan_request.json')), 'the poller deletes the request');
  const timeout = await sase(['plan', 'propose', 'plan.md', '--wait', '--timeout', '0.2']);
  assert.equal(timeout.code, 8);
});

test('two concurrent approvers: exactly one wins, the other gets CONFLICT', async (t) => {
  const { env, sase } = setup(t);
  const id = (await sase(['plan', 'propose', 'plan.md'])).json.data.id as string;
  const [a, b] = await Promise.all([sase(['plan', 'approve', id, '--kind', 'approve']), sase(['plan', 'reject', id, '-f', 'no'])]);
  assert.deepEqual([a.code, b.code].sort(), [0, 4]);
  const winner = a.code === 0 ? 'approve' : 'reject';
  assert.equal(JSON.parse(readFileSync(join(env.SASE_HOME!, 'plan_approval', id, 'plan_response.json'), 'utf8')).action, winner);
});

test('sase plan validate reports the strict schema for one file and exits 6 on errors', async (t) => {
  const { sase } = setup(t, { 'epic.md': EPIC, 'legacy.md': EPIC.replace('    size: medium\n', '') });
  const ok = await sase(['plan', 'validate', 'epic.md']);
  assert.equal(ok.code, 0);
  assert.equal(ok.json.data.tier, 'epic');
  assert.deepEqual(ok.json.data.plan.phases.map((p: { id: string }) => p.id), ['core', 'api']);
  const strict = await sase(['plan', 'validate', 'legacy.md']);
  assert.equal(strict.code, 6);
  assert.deepEqual(strict.json.data.diagnostics.map((d: { code: string; field_path: string }) => [d.code, d.field_path]), [['phase-size-missing', 'phases[1].size']]);
  const launch = await sase(['plan', 'validate', 'legacy.md', '--mode', 'launch']);
  assert.equal(launch.code, 0);
  assert.equal(launch.json.data.plan.phases[1].size, 'small');
  const asTale = await sase(['plan', 'validate', 'epic.md', '--tier', 'tale']);
  assert.equal(asTale.code, 6);
  assert.ok(asTale.json.data.diagnostics.some((d: { code: string }) => d.code === 'tier-mismatch'));
});

test('approving into a Gen-2 tree (a copy of the real sase--sdd store) follows its plans/<YYYYMM>/ layout', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const { dir, sase } = setup(t);
  cpSync(corpusPath('sdd', 'sase--sdd'), join(dir, 'sdd'), { recursive: true });
  const id = (await sase(['plan', 'propose', 'plan.md'])).json.data.id as string;
  const a = await sase(['plan', 'approve', id, '--kind', 'tale']);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.json.data.archived_plan, /\/sdd\/plans\/\d{6}\/plan\.md$/);
  assert.match(a.json.data.archived_prompt, /\/sdd\/plans\/\d{6}\/prompts\/plan\.md$/);
  const v = validateTree(join(dir, 'sdd'));
  assert.equal(v.errors, 0, JSON.stringify(v.diagnostics));
  assert.equal(v.layout.layout, 'unified-plans');
});
