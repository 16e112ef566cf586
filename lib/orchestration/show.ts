/**
 * Orchestration facts of a record for `sase agent show`: workflow step states (`workflow_state.json`), the parent
 * workflow of a child run (`parent.json`), `#fork` lineage (`fork.json`, `forked_as.jsonl`), output variables.
 */
import { join } from 'node:path';
import { parseJsonl } from '../store/jsonl.js';
import { readTextOrNull } from '../store/text.js';
import { readJsonOrNull } from '../agents/records.js';
import { FORK_FILE, FORKED_AS_FILE } from './fork.js';
import { VARS_FILE } from './vars.js';

/** Facts to merge into `sase agent show`'s `agent` object; keys are present only when the record has them. */
export function orchestrationFacts(recordDir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const state = readJsonOrNull<{ workflow_name: string; status: string; steps: Array<{ name: string; kind: string; status: string; error: string | null; output: unknown; agents: string[] }> }>(
    join(recordDir, 'workflow_state.json'),
  );
  if (state) out.workflow = { name: state.workflow_name, status: state.status, steps: state.steps.map((s) => ({ name: s.name, kind: s.kind, status: s.status, error: s.error, agents: s.agents, output: s.output })) };
  const parent = readJsonOrNull(join(recordDir, 'parent.json'));
  if (parent) out.parent = parent;
  const fork = readJsonOrNull<{ forked_from: unknown[] }>(join(recordDir, FORK_FILE));
  if (fork) out.forked_from = fork.forked_from;
  const forkedAsPath = join(recordDir, FORKED_AS_FILE);
  const forkedAs = readTextOrNull(forkedAsPath);
  // A torn or bad line is skipped; the rest of the lineage stays.
  if (forkedAs !== null) out.forked_as = parseJsonl(forkedAs, forkedAsPath).records;
  const vars = readJsonOrNull<Record<string, string>>(join(recordDir, VARS_FILE));
  if (vars) out.variables = vars;
  return out;
}
