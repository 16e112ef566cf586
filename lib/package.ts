/**
 * Facts about the installed sase package: its root directory (where `templates/`, `xprompts/` and `dist/` live)
 * and its version. Works from the compiled `dist/lib/package.js`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
  return dir;
}

/**
 * Absolute path of the package root (the nearest directory above this module holding package.json), so it works
 * from `dist/lib/` and from any other build output directory inside the checkout.
 */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of the compiled output root this module runs from (the directory holding `lib/` and `bin/`). */
export const BUILD_ROOT: string = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Absolute path of the compiled binary `name` of this build as package.json installs it: the CLI binaries are
 * `<BUILD_ROOT>/bin/<name>.cjs` (fast start from the bundle, lib/boot/loader.cts), the others
 * `<BUILD_ROOT>/bin/<name>.js`, e.g. `binScript('sase-runner')` (spawned detached by launches, ticks and the bead
 * merge driver).
 */
export function binScript(name: string): string {
  const cjs = join(BUILD_ROOT, 'bin', `${name}.cjs`);
  return existsSync(cjs) ? cjs : join(BUILD_ROOT, 'bin', `${name}.js`);
}

/** Absolute path of a file or directory shipped with the package, e.g. `assetPath('xprompts')`. */
export function assetPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

let cachedVersion: string | undefined;

/** The package version from package.json (read once). */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}
