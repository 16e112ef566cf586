/** Isolated user state for workspace tests: HOME, SASE_HOME and XDG dirs in one temp directory. */
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { GIT_ENV, tmpdir } from '../helpers/index.js';

/** A test sandbox: its root and the env every call and spawned binary gets. */
export interface Sandbox {
  root: string;
  env: Record<string, string>;
}

/** The isolated env of a sandbox rooted at `root`: PATH, HOME, SASE_HOME, XDG dirs below it, and GIT_ENV. */
export function sandboxEnv(root: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(root, 'home'),
    SASE_HOME: join(root, 'sase'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_CONFIG_HOME: join(root, 'config'),
    ...GIT_ENV,
  };
}

/** Creates a sandbox; `extra` env is merged last. */
export function sandbox(t: TestContext, extra: Record<string, string> = {}): Sandbox {
  const root = tmpdir(t);
  return { root, env: { ...sandboxEnv(root), NO_COLOR: '1', ...extra } };
}
