/**
 * sase.yml configuration: the user layer (`$XDG_CONFIG_HOME/sase/sase.yml`, default `~/.config/sase/sase.yml`) and
 * the project layer (`sase.yml` at the root of the enclosing git repo, else the nearest directory above the cwd
 * holding one). `SASE_CONFIG` names an extra file that overrides both (useful for tests and scripts).
 *
 * Merge rule: later layers override earlier ones key by key; mappings merge recursively, lists and scalars are
 * replaced. Order: user → project → SASE_CONFIG. Callers that need per-layer semantics (xprompt discovery lists
 * project config before user config) read `layers` directly.
 */
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type YAMLType from 'yaml';
import { InvalidDataError } from '../errors/index.js';
import { findRepoRoot, findUp, xdgConfigHome, type Env } from '../store/paths.js';
import { readTextOrNull } from '../store/text.js';

/** One configuration file that was found and parsed. */
export interface ConfigLayer {
  scope: 'user' | 'project' | 'env';
  path: string;
  data: Record<string, unknown>;
}

/** All layers and their merge. */
export interface LoadedConfig {
  layers: ConfigLayer[];
  merged: Record<string, unknown>;
  /** Root of the project (git repo root, or the directory of the project sase.yml); null outside any project. */
  projectRoot: string | null;
}

const requireLazy = createRequire(import.meta.url);
let yamlLib: typeof YAMLType | undefined;

function readLayer(path: string, scope: ConfigLayer['scope']): ConfigLayer | null {
  const text = readTextOrNull(path);
  if (text === null) return null;
  const doc = (yamlLib ??= requireLazy('yaml') as typeof YAMLType).parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    throw new InvalidDataError(`invalid YAML: ${err.message.split('\n')[0]}`, {
      location: { file: path, line: err.linePos?.[0]?.line, column: err.linePos?.[0]?.col },
    });
  }
  const data = (doc.toJS() ?? {}) as unknown;
  if (typeof data !== 'object' || Array.isArray(data) || data === null) {
    throw new InvalidDataError('sase.yml must be a YAML mapping', { location: { file: path, line: 1 } });
  }
  return { scope, path, data: data as Record<string, unknown> };
}

/** Deep-merges `over` into a copy of `base` (mappings recurse; everything else replaces). */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (isMapping(b) && isMapping(v)) out[k] = mergeConfig(b, v);
    else out[k] = v;
  }
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Loads the configuration layers visible from `cwd`.
 * @throws InvalidDataError (file, line) when a sase.yml is not valid YAML or not a mapping
 */
export function loadConfig(cwd: string, env: Env): LoadedConfig {
  const layers: ConfigLayer[] = [];
  const user = readLayer(join(xdgConfigHome(env), 'sase', 'sase.yml'), 'user');
  if (user) layers.push(user);
  const projectRoot = findRepoRoot(cwd) ?? findUp(cwd, ['sase.yml']);
  if (projectRoot) {
    const project = readLayer(join(projectRoot, 'sase.yml'), 'project');
    if (project) layers.push(project);
  }
  if (env.SASE_CONFIG) {
    const extra = readLayer(env.SASE_CONFIG, 'env');
    if (extra) layers.push(extra);
  }
  let merged: Record<string, unknown> = {};
  for (const l of layers) merged = mergeConfig(merged, l.data);
  return { layers, merged, projectRoot };
}

/**
 * The merged configuration visible from `cwd` for work that runs later or in the background (a runner, a tick,
 * bead work), where a broken or unreadable sase.yml must not stop the run: `{}` then. Interactive commands use
 * {@link loadConfig} and report the error (file, line).
 */
export function mergedConfigOrEmpty(cwd: string, env: Env): Record<string, unknown> {
  try {
    return loadConfig(cwd, env).merged;
  } catch {
    return {};
  }
}
