/** Spawning resolve workers (real processes) for claim tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isAlive as alive } from '../helpers/runs.js';

export { alive };

const WORKER = fileURLToPath(new URL('./fixtures/resolve-worker.js', import.meta.url));

/** A running worker and its first output line. */
export interface Worker {
  child: ChildProcess;
  /** Resolves with the parsed first stdout line. */
  result: Promise<any>;
  /** Closes stdin (the worker releases and exits) and waits for exit. */
  finish(): Promise<number | null>;
}

/** Starts a worker resolving `ref` with `env`. */
export function startWorker(ref: string, cwd: string, env: Record<string, string>, opts: { release?: boolean } = {}): Worker {
  const child = spawn(process.execPath, [WORKER, JSON.stringify({ ref, cwd, release: opts.release })], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const result = new Promise<any>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    child.on('close', (code) => reject(new Error(`worker exited ${code} before answering: ${err}`)));
  });
  result.catch(() => {});
  return {
    child,
    result,
    finish: async () => {
      child.stdin!.end();
      return exited;
    },
  };
}

/** Waits until none of `pids` is alive (detached runners finishing), polling every 200 ms. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > end) throw new Error(`processes still running: ${pids.filter(alive).join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
