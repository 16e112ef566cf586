/**
 * Running fakey scenario steps: barriers (`signal`, `wait_for`, `sleep`, SASE spec/runtime.md §c.3) and the TS-only
 * file steps (`write`, `append`, `edit`, `delete`) that change files inside the working directory. A file step
 * never touches anything outside cwd.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ScenarioStep } from './scenario.js';

/** Raised when a step cannot complete (a `wait_for` timed out, an edit found nothing, a path escapes cwd). */
export class StepError extends Error {
  constructor(
    message: string,
    /** Process exit code fakey uses for this failure (124 = timed out, as SASE). */
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Raised when the run is terminated (SIGTERM/SIGINT) while waiting. */
export class TerminatedError extends Error {}

/** A file change a step made, reported as a tool call in the stream. */
export interface FileChange {
  tool: 'Write' | 'Edit' | 'Bash';
  input: Record<string, unknown>;
  result: string;
}

/** Abortable sleep (ms). @throws TerminatedError when `signal` aborts first */
export function sleepMs(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new TerminatedError('terminated'));
  if (ms <= 0) return Promise.resolve();
  return new Promise((res, rej) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      rej(new TerminatedError('terminated'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      res();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function insideCwd(cwd: string, path: string): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new StepError(`file step path escapes the working directory: ${path}`, 1);
  return abs;
}

/**
 * Runs the steps in order.
 * @param expand expands `{{prompt}}` / `{{model}}` in file contents
 * @param onFileChange called after each file step with what it did (fakey reports it as a tool call)
 * @throws StepError, TerminatedError
 */
export async function runSteps(
  steps: ScenarioStep[],
  opts: {
    cwd: string;
    barrierTimeoutS: number;
    signal: AbortSignal;
    expand: (s: string) => string;
    onFileChange: (c: FileChange) => Promise<void>;
  },
): Promise<void> {
  const { cwd, signal } = opts;
  for (const step of steps) {
    if ('sleep' in step) await sleepMs(step.sleep * 1000, signal);
    else if ('signal' in step) {
      const p = resolve(cwd, step.signal);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, '', { flag: 'a' });
    } else if ('wait_for' in step) {
      const spec = typeof step.wait_for === 'string' ? { path: step.wait_for } : step.wait_for;
      const timeoutS = spec.timeout ?? opts.barrierTimeoutS;
      const p = resolve(cwd, spec.path);
      const deadline = Date.now() + timeoutS * 1000;
      while (!existsSync(p)) {
        if (Date.now() >= deadline) throw new StepError(`wait_for timed out after ${timeoutS}s: ${p}`, 124);
        await sleepMs(Math.min(50, Math.max(1, deadline - Date.now())), signal);
      }
    } else if ('write' in step || 'append' in step) {
      const append = 'append' in step;
      const spec = append ? step.append : step.write;
      const abs = insideCwd(cwd, spec.path);
      const content = opts.expand(spec.content);
      const existed = existsSync(abs);
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content, { flag: append ? 'a' : 'w' });
      const verb = append ? 'appended to' : existed ? 'updated' : 'created';
      await opts.onFileChange({
        tool: append ? 'Edit' : 'Write',
        input: append ? { file_path: abs, append: content } : { file_path: abs, content },
        result: `File ${verb} successfully at: ${abs}`,
      });
    } else if ('edit' in step) {
      const abs = insideCwd(cwd, step.edit.path);
      let text: string;
      try {
        text = await readFile(abs, 'utf8');
      } catch {
        throw new StepError(`edit: file not found: ${step.edit.path}`, 1);
      }
      const find = opts.expand(step.edit.find);
      if (!text.includes(find)) throw new StepError(`edit: text to replace not found in ${step.edit.path}`, 1);
      const replace = opts.expand(step.edit.replace);
      await writeFile(abs, text.split(find).join(replace));
      await opts.onFileChange({
        tool: 'Edit',
        input: { file_path: abs, old_string: find, new_string: replace, replace_all: true },
        result: `The file ${abs} has been updated.`,
      });
    } else if ('run' in step) {
      const r = await runShell(step.run, cwd, signal);
      await opts.onFileChange({ tool: 'Bash', input: { command: step.run }, result: r.output });
      if (r.code !== 0) throw new StepError(`run: command exited with ${r.code}: ${step.run}\n${r.output.trim().split('\n').slice(-5).join('\n')}`, 1);
    } else if ('delete' in step) {
      const abs = insideCwd(cwd, step.delete);
      await rm(abs, { recursive: true, force: true });
      await opts.onFileChange({ tool: 'Bash', input: { command: `rm -rf ${JSON.stringify(step.delete)}` }, result: '' });
    }
  }
}

/** Runs `command` with `/bin/sh -c` in `cwd` (inherits fakey's environment). @throws TerminatedError when aborted */
function runShell(command: string, cwd: string, signal: AbortSignal): Promise<{ code: number; output: string }> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise((res, rej) => {
        const c = spawn('/bin/sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        c.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
        c.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
        const onAbort = (): void => {
          c.kill('SIGTERM');
          rej(new TerminatedError('terminated'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        c.on('error', (e) => res({ code: 127, output: e.message }));
        c.on('close', (code) => {
          signal.removeEventListener('abort', onAbort);
          res({ code: code ?? 1, output });
        });
      }),
  );
}
