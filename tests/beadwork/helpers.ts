/** Fixtures for the bead-work tests: isolated user state, a bare origin + primary clone, a `sase` shim on PATH, fakey scenarios. */
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir as osTmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';
import { binPath, git, GIT_ENV, gitRepo, runBin, type BinResult } from '../helpers/index.js';

export { readJsonOrNull as readJson, waitFor } from '../helpers/runs.js';

/** An isolated environment with `sase` and `fakey` shims first on PATH and git identity set. */
export interface World {
  env: Record<string, string>;
  home: string;
  bare: string;
  primary: string;
  scenarios: string;
}

/** Creates HOME/SASE_HOME/XDG dirs, a bare origin with one commit, its primary clone and a shim bin dir. */
export function makeWorld(t: TestContext, tree: Record<string, string> = { 'README.md': '# demo\n' }): World {
  // Own temp dir with a retrying cleanup: detached runners and `agent tick` processes may still be finishing writes.
  const home = realpathSync(mkdtempSync(join(osTmpdir(), 'sase-beadwork-')));
  t.after(async () => {
    await new Promise((r) => setTimeout(r, 500));
    rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  });
  const src = gitRepo(t, tree);
  const bare = join(home, 'origin.git');
  git(home, ['clone', '-q', '--bare', src, bare]);
  const primary = join(home, 'primary');
  git(home, ['clone', '-q', bare, primary]);
  git(primary, ['config', 'user.name', GIT_ENV.GIT_AUTHOR_NAME!]);
  git(primary, ['config', 'user.email', GIT_ENV.GIT_AUTHOR_EMAIL!]);
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const name of ['sase', 'fakey']) {
    const p = join(bin, name);
    writeFileSync(p, `#!/bin/sh\nexec "${process.execPath}" "${binPath(name)}" "$@"\n`);
    chmodSync(p, 0o755);
  }
  const scenarios = join(home, 'scenarios');
  mkdirSync(scenarios, { recursive: true });
  const env: Record<string, string> = {
    ...GIT_ENV,
    HOME: home,
    SASE_HOME: join(home, '.sase'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    SASE_WORKSPACE_ROOT: join(home, 'workspaces'),
    SASE_KILL_GRACE: '1s',
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
  };
  return { env, home, bare, primary, scenarios };
}

/** Runs `sase …` through the compiled binary. */
export function sase(w: World, args: string[], cwd?: string, timeoutMs = 90_000): Promise<BinResult> {
  return runBin('sase', args, { env: w.env, cwd: cwd ?? w.primary, timeoutMs });
}

/** Runs `sase … --json`, failing with the output unless it succeeded. */
export async function saseJson(w: World, args: string[], cwd?: string): Promise<any> {
  const r = await sase(w, [...args, '--json'], cwd);
  if (!r.json?.ok) throw new Error(`sase ${args.join(' ')} failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.json.data;
}

/** Writes a fakey scenario file and returns its path. */
export function scenario(w: World, name: string, yaml: string): string {
  const p = join(w.scenarios, `${name}.yml`);
  writeFileSync(p, yaml);
  return p;
}

/** The text of an epic plan with a diamond of four phases: a → (b, c) → d. */
export function diamondPlan(extra: { phaseModels?: Record<string, string> } = {}): string {
  const ph = (id: string, title: string, deps: string[], size: string): string =>
    [`  - id: ${id}`, `    title: ${title}`, `    depends_on: [${deps.join(', ')}]`, `    size: ${size}`, `    description: Build the ${title.toLowerCase()}.`, ...(extra.phaseModels?.[id] ? [`    model: ${extra.phaseModels[id]}`] : [])].join('\n');
  return [
    '---',
    'tier: epic',
    'title: Diamond epic',
    'goal: Exercise bead work with a diamond of phases.',
    'phases:',
    ph('a', 'Foundation', [], 'small'),
    ph('b', 'Left wing', ['a'], 'medium'),
    ph('c', 'Right wing', ['a'], 'small'),
    ph('d', 'Roof', ['b', 'c'], 'small'),
    '---',
    '# Plan: Diamond epic',
    '',
    '## Goal',
    '',
    'Exercise bead work with a diamond of phases.',
    '',
  ].join('\n');
}

/** Shell for a phase run: record which files it saw, commit, push with retries (parallel phases race on main). */
export const PHASE_SCRIPT =
  'ls > "seen-$SASE_PHASE_ID.txt" && printf "%s\\n" "$SASE_BEAD_ID" > "phase-$SASE_PHASE_ID.txt" && git add -A && git commit -qm "phase $SASE_PHASE_ID" && ' +
  'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do git pull -q --rebase origin main && git push -q origin HEAD:main && exit 0; sleep 1; done; exit 1';
