/**
 * The workflows in the SASE corpus (shared/corpus/xprompts): every one validates, and those that need no network
 * (`eval_ifs_loops.yml`: bash control flow; `.xprompts/reads.yml`: parallel agents then a consolidating agent) run
 * to completion through `sase run '#!name'` with fakey as the agent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath, hasCorpus } from '../helpers/index.js';
import { isolatedEnv, readJson, recordOf, sase } from './helpers.js';
import { runWorkflow, stepOf, workflowProject } from './wf-helpers.js';

function corpusWorkflows(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...corpusWorkflows(p));
    else if (/\.ya?ml$/.test(e) && e !== 'xprompts.yml') out.push(p);
  }
  return out;
}

test('every workflow in the corpus validates without errors', { skip: !hasCorpus() }, async (t) => {
  const env = isolatedEnv(t);
  const files = corpusWorkflows(corpusPath('xprompts'));
  assert.ok(files.length >= 10, `found ${files.length} workflow files`);
  const r = await sase(['xprompt', 'validate', '--json', ...files], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.data.errors, 0);
  assert.equal(r.json.data.files, files.length);
});

test('the corpus eval_ifs_loops workflow runs to completion with SASE’s expected summary', { skip: !hasCorpus() }, async (t) => {
  const env = isolatedEnv(t);
  const text = readFileSync(corpusPath('xprompts', 'src', 'sase', 'xprompts', 'eval_ifs_loops.yml'), 'utf8');
  const dir = workflowProject(t, { eval_ifs_loops: text });
  // The workflow keeps its loop counters in fixed /tmp files; start from a clean slate.
  for (const f of ['test_workflow_retry_counter', 'test_workflow_poll_counter', 'test_workflow_poll_max_counter']) rmSync(join('/tmp', f), { force: true });
  const { done, state } = await runWorkflow(env, dir, 'evl', '#!eval_ifs_loops');
  assert.equal(done.outcome, 'completed', JSON.stringify(state, null, 1).slice(0, 3000));
  const s = stepOf(state, 'summary').output;
  assert.equal(s.all_tests_completed, true);
  assert.equal(s.conditional_true_ran, 'executed');
  assert.equal(s.conditional_false_ran, 'skipped');
  assert.equal(s.items_processed, '3');
  assert.equal(s.parallel_name, '3');
  assert.equal(s.join_lastof_result, 'gamma');
  assert.equal(s.retry_attempts, '3');
  assert.equal(s.poll_count, '5');
  assert.equal(s.conditional_loop_count, '3');
  assert.equal(stepOf(state, 'conditional_false').status, 'skipped');
  assert.equal(stepOf(state, 'poll_with_max').iterations, 2);
  assert.deepEqual(stepOf(state, 'process_parallel').output.map((o: any) => [o.name, o.id]), [['alpha', '1'], ['beta', '2'], ['gamma', '3']]);
});

test('the corpus reads workflow runs its three research agents in parallel and consolidates them, with fakey', { skip: !hasCorpus() }, async (t) => {
  const env = isolatedEnv(t, { SASE_LLM_EXEC_PROVIDER: 'fakey' });
  const text = readFileSync(corpusPath('xprompts', '.xprompts', 'reads.yml'), 'utf8');
  const dir = workflowProject(t, { reads: text });
  const { done, state } = await runWorkflow(env, dir, 'rds', '#!reads');
  assert.equal(done.outcome, 'completed', JSON.stringify(state, null, 1).slice(0, 3000));
  const research = stepOf(state, 'research');
  assert.deepEqual(research.steps.map((s: any) => [s.name, s.status]), [['gemini_agent', 'completed'], ['claude_agent', 'completed'], ['codex_agent', 'completed']]);
  const consolidate = stepOf(state, 'consolidate');
  assert.equal(consolidate.agents.length, 1, 'the consolidation prompt is one agent even with its --- rules');
  const child = recordOf(env, 'rds.consolidate')!;
  const prompt = readFileSync(join(child, 'expanded_prompt.md'), 'utf8');
  assert.match(prompt, /## Gemini Agent Findings\s+Fakey completed successfully\./);
  assert.match(prompt, /^---$/m);
  assert.equal(readJson(join(child, 'agent.json')).model.spec, null);
  for (const n of ['gemini_agent', 'claude_agent', 'codex_agent']) assert.equal(readJson(join(recordOf(env, `rds.${n}`)!, 'done.json')).outcome, 'completed');
});
