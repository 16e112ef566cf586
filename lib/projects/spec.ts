/**
 * ProjectSpec records: `$SASE_HOME/projects/<project>/project.json` (ARCHITECTURE.md "On-disk layout";
 * header fields from spec/beads-sdd-changespecs.md §C.2). SASE's own `<project>.sase` header is read as a fallback
 * for projects registered by SASE (BARE_REPO_DIR, WORKSPACE_DIR, PROJECT_STATE, PROJECT_ALIASES).
 *
 * Lifecycle (seed 002 "Known-Project VCS Fallback"): `active`, `inactive`, `sibling`. Legacy values read as:
 * `enabled` → active, `disabled|archived|closed` → inactive; missing → active.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidDataError, NotFoundError, UsageError } from '../errors/index.js';
import { readJson } from '../store/json.js';
import { withLock } from '../store/lock.js';
import { writeJsonAtomic } from '../store/atomic.js';
import { saseHome, type Env } from '../store/paths.js';

/** Lifecycle state of a project. */
export type ProjectState = 'active' | 'inactive' | 'sibling';

/** Schema version of project.json. */
export const PROJECT_SCHEMA_VERSION = 1;

/** One project record (`project.json`). Paths are absolute. */
export interface ProjectSpec {
  schema_version: number;
  /** Project name: the directory name under `projects/` and the `<project>` of `<project>_<num>`. */
  name: string;
  state: ProjectState;
  aliases: string[];
  /** Workflow type that owns the project (`git` for bare-git projects; plugins add theirs). */
  workflow_type: string;
  /** The bare repository every checkout clones from. */
  bare_repo_dir: string | null;
  /** The primary checkout (#0). */
  workspace_dir: string | null;
  /** Explicit managed-root namespace; null = derived (remote slug or basename + hash). */
  project_key: string | null;
  /** ISO-8601 UTC. */
  created_at: string;
  updated_at: string;
  /** When the generated SDD guide files were committed (once per project), or null. */
  sdd_initialized_at: string | null;
  /** Where the record came from: `project.json` or a SASE `.sase` file (read-only). */
  source?: string;
}

/** Valid project names: no slash, no leading dot (SASE rejects dot-leading names, §C.2). */
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** True when `name` can name a project. */
export function isValidProjectName(name: string): boolean {
  return NAME_RE.test(name) && !name.endsWith('.lock');
}

/** `$SASE_HOME/projects`. */
export function projectsDir(env: Env): string {
  return join(saseHome(env), 'projects');
}

/** `$SASE_HOME/projects/<name>/project.json`. */
export function projectFile(env: Env, name: string): string {
  return join(projectsDir(env), name, 'project.json');
}

/** Normalises a stored or legacy state string (§C.2): unknown values read as active. */
export function normalizeState(raw: unknown): ProjectState {
  const v = String(raw ?? '').trim().toLowerCase();
  if (v === 'inactive' || v === 'disabled' || v === 'archived' || v === 'closed') return 'inactive';
  if (v === 'sibling') return 'sibling';
  return 'active';
}

function fromJson(raw: Record<string, unknown>, file: string): ProjectSpec {
  if (typeof raw.name !== 'string' || raw.name === '') {
    throw new InvalidDataError('project.json has no name', { location: { file, field: 'name' } });
  }
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    schema_version: typeof raw.schema_version === 'number' ? raw.schema_version : PROJECT_SCHEMA_VERSION,
    name: raw.name,
    state: normalizeState(raw.state),
    aliases: Array.isArray(raw.aliases) ? raw.aliases.filter((a): a is string => typeof a === 'string') : [],
    workflow_type: str(raw.workflow_type) ?? 'git',
    bare_repo_dir: str(raw.bare_repo_dir),
    workspace_dir: str(raw.workspace_dir),
    project_key: str(raw.project_key),
    created_at: str(raw.created_at) ?? '',
    updated_at: str(raw.updated_at) ?? '',
    sdd_initialized_at: str(raw.sdd_initialized_at),
    source: file,
  };
}

/** Parses the header of a SASE `.sase`/`.gp` project file (lines before the first `NAME:`), §C.2. */
export function parseSaseHeader(text: string, name: string, file: string): ProjectSpec {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('NAME:')) break;
    const m = /^([A-Z_]+):\s*(.*)$/.exec(line);
    if (m && !(m[1]! in fields)) fields[m[1]!] = m[2]!.trim();
  }
  return {
    schema_version: PROJECT_SCHEMA_VERSION,
    name: fields.PROJECT_NAME || name,
    state: normalizeState(fields.PROJECT_STATE),
    aliases: (fields.PROJECT_ALIASES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    workflow_type: 'git',
    bare_repo_dir: fields.BARE_REPO_DIR || null,
    workspace_dir: fields.WORKSPACE_DIR || null,
    project_key: null,
    created_at: '',
    updated_at: '',
    sdd_initialized_at: null,
    source: file,
  };
}

/**
 * Reads a project by name: `project.json`, else SASE's `<name>.sase` / `<name>.gp` header. Null when unknown.
 * @throws InvalidDataError for a malformed project.json
 */
export async function readProject(env: Env, name: string): Promise<ProjectSpec | null> {
  if (!isValidProjectName(name)) return null;
  const file = projectFile(env, name);
  const raw = await readJson<Record<string, unknown> | null>(file, null);
  if (raw) return { ...fromJson(raw, file), name };
  for (const ext of ['.sase', '.gp']) {
    const legacy = join(projectsDir(env), name, `${name}${ext}`);
    if (existsSync(legacy)) return { ...parseSaseHeader(readFileSync(legacy, 'utf8'), name, legacy), name };
  }
  return null;
}

/** Reads a project or throws NotFoundError with a hint. */
export async function requireProject(env: Env, name: string): Promise<ProjectSpec> {
  const p = await readProject(env, name);
  if (!p) throw new NotFoundError(`no such project: ${name}`, { hint: 'run `sase project list --state all`', data: { project: name } });
  return p;
}

/** Every registered project (any state), sorted by name. Malformed records are skipped. */
export async function listProjects(env: Env): Promise<ProjectSpec[]> {
  let names: string[];
  try {
    names = readdirSync(projectsDir(env), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  const out: ProjectSpec[] = [];
  for (const n of names.sort()) {
    try {
      const p = await readProject(env, n);
      if (p) out.push(p);
    } catch {
      // A broken record does not hide the others; `sase project show` reports it.
    }
  }
  return out;
}

/** Finds a project by name or alias. */
export async function findProject(env: Env, nameOrAlias: string): Promise<ProjectSpec | null> {
  const direct = await readProject(env, nameOrAlias);
  if (direct) return direct;
  for (const p of await listProjects(env)) if (p.aliases.includes(nameOrAlias)) return p;
  return null;
}

/** Serialises a spec in the stable key order (source omitted). */
function toJson(p: ProjectSpec): Record<string, unknown> {
  return {
    schema_version: PROJECT_SCHEMA_VERSION,
    name: p.name,
    state: p.state,
    aliases: p.aliases,
    workflow_type: p.workflow_type,
    bare_repo_dir: p.bare_repo_dir,
    workspace_dir: p.workspace_dir,
    project_key: p.project_key,
    created_at: p.created_at,
    updated_at: p.updated_at,
    sdd_initialized_at: p.sdd_initialized_at,
  };
}

/** Writes `project.json` atomically (caller holds {@link withProjectLock} when read-modify-writing). */
export async function writeProject(env: Env, p: ProjectSpec): Promise<void> {
  if (!isValidProjectName(p.name)) throw new UsageError(`invalid project name: ${p.name}`);
  await writeJsonAtomic(projectFile(env, p.name), toJson(p));
}

/** Runs `fn` holding the project's lock (creation, state changes, SDD init). Waits up to 5 minutes. */
export function withProjectLock<T>(env: Env, name: string, fn: () => Promise<T>): Promise<T> {
  return withLock(projectFile(env, name), fn, { wait: true, timeoutMs: 300_000 });
}

/**
 * Changes a project's lifecycle state (`sase project activate|deactivate`). SASE-only records (`.sase` files)
 * are imported into project.json on the first change.
 * @returns the updated spec
 * @throws NotFoundError for an unknown project
 */
export async function setProjectState(env: Env, name: string, state: ProjectState, now: Date): Promise<ProjectSpec> {
  return withProjectLock(env, name, async () => {
    const p = await requireProject(env, name);
    const next: ProjectSpec = { ...p, state, updated_at: now.toISOString(), created_at: p.created_at || now.toISOString() };
    await writeProject(env, next);
    return { ...next, source: projectFile(env, name) };
  });
}
