/**
 * The `#cd:<path>` / `#cd(<path with spaces>)` directory workspace provider: the agent runs in an existing
 * directory, workspace number 0, no VCS preparation, nothing claimed. spec/runtime.md §b.4 ("`#cd` uses workspace
 * number 0 and has no VCS prep"), §b.5 (env prefix `SASE_CD`).
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { NotFoundError, UsageError } from '../errors/index.js';
import { expandUser } from '../store/paths.js';
import type { ResolvedWorkspace, WorkspaceProvider, WorkspaceRequest } from './types.js';

/**
 * Resolves a `#cd` value to an absolute directory: `~` and `$VAR`/`${VAR}` expanded from `env`, relative paths
 * taken from `cwd`.
 * @throws UsageError for an empty path; NotFoundError when it does not exist or is not a directory
 */
export function resolveCdPath(value: string, cwd: string, env: Record<string, string | undefined>): string {
  const raw = value.trim();
  if (raw === '') throw new UsageError('#cd needs a directory, e.g. #cd:~/src/app or #cd(/path with spaces)');
  const expanded = expandUser(raw, env);
  const dir = isAbsolute(expanded) ? resolve(expanded) : resolve(cwd, expanded);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new NotFoundError(`#cd directory does not exist: ${dir}`, { hint: 'create it first, or fix the path', data: { path: dir, ref: `#cd:${raw}` } });
  }
  return dir;
}

/** The built-in `cd` provider. `release()` is a no-op (nothing is claimed). */
export const cdProvider: WorkspaceProvider = {
  type: 'cd',
  envPrefix: 'SASE_CD',
  async resolve(req: WorkspaceRequest): Promise<ResolvedWorkspace> {
    const dir = resolveCdPath(req.value, req.cwd, req.env);
    return {
      type: 'cd',
      ref: req.ref,
      dir,
      num: 0,
      project: null,
      env: { SASE_CD_PRE_ALLOCATED: '1', SASE_CD_WORKSPACE_NUM: '0', SASE_CD_WORKSPACE_DIR: dir },
      base_revision: null,
      release: async () => {},
    };
  },
};
