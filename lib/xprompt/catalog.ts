/**
 * The xprompt catalog: every visible definition, resolved by SASE's precedence (first source wins; each winner
 * records what it shadows): scanning directories, namespacing, precedence and `loadCatalog`. spec/xprompts.md §3
 * (sources, namespaces), §1.5 (`#` / `#!` prefixes). Sources come from discovery.ts.
 *
 * Start-up matters (`sase xprompt list` is benchmarked against `node -e 0`): parsed files are cached per file
 * (path, mtime, size) in `$SASE_HOME/cache/xprompt-files.json` (catalog-cache.ts), so a warm run reads one JSON file
 * and stats the definition files; `yaml` and the loader are imported only on a cache miss (sase.yml files are cached
 * the same way, keeping only the keys the catalog reads).
 * Set `SASE_XPROMPT_CACHE=0` to disable the cache.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSaseError } from '../errors/index.js';
import { expandUser, type Env } from '../store/paths.js';
import { type CacheEntry, configKey, jsonSafe, readCache, writeCache } from './catalog-cache.js';
import { configCandidates, type ConfigLayerLike, discoverSources, type XpromptSource } from './discovery.js';
import type { FileDef, ParsedSource } from './loader.js';
import type { Catalog, LoadIssue, SourceBucket, XpromptDef } from './types.js';

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
 * Loads the catalog visible from `opts.cwd`: discovers sources (`discoverSources`, discovery.ts), parses each definition
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
