/**
 * The spare runner: one idle, fully loaded runner per `$SASE_HOME` and sase build, waiting on a Unix socket
 * (`$SASE_HOME/agents/standby/spare-<key>.sock`) so the next `sase run` hands its first launch to a process that is
 * already up — the launch then costs one Node start (the launcher's) instead of two (docs/adr/0004-start-up-time.md).
 *
 * Protocol (one launcher at a time): the launcher connects; the spare stops listening (removes the socket) and
 * greets with `<pid>\n`; the launcher later sends one JSON line `{"dir": <record dir>, "env": {…}}` and closes.
 * The spare adopts that environment (replacing its own) and the record directory as cwd, then runs the agent like
 * any runner. A connection closed without a line releases the spare: it listens again. `sase run` starts a new
 * spare when it finishes and none is alive.
 *
 * Lifetime: one spare per key, guarded by `spare-<key>.pid` (created exclusively; a dead owner's file is taken
 * over). A spare exits after {@link SPARE_IDLE_MS} without a launch, or within {@link SPARE_CHECK_MS} once its socket
 * file is gone (e.g. `$SASE_HOME` deleted). `SASE_NO_SPARE_RUNNER=1` (or `SASE_NO_STANDBY_RUNNER=1`) disables it.
 * The key hashes the Node binary and the runner script's path and mtime, so an upgraded sase never uses an old spare.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { isPidAlive } from '../store/pid.js';
import { definedEnv } from '../store/paths.js';
import { agentsRoot } from './paths.js';
import type { StandbyRunner } from './standby.js';

/** A spare exits after this long without a launch, ms. */
export const SPARE_IDLE_MS = 10 * 60_000;
/** How often a spare checks that its socket file still exists, ms. */
export const SPARE_CHECK_MS = 2_000;
/** How long a launcher waits for a spare's greeting before giving up on it, ms. */
export const SPARE_GREETING_MS = 500;

/** What a spare receives: the record directory and the launcher's environment. */
export interface SpareAssignment {
  dir: string;
  env: Record<string, string>;
}

/** FNV-1a 32-bit hash, hex (no crypto on the start-up path). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Socket and pid-file paths of the spare for `env` and `runnerScript`; null when the runner script cannot be
 * stat'ed. Path rule: `$SASE_HOME/agents/standby/spare-<key>.{sock,pid}` (SASE_HOME defaults to `~/.sase`).
 */
export function sparePaths(env: Record<string, string | undefined>, runnerScript: string): { sock: string; pid: string } | null {
  let mtime: number;
  try {
    mtime = statSync(runnerScript).mtimeMs;
  } catch {
    return null;
  }
  const base = join(agentsRoot(env), 'standby', `spare-${fnv1a(`${process.execPath}\0${runnerScript}\0${mtime}`)}`);
  return { sock: `${base}.sock`, pid: `${base}.pid` };
}

/** True when SASE_NO_SPARE_RUNNER / SASE_NO_STANDBY_RUNNER disable spares. */
export function sparesDisabled(env: Record<string, string | undefined>): boolean {
  return Boolean(env.SASE_NO_SPARE_RUNNER || env.SASE_NO_STANDBY_RUNNER);
}

/**
 * Launcher side: connects to the spare at `sock` and waits for its greeting. @returns a StandbyRunner whose
 * `assign` sends the record directory with `env`, or null when there is no (live) spare. Never throws.
 */
export function claimSpare(sock: string, env: Record<string, string | undefined>): Promise<StandbyRunner | null> {
  return new Promise((resolve) => {
    let socket: Socket;
    try {
      socket = connect(sock);
    } catch {
      resolve(null);
      return;
    }
    let buf = '';
    let pid = 0;
    let closed = false;
    const timer = setTimeout(() => fail(), SPARE_GREETING_MS);
    const fail = (): void => {
      clearTimeout(timer);
      socket.destroy();
      if (!pid) resolve(null);
    };
    socket.on('error', () => {
      closed = true;
      fail();
    });
    socket.on('close', () => {
      closed = true;
      if (!pid) fail();
    });
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      if (pid) return;
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      pid = Number(buf.slice(0, nl));
      clearTimeout(timer);
      if (!Number.isInteger(pid) || pid <= 0) {
        pid = 0;
        fail();
        return;
      }
      socket.unref();
      const clean = definedEnv(env);
      let used = false;
      resolve({
        pid,
        assign(dir: string): boolean {
          if (used || closed) return false;
          used = true;
          socket.end(JSON.stringify({ dir, env: clean } satisfies SpareAssignment) + '\n');
          return true;
        },
        cancel(): void {
          if (used) return;
          used = true;
          socket.destroy();
        },
      });
    });
  });
}

/**
 * Launcher side, when `sase run` is done: starts a new spare for the next launch (detached, unref'd, output
 * ignored) unless one is already alive for this key or spares are disabled. Never throws.
 */
export function startSpare(env: Record<string, string | undefined>, runnerScript: string): void {
  if (sparesDisabled(env)) return;
  const paths = sparePaths(env, runnerScript);
  if (!paths || (existsSync(paths.sock) && pidFileAlive(paths.pid))) return;
  try {
    const child = spawn(process.execPath, [runnerScript, '--spare', paths.sock, paths.pid], { cwd: '/', env: definedEnv(env), detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no spare: the next launch starts its runner the ordinary way
  }
}

function pidFileAlive(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return isPidAlive(pid);
  } catch {
    return false;
  }
}

/** Creates the pid file exclusively, taking over a dead owner's. @returns false when a live spare owns it */
function claimPidFile(path: string): boolean {
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || pidFileAlive(path)) return false;
      try {
        unlinkSync(path);
      } catch {
        // raced with another spare: retry once
      }
    }
  }
  return false;
}

function removeIfOurs(pidPath: string): void {
  try {
    if (readFileSync(pidPath, 'utf8').trim() === String(process.pid)) unlinkSync(pidPath);
  } catch {
    // gone
  }
}

/**
 * Spare side (`sase-runner --spare <sock> <pidfile>`): owns the pid file, listens on `sock`, and resolves with the
 * first launcher's assignment. A launcher that closes its connection without one (its launch failed, or needed no
 * runner) does not use the spare up: it listens again. Resolves null when another spare is alive, the socket cannot
 * be served, `idleMs` (default {@link SPARE_IDLE_MS}) pass without an assignment, the socket file disappears while
 * listening, or the stop function handed to `onStop` is called (SIGTERM). Removes its socket and pid file.
 */
export function serveSpare(
  sock: string,
  pidPath: string,
  opts: { idleMs?: number; onStop?: (stop: () => void) => void } = {},
): Promise<SpareAssignment | null> {
  const idleMs = opts.idleMs ?? SPARE_IDLE_MS;
  return new Promise((resolve) => {
    try {
      mkdirSync(join(sock, '..'), { recursive: true });
    } catch {
      resolve(null);
      return;
    }
    if (!claimPidFile(pidPath)) {
      resolve(null);
      return;
    }
    let settled = false;
    let server: Server | null = null;
    let listening = false;
    const unlinkSock = (): void => {
      try {
        unlinkSync(sock);
      } catch {
        // gone
      }
    };
    const finish = (a: SpareAssignment | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      clearInterval(check);
      server?.close();
      if (listening) unlinkSock();
      removeIfOurs(pidPath);
      resolve(a);
    };
    const idle = setTimeout(() => finish(null), idleMs);
    const check = setInterval(() => {
      if (listening && !existsSync(sock)) finish(null);
    }, SPARE_CHECK_MS);
    opts.onStop?.(() => finish(null));
    const listen = (): void => {
      if (settled) return;
      let taken = false;
      const srv = createServer();
      server = srv;
      srv.on('error', () => finish(null));
      srv.on('listening', () => (listening = true));
      srv.on('connection', (socket: Socket) => {
        if (taken || settled) {
          socket.destroy(); // one launcher at a time: a later one falls back to its own runner
          return;
        }
        taken = true;
        // Stop listening at once, so other launchers fall back to their own runner.
        listening = false;
        srv.close();
        unlinkSock();
        let buf = '';
        let assigned = false;
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => {
          buf += d;
          const nl = buf.indexOf('\n');
          if (nl < 0 || assigned) return;
          assigned = true;
          try {
            const a = JSON.parse(buf.slice(0, nl)) as SpareAssignment;
            finish(typeof a.dir === 'string' && a.dir && typeof a.env === 'object' && a.env ? a : null);
          } catch {
            finish(null);
          }
          socket.destroy();
        });
        socket.on('error', () => socket.destroy());
        socket.on('close', () => {
          if (!assigned) listen(); // released unused: wait for the next launcher
        });
        socket.write(`${process.pid}\n`);
      });
      unlinkSock(); // stale, or ours from before: the pid file says we own this key
      srv.listen(sock);
    };
    listen();
  });
}
