/**
 * Where xprompt definitions come from, in precedence order (first wins). Seed-era order of spec/xprompts.md §3.1,
 * with this toolkit's per-call additions in front:
 *
 *  1. `extra`    — `--xprompts-dir` directories, then `$SASE_XPROMPT_PATH` (colon-separated)
 *  2. `project`  — `<cwd>/.xprompts/`, `<cwd>/xprompts/` (then the same under the project root when it differs);
 *                  auto-namespaced `<project>/<name>` when a project is detected (§3.2)
 *  3. `user`     — `~/.xprompts/`, `~/xprompts/`, `~/.config/sase/xprompts/<project>/` (files become `<project>/…`)
 *  4. `config`   — `xprompts:` in sase.yml: `$SASE_CONFIG`, then the project sase.yml (auto-namespaced), then the
 *                  user sase.yml
 *  5. `plugin`   — `plugins:` in sase.yml: directories or installed npm packages holding an `xprompts/` folder
 *                  (disabled by `SASE_DISABLE_PLUGINS` / `SASE_DISABLE_PLUGIN_XPROMPTS`)
 *  6. `built-in` — the package's `xprompts/` folder
 *
 * This module only computes locations (cheap fs checks, no YAML).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, isAbsolute } from 'node:path';
import { assetPath } from '../package.js';
import { expandUser, type Env, findRepoRoot, findUp, homeDir, xdgConfigHome } from '../store/paths.js';
import type { SourceBucket } from './types.js';

/** A directory of definition files. */
export interface DirSource {
  type: 'dir';
  bucket: SourceBucket;
  path: string;
  /** Namespace prefixed to every name found here (`<project>`), or null. */
  namespace: string | null;
}

/** The `xprompts:` mapping of one sase.yml layer. */
export interface ConfigSource {
  type: 'config';
  bucket: 'config';
  /** The sase.yml file. */
  path: string;
  scope: 'user' | 'project' | 'env';
  namespace: string | null;
}

/** One place definitions are read from. */
export type XpromptSource = DirSource | ConfigSource;

/** A sase.yml layer as lib/config returns it. */
export interface ConfigLayerLike {
  scope: 'user' | 'project' | 'env';
  path: string;
  data: Record<string, unknown>;
}

/** Inputs of {@link discoverSources}. */
export interface DiscoveryOptions {
  cwd: string;
  env: Env;
  /** Extra directories for this call (`--xprompts-dir`), highest precedence, relative to `cwd`. */
  extraDirs?: string[];
  /** Config layers (lib/config `loadConfig().layers`); used for `xprompts:`, `plugins:` and `project:`. */
  layers?: ConfigLayerLike[];
  /** Project name for auto-namespacing; default: detected ({@link detectProject}). `null` disables. */
  project?: string | null;
  /** Override of the built-in directory (default: the package's `xprompts/`). */
  builtinDir?: string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const PROJECT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Detects the project name used to namespace project xprompts: config `project:` (a string or `{name}`; the
 * innermost layer wins), else the nearest `.sase/checkout.json` (`project` / `project_name`) above `cwd`
 * (spec/runtime.md "CWD-based project inference"). Names that are not identifiers are ignored (they could not be
 * referenced). Returns null when none is found.
 */
export function detectProject(cwd: string, layers: ConfigLayerLike[] = []): string | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const p = layers[i]!.data.project;
    const name = typeof p === 'string' ? p : p && typeof p === 'object' ? (p as Record<string, unknown>).name : undefined;
    if (typeof name === 'string' && PROJECT_RE.test(name)) return name;
  }
  const root = findUp(cwd, [join('.sase', 'checkout.json')]);
  if (root) {
    try {
      const data = JSON.parse(readFileSync(join(root, '.sase', 'checkout.json'), 'utf8')) as Record<string, unknown>;
      const name = data.project ?? data.project_name;
      if (typeof name === 'string' && PROJECT_RE.test(name)) return name;
    } catch {
      // unreadable marker: no project
    }
  }
  return null;
}

/** The sase.yml files lib/config would read for `cwd` (whether or not they exist), in layer order, with their scope. */
export function configCandidates(cwd: string, env: Env): Array<{ path: string; scope: ConfigLayerLike['scope'] }> {
  const out: Array<{ path: string; scope: ConfigLayerLike['scope'] }> = [{ path: join(xdgConfigHome(env), 'sase', 'sase.yml'), scope: 'user' }];
  const root = findRepoRoot(cwd) ?? findUp(cwd, ['sase.yml']);
  if (root) out.push({ path: join(root, 'sase.yml'), scope: 'project' });
  if (env.SASE_CONFIG) out.push({ path: env.SASE_CONFIG, scope: 'env' });
  return out;
}

function truthyEnv(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function pluginDirs(layers: ConfigLayerLike[], cwd: string, env: Env): string[] {
  if (truthyEnv(env.SASE_DISABLE_PLUGINS) || truthyEnv(env.SASE_DISABLE_PLUGIN_XPROMPTS)) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const raw = layer.data.plugins;
    const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.keys(raw) : [];
    for (const item of list) {
      const spec = typeof item === 'string' ? item : item && typeof item === 'object' ? (item as Record<string, unknown>).path ?? (item as Record<string, unknown>).name : undefined;
      if (typeof spec !== 'string' || spec === '') continue;
      let dir: string | null = null;
      const expanded = expandUser(spec, env);
      if (isAbsolute(expanded) || spec.startsWith('.') || spec.startsWith('~')) {
        dir = resolve(dirname(layer.path), expanded);
      } else {
        const found = findUp(cwd, [join('node_modules', spec, 'package.json')]);
        if (found) dir = join(found, 'node_modules', spec);
      }
      if (!dir) continue;
      const x = isDir(join(dir, 'xprompts')) ? join(dir, 'xprompts') : dir;
      if (!seen.has(x) && isDir(x)) {
        seen.add(x);
        out.push(x);
      }
    }
  }
  return out;
}

/**
 * Lists the definition sources visible from `opts.cwd`, highest precedence first (see the module comment).
 * Missing directories are left out. Never throws for missing paths.
 */
export function discoverSources(opts: DiscoveryOptions): XpromptSource[] {
  const { cwd, env } = opts;
  const layers = opts.layers ?? [];
  const project = opts.project === undefined ? detectProject(cwd, layers) : opts.project;
  const out: XpromptSource[] = [];
  const seen = new Set<string>();
  const addDir = (bucket: SourceBucket, p: string, namespace: string | null): void => {
    const abs = resolve(cwd, expandUser(p, env));
    if (seen.has(abs) || !isDir(abs)) return;
    seen.add(abs);
    out.push({ type: 'dir', bucket, path: abs, namespace });
  };
  for (const d of opts.extraDirs ?? []) addDir('extra', d, null);
  for (const d of (env.SASE_XPROMPT_PATH ?? '').split(':')) if (d !== '') addDir('extra', d, null);
  addDir('project', join(cwd, '.xprompts'), project);
  addDir('project', join(cwd, 'xprompts'), project);
  const root = findRepoRoot(cwd);
  if (root && root !== cwd) {
    addDir('project', join(root, '.xprompts'), project);
    addDir('project', join(root, 'xprompts'), project);
  }
  const home = homeDir(env);
  addDir('user', join(home, '.xprompts'), null);
  addDir('user', join(home, 'xprompts'), null);
  if (project) addDir('user', join(xdgConfigHome(env), 'sase', 'xprompts', project), project);
  const order: Array<ConfigLayerLike['scope']> = ['env', 'project', 'user'];
  for (const scope of order) {
    for (const layer of layers) {
      if (layer.scope !== scope || layer.data.xprompts === undefined) continue;
      out.push({ type: 'config', bucket: 'config', path: layer.path, scope, namespace: scope === 'project' ? project : null });
    }
  }
  for (const d of pluginDirs(layers, cwd, env)) addDir('plugin', d, null);
  addDir('built-in', opts.builtinDir ?? assetPath('xprompts'), null);
  return out;
}
