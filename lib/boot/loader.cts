/**
 * Fast start of the sase CLI binaries (docs/adr/0006-bundle-and-code-cache.md).
 *
 * `dist/bin/<name>.cjs` calls {@link boot}. It runs the CLI from one CommonJS bundle of the compiled ES modules
 * (`dist/bundle/cli.cjs`, built by lib/boot/bundle.ts) through `vm.Script` with a V8 code cache, so a start-up skips
 * both the ES-module loader (resolve, read, compile and link per module) and most of the compiling. When the bundle
 * is missing, or older than the last `tsc` output (a build without the bundle step), it imports the ES-module entry
 * `dist/bin/<name>.js` instead: same code, slower start.
 *
 * The code cache is one file per build, Node version and command (binary plus up to two command words, e.g.
 * `sase-xprompt-expand`), so each holds the functions its command runs. It is written when a run ends with exit code 0
 * and had none (or V8 rejected it), and rewritten when a run compiled notably more than the cache holds (see
 * {@link CACHE_GROWTH_BYTES}), as a temporary file renamed into place; a cache that cannot be read or written is simply
 * not used. Directory: `$SASE_CODE_CACHE_DIR`, else `$XDG_CACHE_HOME/sase/v8`, else `~/.cache/sase/v8`. Writing
 * prunes the files of all but the {@link KEEP_BUILDS} most recent builds. `SASE_NO_CODE_CACHE=1` turns the cache
 * off; `SASE_NO_BUNDLE=1` runs the ES-module entry.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** The bundle's first line: `// sase-bundle <build id>` (the id is a hash of the rest; lib/boot/bundle.ts). */
export const BUNDLE_MARK = '// sase-bundle ';

/** Name of the dynamic-import function the loader passes into the bundle (lib/boot/bundle.ts rewrites `import(expr)` to it). */
export const IMPORT_HOOK = '__sase_import';

/** Code caches of this many most recent builds survive a prune (a second checkout keeps its cache). */
export const KEEP_BUILDS = 3;

/** `dist/` of this build (this file is `dist/lib/boot/loader.cjs`). */
const BUILD_ROOT = join(__dirname, '..', '..');

/** Path of the bundle of this build. */
export const BUNDLE_PATH = join(BUILD_ROOT, 'bundle', 'cli.cjs');

/** What the bundle exports (lib/boot/entry.ts). */
interface BundleExports {
  start(bin: string): Promise<void>;
}

/**
 * Starts CLI binary `bin` (e.g. `'sase-bead'`): from the bundle with the code cache when it is usable, else from the
 * ES-module entry `dist/bin/<bin>.js`. An error of the command itself surfaces as from the ES-module entry (an
 * unhandled rejection: message on stderr, exit code 1).
 */
export function boot(bin: string): void {
  const env = process.env;
  const bundle = env.SASE_NO_BUNDLE === '1' ? null : loadBundle(bin, env);
  if (bundle) {
    void bundle.start(bin);
    return;
  }
  void import(pathToFileURL(join(BUILD_ROOT, 'bin', `${bin}.js`)).href);
}

/** The bundle's source when it exists and is not older than the last tsc output (`dist/.tsbuildinfo`), else null. */
function readFreshBundle(): string | null {
  const bundle = statSync(BUNDLE_PATH, { throwIfNoEntry: false });
  if (!bundle) return null;
  const info = statSync(join(BUILD_ROOT, '.tsbuildinfo'), { throwIfNoEntry: false });
  if (info && info.mtimeMs > bundle.mtimeMs) return null;
  try {
    return readFileSync(BUNDLE_PATH, 'latin1'); // the bundle is ASCII (lib/boot/bundle.ts)
  } catch {
    return null;
  }
}

/**
 * Cache file name for this build, Node and command: `<build id>-<node version>-<arch>-<bin>[-<word>[-<word>]]`.
 * Command words are the leading arguments that look like nouns or verbs (lower-case letters, digits, dashes), so a
 * prompt or a path never becomes part of a name.
 */
export function cacheName(id: string, bin: string, argv: readonly string[]): string {
  const words = [bin];
  for (const a of argv.slice(2, 4)) {
    if (!/^[a-z][a-z0-9-]{0,23}$/.test(a)) break;
    words.push(a);
  }
  return `${id}-${process.version}-${process.arch}-${words.join('-')}.bin`;
}

/** The code-cache directory (see the module docs), or null when the cache is off or no home is known. */
export function cacheDir(env: NodeJS.ProcessEnv): string | null {
  if (env.SASE_NO_CODE_CACHE === '1') return null;
  if (env.SASE_CODE_CACHE_DIR) return env.SASE_CODE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : '');
  return base ? join(base, 'sase', 'v8') : null;
}

/**
 * The bundle's `import()` of a module found at run time (a user's plugin: an absolute file URL or a package name),
 * done from this real CommonJS module: `import()` inside `vm.Script` code needs an experimental flag on Node 20.
 */
function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** First bytes of a code-cache file: magic, then the writer's bytecode total (uint32 LE), then V8's data. */
const CACHE_MAGIC = 'SV8\x01';
const CACHE_HEADER_BYTES = 8;

/**
 * A run that compiled this many more bytes of bytecode than the run that wrote the cache extends the cache: the
 * new cache holds what both ran (the functions taken from the cache stay compiled), so a command's variants (a
 * template with Jinja, `--json`) converge on one cache.
 */
export const CACHE_GROWTH_BYTES = 16 * 1024;

/**
 * One run in this many checks, at exit, whether it compiled notably more than the cache holds (reading V8's heap
 * statistics costs 1–2 ms, so not every run pays it); `SASE_CODE_CACHE_CHECK=1` checks every run.
 */
export const CACHE_CHECK_ONE_IN = 4;

/** A cache file split into its header's bytecode total and V8's data; null for a file without the header. */
export function parseCacheFile(buf: Buffer): { total: number; data: Buffer } | null {
  if (buf.length <= CACHE_HEADER_BYTES || buf.toString('latin1', 0, 4) !== CACHE_MAGIC) return null;
  return { total: buf.readUInt32LE(4), data: buf.subarray(CACHE_HEADER_BYTES) };
}

/** Bytes of bytecode and metadata in this process's heap now (V8 heap code statistics). */
function bytecodeTotal(): number {
  return (require('node:v8') as typeof import('node:v8')).getHeapCodeStatistics().bytecode_and_metadata_size;
}

/** Compiles and runs the bundle with its code cache; null when there is no usable bundle. */
function loadBundle(bin: string, env: NodeJS.ProcessEnv): BundleExports | null {
  const src = readFreshBundle();
  if (src === null || !src.startsWith(BUNDLE_MARK)) return null;
  const id = src.slice(BUNDLE_MARK.length, src.indexOf('\n')).trim();
  const dir = cacheDir(env);
  const file = dir && /^[0-9a-f]{8,64}$/.test(id) ? join(dir, cacheName(id, bin, process.argv)) : null;
  let cached: { total: number; data: Buffer } | null = null;
  if (file) {
    try {
      cached = parseCacheFile(readFileSync(file));
    } catch {
      cached = null;
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname, ${IMPORT_HOOK}) {${src}\n})`, { filename: BUNDLE_PATH, cachedData: cached?.data });
  if (file && dir) {
    const fresh = !cached || script.cachedDataRejected === true;
    const check = fresh || env.SASE_CODE_CACHE_CHECK === '1' || Math.random() * CACHE_CHECK_ONE_IN < 1;
    if (check) {
      process.once('exit', (code) => {
        if (code !== 0) return;
        const total = bytecodeTotal();
        if (fresh || total > cached!.total + CACHE_GROWTH_BYTES) writeCache(script, total, dir, file, id);
      });
    }
  }
  const mod = { exports: {} as Partial<BundleExports> };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(BUNDLE_PATH), mod, BUNDLE_PATH, join(BUILD_ROOT, 'bundle'), importModule);
  return typeof mod.exports.start === 'function' ? (mod.exports as BundleExports) : null;
}

/**
 * Writes the code cache (header with `total`, then V8's data) as a temporary file renamed into place, then prunes
 * old builds' caches. Never throws.
 */
function writeCache(script: Script, total: number, dir: string, file: string, id: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const header = Buffer.alloc(CACHE_HEADER_BYTES);
    header.write(CACHE_MAGIC, 0, 'latin1');
    header.writeUInt32LE(Math.min(total, 0xffffffff), 4);
    const data = script.createCachedData();
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, Buffer.concat([header, data]));
    renameSync(tmp, file);
    pruneCaches(dir, id);
  } catch {
    // A cache is an optimisation: a read-only or full disk just means the next start compiles again.
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
  }
}

/** Removes the cache files of builds other than the {@link KEEP_BUILDS} most recently written ones (`current` always stays). */
export function pruneCaches(dir: string, current: string): void {
  const newest = new Map<string, number>();
  const files: [string, string][] = [];
  for (const name of readdirSync(dir)) {
    const m = /^([0-9a-f]{8,64})-/.exec(name);
    if (!m) continue;
    const mtime = statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    files.push([m[1]!, name]);
    newest.set(m[1]!, Math.max(newest.get(m[1]!) ?? 0, mtime));
  }
  newest.set(current, Infinity);
  const keep = new Set([...newest].sort((a, b) => b[1] - a[1]).slice(0, KEEP_BUILDS).map(([k]) => k));
  for (const [build, name] of files) {
    if (keep.has(build)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Another process pruned it first.
    }
  }
}
