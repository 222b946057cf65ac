/**
 * The portal under test as its own process: the real command, `node bin/parley.js start`, on a
 * port the OS picks. Ready means its banner is printed, which `parley start` does only once the
 * HTTP server listens and the dispatcher and realtime hub run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR, stopProcess } from '../processes.ts';
import type { BenchStore } from './database.ts';

const PARLEY = path.join(BENCH_DIR, '..', 'bin', 'parley.js');

/** A running portal process. */
export interface PortalProcess {
  url: string;
  pid: number;
  /** From spawn() to the banner, in ms. */
  startupMs: number;
  stop(): Promise<void>;
}

/** Start a portal on the store; `env` adds PARLEY_* settings (socket caps for the fan-out). */
export function spawnPortal(store: BenchStore, env: NodeJS.ProcessEnv = {}): Promise<PortalProcess> {
  // BENCH_PORTAL_NODE_ARGS adds Node options to the portal alone (e.g. `--cpu-prof --cpu-prof-dir=…`
  // to profile it under the load; Node refuses those in NODE_OPTIONS).
  const nodeArgs = (process.env.BENCH_PORTAL_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const args = [...nodeArgs, PARLEY, 'start', '--data', store.dataDir, '--port', '0'];
  if (store.db) args.push('--db', store.db);
  const t0 = performance.now();
  const proc: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (c) => (err += c));
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /Parley is running at (\S+)/.exec(out);
      if (!m) return;
      const startupMs = performance.now() - t0;
      proc.stdout!.removeAllListeners('data');
      proc.stdout!.resume(); // keep draining, so a full pipe never blocks the portal
      proc.stderr!.removeAllListeners('data');
      proc.stderr!.pipe(process.stderr); // its warnings (socket caps, failed deliveries) stay visible
      resolve({ url: m[1], pid: proc.pid!, startupMs, stop: () => stopProcess(proc) });
    });
    proc.once('exit', (code) => reject(new Error(`portal exited (${code}) before it was ready:\n${out}${err}`)));
  });
}
