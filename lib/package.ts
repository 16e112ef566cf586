/**
 * Facts about the installed sase package: its root directory (where `templates/`, `xprompts/` and `dist/` live)
 * and its version. Works from the compiled `dist/lib/package.js`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the package root (the directory holding package.json). */
export const PACKAGE_ROOT: string = resolve(fileURLToPath(new URL('../../', import.meta.url)));

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
