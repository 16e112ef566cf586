import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitRepo, runBin, tmpdir } from '../helpers/index.js';
import { commitBeadMutation, beadCommitMessage } from '../../lib/beads/git-commit.js';
import { STORE_GITATTRIBUTES } from '../../lib/beads/merge/setup.js';

const STORE = 'sdd/beads';

function envFor(home: string, actor: string): Record<string, string> {
  return {
    HOME: home,
    SASE_HOME: join(home, '.sase'),
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
    SASE_BEAD_ACTOR: actor,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

async function bead(cwd: string, env: Record<string, string>, args: string[]): Promise<any> {
  const r = await runBin('sase', ['bead', ...args, '--json'], { cwd, env, timeoutMs: 60_000 });
  assert.equal(r.code, 0, `sase bead ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.json.data;
}

/** Every event line of the store, parsed. */
function storeEvents(repo: string): any[] {
  const dir = join(repo, STORE, 'events', 'streams');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => ({ ...JSON.parse(l), _stream: f })));
}

/** A content key of an event that survives relocation (ids and event ids rewritten): op + time + actor + text. */
function contentKey(ev: any): string {
  const p = ev.payload;
  const text = p.entry ?? p.issue?.title ?? p.dependency?.created_at ?? p.close_reason ?? p.reference ?? '';
  return `${ev.operation}|${ev.timestamp}|${ev.actor}|${text}`;
}

test('two clones that both changed beads merge through the driver without losing an event or duplicating an id', { timeout: 180_000 }, async (t) => {
  const origin = gitRepo(t);
  const home = tmpdir(t);
  const envO = envFor(home, 'origin@example.com');
  await bead(origin, envO, ['init', '--store', STORE, '--prefix', 'sase']);
  const setup = await bead(origin, envO, ['merge-driver', '--install', '--store', STORE]);
  assert.deepEqual(setup.gitattributes.lines, [...STORE_GITATTRIBUTES]);
  const plan = await bead(origin, envO, ['create', 'Shared plan', '--type', 'plan', '--tier', 'epic', '--store', STORE]);
  const planId: string = plan.bead?.id ?? plan.id;
  await bead(origin, envO, ['create', 'Phase one', '--type', 'phase', '--parent', planId, '--store', STORE]);
  const task = await bead(origin, envO, ['create', 'Shared task', '--store', STORE]);
  const taskId: string = task.bead?.id ?? task.id;
  git(origin, ['add', '-A']);
  git(origin, ['commit', '-q', '-m', 'beads: initial store']);

  const parent = tmpdir(t);
  const a = join(parent, 'a');
  const b = join(parent, 'b');
  git(parent, ['clone', '-q', origin, a]);
  git(parent, ['clone', '-q', origin, b]);
  const envA = envFor(home, 'alice@example.com');
  const envB = envFor(home, 'bob@example.com');
  for (const c of [a, b]) {
    await bead(c, envA, ['merge-driver', '--install', '--store', STORE]);
    assert.match(git(c, ['config', 'merge.sase-beads.driver']), /bead merge-driver %O %A %B %P$/);
  }

  // Clone A: a new top-level task, a phase under the shared plan, a note, a dependency.
  const aTop = await bead(a, envA, ['create', 'Alice top-level task', '--store', STORE]);
  await bead(a, envA, ['create', 'Alice second task', '--store', STORE]);
  const aPhase = await bead(a, envA, ['create', 'Alice phase', '--type', 'phase', '--parent', planId, '--store', STORE]);
  await bead(a, envA, ['note', planId, 'note from alice', '--store', STORE]);
  await bead(a, envA, ['dep', 'add', aTop.bead?.id ?? aTop.id, taskId, '--store', STORE]);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'alice beads']);

  // Clone B (later clock): the same next top-level id and the same next phase number, a note, a close.
  await new Promise((r) => setTimeout(r, 1100));
  const bTop = await bead(b, envB, ['create', 'Bob top-level plan', '--type', 'plan', '--tier', 'epic', '--store', STORE]);
  await bead(b, envB, ['create', 'Bob second task', '--store', STORE]);
  const bPhase = await bead(b, envB, ['create', 'Bob phase', '--type', 'phase', '--parent', planId, '--store', STORE]);
  await bead(b, envB, ['create', 'Bob child of his plan', '--type', 'phase', '--parent', bTop.bead?.id ?? bTop.id, '--store', STORE]);
  await bead(b, envB, ['note', planId, 'note from bob', '--store', STORE]);
  await bead(b, envB, ['close', taskId, '--reason', 'done by bob', '--store', STORE]);
  git(b, ['add', '-A']);
  git(b, ['commit', '-q', '-m', 'bob beads']);

  const aId: string = aTop.bead?.id ?? aTop.id;
  const bId: string = bTop.bead?.id ?? bTop.id;
  assert.equal(aId, bId, 'both clones minted the same top-level id');
  assert.equal(aPhase.bead?.id ?? aPhase.id, bPhase.bead?.id ?? bPhase.id, 'both clones minted the same phase id');

  const before = [...storeEvents(a), ...storeEvents(b)];
  const expected = new Set(before.map(contentKey));

  // Merge B into A with the driver (post-merge hook reconciles and commits).
  git(a, ['remote', 'add', 'bob', b]);
  git(a, ['fetch', '-q', 'bob']);
  git(a, ['merge', '--no-edit', 'bob/main'], envA);
  assert.equal(git(a, ['status', '--porcelain']), '', 'working tree clean after merge + reconcile');
  const subject = git(a, ['log', '-1', '--format=%B']);
  assert.match(subject, /^chore\(beads\): reconcile merge (\S+->\S+ ?)+\n\nSASE_TYPE=beads$/);
  assert.equal(subject.split('\n')[0]!.match(/->/g)!.length, 3, 'two top-level and one phase relocation named');

  const after = storeEvents(a);
  const got = new Set(after.map(contentKey));
  for (const k of expected) assert.ok(got.has(k), `event kept: ${k}`);
  assert.equal(after.length, expected.size, 'no event duplicated');
  assert.equal(new Set(after.map((e) => e.event_id)).size, after.length, 'event ids unique');
  const creates = after.filter((e) => e.operation === 'issue_created').map((e) => e.issue_id);
  assert.equal(new Set(creates).size, creates.length, 'no id created twice');

  const list = await bead(a, envA, ['list', '--all', '--store', STORE]);
  const titles = new Map<string, string>(list.beads.map((x: any) => [x.title, x.id]));
  for (const title of ['Alice top-level task', 'Alice second task', 'Bob top-level plan', 'Bob second task', 'Alice phase', 'Bob phase', 'Bob child of his plan', 'Shared task']) {
    assert.ok(titles.has(title), `${title} present`);
  }
  assert.equal(new Set(titles.values()).size, list.beads.length, 'ids unique');
  assert.equal(titles.get('Alice top-level task'), aId, 'the older creation kept its id');
  assert.notEqual(titles.get('Bob top-level plan'), aId);
  const config = JSON.parse(readFileSync(join(a, STORE, 'config.json'), 'utf8'));
  for (const id of titles.values()) {
    if (!id.includes('.')) assert.ok(parseInt(id.slice('sase-'.length), 36) < config.next_counter, `next_counter past ${id}`);
  }
  assert.notEqual(titles.get('Alice phase'), titles.get('Bob phase'));
  // The relocated plan kept its child, renamed with it.
  assert.ok(titles.get('Bob child of his plan')!.startsWith(titles.get('Bob top-level plan')! + '.'));
  const shown = await bead(a, envA, ['show', planId, '--store', STORE]);
  const notes: string = shown.bead.notes;
  assert.match(notes, /note from alice/);
  assert.match(notes, /note from bob/);
  const closed = await bead(a, envA, ['show', taskId, '--store', STORE]);
  assert.equal(closed.bead.status, 'closed');

  const doctor = await runBin('sase', ['bead', 'doctor', '--store', STORE, '--json'], { cwd: a, env: envA });
  assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
  const check = await runBin('sase', ['bead', 'project', '--check', '--store', STORE], { cwd: a, env: envA });
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const manifest = JSON.parse(readFileSync(join(a, STORE, 'events', 'manifest.json'), 'utf8'));
  assert.equal(manifest.stream_count, readdirSync(join(a, STORE, 'events', 'streams')).filter((f) => f.endsWith('.jsonl')).length);

  // Clone B catches up by fast-forward and sees the same store.
  git(b, ['pull', '-q', '--no-rebase', a, 'main'], envB);
  const listB = await bead(b, envB, ['list', '--all', '--store', STORE]);
  assert.deepEqual(listB.beads.map((x: any) => x.id).sort(), list.beads.map((x: any) => x.id).sort());
});

test('a side that rewrote history makes the driver report a conflict and git stop the merge', { timeout: 120_000 }, async (t) => {
  const origin = gitRepo(t);
  const home = tmpdir(t);
  const env = envFor(home, 'origin@example.com');
  await bead(origin, env, ['init', '--store', STORE]);
  await bead(origin, env, ['merge-driver', '--install', '--store', STORE, '--no-hooks']);
  const task = await bead(origin, env, ['create', 'A task', '--store', STORE]);
  const id: string = task.bead?.id ?? task.id;
  git(origin, ['add', '-A']);
  git(origin, ['commit', '-q', '-m', 'store']);
  git(origin, ['checkout', '-q', '-b', 'side']);
  await bead(origin, env, ['note', id, 'side note', '--store', STORE]);
  git(origin, ['commit', '-q', '-am', 'side note']);
  git(origin, ['checkout', '-q', 'main']);
  // main rewrites the creation event in place (not append-only).
  const file = join(origin, STORE, 'events', 'streams', `${id}.jsonl`);
  writeFileSync(file, readFileSync(file, 'utf8').replace('A task', 'A rewritten task'));
  git(origin, ['commit', '-q', '-am', 'rewrite history']);
  assert.throws(() => git(origin, ['merge', '--no-edit', 'side'], env), /conflict|CONFLICT|Automatic merge failed/i);
  assert.match(git(origin, ['status', '--porcelain']), new RegExp(`^UU ${STORE}/events/streams/${id.replace('.', '\\.')}\\.jsonl`, 'm'));
  git(origin, ['merge', '--abort']);
});

test('commitBeadMutation commits only the given files with the beads subject and footer', { timeout: 60_000 }, async (t) => {
  const repo = gitRepo(t, { 'README.md': '# x\n', 'store/a.jsonl': '1\n', 'other.txt': 'o\n' });
  writeFileSync(join(repo, 'store/a.jsonl'), '1\n2\n');
  writeFileSync(join(repo, 'store/b.jsonl'), 'new\n');
  writeFileSync(join(repo, 'other.txt'), 'dirty\n');
  git(repo, ['add', 'other.txt']);
  const env = { ...process.env, ...envFor(repo, 'x') };
  const r = await commitBeadMutation(join(repo, 'store'), ['a.jsonl', 'b.jsonl'], 'close', ['sase-1', 'sase-2'], { env });
  assert.equal(r.committed, true);
  assert.equal(git(repo, ['log', '-1', '--format=%B']), 'chore(beads): close sase-1 sase-2\n\nSASE_TYPE=beads');
  assert.deepEqual(git(repo, ['show', '--name-only', '--format=', 'HEAD']).split('\n'), ['store/a.jsonl', 'store/b.jsonl']);
  assert.equal(git(repo, ['diff', '--cached', '--name-only']), 'other.txt', 'unrelated staged file left staged, not committed');
  const again = await commitBeadMutation(repo, ['store/a.jsonl'], 'note', ['sase-1'], { env });
  assert.equal(again.committed, false);
  assert.equal(beadCommitMessage('claim sase-3 for', ['agent-1']), 'chore(beads): claim sase-3 for agent-1\n\nSASE_TYPE=beads\n');
  assert.ok(existsSync(join(repo, '.git')));
});

test('git pull --rebase of two clones that both created a top-level bead relocates the local one and reconciles after the rebase', { timeout: 180_000 }, async (t) => {
  const seed = gitRepo(t);
  const home = tmpdir(t);
  const env = envFor(home, 'seed@example.com');
  await bead(seed, env, ['init', '--store', STORE, '--prefix', 'sase']);
  await bead(seed, env, ['merge-driver', '--install', '--store', STORE, '--no-hooks']);
  await bead(seed, env, ['create', 'Seed task', '--store', STORE]);
  git(seed, ['add', '-A']);
  git(seed, ['commit', '-q', '-m', 'store']);
  const parent = tmpdir(t);
  const origin = join(parent, 'origin.git');
  git(parent, ['clone', '-q', '--bare', seed, origin]);
  const a = join(parent, 'a');
  const b = join(parent, 'b');
  git(parent, ['clone', '-q', origin, a]);
  git(parent, ['clone', '-q', origin, b]);
  for (const c of [a, b]) await bead(c, env, ['merge-driver', '--install', '--store', STORE]);

  const envA = envFor(home, 'alice@example.com');
  const envB = envFor(home, 'bob@example.com');
  const aTask = await bead(a, envA, ['create', 'Alice published task', '--store', STORE]);
  await bead(a, envA, ['note', aTask.bead.id, 'alice was here', '--store', STORE]);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'alice']);
  git(a, ['push', '-q', 'origin', 'main']);
  await new Promise((r) => setTimeout(r, 1100)); // Bob's creation is strictly newer (second-precision timestamps)

  const bTask = await bead(b, envB, ['create', 'Bob local task', '--store', STORE]);
  assert.equal(bTask.bead.id, aTask.bead.id);
  await bead(b, envB, ['note', bTask.bead.id, 'bob was here', '--store', STORE]);
  git(b, ['add', '-A']);
  git(b, ['commit', '-q', '-m', 'bob']);
  git(b, ['pull', '-q', '--rebase', 'origin', 'main'], envB);

  assert.equal(git(b, ['status', '--porcelain']), '');
  const list = await bead(b, envB, ['list', '--all', '--store', STORE]);
  const byTitle = new Map<string, any>(list.beads.map((x: any) => [x.title, x]));
  assert.equal(byTitle.get('Alice published task').id, aTask.bead.id, 'the published bead keeps its id');
  assert.notEqual(byTitle.get('Bob local task').id, aTask.bead.id);
  assert.match(byTitle.get('Bob local task').notes, /bob was here/);
  assert.match(byTitle.get('Alice published task').notes, /alice was here/);
  assert.doesNotMatch(byTitle.get('Alice published task').notes, /bob/);
  const doctor = await runBin('sase', ['bead', 'doctor', '--store', STORE, '--json'], { cwd: b, env: envB });
  assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
});

test('the driver also works when registered without %P (recognises the file by content)', { timeout: 60_000 }, async (t) => {
  const repo = gitRepo(t);
  const home = tmpdir(t);
  const env = envFor(home, 'x@example.com');
  await bead(repo, env, ['init', '--store', STORE]);
  const task = await bead(repo, env, ['create', 'T', '--store', STORE]);
  const stream = readFileSync(join(repo, STORE, 'events', 'streams', `${task.bead.id}.jsonl`), 'utf8');
  const first = JSON.parse(stream.split('\n')[0]!);
  const line = (n: string): string =>
    JSON.stringify({ ...first, event_id: `${task.bead.id}:000009:note_appended:${task.bead.id}:${n}`, operation: 'note_appended', payload: { kind: 'note_appended', entry: n } }) + '\n';
  const dir = tmpdir(t, { O: stream, A: stream + line('ours'), B: stream + line('theirs') });
  const r = await runBin('sase', ['bead', 'merge-driver', join(dir, 'O'), join(dir, 'A'), join(dir, 'B'), '--json'], { cwd: repo, env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.data.kind, 'stream');
  const merged = readFileSync(join(dir, 'A'), 'utf8').trim().split('\n');
  assert.equal(merged.length, stream.trim().split('\n').length + 2);
  assert.match(merged.at(-1)!, /ours|theirs/);
});

test('a relocated bead never takes an id that only the other side of the merge has used', { timeout: 120_000 }, async (t) => {
  const origin = gitRepo(t);
  const home = tmpdir(t);
  const env = envFor(home, 'o@example.com');
  await bead(origin, env, ['init', '--store', STORE, '--prefix', 'sase']);
  git(origin, ['add', '-A']);
  git(origin, ['commit', '-q', '-m', 'store']);
  const parent = tmpdir(t);
  const a = join(parent, 'a');
  const b = join(parent, 'b');
  git(parent, ['clone', '-q', origin, a]);
  git(parent, ['clone', '-q', origin, b]);
  for (const c of [a, b]) await bead(c, env, ['merge-driver', '--install', '--store', STORE]);
  // B (older clock) creates sase-1 and sase-2; A (newer) creates only sase-1, so A's bead must move past sase-2.
  await bead(b, envFor(home, 'bob@example.com'), ['create', 'Bob one', '--store', STORE]);
  await bead(b, envFor(home, 'bob@example.com'), ['create', 'Bob two', '--store', STORE]);
  git(b, ['add', '-A']);
  git(b, ['commit', '-q', '-m', 'bob']);
  await new Promise((r) => setTimeout(r, 1100));
  await bead(a, envFor(home, 'alice@example.com'), ['create', 'Alice one', '--store', STORE]);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'alice']);
  git(a, ['pull', '-q', '--no-rebase', '--no-edit', b, 'main'], env);
  assert.equal(git(a, ['status', '--porcelain']), '');
  const list = await bead(a, env, ['list', '--all', '--store', STORE]);
  const ids = new Map<string, string>(list.beads.map((x: any) => [x.title, x.id]));
  assert.equal(ids.get('Bob one'), 'sase-1');
  assert.equal(ids.get('Bob two'), 'sase-2');
  assert.equal(ids.get('Alice one'), 'sase-3');
  const doctor = await runBin('sase', ['bead', 'doctor', '--store', STORE, '--json'], { cwd: a, env });
  assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
});

test('parallel bead commits are serialised into a linear history with every file committed once', { timeout: 60_000 }, async (t) => {
  const repo = gitRepo(t, { 'README.md': '# x\n' });
  const env = { ...process.env, ...envFor(repo, 'x') };
  const n = 6;
  for (let i = 0; i < n; i++) writeFileSync(join(repo, `s${i}.jsonl`), `${i}\n`);
  const results = await Promise.all(Array.from({ length: n }, (_, i) => commitBeadMutation(repo, [`s${i}.jsonl`], 'create', [`sase-${i}`], { env })));
  assert.ok(results.every((r) => r.committed));
  const log = git(repo, ['log', '--format=%s', '--first-parent']).split('\n');
  assert.equal(log.length, n + 1);
  for (let i = 0; i < n; i++) assert.equal(log.filter((s) => s === `chore(beads): create sase-${i}`).length, 1);
  assert.equal(git(repo, ['status', '--porcelain']), '');
});
