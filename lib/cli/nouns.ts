/**
 * The built-in nouns of the `sase` umbrella binary. `sase <noun> …` runs the noun in-process; anything else is
 * looked up as an executable `sase-<noun>` on PATH (a plugin), the way git does.
 *
 * Each noun module (`lib/cli/<noun>/index.ts`) exports either `group` (a CommandGroup) or `command`
 * (a single CommandModule, e.g. `sase run`). Keep this table small: it is loaded on every start.
 */
import type { CommandGroup, CommandModule } from './command.js';

/** What a noun module exports. */
export interface NounModule {
  group?: CommandGroup;
  command?: CommandModule<any, any>;
}

/** One built-in noun. */
export interface NounEntry {
  name: string;
  summary: string;
  load: () => Promise<NounModule>;
}

/** Built-in nouns, in help order. */
export const NOUNS: readonly NounEntry[] = [
  { name: 'run', summary: 'Launch agents from a prompt (xprompts, directives, segments)', load: () => import('./run/index.js') },
  { name: 'agent', summary: 'List, inspect, follow, kill, retry and wait for agent runs', load: () => import('./agent/index.js') },
  { name: 'xprompt', summary: 'List, explain, expand, graph and validate XPrompts', load: () => import('./xprompt/index.js') },
  { name: 'bead', summary: 'Dependency-aware work items (SASE bead store)', load: () => import('./bead/index.js') },
  { name: 'workspace', summary: 'Numbered workspaces: list, path, open, cleanup, repair, migrate', load: () => import('./workspace/index.js') },
  { name: 'project', summary: 'Projects: list, show, activate, deactivate', load: () => import('./project/index.js') },
  { name: 'sdd', summary: 'Spec-driven development tree: init, list, validate, links', load: () => import('./sdd/index.js') },
  { name: 'plan', summary: 'Plan approval: propose, list, show, approve, reject', load: () => import('./plan/index.js') },
  { name: 'question', summary: 'Questions from agents: ask, list, answer', load: () => import('./question/index.js') },
  { name: 'var', summary: "Agent output variables: set, get, list (STOP ends a %repeat chain)", load: () => import('./var/index.js') },
  { name: 'doctor', summary: 'Check provider CLIs, state locations and configuration', load: () => import('./doctor/index.js') },
  { name: 'version', summary: 'Print the sase version', load: () => import('./version/index.js') },
];

/** Finds a built-in noun by name. */
export function findNoun(name: string): NounEntry | undefined {
  return NOUNS.find((n) => n.name === name);
}
