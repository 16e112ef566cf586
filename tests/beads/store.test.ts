import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initStore } from '../../lib/beads/init.js';
import { appendEvents, mutateStore } from '../../lib/beads/write.js';
import { appendNote, createBead } from '../../lib/beads/mutations.js';
import { loadStore, readStore } from '../../lib/beads/read.js';
import { doctorStore } from '../../lib/beads/doctor.js';
import { buildEvent } from '../../lib/beads/events.js';
import { renderProjection } from '../../lib/beads/project.js';
import { loadIssues, loadIssueSource } from '../../lib/beads/load.js';
import { withLock } from '../../lib/store/lock.js';
import { corpusPath, git, hasCorpus, runBin, tmpdir, gitRepo } from '../helpers/index.js';

const w = { actor: 'alice', now: () => new Date('2026-08-01T10:00:00Z') };

async function twoBeads(t: Parameters<typeof tmpdir>[0]): Promise<string> {
  const dir = tmpdir(t);
  await initStore(dir, { prefix: 'sase' });
  await mutateStore(dir, (m) => {
    createBead(m, { type: 'task', title: 'one' });
    createBead(m, { type: 'task', title: 'two' });
  }, w);
  return dir;
}

test('new events use the owning stream, the digest event id form and SASE envelope key order', async (t) => {
  const dir = tmpdir(t);
  await initStore(dir, { prefix: 'sase' });
  const r = await mutateStore(dir, (m) => {
    const plan = createBead(m, { type: 'plan', title: 'epic' }).id;
    createBead(m, { type: 'phase', title: 'p', parent: plan });
  }, w);
  assert.deepEqual(r.written, ['config.json', 'events/manifest.json', 'events/streams/sase-1.jsonl', 'issues.jsonl']);
  const lines = readFileSync(join(dir, 'events/streams/sase-1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((e) => e.issue_id), ['sase-1', 'sase-1.1'], 'the phase lives in its parent plan stream');
  assert.deepEqual(Object.keys(lines[0]), ['schema_version', 'event_id', 'timestamp', 'actor', 'operation', 'issue_id', 'payload']);
  assert.match(lines[1].event_id, /^sase-1:000002:issue_created:sase-1\.1:[0-9a-f]{64}$/);
  assert.equal(lines[0].timestamp, '2026-08-01T10:00:00Z');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')), { issue_prefix: 'sase', next_counter: 2 });
  assert.equal(readFileSync(join(dir, 'events/manifest.json'), 'utf8'), '{\n  "schema_version": 1,\n  "stream_count": 1,\n  "generated_from": "issues.jsonl",\n  "migration_tool": "sase-core bead events"\n}');
});

test('a torn last line is tolerated by readers, reported by doctor with file:line, and dropped by --fix', async (t) => {
  const dir = await twoBeads(t);
  const file = join(dir, 'events/streams/sase-1.jsonl');
  appendFileSync(file, '{"schema_version":1,"event_id":"x');
  const { issues, snapshot } = await loadStore(dir);
  assert.equal(issues.length, 2);
  assert.equal(snapshot.problems[0]!.kind, 'torn-line');
  const report = await doctorStore(dir);
  const torn = report.findings.find((f) => f.check === 'torn-line')!;
  assert.equal(torn.file, file);
  assert.equal(torn.line, 2);
  assert.equal(torn.fixable, true);
  const fixed = await doctorStore(dir, { fix: true });
  assert.deepEqual(fixed.findings, []);
  assert.ok(readFileSync(file, 'utf8').endsWith('\n'));
});

test('an invalid line in the middle of a stream is a hard error naming file:line', async (t) => {
  const dir = await twoBeads(t);
  const file = join(dir, 'events/streams/sase-1.jsonl');
  writeFileSync(file, 'not json\n' + readFileSync(file, 'utf8'));
  await assert.rejects(readStore(dir), (e: any) => e.code === 'INVALID' && e.located.startsWith(`${file}:1`));
  const report = await doctorStore(dir);
  assert.ok(report.findings.some((f) => f.check === 'invalid-line' && f.line === 1 && !f.fixable));
  assert.equal(report.ok, false);
});

test('a manifest stream_count mismatch is an error that doctor --fix repairs; stray .tmp. files are ignored', async (t) => {
  const dir = await twoBeads(t);
  writeFileSync(join(dir, 'events/streams/.sase-1.jsonl.tmp.123.4'), 'garbage');
  writeFileSync(join(dir, 'events/manifest.json'), '{"schema_version":1,"stream_count":7,"generated_from":"issues.jsonl","migration_tool":"sase-core bead events"}');
  await assert.rejects(readStore(dir), (e: any) => e.code === 'INVALID' && /stream_count 7/.test(e.message));
  const fixed = await doctorStore(dir, { fix: true });
  assert.ok(fixed.fixed.includes('events/manifest.json'));
  assert.deepEqual(fixed.findings, []);
});

test('doctor reports dangling dependencies, duplicate ids and projection drift', async (t) => {
  const dir = await twoBeads(t);
  writeFileSync(join(dir, 'issues.jsonl'), '');
  const dup = buildEvent('sase-9', 1, '2026-08-01T11:00:00Z', 'x', 'sase-1', { kind: 'issue_created', issue: { id: 'sase-1', title: 'dup', issue_type: 'task', status: 'open' } as never });
  mkdirSync(join(dir, 'events/streams'), { recursive: true });
  writeFileSync(join(dir, 'events/streams/sase-9.jsonl'), JSON.stringify(dup) + '\n');
  writeFileSync(join(dir, 'events/manifest.json'), '{"schema_version":1,"stream_count":3,"generated_from":"issues.jsonl","migration_tool":"sase-core bead events"}');
  const report = await doctorStore(dir);
  assert.ok(report.findings.some((f) => f.check === 'duplicate-id'));
  assert.ok(report.findings.some((f) => f.check === 'replay'));
  const dir2 = await twoBeads(t);
  const dangling = buildEvent('sase-1', 2, '2026-08-01T11:00:00Z', 'x', 'sase-1', { kind: 'dependency_added', dependency: { issue_id: 'sase-1', depends_on_id: 'sase-2', created_at: '', created_by: '' } });
  const rm = buildEvent('sase-2', 2, '2026-08-01T12:00:00Z', 'x', 'sase-2', { kind: 'issue_removed', cascade_removed_issue_ids: [] });
  appendFileSync(join(dir2, 'events/streams/sase-1.jsonl'), JSON.stringify(dangling) + '\n');
  appendFileSync(join(dir2, 'events/streams/sase-2.jsonl'), JSON.stringify(rm) + '\n');
  const r2 = await doctorStore(dir2);
  assert.ok(r2.findings.some((f) => f.check === 'projection' && f.fixable));
  // The removal stripped the edge, so nothing dangles; drift is fixable.
  assert.deepEqual((await doctorStore(dir2, { fix: true })).findings, []);
});

test('a writer that dies after its journal is durable leaves a store readers see complete, and the next writer finishes it', async (t) => {
  const dir = await twoBeads(t);
  await assert.rejects(
    mutateStore(dir, (m) => appendNote(m, 'sase-1', 'journaled'), { ...w, afterJournal: () => { throw new Error('simulated crash'); } }),
    /simulated crash/,
  );
  assert.ok(existsSync(join(dir, '.bead-mutation-journal.json')));
  assert.doesNotMatch(readFileSync(join(dir, 'events/streams/sase-1.jsonl'), 'utf8'), /journaled/, 'the stream itself is untouched');
  const { issues } = await loadStore(dir);
  assert.match(issues[0]!.notes, /journaled/, 'readers overlay the pending journal');
  await mutateStore(dir, (m) => appendNote(m, 'sase-2', 'next'), w);
  assert.equal(existsSync(join(dir, '.bead-mutation-journal.json')), false);
  assert.match(readFileSync(join(dir, 'events/streams/sase-1.jsonl'), 'utf8'), /journaled/);
  assert.deepEqual((await doctorStore(dir)).findings, []);
});

test('a rejected mutation writes nothing, and a second writer gets LOCKED unless it waits', async (t) => {
  const dir = await twoBeads(t);
  const before = readFileSync(join(dir, 'issues.jsonl'), 'utf8');
  await assert.rejects(mutateStore(dir, (m) => appendNote(m, 'sase-404', 'x'), w), (e: any) => e.code === 'NOT_FOUND');
  assert.equal(readFileSync(join(dir, 'issues.jsonl'), 'utf8'), before);
  await withLock(join(dir, 'beads.db'), async () => {
    await assert.rejects(mutateStore(dir, (m) => appendNote(m, 'sase-1', 'x'), w), (e: any) => e.code === 'LOCKED');
    const r = await runBin('sase', ['bead', 'note', 'sase-1', 'hi', '--store', dir, '--json']);
    assert.equal(r.code, 5);
    assert.equal(r.json.error.code, 'LOCKED');
  });
});

test('appendEvents validates events, appends them to their streams under the lock and skips known event ids', async (t) => {
  const dir = await twoBeads(t);
  const ev = buildEvent('sase-5', 1, '2026-08-02T00:00:00Z', 'importer', 'sase-5', { kind: 'issue_created', issue: { id: 'sase-5', title: 'imported', status: 'open', issue_type: 'task' } as never });
  const r = await appendEvents(dir, [ev], {});
  assert.equal(r.appended.length, 1);
  assert.ok(r.issues.some((i) => i.id === 'sase-5'));
  assert.equal((await appendEvents(dir, [ev], {})).appended.length, 0, 'idempotent');
  assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).next_counter, 6);
  await assert.rejects(appendEvents(dir, [{ ...ev, payload: { kind: 'note_appended', entry: 'x' } } as never], {}), (e: any) => e.code === 'INVALID');
  const bad = buildEvent('sase-6', 1, '2026-08-02T00:00:00Z', 'i', 'sase-6', { kind: 'dependency_added', dependency: { issue_id: 'sase-6', depends_on_id: 'sase-1', created_at: '', created_by: '' } });
  await assert.rejects(appendEvents(dir, [bad], {}), (e: any) => e.code === 'INVALID', 'a resulting replay failure writes nothing');
  assert.equal(existsSync(join(dir, 'events/streams/sase-6.jsonl')), false);
});

test('a legacy issues.jsonl-only store is read as-is and migrated to events on its first write', async (t) => {
  const src = await twoBeads(t);
  const dir = tmpdir(t);
  writeFileSync(join(dir, 'issues.jsonl'), readFileSync(join(src, 'issues.jsonl'), 'utf8'));
  const before = await loadIssues(dir);
  assert.deepEqual(before.map((i) => i.id), ['sase-1', 'sase-2']);
  await mutateStore(dir, (m) => appendNote(m, 'sase-2', 'after migration'), w);
  const snap = await readStore(dir);
  assert.equal(snap.kind, 'events');
  const { issues } = await loadStore(dir);
  assert.equal(issues.length, 2);
  assert.match(issues[1]!.notes, /after migration/);
  assert.equal(snap.projectionText, renderProjection(issues));
});

test('the cache is only a projection: it is rebuilt when a stream changes behind its back', async (t) => {
  const dir = await twoBeads(t);
  assert.equal((await loadIssues(dir)).length, 2);
  assert.ok(existsSync(join(dir, '.bead-cache.json')));
  // Another writer (SASE, git) replaces a stream file by rename: the cache notices.
  const ev = buildEvent('sase-2', 2, '2026-08-03T00:00:00Z', 'x', 'sase-2', { kind: 'note_appended', entry: 'external edit' });
  const file = join(dir, 'events/streams/sase-2.jsonl');
  writeFileSync(file + '.tmp.1', readFileSync(file, 'utf8') + JSON.stringify(ev) + '\n');
  renameSync(file + '.tmp.1', file);
  const src = await loadIssueSource(dir);
  assert.match(String(src.row('sase-2').notes), /external edit/);
  assert.equal(src.issues().length, 2);
  writeFileSync(join(dir, '.bead-cache.json'), 'garbage');
  assert.equal((await loadIssueSource(dir)).issues().length, 2);
  assert.equal((await loadIssueSource(dir)).row('sase-1').title, 'one', 'served from the rebuilt cache');
});

test('sase bead init writes the store, its .gitignore and its .gitattributes merge-driver lines', async (t) => {
  const repo = gitRepo(t);
  const r = await runBin('sase', ['bead', 'init', '--json'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.data.store, join(repo, 'sdd', 'beads'));
  assert.match(readFileSync(join(repo, 'sdd/beads/.gitattributes'), 'utf8'), /^\/events\/streams\/\*\.jsonl merge=sase-beads$/m);
  const gi = readFileSync(join(repo, 'sdd/beads/.gitignore'), 'utf8').split('\n');
  for (const l of ['beads.db', 'beads.db-shm', 'beads.db-wal', '.bead-mutation-lock.holder', '.bead-cache.json', 'beads.db.lock']) assert.ok(gi.includes(l), l);
  const again = await runBin('sase', ['bead', 'init', '--json'], { cwd: repo });
  assert.deepEqual(again.json.data.created, []);
});

test('the CLI: --json envelopes (data.bead / data.beads), shorthand ids, ambiguity errors, project --check exit code', async (t) => {
  const dir = tmpdir(t);
  const home = tmpdir(t);
  const sase = (...a: string[]) => runBin('sase', ['bead', ...a, '--store', dir, '--json'], { env: { HOME: home, SASE_BEAD_ACTOR: 'alice' } });
  await sase('init', '--prefix', 'sase');
  const c = await sase('create', 'first', '--description', 'd');
  assert.equal(c.json.data.bead.id, 'sase-1');
  assert.equal(c.json.data.bead.created_by, 'alice');
  await sase('create', 'plan', '--type', 'plan', '--tier', 'tale');
  const p = await sase('create', 'phase', '--type', 'phase', '--parent', '2', '--size', 'small', '--dep', '1');
  assert.equal(p.json.data.bead.id, 'sase-2.1');
  const show = await sase('show', '2');
  assert.equal(show.json.data.bead.tier, 'plan');
  assert.deepEqual(show.json.data.children.map((x: any) => x.id), ['sase-2.1']);
  const dep = await sase('show', '1');
  assert.deepEqual(dep.json.data.dependents.map((x: any) => x.id), ['sase-2.1']);
  const list = await sase('list', '--type', 'phase');
  assert.deepEqual(list.json.data.beads.map((b: any) => b.id), ['sase-2.1']);
  const blocked = await sase('blocked');
  assert.deepEqual(blocked.json.data.beads.map((b: any) => [b.id, b.blocked_by]), [['sase-2.1', ['sase-1']]]);
  await sase('update', '1', '--status', 'ready');
  assert.deepEqual((await sase('ready')).json.data.beads.map((b: any) => b.id), ['sase-1']);
  const amb = await runBin('sase', ['bead', 'show', 'nope-1', '--store', dir, '--json']);
  assert.equal(amb.code, 3);
  assert.equal((await sase('project', '--check')).code, 0);
  writeFileSync(join(dir, 'issues.jsonl'), '');
  const drift = await sase('project', '--check');
  assert.equal(drift.code, 6);
  assert.equal(drift.json.data.drift, true);
  assert.equal((await sase('project')).json.data.written, true);
  const out = await runBin('sase', ['bead', 'project', '--stdout', '--store', dir]);
  assert.equal(out.stdout, readFileSync(join(dir, 'issues.jsonl'), 'utf8'));
  const hist = await sase('history', '2.1');
  assert.deepEqual(hist.json.data.events.map((e: any) => e.operation), ['issue_created', 'dependency_added']);
  assert.equal((await sase('doctor')).code, 0);
});

test('--commit commits exactly the changed store files as chore(beads): <verb> <ids> with the SASE_TYPE=beads footer', async (t) => {
  const repo = gitRepo(t);
  const env = { HOME: repo, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com', SASE_BEAD_ACTOR: 'alice' };
  const sase = (...a: string[]) => runBin('sase', ['bead', ...a, '--json'], { cwd: repo, env });
  assert.equal((await sase('init', '--prefix', 'sase')).code, 0);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'store']);
  const r = await sase('create', 'hello', '--commit');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.data.commit.committed, true);
  assert.equal(git(repo, ['log', '-1', '--format=%B']), 'chore(beads): create sase-1\n\nSASE_TYPE=beads');
  assert.deepEqual(git(repo, ['show', '--name-only', '--format=', 'HEAD']).split('\n').sort(), ['sdd/beads/config.json', 'sdd/beads/events/manifest.json', 'sdd/beads/events/streams/sase-1.jsonl', 'sdd/beads/issues.jsonl']);
  assert.equal(git(repo, ['status', '--porcelain']), '', 'cache, generation and lock files are ignored');
  await sase('update', '1', '--status', 'ready');
  const n = await sase('note', '1', 'x', '--commit');
  assert.equal(git(repo, ['log', '-1', '--format=%s']), 'chore(beads): note sase-1');
  assert.equal(n.json.data.commit.committed, true);
});

test('on a copy of corpus/beads the cached ready/list/blocked/show answers equal those of a fresh fold', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const dir = tmpdir(t);
  cpSync(corpusPath('beads'), dir, { recursive: true });
  for (const d of [dir, join(dir, 'events'), join(dir, 'events', 'streams')]) chmodSync(d, 0o755);
  const env = { HOME: dir };
  const ask = (...a: string[]) => runBin('sase', ['bead', ...a, '--store', dir, '--json'], { env });
  const cold = (...a: string[]) => runBin('sase', ['bead', ...a, '--store', dir, '--json'], { env: { ...env, SASE_BEAD_NO_CACHE: '1' } });
  await ask('list');
  assert.ok(existsSync(join(dir, '.bead-cache.json')));
  for (const args of [['ready'], ['ready', '--legacy'], ['list'], ['blocked'], ['list', '--type', 'phase', '--all'], ['show', 'hs']]) {
    const [a, b] = [await ask(...args), await cold(...args)];
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual(a.json.data, b.json.data, args.join(' '));
  }
});
