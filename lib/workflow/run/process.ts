/**
 * Running bash and python step bodies (spec/xprompts.md §6.2): the rendered body runs in its own process group
 * (`bash -c`, or `python3 <step_dir>/step.py`; `$SASE_PYTHON` overrides the interpreter) in the workflow's working
 * directory; stdout and stderr are appended to the step's `log` as they arrive; an abort kills the group.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { definedEnv } from '../../store/paths.js';

/** Result of one body run. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  spawnError: string | null;
}

/** Runs a bash or python body to completion. */
export function runBody(
  kind: 'bash' | 'python',
  body: string,
  opts: { cwd: string; env: Record<string, string | undefined>; stepDir: string; signal: AbortSignal },
): Promise<ProcessResult> {
  let cmd: string;
  let args: string[];
  if (kind === 'bash') {
    cmd = 'bash';
    args = ['-c', body];
  } else {
    const file = join(opts.stepDir, 'step.py');
    writeFileSync(file, body);
    cmd = opts.env.SASE_PYTHON || 'python3';
    args = [file];
  }
  const env = definedEnv(opts.env);
  const logFd = openSync(join(opts.stepDir, 'log'), 'a');
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (r: Omit<ProcessResult, 'stdout' | 'stderr'>): void => {
      if (done) return;
      done = true;
      opts.signal.removeEventListener('abort', onAbort);
      closeSync(logFd);
      resolve({ ...r, stdout, stderr });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { cwd: opts.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      finish({ code: null, signal: null, spawnError: `cannot start ${cmd}: ${(e as Error).message}` });
      return;
    }
    const onAbort = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone
      }
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    if (opts.signal.aborted) onAbort();
    child.on('error', (e) => finish({ code: null, signal: null, spawnError: `cannot start ${cmd}: ${e.message}` }));
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      writeSync(logFd, s);
    });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      writeSync(logFd, s);
    });
    child.on('close', (code, signal) => finish({ code, signal, spawnError: null }));
  });
}
