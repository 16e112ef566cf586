/** Workflow test fixtures: a project directory with `.xprompts/<name>.yml` files and a launcher for `#!name`. */
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { tmpdir, type Tree } from '../helpers/index.js';
import { launch, readJson, recordOf, waitDone } from './helpers.js';

/** A project directory holding the given workflows (`name` → YAML text) under `.xprompts/`, plus extra files. */
export function workflowProject(t: TestContext, workflows: Record<string, string>, extra: Tree = {}): string {
  const tree: Tree = { ...extra };
  for (const [n, text] of Object.entries(workflows)) tree[`.xprompts/${n}.yml`] = text;
  return tmpdir(t, tree);
}

/** Launches `#!ref` as run `name` from `dir` (also its `#cd:` workspace); returns the record directory. */
export async function launchWorkflow(env: Record<string, string>, dir: string, name: string, ref: string): Promise<string> {
  const agents = await launch(`#cd:${dir}\n%n:${name}\n${ref}`, env, dir);
  if (agents.length !== 1) throw new Error(`expected one launch, got ${agents.length}`);
  return agents[0].record_dir;
}

/** Runs a workflow to its end; returns `{done, state, dir}` (`workflow_state.json` as `state`). */
export async function runWorkflow(env: Record<string, string>, dir: string, name: string, ref: string, timeoutMs = 90_000): Promise<{ done: any; state: any; dir: string }> {
  await launchWorkflow(env, dir, name, ref);
  const done = await waitDone(env, name, timeoutMs);
  const rec = recordOf(env, name)!;
  return { done, state: readJson(join(rec, 'workflow_state.json')), dir: rec };
}

/** The state entry of a step by name. */
export function stepOf(state: any, name: string): any {
  const s = state.steps.find((x: any) => x.name === name);
  if (!s) throw new Error(`no step ${name} in ${JSON.stringify(state.steps.map((x: any) => x.name))}`);
  return s;
}
