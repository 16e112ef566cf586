import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath, git, gitRepo, hasCorpus, runBin, tmpdir } from '../helpers/index.js';
import { validateEvent, validateIssues } from '../../lib/beads/validate.js';
import { loadStore } from '../../lib/beads/read.js';
import { exportBd } from '../../lib/beads/bd/export.js';
import { planBdImport } from '../../lib/beads/bd/import.js';
import type { BdIssue } from '../../lib/beads/bd/types.js';

const noCorpus = !hasCorpus();
const ENV = (home: string) => ({ HOME: home, SASE_HOME: join(home, '.sase'), XDG_STATE_HOME: join(home, 'state'), SASE_BEAD_ACTOR: 'importer@example.com' });

function readRows(file: string): BdIssue[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Fields bd and SASE both have with the same meaning (bd omits empty strings). */
const SAME = ['title', 'description', 'design', 'notes', 'assignee', 'owner', 'created_at', 'created_by', 'updated_at', 'closed_at', 'close_reason', 'external_ref'];
/** bd keys the comparison covers explicitly; everything else must be reported as dropped when it carries a value. */
const COVERED = new Set([...SAME, 'id', 'status', 'issue_type', 'parent', 'dependencies', 'priority', 'dependency_count', 'dependent_count', 'comment_count', 'labels', 'comments', 'metadata']);

const inReport = (lists: Record<string, string[]> | undefined, id: string): boolean => Object.values(lists ?? {}).some((ids) => ids.includes(id));

test('importing corpus/bd/issues.jsonl and exporting it again gives back every issue where the models overlap; the report lists the rest', { skip: noCorpus, timeout: 120_000 }, async (t) => {
  const home = tmpdir(t);
  const store = join(home, 'store');
  const src = corpusPath('bd', 'issues.jsonl');
  const original = readRows(src);
  assert.equal(original.length, 704);

  const imp = await runBin('sase', ['bead', 'import-bd', src, '--store', store, '--json'], { env: ENV(home) });
  assert.equal(imp.code, 0, imp.stderr);
  const report = imp.json.data.report;
  assert.equal(report.issues, 704);
  assert.equal(imp.json.data.store_issues, 704);
  assert.equal(report.counts.plans + report.counts.phases + report.counts.tasks, 704);

  // Every stored event passes the envelope rules, every folded issue the invariants.
  const streams = readdirSync(join(store, 'events', 'streams')).filter((f) => f.endsWith('.jsonl'));
  let events = 0;
  for (const f of streams) {
    readFileSync(join(store, 'events', 'streams', f), 'utf8').split('\n').filter(Boolean).forEach((l, i) => {
      validateEvent(JSON.parse(l), { file: f, line: i + 1 });
      events++;
    });
  }
  assert.equal(events, report.counts.events);
  const { issues } = await loadStore(store);
  validateIssues(issues);

  const exp = await runBin('sase', ['bead', 'export-bd', '--store', store, '-o', join(home, 'out.jsonl'), '--json'], { env: ENV(home) });
  assert.equal(exp.code, 0, exp.stderr);
  const exported = new Map(readRows(join(home, 'out.jsonl')).map((r) => [r.id, r]));
  assert.equal(exported.size, 704);

  const ids = new Set(original.map((r) => r.id));
  for (const o of original) {
    const e = exported.get(o.id);
    assert.ok(e, `${o.id} exported`);
    for (const k of SAME) assert.equal(e[k] ?? '', o[k] ?? '', `${o.id}.${k}`);
    if (o.status !== e.status) assert.ok(inReport(report.converted.status, o.id), `${o.id} status ${o.status}->${e.status} reported`);
    if (o.issue_type !== e.issue_type) assert.ok(inReport(report.converted.issue_type, o.id), `${o.id} type ${o.issue_type}->${e.issue_type} reported`);
    if ((o.parent ?? null) !== (e.parent ?? null)) assert.ok(inReport(report.converted.parent, o.id), `${o.id} parent reported`);

    // Blocking edges to issues in the file round-trip with their stamps; everything else is reported.
    const key = (d: NonNullable<BdIssue['dependencies']>[number]) => `${d.depends_on_id}|${d.created_at}|${d.created_by ?? ''}`;
    const blocks = (o.dependencies ?? []).filter((d) => d.type === 'blocks' && ids.has(d.depends_on_id)).map(key).sort();
    const back = (e.dependencies ?? []).filter((d) => d.type === 'blocks').map(key).sort();
    assert.deepEqual(back, blocks, `${o.id} blocks edges`);
    for (const d of o.dependencies ?? []) {
      if (d.type === 'parent-child') {
        const kept = (e.dependencies ?? []).some((x) => x.type === 'parent-child' && x.depends_on_id === d.depends_on_id);
        assert.ok(kept || inReport(report.converted.parent, o.id), `${o.id} parent-child edge`);
        if (kept && d.created_by && d.created_by !== (o.created_by ?? '')) assert.ok(report.dropped['parent-child.created_by'].includes(o.id));
      } else if (d.type !== 'blocks' || !ids.has(d.depends_on_id)) {
        const listed = report.dangling_dependencies.includes(`${o.id} -> ${d.depends_on_id} (${d.type})`) || inReport(report.converted.dependency_type, o.id);
        assert.ok(listed, `${o.id} -> ${d.depends_on_id} (${d.type}) reported`);
        assert.ok(((e.metadata as { refs?: string[] })?.refs ?? []).includes(`bead:${d.depends_on_id}`), `${o.id} keeps a ref to ${d.depends_on_id}`);
      }
    }
    if ((o.priority ?? 2) !== e.priority) assert.ok(report.dropped.priority.includes(o.id), `${o.id} priority reported`);
    if ((o.labels ?? []).length) assert.ok(report.dropped.labels.includes(o.id), `${o.id} labels reported`);
    for (const [k, v] of Object.entries(o)) {
      if (COVERED.has(k) || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0)) continue;
      assert.ok(report.dropped[k]?.includes(o.id), `${o.id}.${k} reported as dropped`);
    }
  }
  // The report's lists name only real ids, and the human summary mentions the drops.
  for (const list of Object.values(report.dropped) as string[][]) for (const id of list) assert.ok(ids.has(id));
  const human = await runBin('sase', ['bead', 'import-bd', src, '--store', join(home, 'store2'), '--dry-run'], { env: ENV(home) });
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /would import 704 bd issues/);
  assert.match(human.stdout, /dropped ephemeral: \d+ issues/);
});

test('re-importing the same bd file appends nothing', { skip: noCorpus, timeout: 60_000 }, async (t) => {
  const home = tmpdir(t);
  const store = join(home, 'store');
  const src = corpusPath('bd', 'root_issues_at_head.jsonl');
  const first = await runBin('sase', ['bead', 'import-bd', src, '--store', store, '--json'], { env: ENV(home) });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.json.data.appended, 1);
  const again = await runBin('sase', ['bead', 'import-bd', src, '--store', store, '--json'], { env: ENV(home) });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.data.appended, 0);
});

test('root_issues_at_head.jsonl (newer bd export shape) imports into a valid store', { skip: noCorpus, timeout: 60_000 }, async (t) => {
  const home = tmpdir(t);
  const store = join(home, 'store');
  const src = corpusPath('bd', 'root_issues_at_head.jsonl');
  const [row] = readRows(src);
  const r = await runBin('sase', ['bead', 'import-bd', src, '--store', store, '--json'], { env: ENV(home) });
  assert.equal(r.code, 0, r.stderr);
  const { issues } = await loadStore(store);
  validateIssues(issues);
  assert.equal(issues.length, 1);
  const bead = issues[0]!;
  assert.equal(bead.id, row!.id);
  assert.equal(bead.status, 'in_progress');
  assert.equal(bead.issue_type, 'task');
  assert.equal(bead.task_type, 'chore');
  assert.equal(bead.created_by, row!.created_by);
  assert.ok(r.json.data.report.dropped.started_at.includes(row!.id));
  const doctor = await runBin('sase', ['bead', 'doctor', '--store', store, '--json'], { env: ENV(home) });
  assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
});

test('SASE-only fields survive export to bd and import back through labels and metadata', () => {
  const base = {
    title: 't', owner: 'o@x', assignee: '', created_at: '2026-01-01T00:00:00Z', created_by: 'o@x', updated_at: '2026-01-02T00:00:00Z',
    closed_at: null, close_reason: null, resolution: null, close_history: [], description: '', notes: '', design: '', refs: [], links: [],
    plus_one_evidence: [], snooze: null, model: '', size: null, task_type: null, task_type_fields: {}, is_ready_to_work: false,
    changespec_name: '', changespec_bug_id: '', external_ref: '', dependencies: [],
  } as const;
  const issues = [
    { ...base, id: 'x-1', status: 'open', issue_type: 'plan', tier: 'plan', parent_id: null, model: 'opus', is_ready_to_work: true, changespec_name: 'cs', changespec_bug_id: 'b/1', refs: ['research:a.md'] },
    { ...base, id: 'x-1.1', status: 'closed', issue_type: 'phase', tier: null, parent_id: 'x-1', size: 'small', closed_at: '2026-01-03T00:00:00Z', resolution: 'canceled', close_reason: 'no' },
    { ...base, id: 'x-2', status: 'ready', issue_type: 'task', tier: null, parent_id: null, task_type: 'bug', dependencies: [{ issue_id: 'x-2', depends_on_id: 'x-1.1', created_at: '2026-01-01T00:00:00Z', created_by: 'o@x' }] },
  ] as never[];
  const { rows } = exportBd(issues);
  assert.deepEqual(rows.map((r) => [r.issue_type, r.status, r.labels ?? []]), [
    ['epic', 'open', ['sase:tier-plan']],
    ['task', 'closed', ['size:small']],
    ['task', 'open', ['sase:ready', 'sase:task-type:bug']],
  ]);
  const plan = planBdImport(rows, { source: 'mem', actor: 'a', now: new Date('2026-02-01T00:00:00Z') });
  const created = plan.events.filter((e) => e.operation === 'issue_created').map((e) => (e.payload as { issue: Record<string, unknown> }).issue);
  const byId = new Map(created.map((i) => [i.id, i]));
  assert.equal(byId.get('x-1')!.tier, 'plan');
  assert.equal(byId.get('x-1')!.model, 'opus');
  assert.equal(byId.get('x-1')!.is_ready_to_work, true);
  assert.equal(byId.get('x-1')!.changespec_bug_id, 'b/1');
  assert.equal(byId.get('x-1.1')!.issue_type, 'phase');
  assert.equal(byId.get('x-1.1')!.size, 'small');
  assert.equal(byId.get('x-1.1')!.resolution, 'canceled');
  assert.equal(byId.get('x-2')!.status, 'ready');
  assert.equal(byId.get('x-2')!.task_type, 'bug');
  assert.ok(plan.events.some((e) => e.operation === 'reference_added' && (e.payload as { reference: string }).reference === 'research:a.md'));
  assert.ok(plan.events.some((e) => e.operation === 'dependency_added' && e.issue_id === 'x-2'));
  assert.deepEqual(plan.report.dropped, {});
});

test('the real SASE store survives export to bd and import back; only fields bd cannot carry as events are reported', { skip: noCorpus, timeout: 120_000 }, async (t) => {
  const home = tmpdir(t);
  const out = join(home, 'sase.bd.jsonl');
  const exp = await runBin('sase', ['bead', 'export-bd', '--store', corpusPath('beads'), '-o', out, '--json'], { env: ENV(home) });
  assert.equal(exp.code, 0, exp.stderr);
  const imp = await runBin('sase', ['bead', 'import-bd', out, '--store', join(home, 'back'), '--json'], { env: ENV(home) });
  assert.equal(imp.code, 0, imp.stderr);
  const report = imp.json.data.report;
  const original = (await loadStore(corpusPath('beads'))).issues;
  const back = new Map((await loadStore(join(home, 'back'))).issues.map((i) => [i.id, i]));
  assert.equal(back.size, original.length);
  for (const i of original) {
    const j = back.get(i.id);
    assert.ok(j, i.id);
    for (const k of Object.keys(i) as (keyof typeof i)[]) {
      if (JSON.stringify(i[k]) === JSON.stringify(j[k])) continue;
      assert.ok(report.dropped[`metadata.${k}`]?.includes(i.id), `${i.id}.${k} differs and is not reported`);
    }
  }
});

test('import-bd --commit commits the new store with the beads subject and footer', { skip: noCorpus, timeout: 60_000 }, async (t) => {
  const repo = gitRepo(t);
  const home = tmpdir(t);
  const r = await runBin('sase', ['bead', 'import-bd', corpusPath('bd', 'root_issues_at_head.jsonl'), '--commit', '--json'], {
    cwd: repo,
    env: { ...ENV(home), GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.data.commit.committed, true);
  assert.equal(git(repo, ['log', '-1', '--format=%B']), 'chore(beads): import bd issues from root_issues_at_head.jsonl\n\nSASE_TYPE=beads');
  const files = git(repo, ['show', '--name-only', '--format=', 'HEAD']).split('\n');
  assert.ok(files.includes('sdd/beads/config.json'));
  assert.ok(files.includes('sdd/beads/events/manifest.json'));
  assert.ok(files.some((f) => f.startsWith('sdd/beads/events/streams/')));
  assert.equal(git(repo, ['status', '--porcelain', '--', 'sdd/beads']), '');
});
