/**
 * The bot under test as a process of its own: the scenario's `run` command, started through the
 * shell in the scenario file's folder, in a process group of its own so that stopping it also stops
 * what it started (`php -S` workers, `npm run` children). What it prints is kept (its tail) for the
 * report of a failing scenario.
 */
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { tcpSilence } from '../net/tcp-silence.ts';

/** Printed output kept per bot process (its last characters). */
const OUTPUT_KEPT = 16_384;

export interface BotProcess {
  /** Its output so far (stdout and stderr interleaved, the tail only). */
  output(): string;
  /** Why it ended, when it has. */
  exited(): string | undefined;
  stop(): Promise<void>;
}

/** Start `command` with the shell; `env` is added to this process's environment. */
export function startBotProcess(command: string, cwd: string, env: Record<string, string>): BotProcess {
  let out = '';
  let ended: string | undefined;
  const child: ChildProcess = spawn(command, { cwd, shell: true, detached: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('error', (err) => {
    ended = `could not start: ${err.message}`;
  });
  const gone = new Promise<void>((resolve) => child.on('exit', (code, signal) => {
    ended ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
    resolve();
  }));
  return {
    output: () => out,
    exited: () => ended,
    async stop() {
      if (ended || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch { /* already gone */ }
      }, 2000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Wait until the handler's address accepts connections; throws with the bot's output when it does not in time. */
export async function waitListening(handler: string, timeoutMs: number, bot?: BotProcess): Promise<void> {
  const url = new URL(handler);
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!(await tcpSilence(url, 1000))) return;
    const ended = bot?.exited();
    if (ended) throw new Error(`the bot's process ${ended} before anything listened at ${handler}${tail(bot)}`);
    if (Date.now() > until) throw new Error(`nothing listens at ${handler} after ${timeoutMs} ms${tail(bot)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A process's output for an error message. */
export function tail(bot?: BotProcess): string {
  const out = bot?.output().trim();
  return out ? `\n  bot output:\n${out.split('\n').slice(-30).map((l) => `    ${l}`).join('\n')}` : '';
}

/** A free loopback port (bound once, then released) for `{port}`. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
