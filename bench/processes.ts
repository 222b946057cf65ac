/**
 * Child processes of the bench: every server under test, every baseline and every load generator
 * runs in a process of its own, so none of them shares an event loop (or a garbage collector) with
 * another, and the numbers say what each process can do on its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench folder, for the child scripts' paths. */
export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/** A forked TypeScript child that talks to us over IPC. */
export interface Child {
  proc: ChildProcess;
  /** The next message the child sends (rejects if it exits first). */
  next<T = unknown>(): Promise<T>;
  /** Send a message to the child. */
  send(msg: unknown): void;
  /** SIGTERM, then SIGKILL after a grace period; resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * Fork `script` (a path under bench/) under tsx. Messages are queued until asked for with next(),
 * so none is lost between two awaits.
 */
export function forkChild(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Child {
  const proc = fork(path.join(BENCH_DIR, script), args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: unknown[] = [];
  const waiters: { ok(v: unknown): void; fail(e: Error): void }[] = [];
  let exited: Error | undefined;
  proc.on('message', (m) => {
    const w = waiters.shift();
    if (w) w.ok(m);
    else queue.push(m);
  });
  proc.on('exit', (code, signal) => {
    exited = new Error(`${script} exited (${signal ?? code})`);
    for (const w of waiters.splice(0)) w.fail(exited);
  });
  return {
    proc,
    next<T>() {
      if (queue.length) return Promise.resolve(queue.shift() as T);
      if (exited) return Promise.reject(exited);
      return new Promise<T>((ok, fail) => waiters.push({ ok: ok as (v: unknown) => void, fail }));
    },
    send: (msg) => proc.send(msg as never),
    stop: () => stopProcess(proc),
  };
}

/** End a child we started: SIGTERM, then SIGKILL if it is still there after 5 s. */
export function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    proc.kill('SIGTERM');
  });
}

/** Resident memory of a process in bytes, read from /proc (Linux). */
export function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Wait `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
