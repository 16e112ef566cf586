import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, runBin, tmpdir } from '../helpers/index.js';

test('sase --help lists built-in nouns and plugins found on PATH', async (t) => {
  const dir = tmpdir(t);
  const plugin = join(dir, 'sase-hello');
  writeFileSync(plugin, '#!/bin/sh\necho "hello from plugin $*"\nexit 3\n');
  chmodSync(plugin, 0o755);
  const help = await runBin('sase', ['--help'], { env: { PATH: `${dir}:${process.env.PATH}` } });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /xprompt/);
  assert.match(help.stdout, /bead/);
  assert.match(help.stdout, /Plugins[^\n]*\n\s+hello/);
  const run = await runBin('sase', ['hello', 'a', 'b'], { env: { PATH: `${dir}:${process.env.PATH}` } });
  assert.equal(run.stdout, 'hello from plugin a b\n');
  assert.equal(run.code, 3);
});

test('sase version --json prints exactly one envelope', async () => {
  const r = await runBin('sase', ['version', '--json']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  assert.equal(r.json.schema_version, 1);
  assert.equal(r.json.ok, true);
  assert.equal(r.json.command, 'sase version');
  assert.match(r.json.data.version, /^\d+\.\d+\.\d+/);
});

test('usage errors exit 2 with an error envelope in --json mode and a message on stderr otherwise', async () => {
  const unknown = await runBin('sase', ['no-such-noun', '--json']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.json.ok, false);
  assert.equal(unknown.json.error.code, 'USAGE');
  const badFlag = await runBin('sase', ['version', '--bogus']);
  assert.equal(badFlag.code, 2);
  assert.equal(badFlag.stdout, '');
  assert.match(badFlag.stderr, /^error: .*--bogus/);
  const badFlagJson = await runBin('sase', ['version', '--bogus', '--json']);
  assert.equal(badFlagJson.code, 2);
  assert.equal(badFlagJson.json.error.code, 'USAGE');
});

test('per-noun binaries behave like the umbrella', async () => {
  const r = await runBin('sase-bead', ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: sase bead/);
});

test('output into a pipe whose reader has gone away ends quietly instead of crashing with EPIPE', async () => {
  const { spawnSync } = await import('node:child_process');
  // `true` exits without reading, long before node has started, so the command's first write meets a closed pipe.
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${binPath('sase')}" --help | true; echo "status=$?" >&2`], {
    encoding: 'utf8',
  });
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|Error:/);
  assert.match(r.stderr, /status=0/);
});
