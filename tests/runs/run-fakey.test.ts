/**
 * `sase run` and `sase agent` through the real binaries, driving the bundled fakey CLI in `#cd:<tmpdir>`
 * workspaces: success, retry, crash, timeout, kill, a SIGKILLed runner, fan-out, names, hide/group, wait, retry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gitRepo, tmpdir } from '../helpers/index.js';
import { alive, isolatedEnv, launch, recJson, recJsonl, sase, waitFor } from './helpers.js';

test('a successful fakey run leaves a complete record: prompts, events, transcript, reply, usage, diff, index', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t, { 'README.md': '# ws\n' });
  const r = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@ok %n:hello Say hello`], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [a] = r.json.data.agents;
  assert.equal(a.name, 'hello');
  assert.equal(a.status, 'DONE');
  assert.equal(a.workspace_dir, ws);
  assert.ok(a.record_dir.startsWith(join(env.SASE_HOME!, 'agents', a.id.slice(0, 6))));
  const dir = a.record_dir;
  const rec = recJson(dir, 'agent.json');
  assert.equal(rec.schema_version, 1);
  assert.equal(rec.id, a.id);
  assert.deepEqual(rec.model, { spec: 'fakey/@ok', provider: 'fakey', model: '@ok', effort: null });
  assert.equal(readFileSync(join(dir, 'expanded_prompt.md'), 'utf8').trim(), 'Say hello');
  assert.match(readFileSync(join(dir, 'raw_xprompt.md'), 'utf8'), /%n:hello/);
  const meta = recJson(dir, 'agent_meta.json');
  assert.equal(meta.name, 'hello');
  assert.equal(meta.llm_provider, 'fakey');
  assert.equal(meta.workspace_num, 0);
  const done = recJson(dir, 'done.json');
  assert.equal(done.outcome, 'completed');
  assert.equal(typeof done.finished_at, 'number');
  assert.equal(existsSync(join(dir, 'running.json')), false);
  assert.deepEqual(recJsonl(dir, 'events.jsonl').map((e) => e.status), ['STARTING', 'RUNNING', 'DONE']);
  const transcript = recJsonl(dir, 'transcript.jsonl');
  assert.ok(transcript.some((e) => e.type === 'assistant' && e.text.includes('Fakey completed successfully.')));
  assert.equal(readFileSync(join(dir, 'reply.md'), 'utf8').trim(), 'Fakey completed successfully.');
  const usage = recJson(dir, 'usage.json');
  assert.equal(usage.total.input_tokens, 7);
  assert.equal(usage.total.output_tokens, 3);
  assert.equal(recJson(dir, 'diff.json').files_changed, 0);
  const inv = recJson(join(dir, 'attempts', '1'), 'invocation.json');
  assert.ok(inv.args.includes('--model'));
  assert.ok(readFileSync(join(dir, 'attempts', '1', 'stdout'), 'utf8').length > 0, 'the provider stream is kept as received');
  const index = readFileSync(join(env.SASE_HOME!, 'agents', 'index.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(index.at(-1).status, 'DONE');
  assert.equal(index.at(-1).id, a.id);

  const show = await sase(['agent', 'show', 'hello', '--json'], env);
  assert.equal(show.json.data.agent.status, 'DONE');
  assert.equal(show.json.data.agent.usage.total.output_tokens, 3);
  const logs = await sase(['agent', 'logs', 'hello'], env);
  assert.match(logs.stdout, /Fakey completed successfully\./);
});

test('a retryable failure is retried and the run finishes DONE with both attempts recorded', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const r = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@flaky flaky please`], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const dir = r.json.data.agents[0].record_dir;
  assert.equal(recJson(dir, 'done.json').outcome, 'completed');
  assert.deepEqual(readdirSync(join(dir, 'attempts')).sort(), ['1', '2']);
  assert.equal(recJson(join(dir, 'attempts', '1'), 'exit.json').code, 1);
  assert.ok(recJsonl(dir, 'events.jsonl').some((e) => e.event === 'retrying'));
  assert.match(readFileSync(join(dir, 'reply.md'), 'utf8'), /recovered on the second attempt/);
});

test('a crashing provider ends FAILED with its error, and run --wait exits non-zero', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const r = await sase(['run', '--wait', '--json', `#cd:${ws} %m:fakey/@crash boom`], env);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const a = r.json.data.agents[0];
  assert.equal(a.status, 'FAILED');
  const done = recJson(a.record_dir, 'done.json');
  assert.equal(done.outcome, 'failed');
  assert.match(done.error, /fakey crashed/);
  assert.equal(readdirSync(join(a.record_dir, 'attempts')).length, 1, 'a non-retryable failure is not retried');
  const w = await sase(['agent', 'wait', a.name], env);
  assert.equal(w.code, 1, 'agent wait exits 1 for a failed run');
});

test('a hanging provider is killed by the timeout and its process group is gone', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const [a] = await launch(`#cd:${ws} %m:fakey/@hang hang`, env, ['--timeout', '2s']);
  const w = await sase(['agent', 'wait', a.name, '-t', '60s', '--json'], env);
  assert.equal(w.code, 1);
  assert.equal(w.json.data.agents[0].status, 'FAILED (timeout)');
  const done = recJson(a.record_dir, 'done.json');
  assert.equal(done.outcome, 'failed');
  assert.match(done.error, /timed out/);
  const provider = recJson(join(a.record_dir, 'attempts', '1'), 'exit.json');
  assert.ok(provider.signal === 'SIGTERM' || provider.code !== null);
  await waitFor(() => !alive(provider.pid) && !alive(recJson(a.record_dir, 'done.json').pid), 10_000, 'provider and runner exit');
});

test('sase agent kill stops a live run: KILLED, runner and provider gone', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const [a] = await launch(`#cd:${ws} %m:fakey/@hang %n:sleeper hang`, env);
  const running = await waitFor(() => recJson(a.record_dir, 'running.json')?.provider_pid && recJson(a.record_dir, 'running.json'), 30_000, 'provider start');
  assert.ok(alive(running.provider_pid));
  const list = await sase(['agent', 'list', '--json'], env);
  assert.deepEqual(list.json.data.buckets.map((b: any) => b.bucket), ['Running']);
  const k = await sase(['agent', 'kill', 'sleeper', '--json'], env);
  assert.equal(k.code, 0, k.stdout + k.stderr);
  assert.equal(k.json.data.status, 'KILLED');
  await waitFor(() => !alive(running.provider_pid) && !alive(running.pid), 15_000, 'processes to exit');
  assert.equal(recJson(a.record_dir, 'done.json').outcome, 'killed');
  const again = await sase(['agent', 'kill', 'sleeper', '--json'], env);
  assert.equal(again.code, 4, 'killing a finished run is a conflict');
  const list2 = await sase(['agent', 'list', '-a', '--json'], env);
  assert.equal(list2.json.data.agents[0].bucket, 'Failed');
});

test('a runner killed with SIGKILL is detected, its provider stopped, and the run marked FAILED', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const [a] = await launch(`#cd:${ws} %m:fakey/@hang %n:victim hang`, env);
  const running = await waitFor(() => recJson(a.record_dir, 'running.json')?.provider_pid && recJson(a.record_dir, 'running.json'), 30_000, 'provider start');
  process.kill(running.pid, 'SIGKILL');
  await waitFor(() => !alive(running.pid), 10_000, 'runner death');
  const list = await sase(['agent', 'list', '-a', '--json'], env);
  const row = list.json.data.agents.find((x: any) => x.name === 'victim');
  assert.equal(row.status, 'FAILED');
  const done = recJson(a.record_dir, 'done.json');
  assert.equal(done.finished_at_estimated, true);
  assert.match(done.error, /exited without writing a terminal status/);
  await waitFor(() => !alive(running.provider_pid), 10_000, 'orphaned provider to be stopped');
});

test('model fan-out launches one correctly named run per model and each finishes', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const r = await sase(['run', '--wait', '--json', `#cd:${ws} %n:fan %{%m:fakey/@ok | %m:fakey/@slow} do the thing`], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const agents = r.json.data.agents;
  assert.equal(agents.length, 2);
  assert.deepEqual(agents.map((a: any) => a.model).sort(), ['fakey/@ok', 'fakey/@slow']);
  for (const a of agents) {
    assert.ok(a.name.startsWith('fan.'), a.name);
    assert.equal(a.status, 'DONE');
    assert.equal(readFileSync(join(a.record_dir, 'expanded_prompt.md'), 'utf8').trim(), 'do the thing');
  }
  assert.notEqual(agents[0].name, agents[1].name);
});

test('multi-segment prompts launch every segment; a taken %name is refused with the next free name', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const agents = await launch(`#cd:${ws} %m:fakey/@ok %n:one first\n---\n#cd:${ws} %m:fakey/@ok %n:two second`, env, ['--wait']);
  assert.deepEqual(agents.map((a) => a.name), ['one', 'two']);
  const r = await sase(['run', '--json', `#cd:${ws} %m:fakey/@ok %n:one again`], env);
  assert.equal(r.code, 4);
  assert.equal(r.json.error.code, 'CONFLICT');
  assert.equal(r.json.error.data.suggestion, 'one.2');
  const forced = await launch(`#cd:${ws} %m:fakey/@ok %n:!one again`, env, ['--wait']);
  assert.equal(forced[0].name, 'one');
  const show = await sase(['agent', 'show', 'one', '--json'], env);
  assert.equal(show.json.data.agent.id, forced[0].id, 'a name refers to its newest run');
});

test('%hide and %group are recorded and honoured by agent list', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  await launch(`#cd:${ws} %m:fakey/@ok %n:secret %hide quiet`, env, ['--wait']);
  await launch(`#cd:${ws} %m:fakey/@ok %n:grouped %g:team work`, env, ['--wait']);
  const all = await sase(['agent', 'list', '-a', '--json'], env);
  assert.deepEqual(all.json.data.agents.map((a: any) => a.name), ['grouped']);
  const hidden = await sase(['agent', 'list', '-a', '--hidden', '--json'], env);
  assert.deepEqual(hidden.json.data.agents.map((a: any) => a.name).sort(), ['grouped', 'secret']);
  const team = await sase(['agent', 'list', '-a', '--group', 'team', '--json'], env);
  assert.deepEqual(team.json.data.agents.map((a: any) => a.name), ['grouped']);
  assert.equal(team.json.data.agents[0].group, 'team');
});

test('a %wait launch is recorded WAITING without a runner', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const agents = await launch(`#cd:${ws} %m:fakey/@hang %n:first go\n---\n#cd:${ws} %m:fakey/@ok %n:second %wait:first then`, env);
  const second = agents.find((a) => a.name === 'second');
  assert.equal(second.status, 'WAITING');
  assert.deepEqual(recJson(second.record_dir, 'waiting.json').waiting_for, ['first']);
  assert.equal(existsSync(join(second.record_dir, 'running.json')), false);
  const list = await sase(['agent', 'list', '--json'], env);
  assert.ok(list.json.data.buckets.some((b: any) => b.bucket === 'Waiting' && b.names.includes('second')));
  const w = await sase(['agent', 'wait', 'second', '-t', '1s'], env);
  assert.equal(w.code, 4, 'waiting on a parked run times out with exit 4');
  const k = await sase(['agent', 'kill', 'first'], env);
  assert.equal(k.code, 0, k.stderr);
});

test('retry launches the same prompt as a new run with lineage', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  await sase(['run', '--wait', `#cd:${ws} %m:fakey/@crash %n:shaky try`], env);
  const r = await sase(['agent', 'retry', 'shaky', '--json'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const n = r.json.data.agents[0];
  assert.equal(n.name, 'shaky.r1');
  const rec = recJson(n.record_dir, 'agent.json');
  assert.equal(rec.retry_of, r.json.data.retry_of);
  assert.equal(rec.retry_attempt, 1);
  assert.equal(readFileSync(join(n.record_dir, 'expanded_prompt.md'), 'utf8').trim(), 'try');
  const old = await sase(['agent', 'show', r.json.data.retry_of, '--json'], env);
  assert.equal(recJson(old.json.data.agent.record_dir, 'agent_meta.json').retried_as_timestamp, n.id);
  const w = await sase(['agent', 'wait', 'shaky.r1', '--json'], env);
  assert.equal(w.json.data.agents[0].status, 'FAILED');
});

test('a run in a git repo snapshots its prompt into sdd/prompts and records the diff without the snapshot', async (t) => {
  const env = isolatedEnv(t);
  const repo = gitRepo(t, { 'README.md': '# repo\n' });
  const r = await sase(['run', '--wait', '--json', `#cd:${repo} %m:fakey/@demo %n:demo-run Tell me what this repository is.`], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const a = r.json.data.agents[0];
  const months = readdirSync(join(repo, 'sdd', 'prompts'));
  assert.equal(months.length, 1);
  const snap = readFileSync(join(repo, 'sdd', 'prompts', months[0]!, 'demo_run.md'), 'utf8');
  assert.match(snap, /^---\ncreate_time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\nagent: demo-run\nagent_id: /);
  assert.match(snap, /\nTell me what this repository is\.\n$/);
  assert.ok(!snap.includes('%n:'), 'directives are stripped');
  const diff = recJson(a.record_dir, 'diff.json');
  assert.equal(diff.method, 'git');
  assert.deepEqual(diff.files.map((f: any) => [f.path, f.status]), [['fakey-demo.md', 'added']]);
  const d = await sase(['agent', 'diff', 'demo-run'], env);
  assert.match(d.stdout, /^\+# fakey demo$/m);
  const stat = await sase(['agent', 'diff', 'demo-run', '--stat', '--json'], env);
  assert.equal(stat.json.data.summary.files_changed, 1);
});

test('logs -f follows a live run to the end', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t);
  const [a] = await launch(`#cd:${ws} %m:fakey/@slow %n:streamer stream`, env);
  const r = await sase(['agent', 'logs', '-f', a.name], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Fakey is streaming\./);
  assert.match(r.stdout, /-- streamer: DONE/);
});

test('usage errors: an empty prompt, a missing #cd directory and an unknown agent', async (t) => {
  const env = isolatedEnv(t);
  const empty = await sase(['run', '--json', '   '], env);
  assert.equal(empty.code, 2);
  const missing = await sase(['run', '--json', `#cd:${join(tmpdir(t), 'nope')} hi`], env);
  assert.equal(missing.code, 3);
  assert.equal(missing.json.error.code, 'NOT_FOUND');
  const agentsDir = join(env.SASE_HOME!, 'agents');
  assert.equal(existsSync(agentsDir) ? readdirSync(agentsDir).filter((f) => /^\d{6}$/.test(f)).length : 0, 0, 'nothing was recorded');
  const unknown = await sase(['agent', 'show', 'ghost', '--json'], env);
  assert.equal(unknown.code, 3);
  const w = await sase(['agent', 'wait', 'ghost'], env);
  assert.equal(w.code, 2, 'agent wait: an unknown name is a usage error (SASE exit 2)');
});

test('the prompt can come from -f FILE and from stdin', async (t) => {
  const env = isolatedEnv(t);
  const ws = tmpdir(t, { 'p.md': 'from a file\n' });
  const both = await sase(['run', '--json', '-f', join(ws, 'p.md'), 'and an argument'], env);
  assert.equal(both.code, 2, 'a prompt argument and -f together are refused');
  const ws2 = tmpdir(t, { 'p.md': `#cd:${ws} %m:fakey/@ok from a file\n` });
  const r2 = await sase(['run', '--wait', '--json', '-f', join(ws2, 'p.md')], env);
  assert.equal(r2.code, 0, r2.stdout + r2.stderr);
  assert.equal(readFileSync(join(r2.json.data.agents[0].record_dir, 'expanded_prompt.md'), 'utf8').trim(), 'from a file');
  const { runBin } = await import('../helpers/index.js');
  const r3 = await runBin('sase', ['run', '--wait', '--json'], { env, input: `#cd:${ws} %m:fakey/@ok from stdin` });
  assert.equal(r3.code, 0, r3.stdout + r3.stderr);
  assert.equal(readFileSync(join(r3.json.data.agents[0].record_dir, 'expanded_prompt.md'), 'utf8').trim(), 'from stdin');
});
