#!/usr/bin/env node
/**
 * fakey: SASE's deterministic fake agent CLI (spec/runtime.md §c.3). Thin shim: wires the real process (argv, env,
 * cwd, stdin, stdout/stderr, SIGTERM/SIGINT) into lib/providers/fakey/cli.ts.
 */
import { runFakey } from '../lib/providers/fakey/cli.js';
import { packageVersion } from '../lib/package.js';

const controller = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => controller.abort(sig));
// A reader that went away (EPIPE) must not crash fakey before it records the invocation.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

function writer(stream: NodeJS.WriteStream): (s: string) => Promise<void> {
  return (s) =>
    new Promise((res) => {
      stream.write(s, () => res());
    });
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  process.stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

try {
  process.exitCode = await runFakey({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    readStdin,
    io: { stdout: writer(process.stdout), stderr: writer(process.stderr) },
    signal: controller.signal,
    version: packageVersion(),
  });
} catch (e) {
  process.stderr.write(`fakey: internal error: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
}
