/**
 * The cloud limits of a portal with several nodes (`--rate-limit cloud` and `--redis`): two nodes on
 * one fresh PostgreSQL database and the machine's Redis, called over HTTP. Requests spread over both
 * fill one bucket (50, not 50 per node); operating time spent through one node is reported, and
 * blocks, on the other. Both nodes share one TestClock, which drains the bucket between tests
 * instead of a sleep. Redis going away: rate-limits-redis-down.test.ts.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, testPortal, type Child } from './helpers/portal.ts';
import { webhookFor, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { freshDatabase } from './helpers/postgres.ts';
import { sharedRedis } from './helpers/redis.ts';
import { TestClock } from './helpers/clock.ts';
import { addUserWebhook } from '../src/domain/operator.ts';
import { RateLimits } from '../src/rest/rate-limits.ts';
import { RedisLimitCounters } from '../src/cluster/redis-limit-counters.ts';
import { silentLogger } from '../src/log.ts';
import { channelOf } from '../src/cluster/bus-messages.ts';

/** The same webhook, called through another node (every node accepts every credential of the database). */
const at = (node: TestPortal | Child, hook: string) => hook.replace(/^https?:\/\/[^/]+\//, `${node.url.replace(/\/$/, '')}/`);

describe('two nodes with --rate-limit cloud share their counters through Redis', { timeout: 120_000 }, () => {
  let skip: string | undefined;
  let drop = async () => {};
  let redisUrl = '';
  const clock = new TestClock();
  let nodes: TestPortal[] = [];

  before(async () => {
    const redis = await sharedRedis();
    if ('skip' in redis) return void (skip = redis.skip);
    redisUrl = redis.url;
    const fresh = await freshDatabase();
    if ('skip' in fresh) return void (skip = fresh.skip);
    drop = fresh.drop;
    const config = { db: fresh.url, redis: redis.url, rateLimit: 'cloud' };
    // One after the other: the first seeds the database, the second joins it.
    nodes.push(await testPortal(config, { clock }));
    nodes.push(await testPortal(config, { clock }));
    assert.equal(nodes[0].portal.memberId, nodes[1].portal.memberId, 'one portal');
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await drop();
  });

  /** Every test starts with an empty bucket: a full one drains in 25 s of the portal's clock. */
  const drained = () => clock.advance(30_000);

  test('requests spread over both nodes fill one bucket: 50 pass, then either node refuses', async (t) => {
    if (skip) return t.skip(skip);
    drained();
    const hook = await webhookFor(nodes[0], 2, 'im');
    let passed = 0;
    let refused: Awaited<ReturnType<typeof restForm>> | undefined;
    const t0 = Date.now();
    // Counted per node, 100 would pass; every request below comes from 127.0.0.1, one bucket.
    for (let i = 0; i < 100 && !refused; i++) {
      const res = await restForm(at(nodes[i % 2], hook), 'server.time');
      if (res.status === 200) passed++;
      else refused = res;
    }
    assert.ok(refused, 'a request was refused');
    expectError(refused, 503, 'QUERY_LIMIT_EXCEEDED');
    // The burst, and no more than what leaked out (2/s) while the requests ran.
    const leaked = Math.ceil(((Date.now() - t0) / 1000) * 2);
    assert.ok(passed >= 50 && passed <= 50 + leaked, `passed ${passed}, ${leaked} leaked out meanwhile`);
    // Three more on each node at once: a leak lets one through at most, so each node refuses too.
    const more = await Promise.all([0, 1, 0, 1, 0, 1].map((n) => restForm(at(nodes[n], hook), 'server.time').then((r) => ({ n, status: r.status }))));
    for (const n of [0, 1]) assert.ok(more.some((r) => r.n === n && r.status === 503), `node ${n} refuses: ${JSON.stringify(more)}`);
  });

  test('operating time spent through one node is in time.operating of the other', async (t) => {
    if (skip) return t.skip(skip);
    drained();
    const hook = await webhookFor(nodes[0], 3, 'im');
    let reported = 0;
    // Alternating nodes: each answer's operating is the one before it plus this call's own run time.
    for (let i = 0; i < 6; i++) {
      const res = await restForm(at(nodes[i % 2], hook), 'user.current');
      expectOk(res);
      const { operating, processing } = res.body.time;
      assert.ok(processing > 0);
      assert.ok(Math.abs(operating - (reported + processing)) < 1e-9, `call ${i} on node ${i % 2}: ${operating} ≠ ${reported} + ${processing}`);
      reported = operating;
    }
  });

  test('a method over its operating time is refused by both nodes until its basket leaves', async (t) => {
    if (skip) return t.skip(skip);
    drained();
    const { id, url: hook } = await addUserWebhook(nodes[0].portal, 4, ['im']);
    // 481 s of server.time for this webhook, recorded in the portal's namespace as a node records it
    // (no test can spend that long in real time).
    const counters = new RedisLimitCounters(redisUrl, `${channelOf(undefined, nodes[0].portal.memberId)}:limits:`, silentLogger);
    counters.start();
    try {
      assert.equal(await counters.whenUp(5000), true);
      await new RateLimits('cloud', counters).spend('server.time', { app: null, webhook: { id } }, clock.now(), 481_000);
    } finally {
      await counters.close();
    }
    for (const node of nodes) {
      const res = await restForm(at(node, hook), 'server.time');
      expectError(res, 429, 'OPERATION_TIME_LIMIT');
      assert.equal(res.body.error_description, 'Method is blocked due to operation time limit.');
      // Only that method: the webhook's others go on.
      expectOk(await restForm(at(node, hook), 'user.current'));
    }
    // Ten minutes on (the portal's clock) the basket has left the window: both nodes answer again.
    clock.advance(10 * 60_000);
    for (const node of nodes) {
      const res = await restForm(at(node, hook), 'server.time');
      expectOk(res);
      assert.ok(res.body.time.operating < 1, JSON.stringify(res.body.time));
    }
  });
});
