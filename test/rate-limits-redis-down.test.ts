/**
 * Redis going away degrades the shared rate limits, never to errors. Two `parley start` nodes with
 * `--rate-limit cloud` on one PostgreSQL database and a redis-server of this test's own (the machine's
 * shared Redis is never touched): while it runs they hold one bucket; killed, every call still
 * answers, each node holds its own bucket of 50, and each says so once; back again, they share a
 * bucket again. Wedged (a server that answers nothing for a while), a call waits no longer than the
 * counters' command timeout and is counted on its node.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { freePort, portalProcess, restForm, tempDir, waitFor, type Child } from './helpers/portal.ts';
import { webhookOn } from './helpers/suite.ts';
import { freshDatabase } from './helpers/postgres.ts';
import { redisServer, redisServerMissing } from './helpers/redis.ts';

const at = (node: Child, hook: string) => hook.replace(/^https?:\/\/[^/]+\//, node.url);
/** How many lines of a node's log (pino's JSON on stderr) are the Redis link's, at `level`, with a message matching. */
function count(node: Child, level: number, pattern: RegExp): number {
  let n = 0;
  for (const text of node.output().split('\n')) {
    if (!text.startsWith('{')) continue; // the start banner
    try {
      const line = JSON.parse(text) as { level: number; component?: string; msg: string };
      if (line.component === 'redis' && line.level === level && pattern.test(line.msg)) n++;
    } catch {
      // a line still being written
    }
  }
  return n;
}
/** Counting in Redis (info, written without --log too) and counting alone (a warning). */
const shared = (node: Child) => count(node, 30, /^rate limits: counted in 127\.0\.0\.1:\d+/);
const alone = (node: Child) => count(node, 40, /^rate limits: 127\.0\.0\.1:\d+ unreachable/);

describe('rate limits while Redis is down: each node counts alone, nothing fails', { timeout: 180_000 }, () => {
  let skip: string | undefined;
  let drop = async () => {};
  let redisPort = 0;
  let redis: Child | undefined;
  let nodes: Child[] = [];
  let hook = '';

  /**
   * Requests to `targets` in turn until one is refused (at most `max`): how many passed, and how many
   * may have leaked out of a bucket (2/s) meanwhile. Every answer is a 200 or the bucket's 503, never
   * another failure.
   */
  async function burst(targets: Child[], max: number): Promise<{ passed: number; leaked: number }> {
    let passed = 0;
    const t0 = Date.now();
    for (let i = 0; i < max; i++) {
      const res = await restForm(at(targets[i % targets.length], hook), 'server.time');
      if (res.status === 200) {
        assert.equal(typeof res.body.time.operating, 'number');
        passed++;
        continue;
      }
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(res.body.error, 'QUERY_LIMIT_EXCEEDED');
      return { passed, leaked: Math.ceil(((Date.now() - t0) / 1000) * 2) };
    }
    assert.fail(`${max} requests passed`);
  }

  before(async () => {
    skip = redisServerMissing();
    if (skip) return;
    const fresh = await freshDatabase();
    if ('skip' in fresh) return void (skip = fresh.skip);
    drop = fresh.drop;
    redisPort = await freePort();
    redis = await redisServer(redisPort);
    const env = { PARLEY_DB: fresh.url, PARLEY_REDIS: `redis://127.0.0.1:${redisPort}`, PARLEY_RATE_LIMIT: 'cloud' };
    const dataDir = tempDir();
    nodes = [await portalProcess(dataDir, await freePort(), env)];
    nodes.push(await portalProcess(tempDir(), await freePort(), env));
    hook = await webhookOn({ dataDir, db: fresh.url }, 2, 'im');
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
    await drop();
  });

  test('while Redis answers, requests spread over both nodes fill one bucket', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    for (const node of nodes) assert.equal(shared(node), 1, node.output());
    const { passed, leaked } = await burst(nodes, 100);
    assert.ok(passed >= 50 && passed <= 50 + leaked, `passed ${passed}, ${leaked} leaked out meanwhile`);
  });

  test('Redis killed: every call answers, each node holds a bucket of its own, one warning each', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    redis!.proc.kill('SIGKILL');
    await redis!.stop();
    await waitFor('both nodes noticed', async () => nodes.every((n) => alone(n) === 1), 20_000);
    // The shared bucket was full; alone, each node starts from an empty one of 50.
    for (const node of nodes) {
      const { passed, leaked } = await burst([node], 70);
      assert.ok(passed >= 50 && passed <= 50 + leaked, `passed ${passed} on ${node.url}, ${leaked} leaked out meanwhile`);
    }
    // Over a hundred calls, each of which found Redis away, and reconnect attempts meanwhile: one line.
    for (const node of nodes) assert.equal(alone(node), 1, node.output());
  });

  test('Redis back: the nodes share a bucket again', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    redis = await redisServer(redisPort);
    await waitFor('both nodes reconnected', async () => nodes.every((n) => shared(n) === 2), 20_000);
    // The nodes' own buckets are still nearly full from the outage: only the new, empty shared one
    // lets 50 through.
    const { passed, leaked } = await burst(nodes, 100);
    assert.ok(passed >= 50 && passed <= 50 + leaked, `passed ${passed}, ${leaked} leaked out meanwhile`);
    for (const node of nodes) {
      assert.equal(alone(node), 1);
    }
  });

  test('Redis wedged (answers nothing for 3 s): calls answer before it does, counted on the node', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    // A script that keeps the server busy for 3 s: it answers no other command meanwhile.
    const client = new Redis(`redis://127.0.0.1:${redisPort}`);
    try {
      // Connected first, so the script reaches the server before any node's next command.
      await client.ping();
      let wedged = true;
      const wedge = client.eval("local s = tonumber(redis.call('TIME')[1]) while tonumber(redis.call('TIME')[1]) - s < 3 do end return 1", 0)
        .then(() => 'done', (err: Error) => err.message)
        .finally(() => (wedged = false));
      // Each node waits for its counter command until the command timeout, then counts on its own
      // (its bucket may still be full from the outage: a 503 of the bucket is an answer too).
      const answers = await Promise.all(nodes.map((node) => restForm(at(node, hook), 'server.time')));
      assert.equal(wedged, true, 'the calls answered while Redis was still busy');
      for (const res of answers) assert.ok(res.status === 200 || res.body.error === 'QUERY_LIMIT_EXCEEDED', JSON.stringify(res.body));
      assert.equal(await wedge, 'done');
    } finally {
      client.disconnect();
    }
    // One more outage each, and its end once Redis answers again.
    await waitFor('both nodes counting in Redis again', async () => nodes.every((n) => shared(n) === 3), 20_000);
    for (const node of nodes) {
      assert.equal(alone(node), 2, node.output());
      assert.doesNotMatch(node.output(), /Unhandled|unexpected failure|\n\s+at /, 'no errors, no stack traces');
    }
  });
});
