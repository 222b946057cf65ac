/**
 * A Redis outage degrades to polling, never to errors. Two `parley start` nodes on one PostgreSQL
 * database point --redis at a port of this test's own, where at first nothing listens: they start,
 * say so once, and serve REST and realtime (by their 1 s hub poll). Then this test's redis-server
 * comes up on that port (the machine's shared Redis is never touched): the nodes connect, typing
 * crosses between them, and a `parley app add` with --redis gets its ONAPPINSTALL out at once (the
 * nodes' dispatchers poll only every 60 s). The server is killed: REST keeps answering, pushes keep
 * arriving by poll, each node logs the outage once (a warning line of its JSON log, component
 * "redis"); it comes back: typing crosses again.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cli, freePort, portalProcess, restForm, tempDir, waitFor, where, type Child } from './helpers/portal.ts';
import { webhookOn as hookOn } from './helpers/suite.ts';
import { hello, listen, socketUrl, type Listener } from './helpers/realtime.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { freshDatabase } from './helpers/postgres.ts';
import { redisServer, redisServerMissing } from './helpers/redis.ts';
import { eventRecorder, type EventRecorder } from './helpers/event-recorder.ts';

const at = (node: Child, hook: string) => hook.replace(/^https?:\/\/[^/]+\//, node.url);

/** A line of a node's log (pino's JSON on stderr). */
interface LogLine { level: number; msg: string; component?: string; redis?: string; reason?: string }

/** The Redis link's lines in a node's log: JSON with component "redis", at `level`, whose message matches. */
function redisLines(node: Child, level: number, pattern: RegExp): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of node.output().split('\n')) {
    if (!text.startsWith('{')) continue; // the start banner; a line still being written
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      // a line still being written
    }
  }
  return lines.filter((l) => l.component === 'redis' && l.level === level && pattern.test(l.msg));
}
/** Outage lines (warnings) and connection lines (info, written without --log too). */
const WARN = 40;
const INFO = 30;
const unreachable = (node: Child) => redisLines(node, WARN, /^127\.0\.0\.1:\d+ unreachable/).length;
const connected = (node: Child) => redisLines(node, INFO, /^connected to 127\.0\.0\.1:\d+/).length;

describe('Redis down: the nodes poll instead, and fan out again once it is back', () => {
  let skip: string | undefined;
  let drop = async () => {};
  let db = '';
  let dataDir = '';
  let redisPort = 0;
  let redisUrl = '';
  let redis: Child | undefined;
  let nodes: Child[] = [];
  let recorder: EventRecorder;
  let anna = '';
  let ivan = '';
  let annaOnX: Listener;
  let ivanOnY: Listener;

  /** Typing by Anna through node X, heard by Ivan's socket on node Y (only Redis carries it). */
  async function typingCrosses(): Promise<void> {
    const before = ivanOnY.pushes.length;
    // Redis may still be subscribing right after it answers: type again until it crosses.
    await waitFor('typing from X on Y', async () => {
      expectOk(await restForm(at(nodes[0], anna), 'im.dialog.writing', { DIALOG_ID: 3 }));
      await new Promise((r) => setTimeout(r, 200));
      return ivanOnY.pushes.slice(before).find((p) => p.type === 'typing' && p.userId === 2);
    }, 20_000);
  }

  /** Messages through both nodes: every call answers 200, every push reaches the other node's socket. */
  async function messagesCross(tag: string): Promise<void> {
    const [x, y] = nodes;
    const toIvan: number[] = [];
    const toAnna: number[] = [];
    for (let i = 0; i < 3; i++) {
      toIvan.push(expectOk(await restForm(at(x, anna), 'im.message.add', { DIALOG_ID: 3, MESSAGE: `${tag} ${i}` })));
      toAnna.push(expectOk(await restForm(at(y, ivan), 'im.message.add', { DIALOG_ID: 2, MESSAGE: `${tag} ${i}` })));
    }
    const heard = (l: Listener, ids: number[]) => ids.every((id) => l.pushes.some((p) => p.type === 'message.add' && p.messageId === id));
    await waitFor(`${tag}: pushes on the other node`, async () => heard(ivanOnY, toIvan) && heard(annaOnX, toAnna), 20_000);
  }

  before(async () => {
    skip = redisServerMissing();
    if (skip) return;
    const fresh = await freshDatabase();
    if ('skip' in fresh) return void (skip = fresh.skip);
    db = fresh.url;
    drop = fresh.drop;
    redisPort = await freePort();
    redisUrl = `redis://127.0.0.1:${redisPort}`;
    const env = { PARLEY_DB: db, PARLEY_REDIS: redisUrl, PARLEY_REALTIME_POLL_MS: '1000', PARLEY_EVENT_POLL_MS: '60000' };
    dataDir = tempDir();
    // Nothing listens on the Redis port yet.
    nodes = [await portalProcess(dataDir, await freePort(), env)];
    nodes.push(await portalProcess(tempDir(), await freePort(), env));
    recorder = await eventRecorder();
    [anna, ivan] = await Promise.all([2, 3].map((id) => hookOn({ dataDir, db }, id)));
    annaOnX = await listen(socketUrl(at(nodes[0], anna)));
    ivanOnY = await listen(socketUrl(at(nodes[1], ivan)));
    await Promise.all([hello(annaOnX), hello(ivanOnY)]);
  });
  after(async () => {
    await Promise.all([annaOnX?.close(), ivanOnY?.close()]);
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
    await recorder?.close();
    await drop();
  });

  test('started while Redis does not answer: the nodes say so once, in their log, and serve REST and realtime by polling', async (t) => {
    if (skip) return t.skip(skip);
    await messagesCross('no redis yet');
    for (const node of nodes) {
      assert.equal(unreachable(node), 1, node.output());
      assert.equal(connected(node), 0);
      // A warning of the portal's log, naming the link's address and why it is down; no plain line.
      const [line] = redisLines(node, WARN, /unreachable/);
      assert.equal(line.redis, `127.0.0.1:${redisPort}`);
      assert.equal(typeof line.reason, 'string');
      assert.doesNotMatch(node.output(), /^\[redis\]/m);
    }
  });

  test('Redis comes up: the nodes connect, typing crosses, and a CLI change wakes the dispatchers at once', async (t) => {
    if (skip) return t.skip(skip);
    redis = await redisServer(redisPort);
    await waitFor('both nodes connected', async () => nodes.every((n) => connected(n) === 1), 20_000);
    await typingCrosses();
    const t0 = Date.now();
    const { stdout } = await cli(['app', 'add', '--name', 'Woken', '--handler', recorder.url, '--scope', 'im', ...where({ dataDir, db }), '--redis', redisUrl]);
    assert.match(stdout, /"client_id"/);
    await waitFor('ONAPPINSTALL', async () => recorder.received.some((r) => r.event === 'ONAPPINSTALL'), 20_000);
    t.diagnostic(`ONAPPINSTALL ${Date.now() - t0} ms after the CLI started (dispatcher poll: 60 s)`);
  });

  test('Redis killed while the nodes run: no errors to clients, pushes by poll, one log line; back again: fan-out resumes', async (t) => {
    if (skip) return t.skip(skip);
    redis!.proc.kill('SIGKILL');
    await redis!.stop();
    await waitFor('both nodes noticed', async () => nodes.every((n) => unreachable(n) === 2), 20_000);
    await messagesCross('redis down');
    // Several reconnect attempts (backoff up to 2 s) later, still one line per outage.
    await new Promise((r) => setTimeout(r, 4000));
    for (const node of nodes) assert.equal(unreachable(node), 2, node.output());
    assert.equal(ivanOnY.ws.readyState, ivanOnY.ws.OPEN, 'sockets stay open through the outage');

    redis = await redisServer(redisPort);
    await waitFor('both nodes reconnected', async () => nodes.every((n) => connected(n) === 2), 20_000);
    await typingCrosses();
    await messagesCross('redis back');
    for (const node of nodes) assert.doesNotMatch(node.output(), /Unhandled|\n\s+at /, 'no stack traces');
  });
});
