/**
 * The xprompt catalog: every visible definition, resolved by SASE's precedence (first source wins; each winner
 * records what it shadows). spec/xprompts.md §3 (sources, namespaces), §1.5 (`#` / `#!` prefixes).
 *
 * Start-up matters (`sase xprompt list` is benchmarked against `node -e 0`): parsed files are cached per file
 * (path, mtime, size) in `$SASE_HOME/cache/xprompt-files.json`, so a warm run reads one JSON file and stats the
 * definition files; `yaml` and the loader are imported only on a cache miss (sase.yml files are cached the same way,
 * keeping only the keys the catalog reads).
 * Set `SASE_XPROMPT_CACHE=0` to disable the cache.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, resolve, isAbsolute } from 'node:path';
import { isSaseError } from '../errors/index.js';
import { packageVersion, assetPath } from '../package.js';
import { expandUser, saseHome, type Env, findRepoRoot, findUp, homeDir, xdgConfigHome } from '../store/paths.js';
import type { FileDef, ParsedSource } from './loader.js';
import type { Catalog, LoadIssue, SourceBucket, XpromptDef } from './types.js';

/*
 * ---- Source discovery (formerly `discovery.ts`).
 *
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

// ---- Parse cache. `$SASE_HOME/cache/xprompt-files.json` maps each definition file (and each
// sase.yml layer) to its mtime, size and parse result, so a warm start reads one JSON file instead of importing
// `yaml` and re-parsing. Derived data: safe to delete; `SASE_XPROMPT_CACHE=0` disables it. (Kept in this module:
// one module less to load at start-up.)

/** Bumped whenever the parsed-file shape or parsing rules change (invalidates caches). */
export const CACHE_SCHEMA = 5;

/** One cached file: its mtime/size when parsed and the parse result. */
export interface CacheEntry {
  /** mtimeMs and size of the file when parsed. */
  m: number;
  s: number;
  r: ParsedSource;
  /** Config files only: the catalog-relevant keys of the layer (`xprompts`, `plugins`, `project`). */
  d?: Record<string, unknown>;
}
/** The cache file `$SASE_HOME/cache/xprompt-files.json`. */
export interface CacheFile {
  schema: number;
  version: string;
  files: Record<string, CacheEntry>;
}

/** Where the parse cache lives. */
export function cachePath(env: Env): string {
  return join(saseHome(env), 'cache', 'xprompt-files.json');
}

/** Reads the cache; null when absent, unreadable, disabled or from another schema/version. */
export function readCache(env: Env): CacheFile | null {
  if (env.SASE_XPROMPT_CACHE === '0') return null;
  try {
    const c = JSON.parse(readFileSync(cachePath(env), 'utf8')) as CacheFile;
    if (c.schema !== CACHE_SCHEMA || c.version !== packageVersion() || typeof c.files !== 'object') return null;
    return c;
  } catch {
    return null;
  }
}

/** Writes the cache atomically (at most 4,000 entries, the most recently added kept); failures are ignored. */
export async function writeCache(env: Env, files: Record<string, CacheEntry>): Promise<void> {
  if (env.SASE_XPROMPT_CACHE === '0') return;
  try {
    const { writeJsonAtomic } = await import('../store/atomic.js');
    mkdirSync(dirname(cachePath(env)), { recursive: true });
    const keys = Object.keys(files);
    const kept: Record<string, CacheEntry> = {};
    for (const k of keys.slice(Math.max(0, keys.length - 4000))) kept[k] = files[k]!;
    await writeJsonAtomic(cachePath(env), { schema: CACHE_SCHEMA, version: packageVersion(), files: kept });
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

/** True when `v` survives a JSON round trip (no NaN/Infinity, functions or class instances; undefined properties just vanish). */
export function jsonSafe(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(v as Record<string, unknown>).every((x) => x === undefined || jsonSafe(x));
  }
  return false;
}

/** Cache key of a config layer's catalog data. */
export function configKey(scope: string, path: string): string {
  return `config:${scope}:${path}`;
}

/*
 * ---- The catalog.
 *
 * Scanning directories, namespacing, precedence (first wins) and `loadCatalog`.
 */
/** Options of {@link loadCatalog}. */
export interface CatalogOptions {
  cwd: string;
  env: Env;
  /**
   * Configuration: lib/config's `LoadedConfig` (its `layers` give exact per-layer precedence), or a plain merged
   * mapping (treated as one highest-precedence layer). Default: loaded from `cwd`/`env` when a sase.yml exists.
   */
  config?: { layers: ConfigLayerLike[] } | Record<string, unknown>;
  /** `--xprompts-dir` directories (highest precedence). */
  extraDirs?: string[];
  /** Project name for auto-namespacing (default: detected); null disables namespacing. */
  project?: string | null;
  /** Override of the built-in directory (tests). */
  builtinDir?: string;
}

/** A catalog backed by a name → definition map. */
export class MapCatalog implements Catalog {
  private readonly byName = new Map<string, XpromptDef>();
  constructor(
    defs: XpromptDef[],
    private readonly problems: LoadIssue[] = [],
    /** The sources searched, highest precedence first (for `explain`/docs). */
    readonly sources: XpromptSource[] = [],
  ) {
    for (const d of defs) this.byName.set(d.name, d);
  }
  /** The winning definition named `name` (`__` is accepted as `/`). */
  get(name: string): XpromptDef | undefined {
    return this.byName.get(name) ?? this.byName.get(name.replace(/__/g, '/'));
  }
  /** All winners, sorted by name. */
  entries(): XpromptDef[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  issues(): LoadIssue[] {
    return this.problems;
  }
}

/** One definition file inside a source directory, with the folder namespace it implies. */
interface FoundFile {
  path: string;
  /** Folder namespace (`ns/sub`, or `skill`/`ref` for `skills/`/`refs/`), '' at the top. */
  folder: string;
  /** Ordering class inside one directory: 0 markdown, 1 workflow, 2 directory config (`xprompts.yml`). */
  rank: number;
}

const SKIP_DIRS = new Set(['steps', 'node_modules', '__pycache__']);
const MAX_DEPTH = 6;

/**
 * Lists definition files under `dir`: `*.md` (not `SKILL.frame.template.md`), `*.yml`/`*.yaml` workflows and a
 * directory config `xprompts.yml` (`.yml` wins over `.yaml`). Sub-folders become namespaces (`review/plan.md` →
 * `review/plan`); top-level `skills/` → `skill/…` and `refs/` → `ref/…`; `steps/` (step-import library), hidden
 * folders and `node_modules` are skipped.
 */
export function scanDir(dir: string, folder = '', depth = 0): FoundFile[] {
  let ents: import('node:fs').Dirent[];
  try {
    ents = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: FoundFile[] = [];
  const sub: FoundFile[] = [];
  const names = new Set(ents.map((e) => e.name));
  for (const e of ents) {
    const p = join(dir, e.name);
    let isFile = e.isFile();
    let isDirectory = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(p);
        isFile = st.isFile();
        isDirectory = st.isDirectory();
      } catch {
        continue;
      }
    }
    if (isDirectory) {
      if (depth >= MAX_DEPTH || e.name.startsWith('.') || SKIP_DIRS.has(e.name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name)) continue;
      const ns = depth === 0 && e.name === 'skills' ? 'skill' : depth === 0 && e.name === 'refs' ? 'ref' : e.name;
      sub.push(...scanDir(p, folder ? `${folder}/${ns}` : ns, depth + 1));
    } else if (isFile) {
      if (e.name === 'xprompts.yml' || (e.name === 'xprompts.yaml' && !names.has('xprompts.yml'))) out.push({ path: p, folder, rank: 2 });
      else if (e.name === 'xprompts.yaml') continue;
      else if (e.name.endsWith('.md') && e.name !== 'SKILL.frame.template.md') out.push({ path: p, folder, rank: 0 });
      else if (e.name.endsWith('.yml') || e.name.endsWith('.yaml')) out.push({ path: p, folder, rank: 1 });
    }
  }
  out.sort((a, b) => a.rank - b.rank);
  return [...out, ...sub];
}

type LoaderModule = typeof import('./loader.js');
type YamlDocModule = typeof import('./yaml-doc.js');

function qualify(def: FileDef, source: SourceBucket, prefix: string, project: string | null): XpromptDef {
  const name = prefix ? `${prefix}/${def.name}` : def.name;
  const out: XpromptDef = { ...def, name, source, shadows: [] };
  if (project) out.project = project;
  if (out.snippet && def.meta.snippet === true) out.snippet = name.split('/').pop();
  return out;
}

function joinNs(...parts: Array<string | null | undefined>): string {
  return parts.filter((p): p is string => !!p).join('/');
}

/**
 * Loads the catalog visible from `opts.cwd`: discovers sources (`discoverSources` above), parses each definition
 * file (cached), namespaces names (project, folder), and resolves clashes first-wins, recording every shadowed
 * definition on the winner. Inside one directory markdown beats workflow YAML beats `xprompts.yml` entries.
 * Malformed files never fail the load: they are skipped and reported by `catalog.issues()`.
 * @throws InvalidDataError only when a sase.yml itself is malformed (from lib/config)
 */
export async function loadCatalog(opts: CatalogOptions): Promise<MapCatalog> {
  const { cwd, env } = opts;
  const cache = readCache(env);
  const cached = cache?.files ?? {};
  const fresh: Record<string, CacheEntry> = { ...cached };
  let dirty = false;
  let layers: ConfigLayerLike[] = [];
  /** Config files whose cached entry is current (their xprompts come from the cache too). */
  const configHits = new Map<string, CacheEntry>();
  if (opts.config && Array.isArray((opts.config as { layers?: unknown }).layers)) {
    layers = (opts.config as { layers: ConfigLayerLike[] }).layers;
  } else if (opts.config) {
    layers = [{ scope: 'env', path: join(cwd, 'sase.yml'), data: opts.config as Record<string, unknown> }];
  } else {
    const present = configCandidates(cwd, env)
      .map((c) => ({ ...c, st: statOrNull(c.path) }))
      .filter((c): c is { path: string; scope: ConfigLayerLike['scope']; st: import('node:fs').Stats } => c.st !== null && c.st.isFile());
    const hits = present.map((c) => {
      const e = cached[configKey(c.scope, c.path)];
      return e && e.m === c.st.mtimeMs && e.s === c.st.size && e.d ? e : null;
    });
    if (present.length > 0 && hits.every((h) => h !== null)) {
      layers = present.map((c, i) => ({ scope: c.scope, path: c.path, data: hits[i]!.d! }));
      present.forEach((c, i) => configHits.set(configKey(c.scope, c.path), hits[i]!));
    } else if (present.length > 0) {
      const { loadConfig } = await import('../config/index.js');
      layers = loadConfig(cwd, env).layers;
    }
  }
  const sources = discoverSources({ cwd, env, layers, extraDirs: opts.extraDirs, project: opts.project, builtinDir: opts.builtinDir });
  let loader: LoaderModule | null = null;
  const issues: LoadIssue[] = [];
  for (const layer of layers) {
    if (layer.data.workflows !== undefined) {
      issues.push({ file: layer.path, message: "top-level 'workflows:' is no longer supported and is ignored; put workflows in .yml files", severity: 'warning' });
    }
  }
  for (const d of opts.extraDirs ?? []) {
    const abs = resolve(cwd, expandUser(d, env));
    if (!statOrNull(abs)?.isDirectory()) issues.push({ file: abs, message: '--xprompts-dir is not a directory (ignored)', severity: 'warning' });
  }
  const candidates: XpromptDef[] = [];

  for (const src of sources) {
    if (src.type === 'dir') {
      for (const f of scanDir(src.path)) {
        const st = statOrNull(f.path);
        if (!st) continue;
        const hit = cached[f.path];
        let parsed: ParsedSource;
        if (hit && hit.m === st.mtimeMs && hit.s === st.size) {
          parsed = hit.r;
        } else {
          loader ??= await import('./loader.js');
          parsed = parseFileSafely(loader, f.path);
          if (jsonSafe(parsed)) {
            fresh[f.path] = { m: st.mtimeMs, s: st.size, r: parsed };
            dirty = true;
          }
        }
        issues.push(...parsed.issues);
        for (const d of parsed.defs) candidates.push(qualify(d, src.bucket, joinNs(src.namespace, f.folder), src.namespace));
      }
    } else {
      const key = configKey(src.scope, src.path);
      const layer = layers.find((l) => l.path === src.path && l.scope === src.scope);
      if (!layer) continue;
      let parsed: ParsedSource;
      const hit = configHits.get(key);
      if (hit) parsed = hit.r;
      else {
        loader ??= await import('./loader.js');
        const yd: YamlDocModule = await import('./yaml-doc.js');
        let doc = null;
        try {
          doc = yd.parseYamlDoc(readFileSync(src.path, 'utf8'), src.path, 1);
        } catch {
          doc = null; // lines are a nicety; the layer data is already parsed
        }
        parsed = loader.parseConfigXprompts(layer.data.xprompts, doc, ['xprompts'], src.path, src.path);
      }
      issues.push(...parsed.issues);
      for (const d of parsed.defs) candidates.push(qualify(d, 'config', src.namespace ?? '', src.namespace));
    }
  }
  if (!opts.config && configHits.size === 0) {
    // Remember the catalog-relevant part of each config layer (and its parsed xprompts) for the next start.
    for (const layer of layers) {
      const st = statOrNull(layer.path);
      if (!st) continue;
      const d: Record<string, unknown> = {};
      for (const k of ['xprompts', 'plugins', 'project']) if (layer.data[k] !== undefined) d[k] = layer.data[k];
      if (layer.data.workflows !== undefined) d.workflows = true; // only its presence matters (a warning)
      let r: ParsedSource = { defs: [], issues: [] };
      if (layer.data.xprompts !== undefined) {
        loader ??= await import('./loader.js');
        const yd: YamlDocModule = await import('./yaml-doc.js');
        let doc = null;
        try {
          doc = yd.parseYamlDoc(readFileSync(layer.path, 'utf8'), layer.path, 1);
        } catch {
          doc = null;
        }
        r = loader.parseConfigXprompts(layer.data.xprompts, doc, ['xprompts'], layer.path, layer.path);
      }
      const entry: CacheEntry = { m: st.mtimeMs, s: st.size, r, d };
      if (jsonSafe(entry)) {
        fresh[configKey(layer.scope, layer.path)] = entry;
        dirty = true;
      }
    }
  }
  if (dirty) await writeCache(env, fresh);

  const winners = new Map<string, XpromptDef>();
  for (const d of candidates) {
    const w = winners.get(d.name);
    if (w) w.shadows.push({ source: d.source, path: d.path ?? (d as FileDef).configFile ?? null });
    else winners.set(d.name, d);
  }
  return new MapCatalog([...winners.values()], issues, sources);
}

function statOrNull(p: string): import('node:fs').Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function parseFileSafely(loader: LoaderModule, path: string): ParsedSource {
  try {
    return loader.loadDefinitionFile(path);
  } catch (e) {
    if (isSaseError(e)) {
      return {
        defs: [],
        issues: [{ file: e.location?.file ?? path, line: e.location?.line, column: e.location?.column, message: e.message, severity: 'error' }],
      };
    }
    const err = e as NodeJS.ErrnoException;
    return { defs: [], issues: [{ file: path, message: `cannot read: ${err.message}`, severity: 'error' }] };
  }
}
