/**
 * Test harness: real portals (in-process or as a `parley start` child), real bot handler processes,
 * the real `parley` CLI (for the tests of the command itself; setup goes through ./suite.ts), and
 * plain HTTP calls.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type ConfigInput } from '../../src/config.ts';
import { startPortal, type RunningPortal, type StartOptions } from '../../src/http/server.ts';

const execFileP = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/parley.js');

/** A fresh temporary data directory. */
export function tempDir(prefix = 'parley-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Start an in-process portal on a free loopback port with its own data directory; `options` passes
 * what no config sets (a TestClock, test/helpers/clock.ts, for tests of expiry).
 */
export async function testPortal(overrides: ConfigInput = {}, options: StartOptions = {}): Promise<RunningPortal & { dataDir: string; db?: string }> {
  const dataDir = (overrides.dataDir as string) ?? tempDir();
  const running = await startPortal(loadConfig({
    dataDir, port: 0, host: '127.0.0.1', eventFirstDelayMs: 100, eventMaxDelayMs: 400, eventTimeoutMs: 3000, eventGraceMs: 300, ...overrides,
  }), options);
  return Object.assign(running, { dataDir, db: overrides.db as string | undefined });
}

/** Where a portal keeps its state: the data directory, and a PostgreSQL URL when not on SQLite. */
export interface Where { dataDir: string; db?: string }

/** CLI arguments that point a `parley` command at a portal's state. */
export function where(p: Where): string[] {
  return ['--data', p.dataDir, ...(p.db ? ['--db', p.db] : [])];
}

/** Run the real `parley` CLI; resolves with stdout, rejects with stderr on a non-zero exit. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  return execFileP(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
}

/** Run the CLI and capture a failure instead of throwing. */
export async function cliResult(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await cli(args, env);
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A child process that prints `listening PORT` when ready; `output()` is what it printed so far (stdout and stderr). */
export interface Child { proc: ChildProcess; port: number; url: string; output(): string; stop(): Promise<void> }

/** A free loopback port (bound once, then released): the one `parley test` gives a bot. */
export { freePort } from '../../src/testing/bot-process.ts';

/**
 * Spawn a process (in `cwd`, the repository by default) and wait for its `listening PORT` line (or
 * another pattern whose group 1 is the port).
 */
export async function spawnListening(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, ready = /listening (\d+)/, cwd = ROOT): Promise<Child> {
  const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  proc.stderr!.on('data', (d) => (err += d));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}: ${err}`)));
  });
  return {
    proc, port, url: `http://127.0.0.1:${port}/`,
    output: () => out + err,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    }),
  };
}

/** Start the echo bot handler process. */
export function echoBot(port = 0, type = 'B', env: NodeJS.ProcessEnv = {}): Promise<Child> {
  return spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/echo-bot.mjs'), String(port), type], env);
}

/** Events the echo bot received so far. */
export async function botEvents(bot: Child): Promise<any[]> {
  const res = await fetch(`${bot.url}events`);
  return res.json() as Promise<any[]>;
}

/** Poll until `check` returns a truthy value (or fail after `ms`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false | null>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The promise's value, or a failure naming `what` after `ms` (a test that would hang fails instead). */
export async function inTime<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** POST a REST call as a form body (PHP style) and return status and JSON. */
export async function restForm(base: string, method: string, params: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const { buildQuery } = await import('../../src/wire/php-query.ts');
  const res = await fetch(`${base}${method}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: buildQuery(params),
  });
  return { status: res.status, body: await res.json() };
}

/** POST a REST call as JSON. */
export async function restJson(base: string, method: string, params: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return { status: res.status, body: await res.json() };
}

/** Run `parley start` as its own process (so a test can kill -9 it). */
export function portalProcess(dataDir: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<Child> {
  return spawnListening(process.execPath, [BIN, 'start', '--data', dataDir, '--port', String(port)], env, /running at https?:\/\/[^:]+:(\d+)/);
}

/**
 * One HTTPS request to a portal, trusting its CA (global fetch cannot take a CA per call); answers
 * status and decoded JSON.
 */
export function httpsJson(method: 'GET' | 'POST', url: string, ca: Buffer | string, body?: string, contentType?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (body !== undefined) Object.assign(headers, { 'content-type': contentType ?? 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
    const req = https.request(url, { method, ca, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          reject(new Error(`${method} ${url} answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A handler that records the `event` of every POST it gets and answers `reply` (for redelivery tests). */
export async function eventSink(port: number, reply = 'ok'): Promise<{ received: string[]; close(): void }> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(new URLSearchParams(body).get('event') ?? '');
      res.end(reply);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { received, close: () => server.close() };
}
