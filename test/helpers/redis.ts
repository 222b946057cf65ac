/**
 * Redis for the multi-node tests: the machine's server (PARLEY_TEST_REDIS, default
 * redis://127.0.0.1:6379), or a redis-server of a test's own on a free port, which the test may stop
 * and start again without touching anyone else's. Under CI both must be there; elsewhere a missing
 * one skips those tests with the reason.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { spawnListening, type Child } from './portal.ts';

const SHARED_URL = process.env.PARLEY_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** Whether a Redis server answers PING at host:port within a second. */
export function redisAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** The shared Redis URL, or why the tests that need it are skipped. */
export async function sharedRedis(): Promise<{ url: string } | { skip: string }> {
  const url = new URL(SHARED_URL);
  if (await redisAnswers(url.hostname, Number(url.port || 6379))) return { url: SHARED_URL };
  const why = `no Redis answers at ${SHARED_URL}`;
  if (process.env.CI) throw new Error(`Redis is required under CI: ${why}`);
  return { skip: why };
}

/** Whether `redis-server` can be run here (or why not). */
export function redisServerMissing(): string | undefined {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return undefined;
  const why = 'redis-server is not installed (apt-get install redis-server)';
  if (process.env.CI) throw new Error(`required under CI: ${why}`);
  return why;
}

/** A redis-server of the test's own on `port`, keeping nothing on disk; resolves once it accepts connections. */
export function redisServer(port: number): Promise<Child> {
  return spawnListening('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {},
    /port=(\d+)[\s\S]*Ready to accept connections/);
}
