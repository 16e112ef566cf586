/** Isolated user state for workspace tests: HOME, SASE_HOME and XDG dirs in one temp directory. */
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { GIT_ENV, tmpdir } from '../helpers/index.js';

/** A test sandbox: its root and the env every call and spawned binary gets. */
export interface Sandbox {
  root: string;
  env: Record<string, string>;
}

/** Creates a sandbox; `extra` env is merged last. */
export function sandbox(t: TestContext, extra: Record<string, string> = {}): Sandbox {
  const root = tmpdir(t);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(root, 'home'),
    SASE_HOME: join(root, 'sase'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_CONFIG_HOME: join(root, 'config'),
    NO_COLOR: '1',
    ...GIT_ENV,
    ...extra,
  };
  return { root, env };
}
