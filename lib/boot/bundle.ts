/**
 * Build step (`npm run build`, after tsc): bundles the compiled CLI (`dist/lib/boot/entry.js` and everything it
 * imports, npm packages included) into one CommonJS file, `dist/bundle/cli.cjs`, started by lib/boot/loader.cts.
 * See docs/adr/0006-bundle-and-code-cache.md.
 *
 * The bundle is the same compiled code as `dist/lib`, rewritten only where a module refers to itself:
 * - `import.meta.url` becomes the URL of the module's own file in `dist/lib` (so package paths, `createRequire` and
 *   "am I the main script" checks behave as in the ES-module build);
 * - `const spec = './x.js'; … import(spec)` (a lazy import kept out of sight of the type checker's layering)
 *   becomes `import('./x.js')`, so the module is bundled and loaded lazily instead of as a second copy.
 * - `import('node:x')` becomes `Promise.resolve(require('node:x'))` (a builtin), and any other `import(expr)` (a
 *   user's plugin, found at run time) calls `__sase_import`, which the loader passes in: dynamic `import()` inside
 *   `vm.Script` code would need an experimental Node flag.
 * - `requireLazy('pkg')` (a package loaded synchronously on first use through `createRequire`: yaml, gray-matter,
 *   proper-lockfile, write-file-atomic) becomes `require('pkg')`, so the package is bundled too, still evaluated
 *   only on first use, and its code lands in the code cache.
 * Modules reached only through `import()` stay lazy: esbuild evaluates them on first use.
 *
 * Usage: `node dist/lib/boot/bundle.js [buildRoot]` (default: the `dist/` this file belongs to). Exit code 1 when
 * esbuild reports an error.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { BUNDLE_MARK, IMPORT_HOOK } from './loader.cjs';


/** esbuild plugin: the two self-references of a compiled module (see the module docs), for files under `libDir`. */
function selfReferences(libDir: string, outDir: string): Plugin {
  return {
    name: 'sase-self-references',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(libDir + sep)) return undefined;
        let src = readFileSync(args.path, 'utf8');
        if (src.includes('import.meta.url')) {
          const rel = relative(outDir, args.path).split(sep).join('/');
          src = src.replaceAll('import.meta.url', `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(rel)})).href`);
        }
        for (const m of src.matchAll(/const (\w+) = '(\.{1,2}\/[\w./-]+\.js)';/g)) {
          src = src.replaceAll(`import(${m[1]})`, `import(${JSON.stringify(m[2])})`);
        }
        src = src.replace(/\brequireLazy\((['"][\w@/.-]+['"])\)/g, 'require($1)');
        src = src.replace(/\bimport\((['"])(node:[\w/]+)\1\)/g, 'Promise.resolve(require($1$2$1))');
        src = src.replace(/\bimport\((?!['"])/g, `${IMPORT_HOOK}(`);
        return { contents: src, loader: 'js' };
      });
    },
  };
}

/**
 * Builds `<buildRoot>/bundle/cli.cjs` from `<buildRoot>/lib/boot/entry.js`: first line `// sase-bundle <id>` (id =
 * first 16 hex digits of the SHA-256 of the rest), all ASCII, written as a temporary file renamed into place.
 * @returns the bundle's path and build id
 * @throws Error when esbuild fails (its messages name file and line)
 */
export async function buildBundle(buildRoot: string): Promise<{ path: string; id: string }> {
  const outDir = join(buildRoot, 'bundle');
  const out = await build({
    entryPoints: [join(buildRoot, 'lib', 'boot', 'entry.js')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    outfile: join(outDir, 'cli.cjs'),
    plugins: [selfReferences(join(buildRoot, 'lib'), outDir)],
    logLevel: 'warning',
  });
  // Pure ASCII, so the loader reads it as latin1 (a one-byte string, no UTF-8 decoding): esbuild escapes strings,
  // and a `\uXXXX` escape means the same character in the regex literals and comments it leaves as they are.
  const code = out.outputFiles[0]!.text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const path = join(outDir, 'cli.cjs');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${path}.tmp`, `${BUNDLE_MARK}${id}\n${code}`);
  renameSync(`${path}.tmp`, path);
  return { path, id };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
  buildBundle(root).then(
    (r) => process.stdout.write(`bundle ${relative(process.cwd(), r.path)} (${r.id})\n`),
    (e: Error) => {
      process.stderr.write(`bundle: ${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
