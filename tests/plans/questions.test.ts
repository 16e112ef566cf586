/** User questions through the real binary (spec/runtime.md §d.1): ask, list, answer once, --wait, auto-approve. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runBin, tmpdir } from '../helpers/index.js';
import { waitFor } from '../helpers/runs.js';

function setup(t: Parameters<typeof tmpdir>[0]) {
  const dir = tmpdir(t);
  const env: Record<string, string> = { HOME: dir, SASE_HOME: join(dir, '.sase'), SASE_ARTIFACTS_DIR: '', SASE_AGENT_AUTO_APPROVE: '', SASE_AGENT_NAME: '' };
  const sase = (args: string[], extra: Record<string, string> = {}) => runBin('sase', [...args, '--json'], { cwd: dir, env: { ...env, ...extra } });
  return { dir, env, sase };
}

test('ask --wait returns the answer of a concurrent answerer process; a second answer is a CONFLICT', async (t) => {
  const { dir, env, sase } = setup(t);
  const art = join(dir, 'art');
  mkdirSync(art);
  const asking = sase(['question', 'ask', 'Which DB?', '-o', 'PostgreSQL', '-o', 'SQLite=embedded', '--header', 'Storage', '--wait', '--timeout', '60', '--poll', '100'], { SASE_ARTIFACTS_DIR: art, SASE_AGENT_NAME: 'zz--1' });
  const root = join(env.SASE_HOME!, 'user_question');
  const id = await waitFor(() => (existsSync(root) ? (readdirSync(root).find((d) => existsSync(join(root, d, 'question_request.json'))) ?? '') : ''), 60_000, 'the request');
  assert.ok(id);
  const req = JSON.parse(readFileSync(join(root, id, 'question_request.json'), 'utf8'));
  assert.deepEqual(req.questions, [{ header: 'Storage', question: 'Which DB?', options: [{ label: 'PostgreSQL' }, { label: 'SQLite', description: 'embedded' }] }]);
  assert.equal(req.session_id, id);
  await waitFor(() => existsSync(join(art, 'pending_question.json')), 10_000, 'pending_question.json');
  assert.deepEqual(JSON.parse(readFileSync(join(art, 'pending_question.json'), 'utf8')), { request_path: join(root, id, 'question_request.json') });
  const listed = await sase(['question', 'list']);
  assert.deepEqual(listed.json.data.questions.map((q: { id: string }) => q.id), [id]);

  const wrong = await sase(['question', 'answer', id, '-s', 'MySQL']);
  assert.equal(wrong.code, 2);
  const ans = await sase(['question', 'answer', id.slice(0, 4), 'PostgreSQL']);
  assert.equal(ans.code, 0, ans.stderr);
  const asked = await asking;
  assert.equal(asked.code, 0, asked.stderr);
  assert.deepEqual(asked.json.data.answer, { answers: [{ question: 'Which DB?', selected: ['PostgreSQL'], custom_feedback: null }], global_note: '' });
  assert.ok(!existsSync(join(art, 'pending_question.json')), 'pending marker removed once answered');
  const second = await sase(['question', 'answer', id, '-t', 'changed my mind']);
  assert.equal(second.code, 4);
  assert.equal(second.json.error.code, 'CONFLICT');
  assert.equal((await sase(['question', 'list'])).json.data.questions.length, 0);
  assert.equal((await sase(['question', 'list', '--all'])).json.data.questions[0].status, 'answered');
});

test('free-text questions take text answers; --wait times out with exit 8; auto-approve picks the first option', async (t) => {
  const { env, sase } = setup(t);
  const free = await sase(['question', 'ask', 'Anything else?']);
  const id = free.json.data.id as string;
  assert.equal((await sase(['question', 'answer', id, '-s', 'x'])).code, 2);
  const a = await sase(['question', 'answer', id, '-t', 'ship it', '--note', 'from test']);
  assert.equal(a.code, 0);
  assert.deepEqual(JSON.parse(readFileSync(join(env.SASE_HOME!, 'user_question', id, 'question_response.json'), 'utf8')), {
    answers: [{ question: 'Anything else?', selected: [], custom_feedback: 'ship it' }],
    global_note: 'from test',
  });
  const timeout = await sase(['question', 'ask', 'Still there?', '--wait', '--timeout', '0.3', '--poll', '50']);
  assert.equal(timeout.code, 8);
  assert.equal(timeout.json.error.code, 'TIMEOUT');
  const auto = await sase(['question', 'ask', 'Proceed?', '-o', 'Yes', '-o', 'No', '--wait'], { SASE_AGENT_AUTO_APPROVE: '1' });
  assert.equal(auto.code, 0);
  assert.deepEqual(auto.json.data.answer.answers[0].selected, ['Yes']);
});

test('several questions from a JSON file (the runtime-vectors request shape) answered together with --answers', async (t) => {
  const { dir, env, sase } = setup(t);
  const req = {
    questions: [
      { header: 'Protected memory regenerated', question: 'How should I proceed?', options: [{ label: 'Amend and keep', description: 'Fold the files into this commit' }, { label: 'Abort' }] },
      { question: 'Anything to add?', options: [] },
    ],
    session_id: 'ignored',
  };
  const asked = await runBin('sase', ['question', 'ask', '--file', '-', '--json'], { cwd: dir, env, input: JSON.stringify(req) });
  assert.equal(asked.code, 0, asked.stderr);
  const id = asked.json.data.id as string;
  assert.deepEqual(asked.json.data.request.questions, req.questions);
  const one = await sase(['question', 'answer', id, 'Abort']);
  assert.equal(one.code, 2, 'one answer for two questions is a usage error');
  const ans = await sase(['question', 'answer', id, '--answers', JSON.stringify([{ selected: ['Amend and keep'] }, { text: 'no' }])]);
  assert.equal(ans.code, 0, ans.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(env.SASE_HOME!, 'user_question', id, 'question_response.json'), 'utf8')).answers, [
    { question: 'How should I proceed?', selected: ['Amend and keep'], custom_feedback: null },
    { question: 'Anything to add?', selected: [], custom_feedback: 'no' },
  ]);
  const bad = await runBin('sase', ['question', 'ask', '--file', '-', '--json'], { cwd: dir, env, input: '{"questions":[{"options":[]}]}' });
  assert.equal(bad.code, 6);
  assert.equal(bad.json.error.data.field, 'questions[0]');
});
