/**
 * The executor in-process: an embeddable workflow's pre-steps, `prompt_part` injection and post-steps (the corpus
 * `file.yml`), with a host that plays the agent; stdout parsing and output typing rules (spec/xprompts.md §6.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath, hasCorpus, tmpdir } from '../helpers/index.js';
import { loadWorkflowFile } from '../../lib/workflow/load.js';
import { executeWorkflow, type AgentRequest } from '../../lib/workflow/run/executor.js';
import { parseStepStdout, typeOutput, jsonFromReply } from '../../lib/workflow/run/output.js';
import { parseOutputSpec } from '../../lib/workflow/output-spec.js';

function host(t: any, ws: string, agent: (req: AgentRequest) => string, prompt: string | null = null) {
  const root = tmpdir(t);
  const seen: AgentRequest[] = [];
  return {
    seen,
    root,
    host: {
      rootDir: root,
      workflowName: 'x',
      cwd: ws,
      env: { PATH: process.env.PATH },
      now: () => new Date(),
      signal: new AbortController().signal,
      prompt,
      runAgent: async (req: AgentRequest) => {
        seen.push(req);
        return { ok: true, reply: agent(req), ids: [], error: null };
      },
    },
  };
}

test('an embeddable workflow runs its pre-steps, injects its prompt_part before the caller prompt, then its post-steps', { skip: !hasCorpus() }, async (t) => {
  const { workflow } = loadWorkflowFile(corpusPath('xprompts', 'src', 'sase', 'xprompts', 'file.yml'));
  assert.ok(workflow);
  const ws = tmpdir(t);
  const h = host(
    t,
    ws,
    (req) => {
      // The "agent" follows the injected instructions: write the file named in the prompt.
      const path = /following file: (\S+)/.exec(req.prompt)![1]!;
      mkdirSync(join(ws, 'bb/sase/file'), { recursive: true });
      writeFileSync(join(ws, path), '# notes\n');
      return 'wrote it';
    },
    'Summarize the repository.',
  );
  const out = await executeWorkflow(workflow!, { name: 'notes' }, h.host);
  assert.equal(out.status, 'completed', out.error ?? '');
  assert.equal(h.seen.length, 1);
  const p = h.seen[0]!.prompt;
  assert.match(p, /### File Output Requirements/);
  assert.match(p, /bb\/sase\/file\/notes-\d{6}_\d{6}\.md/);
  assert.ok(p.indexOf('File Output Requirements') < p.indexOf('Summarize the repository.'), 'the part comes before the caller prompt');
  assert.deepEqual(out.steps.map((s) => [s.name, s.status]), [['generate_path', 'completed'], ['inject', 'completed'], ['verify_file', 'completed']]);
  assert.equal(existsSync(join(ws, 'bb/sase/file/notes.md')), true, 'the post-step linked the file');
  assert.equal((out.outputs.inject as any)._response, 'wrote it');
  assert.equal(readFileSync(join(h.root, 'workflow_state.json'), 'utf8').includes('"status": "completed"'), true);
});

test('the post-step of file.yml fails the workflow when the agent did not write the file', { skip: !hasCorpus() }, async (t) => {
  const { workflow } = loadWorkflowFile(corpusPath('xprompts', 'src', 'sase', 'xprompts', 'file.yml'));
  const h = host(t, tmpdir(t), () => 'did nothing', 'Do something.');
  const out = await executeWorkflow(workflow!, { name: 'notes' }, h.host);
  assert.equal(out.status, 'failed');
  assert.match(out.error!, /step 'verify_file': bash exited with code 1: ERROR: Expected file/);
});

test('stdout parsing: JSON documents, key=value lines (also comma-joined), else raw text', () => {
  assert.deepEqual(parseStepStdout('{"a": 1}\n'), { a: 1, _raw: '{"a": 1}\n' });
  assert.deepEqual(parseStepStdout('[1, 2]'), [1, 2]);
  assert.deepEqual(parseStepStdout('noise\nx=1\ny=a=b\n'), { x: '1', y: 'a=b', _raw: 'noise\nx=1\ny=a=b\n' });
  assert.deepEqual(parseStepStdout('name=alpha,id=1\n'), { name: 'alpha', id: '1', _raw: 'name=alpha,id=1\n' });
  assert.deepEqual(parseStepStdout('just words\n'), { _raw: 'just words\n', _output: 'just words\n' });
  assert.deepEqual(jsonFromReply('Here:\n```json\n{"k": true}\n```\n'), { k: true });
  assert.equal(jsonFromReply('no json here'), undefined);
});

test('output typing coerces shortform types, applies defaults and reports missing or mistyped fields', () => {
  const spec = parseOutputSpec({ n: 'int', ok: 'bool', note: { type: 'line', default: null } })!;
  const good = typeOutput({ n: '3', ok: 'false' }, spec);
  assert.deepEqual(good, { value: { n: 3, ok: false, note: null }, errors: [] });
  const bad = typeOutput({ n: 'three' }, spec);
  assert.deepEqual(bad.errors, ["missing field 'ok'", 'field \'n\' should be "integer", got "three"']);
  const arr = parseOutputSpec([{ name: 'word', parent: { type: 'word', default: null } }])!;
  assert.deepEqual(typeOutput([{ name: 'a' }], arr).errors, []);
  assert.match(typeOutput({ name: 'a' }, arr).errors[0]!, /expected a JSON array/);
  assert.match(typeOutput([{}], arr).errors[0]!, /\[0\] missing field 'name'/);
});
