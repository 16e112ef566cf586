/**
 * Embeddable workflows referenced inline in a plain prompt (`#outfile(notes) Answer…`) through `sase run`: the
 * pre-steps run before the agent, their outputs fill the injected `prompt_part`, the post-steps run after it and
 * decide the run's final status. spec/xprompts.md §1.5, §6.2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, launch, readJson, recordOf, waitDone } from './helpers.js';
import { stepOf, workflowProject } from './wf-helpers.js';

const OUTFILE = [
  'input:',
  '  label: word',
  'steps:',
  '  - name: prep',
  '    bash: echo "target=out/{{ label }}.md"',
  '    output: { target: path }',
  '  - name: inject',
  '    prompt_part: "Write your answer to {{ prep.target }}."',
  '  - name: check',
  '    bash: test -s "{{ prep.target }}" && echo "size=$(wc -c < {{ prep.target }})"',
  '    output: { size: int }',
].join('\n');

const fakeyWrites = (path: string): string => ['```fakey', 'steps:', `  - write: {path: ${path}, content: "# answer\\n"}`, '```'].join('\n');

test('an inline embeddable workflow runs its pre-steps before and its post-steps after the agent', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, { outfile: OUTFILE });
  await launch(`#cd:${dir} %n:e1 #outfile(notes) Answer the question.\n${fakeyWrites('out/notes.md')}`, env, dir);
  const done = await waitDone(env, 'e1');
  assert.equal(done.outcome, 'completed', done.error);
  const rec = recordOf(env, 'e1')!;
  const prompt = readFileSync(join(rec, 'expanded_prompt.md'), 'utf8');
  assert.match(prompt, /Write your answer to out\/notes\.md\./);
  assert.doesNotMatch(prompt, /\{\{/);
  const state = readJson(join(rec, 'embedded', '01-outfile', 'workflow_state.json'));
  assert.deepEqual(state.steps.map((s: any) => [s.name, s.status]), [['prep', 'completed'], ['inject', 'completed'], ['check', 'completed']]);
  assert.equal(stepOf(state, 'check').output.size, '# answer\n'.length);
  assert.equal(stepOf(state, 'inject').output._response, readFileSync(join(rec, 'reply.md'), 'utf8').trim());
});

test('a block in a prompt_part that tests a step output is decided when the pre-steps have run (as #json does)', async (t) => {
  const env = isolatedEnv(t);
  const hints = (flag: string): string => [
    'steps:',
    '  - name: setup',
    `    bash: echo "hints=${flag}"`,
    '    output: { hints: text }',
    '  - name: inject',
    '    prompt_part: "Format.{% if setup.hints %} Hints: {{ setup.hints }}.{% endif %} End."',
  ].join('\n');
  const dir = workflowProject(t, { with_hints: hints('short answers'), no_hints: hints('') });
  await launch(`#cd:${dir} %n:h1 #with_hints Answer.`, env, dir);
  await launch(`#cd:${dir} %n:h2 #no_hints Answer.`, env, dir);
  for (const [name, want] of [['h1', 'Format. Hints: short answers. End.'], ['h2', 'Format. End.']] as const) {
    const done = await waitDone(env, name);
    assert.equal(done.outcome, 'completed', done.error);
    const prompt = readFileSync(join(recordOf(env, name)!, 'expanded_prompt.md'), 'utf8');
    assert.ok(prompt.includes(want), `${name}: ${prompt}`);
    assert.doesNotMatch(prompt, /\{[{%]/);
  }
});

test('a failing post-step turns the run FAILED; a failing pre-step fails it before the agent starts', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    outfile: OUTFILE,
    broken: ['steps:', '  - name: prep', '    bash: exit 4', '  - name: inject', '    prompt_part: "never"'].join('\n'),
  });
  await launch(`#cd:${dir} %n:e2 #outfile(notes) Answer, but write nothing.`, env, dir);
  const d2 = await waitDone(env, 'e2');
  assert.equal(d2.outcome, 'failed');
  assert.match(d2.error, /embedded workflow #outfile: step 'check': bash exited with code 1/);
  assert.ok(existsSync(join(recordOf(env, 'e2')!, 'attempts', '1')), 'the agent ran');

  await launch(`#cd:${dir} %n:e3 #broken Answer.`, env, dir);
  const d3 = await waitDone(env, 'e3');
  assert.equal(d3.outcome, 'failed');
  assert.match(d3.error, /embedded workflow #broken: step 'prep': bash exited with code 4/);
  assert.equal(existsSync(join(recordOf(env, 'e3')!, 'attempts')), false, 'the agent never started');
});
