/**
 * The fast start of the CLI binaries (lib/boot/loader.cts, docs/adr/0006): the bundle runs with a per-command V8
 * code cache, prints exactly what the ES-module entries print, survives a corrupt cache, and falls back to the
 * ES-module entry when the bundle is missing or older than the last tsc output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BUILD_ROOT, binPath, corpusPath, hasCorpus, runBin, tmpdir } from '../helpers/index.js';

const loader = createRequire(import.meta.url)(join(BUILD_ROOT, 'lib', 'boot', 'loader.cjs')) as {
  BUNDLE_MARK: string;
  BUNDLE_PATH: string;
  KEEP_BUILDS: number;
  CACHE_GROWTH_BYTES: number;
  cacheName(id: string, bin: string, argv: readonly string[]): string;
  parseCacheFile(buf: Buffer): { total: number; data: Buffer } | null;
  pruneCaches(dir: string, current: string): void;
};
const bundled = existsSync(loader.BUNDLE_PATH) ? false : 'this build has no bundle (npm run build makes one)';

/** The build id in the first line of this build's bundle. */
function bundleId(): string {
  const first = readFileSync(loader.BUNDLE_PATH, 'utf8').split('\n', 1)[0]!;
  assert.ok(first.startsWith(loader.BUNDLE_MARK), first);
  return first.slice(loader.BUNDLE_MARK.length);
}

test('a cache name holds the build, the Node version and only the command words of the argv', () => {
  const node = `${process.version}-${process.arch}`;
  assert.equal(loader.cacheName('0123abcd', 'sase', ['node', 'sase', 'xprompt', 'expand', '#docs']), `0123abcd-${node}-sase-xprompt-expand.bin`);
  assert.equal(loader.cacheName('0123abcd', 'sase-bead', ['node', 'sase-bead', 'ready', '--json']), `0123abcd-${node}-sase-bead-ready.bin`);
  assert.equal(loader.cacheName('0123abcd', 'sase', ['node', 'sase', 'run', '#cd:/tmp Fix the bug']), `0123abcd-${node}-sase-run.bin`);
  assert.equal(loader.cacheName('0123abcd', 'sase', ['node', 'sase', '../etc/passwd']), `0123abcd-${node}-sase.bin`);
});

test('pruning keeps the caches of the most recent builds and always the current one', (t) => {
  const dir = tmpdir(t);
  const ids = ['aaaaaaaa', 'bbbbbbbb', 'cccccccc', 'dddddddd', 'eeeeeeee'];
  ids.forEach((id, i) => {
    for (const cmd of ['sase-version', 'sase-bead-ready']) {
      const f = join(dir, `${id}-v20-x64-${cmd}.bin`);
      writeFileSync(f, 'x');
      const when = new Date(Date.UTC(2026, 0, 1 + i));
      utimesSync(f, when, when);
    }
  });
  writeFileSync(join(dir, 'unrelated.txt'), 'kept');
  loader.pruneCaches(dir, 'aaaaaaaa'); // the oldest files, but the running build's
  const left = new Set(readdirSync(dir).map((n) => n.split('-')[0]));
  assert.deepEqual([...left].sort(), ['aaaaaaaa', 'dddddddd', 'eeeeeeee', 'unrelated.txt'].sort());
  assert.equal(loader.KEEP_BUILDS, 3);
});

test('a CLI binary writes one code cache per command on success, reuses it, and writes none on failure', { skip: bundled }, async (t) => {
  const cache = tmpdir(t);
  const env = { SASE_CODE_CACHE_DIR: cache };
  const first = await runBin('sase', ['version', '--json'], { env });
  assert.equal(first.code, 0, first.stderr);
  const file = join(cache, `${bundleId()}-${process.version}-${process.arch}-sase-version.bin`);
  assert.deepEqual(readdirSync(cache), [file.slice(cache.length + 1)]);
  const written = statSync(file);
  const second = await runBin('sase', ['version', '--json'], { env });
  assert.equal(second.stdout, first.stdout);
  assert.equal(statSync(file).mtimeMs, written.mtimeMs, 'an accepted cache is not rewritten');
  const bad = await runBin('sase', ['no-such-noun'], { env });
  assert.notEqual(bad.code, 0);
  assert.deepEqual(readdirSync(cache), [file.slice(cache.length + 1)], 'a failed command leaves no cache');
});

test('a corrupt code cache is rejected by V8 and replaced; the command still works', { skip: bundled }, async (t) => {
  const cache = tmpdir(t);
  const file = join(cache, `${bundleId()}-${process.version}-${process.arch}-sase-version.bin`);
  writeFileSync(file, Buffer.alloc(4096, 7));
  const r = await runBin('sase', ['version', '--json'], { env: { SASE_CODE_CACHE_DIR: cache } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.data.name, 'sase');
  assert.notDeepEqual(readFileSync(file), Buffer.alloc(4096, 7));
});

test('the bundle prints exactly what the ES-module entries print', { skip: bundled || (!hasCorpus() && 'no corpus') }, async (t) => {
  const home = tmpdir(t);
  const xdirs = ['xprompts', '.xprompts', join('src', 'sase', 'xprompts')].flatMap((d) => ['--xprompts-dir', corpusPath('xprompts', d)]);
  const cases: [string, string[]][] = [
    ['sase', ['version', '--json']],
    ['sase', ['--help']],
    ['sase', ['xprompt', 'list', '--json', ...xdirs]],
    ['sase', ['xprompt', 'expand', '#summarize(README.md, usage=a tooltip)', ...xdirs]],
    ['sase-bead', ['ready', '--json', '--store', corpusPath('beads')]],
    ['sase-bead', ['show', 'nope', '--store', corpusPath('beads')]],
  ];
  for (const [bin, args] of cases) {
    const env = { HOME: home, SASE_HOME: join(home, '.sase'), SASE_CODE_CACHE_DIR: join(home, 'v8'), SASE_BEAD_NO_CACHE: '1' };
    const fast = await runBin(bin, args, { env });
    const esm = await runBin(bin, args, { env: { ...env, SASE_NO_BUNDLE: '1' } });
    assert.equal(fast.stdout, esm.stdout, `${bin} ${args.join(' ')}`);
    assert.equal(fast.stderr, esm.stderr, `${bin} ${args.join(' ')}`);
    assert.equal(fast.code, esm.code, `${bin} ${args.join(' ')}`);
  }
});

/**
 * A throw-away build: the real loader and `bin/sase.cjs`, a stand-in bundle that reports itself and loads a
 * builtin through the import hook, and a stand-in ES-module entry.
 */
function fakeBuild(root: string): string {
  mkdirSync(join(root, 'lib', 'boot'), { recursive: true });
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'bundle'), { recursive: true });
  copyFileSync(join(BUILD_ROOT, 'lib', 'boot', 'loader.cjs'), join(root, 'lib', 'boot', 'loader.cjs'));
  copyFileSync(binPath('sase'), join(root, 'bin', 'sase.cjs'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(root, 'bin', 'sase.js'), "process.stdout.write('esm\\n');\n");
  // `--big` runs a function of a few thousand statements that no other run compiles (bytecode well over 16 KiB).
  const big = Array.from({ length: 3000 }, (_, i) => `n = (n * 31 + ${i}) % 1000003;`).join(' ');
  writeFileSync(
    join(root, 'bundle', 'cli.cjs'),
    `${loader.BUNDLE_MARK}0123456789abcdef\n` +
      `function big() { let n = 1; ${big} return n; }\n` +
      `exports.start = async (bin) => { const os = await __sase_import('node:os'); ` +
      `process.stdout.write('bundle ' + bin + ' ' + typeof os.cpus + (process.argv.includes('--big') ? ' ' + big() : '') + '\\n'); };\n`,
  );
  return join(root, 'bin', 'sase.cjs');
}

test('a run that compiles much more than the cached runs did extends the cache, once', (t) => {
  const root = tmpdir(t);
  const bin = fakeBuild(root);
  const cache = join(root, 'v8');
  const run = (args: string[]): string => {
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, SASE_CODE_CACHE_DIR: cache, SASE_CODE_CACHE_CHECK: '1' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const header = (): { total: number; size: number; mtime: number } => {
    const [name] = readdirSync(cache);
    const buf = readFileSync(join(cache, name!));
    const parsed = loader.parseCacheFile(buf);
    assert.ok(parsed, 'the cache file has its header');
    return { total: parsed.total, size: buf.length, mtime: statSync(join(cache, name!)).mtimeMs };
  };
  assert.equal(run([]), 'bundle sase function\n');
  const small = header();
  assert.equal(run([]), 'bundle sase function\n');
  assert.equal(header().mtime, small.mtime, 'the same run does not rewrite it');
  assert.match(run(['--big']), /^bundle sase function \d+\n$/);
  const grown = header();
  assert.ok(grown.total > small.total + loader.CACHE_GROWTH_BYTES, `bytecode total ${small.total} → ${grown.total}`);
  assert.ok(grown.size > small.size, 'the new cache holds the big function too');
  assert.match(run(['--big']), /^bundle sase function \d+\n$/);
  assert.equal(header().mtime, grown.mtime, 'a run the cache covers does not rewrite it');
  assert.equal(run([]), 'bundle sase function\n');
  assert.equal(header().mtime, grown.mtime);
});

test('the loader runs a fresh bundle, and the ES-module entry when the bundle is missing, stale or turned off', (t) => {
  const root = tmpdir(t);
  const bin = fakeBuild(root);
  const run = (env: Record<string, string> = {}): string => {
    const r = spawnSync(process.execPath, [bin], { env: { ...process.env, SASE_CODE_CACHE_DIR: join(root, 'v8'), ...env }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  assert.equal(run(), 'bundle sase function\n');
  assert.equal(run(), 'bundle sase function\n', 'second start, from the code cache');
  assert.equal(readdirSync(join(root, 'v8')).length, 1);
  assert.equal(run({ SASE_NO_BUNDLE: '1' }), 'esm\n');
  const later = new Date(Date.now() + 60_000);
  writeFileSync(join(root, '.tsbuildinfo'), '{}');
  utimesSync(join(root, '.tsbuildinfo'), later, later);
  assert.equal(run(), 'esm\n', 'tsc ran after the bundle was built');
  const evenLater = new Date(Date.now() + 120_000);
  utimesSync(join(root, 'bundle', 'cli.cjs'), evenLater, evenLater);
  assert.equal(run(), 'bundle sase function\n');
  writeFileSync(join(root, 'bundle', 'cli.cjs'), 'exports.start = async () => {};\n');
  utimesSync(join(root, 'bundle', 'cli.cjs'), evenLater, evenLater);
  assert.equal(run(), 'esm\n', 'a file without the bundle mark is not run');
});
