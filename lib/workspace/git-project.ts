/**
 * Bare-git projects behind `#git:<ref>` (seed 002 "Bare-Git Reference Auto-Initialization"; spec/runtime.md §e).
 * A reference resolves, in order, to:
 * 1. a registered project (name or alias) with `bare_repo_dir` and `workspace_dir`;
 * 2. a ChangeSpec name (seam: {@link registerChangeSpecLookup}; ChangeSpecs plug in later);
 * 3. an unknown name without `/`: a new bare repo `$SASE_HOME/repos/<name>.git`, a primary checkout
 *    `~/projects/git/<name>/` and a ProjectSpec (`#git:home` is bootstrapped this way on first use);
 * 4. a path to a bare repository: registered under its basename (minus `.git`).
 * The primary checkout is cloned on first use and the generated SDD guide files are committed once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConflictError, NotFoundError, UsageError } from '../errors/index.js';
import { expandUser, homeDir, saseHome, type Env } from '../store/paths.js';
import {
  findProject,
  isValidProjectName,
  readProject,
  withProjectLock,
  writeProject,
  type ProjectSpec,
} from '../projects/spec.js';
import { bareDefaultBranch, cloneRepo, commitAndPushFiles, ensureExcluded, initBareRepo, isBareRepo, isWorkTree } from '../git/repo.js';
import { SDD_INIT_MESSAGE, sddGuideFiles } from './sdd-guides.js';

/** How a `#git` reference was resolved. */
export type GitRefMode = 'registered' | 'changespec' | 'initialized' | 'registered_bare';

/** A ChangeSpec lookup: ChangeSpec name → owning project name, or null. */
export type ChangeSpecLookup = (name: string, env: Env) => Promise<string | null>;

const changeSpecLookups: ChangeSpecLookup[] = [];

/** Registers a ChangeSpec-name lookup (mode 2). The ChangeSpec area calls this once ChangeSpecs exist. */
export function registerChangeSpecLookup(fn: ChangeSpecLookup): void {
  changeSpecLookups.push(fn);
}

/** Inputs for resolving a project. */
export interface GitProjectContext {
  env: Env;
  cwd: string;
  now: Date;
}

/** A resolved project and how. */
export interface GitProjectResolution {
  project: ProjectSpec;
  mode: GitRefMode;
  /** The ChangeSpec name when mode is `changespec`. */
  changespec: string | null;
}

/** Default bare repository of a managed project: `$SASE_HOME/repos/<name>.git`. */
export function defaultBareRepoDir(env: Env, name: string): string {
  return join(saseHome(env), 'repos', `${name}.git`);
}

/** Default primary checkout of a managed project: `~/projects/git/<name>`. */
export function defaultPrimaryDir(env: Env, name: string): string {
  return join(homeDir(env), 'projects', 'git', name);
}

function isComplete(p: ProjectSpec | null): boolean {
  return !!p && !!p.bare_repo_dir && !!p.workspace_dir;
}

function newSpec(name: string, bare: string, primary: string, now: Date, prev: ProjectSpec | null): ProjectSpec {
  const iso = now.toISOString();
  return {
    schema_version: 1,
    name,
    state: prev?.state ?? 'active',
    aliases: prev?.aliases ?? [],
    workflow_type: 'git',
    bare_repo_dir: bare,
    workspace_dir: primary,
    project_key: prev?.project_key ?? null,
    created_at: prev?.created_at || iso,
    updated_at: iso,
    sdd_initialized_at: prev?.sdd_initialized_at ?? null,
  };
}

/**
 * Resolves the value of a `#git:<value>` reference to a ProjectSpec, creating or registering it when needed.
 * Does not touch the primary checkout: callers check the lifecycle state first, then call {@link ensurePrimary}.
 * @throws NotFoundError when a path is not a bare repository; ConflictError when a path's name is registered to
 *   another bare repo; UsageError for an invalid name; ExternalToolError when git fails
 */
export async function resolveGitProject(value: string, ctx: GitProjectContext): Promise<GitProjectResolution> {
  const { env } = ctx;
  const known = value.includes('/') ? null : await findProject(env, value);
  if (known && isComplete(known)) {
    return { project: known, mode: 'registered', changespec: null };
  }
  if (!value.includes('/') && !known) {
    for (const lookup of changeSpecLookups) {
      const owner = await lookup(value, env);
      const p = owner ? await readProject(env, owner) : null;
      if (p && isComplete(p)) return { project: p, mode: 'changespec', changespec: value };
    }
  }
  if (!value.includes('/') && !value.startsWith('~')) {
    const name = known?.name ?? value;
    if (!isValidProjectName(name)) throw new UsageError(`invalid project name: ${name}`, { hint: 'use letters, digits, ".", "_" and "-"' });
    const project = await withProjectLock(env, name, async () => {
      const cur = await readProject(env, name);
      if (cur && isComplete(cur)) return cur;
      const bare = defaultBareRepoDir(env, name);
      if (!(await isBareRepo(bare, env))) await initBareRepo(bare, 'main', env);
      const spec = newSpec(name, bare, defaultPrimaryDir(env, name), ctx.now, cur);
      await writeProject(env, spec);
      return spec;
    });
    return { project, mode: 'initialized', changespec: null };
  }
  const path = resolve(ctx.cwd, expandUser(value, env));
  if (!(await isBareRepo(path, env))) {
    throw new NotFoundError(`no such project or bare repository: ${value}`, {
      hint: 'name a registered project (`sase project list`), a new name without "/", or a bare repository path',
      data: { ref: value, path },
    });
  }
  const name = basename(path).replace(/\.git$/, '');
  if (!isValidProjectName(name)) throw new UsageError(`cannot derive a project name from ${path}`);
  const project = await withProjectLock(env, name, async () => {
    const cur = await readProject(env, name);
    if (cur && isComplete(cur)) {
      if (resolve(cur.bare_repo_dir!) !== path) {
        throw new ConflictError(`project ${name} is already registered with bare repository ${cur.bare_repo_dir}`, {
          data: { project: name, bare_repo_dir: cur.bare_repo_dir, requested: path },
        });
      }
      return cur;
    }
    const spec = newSpec(name, path, cur?.workspace_dir ?? defaultPrimaryDir(env, name), ctx.now, cur);
    await writeProject(env, spec);
    return spec;
  });
  return { project, mode: 'registered_bare', changespec: null };
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

/**
 * Makes sure the primary checkout (#0) exists: clones the bare repo when the directory is missing or empty, then
 * commits the generated SDD guide files once (only paths that do not exist yet; existing files are never
 * overwritten). Fast path without locking when everything is in place.
 * @throws ConflictError when the primary path holds something that is not a git checkout
 */
export async function ensurePrimary(project: ProjectSpec, ctx: GitProjectContext): Promise<ProjectSpec> {
  const { env } = ctx;
  const primary = project.workspace_dir!;
  if (project.sdd_initialized_at && existsSync(join(primary, '.git'))) return project;
  return withProjectLock(env, project.name, async () => {
    const cur = (await readProject(env, project.name)) ?? project;
    const dir = cur.workspace_dir!;
    let cloned = false;
    if (!existsSync(dir) || isEmptyDir(dir)) {
      await cloneRepo(cur.bare_repo_dir!, dir, env);
      cloned = true;
    } else if (!(await isWorkTree(dir, env))) {
      throw new ConflictError(`primary checkout ${dir} of ${cur.name} exists but is not a git checkout`, {
        hint: 'move it away or set workspace_dir in the project record',
        data: { project: cur.name, workspace_dir: dir },
      });
    }
    await ensureExcluded(dir, '.sase/', env);
    if (cur.sdd_initialized_at) return cur;
    if (!cloned && cur.source && !cur.source.endsWith('project.json')) return cur; // SASE-owned record: read-only
    const files: Record<string, string> = {};
    for (const [rel, text] of Object.entries(sddGuideFiles(cur.name))) if (!existsSync(join(dir, rel))) files[rel] = text;
    if (cloned && Object.keys(files).length > 0) {
      const branch = await bareDefaultBranch(cur.bare_repo_dir!, env);
      await commitAndPushFiles(dir, files, SDD_INIT_MESSAGE, branch, env);
    }
    const next: ProjectSpec = { ...cur, sdd_initialized_at: ctx.now.toISOString(), updated_at: ctx.now.toISOString() };
    await writeProject(env, next);
    return next;
  });
}
