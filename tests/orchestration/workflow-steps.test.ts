/**
 * The YAML workflow executor through `sase run '#!name'` (the real binary; fakey agents): one test per step kind,
 * control flow, step outputs and artifacts, failure policy, parallel concurrency. spec/xprompts.md §6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, readJson, recordOf, statusOf } from './helpers.js';
import { runWorkflow, stepOf, workflowProject } from './wf-helpers.js';

test('bash steps: key=value and JSON outputs are typed and referenced by later steps; artifacts pass between steps', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    build: [
      'input:',
      '  target: { type: word, default: app }',
      'steps:',
      '  - name: compile',
      '    bash: |',
      '      echo "binary=out/{{ target }}.bin"',
      '      echo "size=42"',
      '      echo "ok=true"',
      '    output: { binary: path, size: int, ok: bool }',
      '  - name: report',
      '    bash: |',
      `      echo '{"summary": "built {{ compile.binary }}", "bigger": {{ (compile.size > 40) | tojson }}, "ok": {{ compile.ok | tojson }}}'`,
      '    artifact: stdout',
      '    output: { summary: line, bigger: bool, ok: bool }',
      '  - name: reread',
      '    bash: cat "{{ report._artifact }}" | wc -c | tr -d " " | sed "s/^/bytes=/"',
      '    output: { bytes: int }',
    ].join('\n'),
  });
  const { done, state, dir: rec } = await runWorkflow(env, dir, 'b1', '#!build(target=cli)');
  assert.equal(done.outcome, 'completed', JSON.stringify(state));
  assert.equal(done.status_label, 'DONE');
  assert.deepEqual({ ...stepOf(state, 'compile').output, _raw: undefined }, { binary: 'out/cli.bin', size: 42, ok: true, _raw: undefined });
  const report = stepOf(state, 'report').output;
  assert.equal(report.summary, 'built out/cli.bin');
  assert.equal(report.bigger, true);
  assert.equal(report.ok, true);
  assert.equal(report._artifact, join(rec, 'artifacts', 'report.stdout'));
  assert.equal(stepOf(state, 'reread').output.bytes, readFileSync(report._artifact).length);
  // Each step has its own record: step.json and a log.
  const s1 = readJson(join(rec, 'steps', '01-compile', 'step.json'));
  assert.equal(s1.status, 'completed');
  assert.match(readFileSync(join(rec, 'steps', '01-compile', 'log'), 'utf8'), /binary=out\/cli\.bin/);
  const show = await statusOf(env, 'b1');
  assert.equal(show.status, 'DONE');
  assert.deepEqual(show.workflow.steps.map((x: any) => [x.name, x.status]), [['compile', 'completed'], ['report', 'completed'], ['reread', 'completed']]);
});

test('python steps run their rendered body and print outputs later steps use', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    py: [
      'input:',
      '  words: { type: line, default: "alpha beta gamma" }',
      'steps:',
      '  - name: count',
      '    python: |',
      '      import json',
      '      words = {{ words | tojson }}.split()',
      '      print(json.dumps({"n": len(words), "first": words[0]}))',
      '    output: { n: int, first: word }',
      '  - name: use',
      '    python: print("line={{ count.first }}x{{ count.n }}")',
      '    output: { line: line }',
    ].join('\n'),
  });
  const { done, state } = await runWorkflow(env, dir, 'p1', '#!py');
  assert.equal(done.outcome, 'completed', JSON.stringify(state));
  assert.equal(stepOf(state, 'count').output.n, 3);
  assert.equal(stepOf(state, 'use').output.line, 'alphax3');
});

test('agent steps run as child runs of the workflow, with typed JSON output from the reply', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    ask: [
      'steps:',
      '  - name: plan',
      '    agent: |',
      '      List the files to touch.',
      '      ```fakey',
      `      reply: '{"files": ["a.ts", "b.ts"], "risky": false}'`,
      '      ```',
      '    output: { type: object, properties: { files: { type: array, items: { type: string } }, risky: { type: boolean } }, required: [files, risky] }',
      '  - name: summarize',
      '    bash: echo "risky={{ plan.risky }}"',
      '    output: { risky: word }',
    ].join('\n'),
  });
  const { done, state, dir: rec } = await runWorkflow(env, dir, 'a1', '#!ask');
  assert.equal(done.outcome, 'completed', JSON.stringify(state));
  const plan = stepOf(state, 'plan');
  assert.equal(plan.output.risky, false);
  assert.equal(plan.agents.length, 1);
  assert.equal(stepOf(state, 'summarize').output.risky, 'false');
  const child = recordOf(env, 'a1.plan')!;
  assert.equal(readJson(join(child, 'parent.json')).parent_name, 'a1');
  assert.equal(readJson(join(child, 'done.json')).outcome, 'completed');
  assert.match(readFileSync(join(child, 'expanded_prompt.md'), 'utf8'), /List the files to touch\./);
  assert.equal(JSON.parse(readFileSync(join(rec, 'children.jsonl'), 'utf8').trim()).name, 'a1.plan');
  assert.deepEqual(plan.output.files, ['a.ts', 'b.ts']);
});

test('an agent reply that does not match the declared output fails the step with the field named', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    typed: ['steps:', '  - name: count', '    agent: |', '      Count.', '      ```fakey', `      reply: '{"count": "many"}'`, '      ```', '    output: { count: int }'].join('\n'),
  });
  const { done } = await runWorkflow(env, dir, 't1', '#!typed');
  assert.equal(done.outcome, 'failed');
  assert.match(done.error, /output does not match its spec: field 'count' should be "integer", got "many"/);
});

test('a failing agent step fails the workflow with the child run named in the error', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    crash: ['steps:', '  - name: boom', '    agent: "%m:fakey/@crash Do it."', '  - name: never', '    bash: echo never'].join('\n'),
  });
  const { done, state } = await runWorkflow(env, dir, 'c1', '#!crash');
  assert.equal(done.outcome, 'failed');
  assert.match(done.error, /step 'boom': agent failed: c1\.boom FAILED/);
  assert.equal(stepOf(state, 'never').status, 'skipped');
});

test('a failing bash step stops the workflow: later steps are skipped, finally steps still run', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    stop: [
      'steps:',
      '  - name: first',
      '    bash: echo "a=1"',
      '  - name: broken',
      '    bash: |',
      '      echo "about to fail" >&2',
      '      exit 3',
      '  - name: later',
      '    bash: echo "b=2"',
      '  - name: cleanup',
      '    finally: true',
      '    bash: echo "cleaned=yes"',
      '    output: { cleaned: word }',
    ].join('\n'),
  });
  const { done, state } = await runWorkflow(env, dir, 's1', '#!stop');
  assert.equal(done.outcome, 'failed');
  assert.equal(done.status_label, 'FAILED');
  assert.match(done.error, /step 'broken': bash exited with code 3: about to fail/);
  assert.deepEqual(state.steps.map((s: any) => [s.name, s.status]), [['first', 'completed'], ['broken', 'failed'], ['later', 'skipped'], ['cleanup', 'completed']]);
  assert.equal(stepOf(state, 'cleanup').output.cleaned, 'yes');
  assert.equal(state.status, 'failed');
});

test('a for step with on_error: continue keeps going past a failing iteration and the workflow completes', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    cont: [
      'steps:',
      '  - name: each',
      '    for: { item: "{{ [1, 2, 3] }}" }',
      '    on_error: continue',
      '    bash: |',
      '      if [ "{{ item }}" = "2" ]; then exit 1; fi',
      '      echo "v={{ item }}"',
      '  - name: after',
      '    bash: echo "count={{ each | length }}"',
      '    output: { count: int }',
    ].join('\n'),
  });
  const { done, state } = await runWorkflow(env, dir, 'k1', '#!cont');
  assert.equal(done.outcome, 'completed', JSON.stringify(state));
  const each = stepOf(state, 'each');
  assert.deepEqual(each.output.map((o: any) => o?.v ?? null), ['1', null, '3']);
  assert.match(each.error, /iteration 2: bash exited with code 1/);
  assert.equal(stepOf(state, 'after').output.count, 3);
});

test('loops and conditions: if skips, for joins (array, text, lastOf, object), while and repeat/until loop', async (t) => {
  const env = isolatedEnv(t);
  const counter = join(workflowProject(t, {}), 'counter');
  const dir = workflowProject(t, {
    flow: [
      'input:',
      '  enabled: { type: bool, default: false }',
      "  items: { type: string, default: '[\"x\", \"y\"]' }",
      'steps:',
      '  - name: maybe',
      '    if: "{{ enabled }}"',
      '    bash: echo "ran=yes"',
      '    output: { ran: word }',
      '  - name: arr',
      '    for: { item: "{{ items }}" }',
      '    bash: echo "v={{ item }}"',
      '    output: { v: word }',
      '  - name: txt',
      '    for: { item: "{{ items }}" }',
      '    join: text',
      '    bash: echo "{{ item }}!"',
      '  - name: last',
      '    for: { item: "{{ items }}" }',
      '    join: lastOf',
      '    bash: echo "v={{ item }}"',
      '    output: { v: word }',
      '  - name: obj',
      '    for: { item: "{{ items }}" }',
      '    join: object',
      '    bash: echo "key_{{ item }}=val_{{ item }}"',
      '  - name: poll',
      '    bash: |',
      `      n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}`,
      '      if [ $n -ge 3 ]; then echo "pending=false"; else echo "pending=true"; fi',
      '      echo "polls=$n"',
      '    while: "{{ poll.pending }}"',
      '    output: { pending: bool, polls: int }',
      '  - name: retry',
      '    bash: |',
      `      n=$(cat ${counter}); n=$((n+1)); echo $n > ${counter}`,
      '      if [ $n -ge 5 ]; then echo "success=true"; else echo "success=false"; fi',
      '    repeat: { until: "{{ retry.success }}", max: 10 }',
      '    output: { success: bool }',
      '  - name: summary',
      '    bash: |',
      '      echo "maybe={{ maybe.ran | default(\'skipped\') }}"',
      '      echo "arr={{ arr | length }}"',
      '      echo "last={{ last.v }}"',
      '      echo "obj={{ obj.key_y }}"',
      '    output: { maybe: word, arr: int, last: word, obj: word }',
    ].join('\n'),
  });
  const { done, state } = await runWorkflow(env, dir, 'f1', '#!flow');
  assert.equal(done.outcome, 'completed', JSON.stringify(state));
  assert.equal(stepOf(state, 'maybe').status, 'skipped');
  assert.deepEqual(stepOf(state, 'arr').output.map((o: any) => o.v), ['x', 'y']);
  assert.equal(stepOf(state, 'txt').output, 'x!\ny!');
  assert.equal(stepOf(state, 'last').output.v, 'y');
  assert.deepEqual(stepOf(state, 'obj').output, { key_x: 'val_x', key_y: 'val_y' });
  assert.equal(stepOf(state, 'poll').iterations, 3);
  assert.equal(stepOf(state, 'poll').output.polls, 3);
  assert.equal(stepOf(state, 'retry').iterations, 2);
  assert.deepEqual({ ...stepOf(state, 'summary').output, _raw: undefined }, { maybe: 'skipped', arr: 2, last: 'y', obj: 'val_y', _raw: undefined });
  // With the condition true the if-step runs.
  const again = await runWorkflow(env, dir, 'f2', '#!flow(enabled=true)');
  assert.equal(stepOf(again.state, 'maybe').output.ran, 'yes');
  assert.equal(existsSync(counter), true);
});

test('a parallel step runs its branches concurrently and exposes their outputs by branch name', async (t) => {
  const env = isolatedEnv(t);
  const marks = workflowProject(t, {});
  const dir = workflowProject(t, {
    par: [
      'steps:',
      '  - name: both',
      '    parallel:',
      '      - name: left',
      '        bash: |',
      `          touch ${marks}/left-started`,
      `          for i in $(seq 1 200); do [ -e ${marks}/right-started ] && break; sleep 0.05; done`,
      `          [ -e ${marks}/right-started ] && echo "saw_other=true" || echo "saw_other=false"`,
      '        output: { saw_other: bool }',
      '      - name: right',
      '        bash: |',
      `          touch ${marks}/right-started`,
      `          for i in $(seq 1 200); do [ -e ${marks}/left-started ] && break; sleep 0.05; done`,
      `          [ -e ${marks}/left-started ] && echo "saw_other=true" || echo "saw_other=false"`,
      '        output: { saw_other: bool }',
      '      - name: agent',
      '        agent: "Say hello."',
      '  - name: after',
      '    bash: echo "l={{ both.left.saw_other }} r={{ both.right.saw_other }} a={{ both.agent._raw | length > 0 }}"',
    ].join('\n'),
  });
  const { done, state } = await runWorkflow(env, dir, 'par1', '#!par');
  assert.equal(done.outcome, 'completed', JSON.stringify(state));
  const both = stepOf(state, 'both');
  assert.equal(both.output.left.saw_other, true, 'left ran while right was running');
  assert.equal(both.output.right.saw_other, true, 'right ran while left was running');
  assert.deepEqual(both.steps.map((s: any) => s.status), ['completed', 'completed', 'completed']);
  assert.match(stepOf(state, 'after').output._raw, /l=true r=true a=true/);
});

test('a failing parallel branch with fail_fast stops its siblings and fails the step', async (t) => {
  const env = isolatedEnv(t);
  const dir = workflowProject(t, {
    pf: ['steps:', '  - name: both', '    parallel:', '      - name: slow', '        bash: sleep 30', '      - name: bad', '        bash: exit 2'].join('\n'),
  });
  const started = Date.now();
  const { done, state } = await runWorkflow(env, dir, 'pf1', '#!pf');
  assert.ok(Date.now() - started < 25_000, 'the slow branch was stopped');
  assert.equal(done.outcome, 'failed');
  assert.match(done.error, /bad: bash exited with code 2/);
  assert.equal(stepOf(state, 'both').status, 'failed');
});
