import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendJsonl,
  parseFrontmatter,
  parseJsonl,
  readJson,
  readJsonl,
  stringifyFrontmatter,
  withLock,
  writeJsonAtomic,
  writeOnce,
} from '../../lib/store/index.js';
import { expandUser, saseHome, xdgStateHome } from '../../lib/store/paths.js';
import { BUILD_ROOT, tmpdir } from '../helpers/index.js';

test('writeJsonAtomic writes pretty JSON with a trailing newline and leaves no temp files', async (t) => {
  const dir = tmpdir(t);
  const p = join(dir, 'sub', 'state.json');
  await writeJsonAtomic(p, { schema_version: 1, b: [1, 2] });
  assert.equal(readFileSync(p, 'utf8'), '{\n  "schema_version": 1,\n  "b": [\n    1,\n    2\n  ]\n}\n');
  await writeJsonAtomic(p, { schema_version: 1 });
  assert.deepEqual(await readJson(p), { schema_version: 1 });
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['state.json']);
});

test('readJson reports the file and line of a syntax error, and a fallback for a missing file', async (t) => {
  const dir = tmpdir(t, { 'bad.json': '{\n  "a": 1,\n  oops\n}\n' });
  await assert.rejects(readJson(join(dir, 'bad.json')), (e: any) => e.code === 'INVALID' && /bad\.json:3/.test(e.located));
  assert.deepEqual(await readJson(join(dir, 'missing.json'), { x: 1 }), { x: 1 });
  await assert.rejects(readJson(join(dir, 'missing.json')), (e: any) => e.code === 'NOT_FOUND');
});

test('writeOnce refuses a second writer with CONFLICT', async (t) => {
  const dir = tmpdir(t);
  const p = join(dir, 'response.json');
  await writeOnce(p, '{"a":1}\n');
  await assert.rejects(writeOnce(p, '{"a":2}\n'), (e: any) => e.code === 'CONFLICT');
  assert.equal(readFileSync(p, 'utf8'), '{"a":1}\n');
});

test('JSONL readers skip a torn last line and locate a bad middle line', async (t) => {
  const dir = tmpdir(t);
  const p = join(dir, 'events.jsonl');
  await appendJsonl(p, [{ n: 1 }, { n: 2 }]);
  appendFileSync(p, '{"n": 3, "tor');
  const r = await readJsonl<{ n: number }>(p);
  assert.deepEqual(r.records.map((x) => x.n), [1, 2]);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.torn, true);
  assert.equal(r.problems[0]!.line, 3);
  const mid = parseJsonl('{"a":1}\nnope\n{"a":2}\n', 'f.jsonl');
  assert.equal(mid.records.length, 2);
  assert.deepEqual(mid.problems.map((p) => [p.line, p.torn]), [[2, false]]);
  writeFileSync(p, '{"a":1}\nnope\n{"a":2}\n');
  await assert.rejects(readJsonl(p, true), (e: any) => e.code === 'INVALID' && e.location.line === 2);
});

test('frontmatter documents round-trip and YAML errors name the file and line', () => {
  const doc = parseFrontmatter('---\nname: foo\ninput:\n  - name: a\n---\nHello {{ a }}\n', 'x.md');
  assert.equal(doc.hasFrontmatter, true);
  assert.deepEqual(doc.data, { name: 'foo', input: [{ name: 'a' }] });
  assert.equal(doc.body, 'Hello {{ a }}\n');
  assert.equal(doc.bodyLine, 6);
  const plain = parseFrontmatter('just text\n', 'y.md');
  assert.equal(plain.hasFrontmatter, false);
  assert.equal(plain.body, 'just text\n');
  assert.throws(
    () => parseFrontmatter('---\nname: foo\ninput: [a, b\n---\nbody\n', 'z.md'),
    (e: any) => e.code === 'INVALID' && e.location.file === 'z.md' && e.location.line >= 2,
  );
  assert.throws(() => parseFrontmatter('---\n- a\n- b\n---\nbody\n', 'l.md'), (e: any) => /mapping/.test(e.message));
  const text = stringifyFrontmatter({ name: 'foo' }, 'Body\n');
  assert.equal(parseFrontmatter(text, 'r.md').data.name, 'foo');
});

test('withLock serialises holders and reports LOCKED without --wait', async (t) => {
  const dir = tmpdir(t);
  const target = join(dir, 'store');
  let inside = 0;
  let maxInside = 0;
  const holder = async () =>
    withLock(
      target,
      async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((r) => setTimeout(r, 20));
        inside--;
      },
      { wait: true },
    );
  await Promise.all([holder(), holder(), holder(), holder()]);
  assert.equal(maxInside, 1);
  await withLock(target, async () => {
    await assert.rejects(withLock(target, async () => 1), (e: any) => e.code === 'LOCKED');
  });
});

test('a lock left by a dead process is recovered once stale', async (t) => {
  const dir = tmpdir(t);
  const target = join(dir, 'store');
  // A real process takes the lock and is SIGKILLed while holding it.
  const script = `import('${BUILD_ROOT}/lib/store/lock.js').then(m => m.withLock(${JSON.stringify(target)}, () => { process.stdout.write('held\\n'); return new Promise(() => {}); }, { staleMs: 2000 }))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res) => child.stdout.once('data', () => res()));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const got = await withLock(target, async () => 'recovered', { wait: true, timeoutMs: 15_000, staleMs: 2000 });
  assert.equal(got, 'recovered');
});

test('paths honour SASE_HOME, XDG_STATE_HOME and expand ~ and $VARS', () => {
  assert.equal(saseHome({ HOME: '/h' }), '/h/.sase');
  assert.equal(saseHome({ HOME: '/h', SASE_HOME: '/s' }), '/s');
  assert.equal(xdgStateHome({ HOME: '/h' }), '/h/.local/state');
  assert.equal(xdgStateHome({ HOME: '/h', XDG_STATE_HOME: 'relative' }), '/h/.local/state');
  assert.equal(xdgStateHome({ HOME: '/h', XDG_STATE_HOME: '/x' }), '/x');
  assert.equal(expandUser('~/a/$FOO/${BAR}/$NOPE', { HOME: '/h', FOO: 'f', BAR: 'b' }), '/h/a/f/b/$NOPE');
});
