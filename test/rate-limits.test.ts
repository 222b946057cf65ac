/**
 * Bitrix24's cloud REST limits (`--rate-limit cloud`, src/rest/rate-limits.ts): the leaky bucket
 * per source address over real HTTP (50 requests pass, the next is 503 QUERY_LIMIT_EXCEEDED, a
 * batch is one request, the web messenger is not held), `time.operating` in answers; and the
 * counters' contract at chosen instants (480 s cannot be spent in a test's real time), kept by the
 * node's own counters and by the ones in Redis. Several nodes sharing them: rate-limits-shared.test.ts.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { restForm, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { expectError } from './helpers/rest-assert.ts';
import { MemoryCounters, RateLimits, type LimitCounters } from '../src/rest/rate-limits.ts';
import { RedisLimitCounters } from '../src/cluster/redis-limit-counters.ts';
import { silentLogger } from '../src/log.ts';
import { RestError } from '../src/errors.ts';
import { ensureWebApp } from '../src/domain/web-app.ts';
import { tokenForEvent } from '../src/auth/tokens.ts';
import { sharedRedis } from './helpers/redis.ts';

describe('cloud limits over HTTP', () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let anna: string;

  before(async () => {
    portal = await testPortal({ rateLimit: 'cloud' });
    anna = await webhookFor(portal, 2, 'im');
  });
  after(() => portal?.close());

  test('a burst of 50 passes, the 51st is refused, a batch counts once, the bucket drains', async () => {
    const first = await restForm(anna, 'server.time');
    assert.equal(first.status, 200);
    // The method's own run time is counted: operating is there, and its basket resets within 10 minutes.
    assert.equal(typeof first.body.time.operating, 'number');
    const now = Date.now() / 1000;
    assert.ok(first.body.time.operating_reset_at > now && first.body.time.operating_reset_at <= now + 601, JSON.stringify(first.body.time));
    const batch = await restForm(anna, 'batch', { halt: 0, cmd: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, 'server.time'])) });
    assert.equal(Object.keys(batch.body.result.result).length, 20);
    assert.equal(typeof batch.body.result.result_time.c0.operating, 'number');
    // 2 requests so far; 48 more fill the bucket (a few may have leaked out meanwhile: send until refused).
    let passed = 2;
    let refused: Awaited<ReturnType<typeof restForm>> | undefined;
    for (let i = 0; i < 60 && !refused; i++) {
      const res = await restForm(anna, 'server.time');
      if (res.status === 200) passed++;
      else refused = res;
    }
    assert.ok(refused, 'a request was refused');
    expectError(refused, 503, 'QUERY_LIMIT_EXCEEDED');
    assert.equal(refused.body.error_description, 'Too many requests');
    // At least the burst passed; no more than what leaked out (2/s) while the calls ran.
    assert.ok(passed >= 50 && passed <= 60, `passed ${passed}`);
    // Half a second leaks one request out.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal((await restForm(anna, 'server.time')).status, 200);
  });

  test('the web messenger is not held by them', async () => {
    const app = await ensureWebApp(portal.portal);
    const token = await tokenForEvent(portal.portal, portal.portal.db, app, 2);
    for (let i = 0; i < 60; i++) {
      const res = await restForm(`${portal.url}/rest/`, 'server.time', { auth: token.access_token });
      assert.equal(res.status, 200, `call ${i}: ${JSON.stringify(res.body)}`);
    }
  });
});

test('without --rate-limit nothing is held and operating stays 0', async () => {
  const portal = await testPortal();
  try {
    const hook = await webhookFor(portal, 2, 'im');
    for (let i = 0; i < 60; i++) {
      const res = await restForm(hook, 'server.time');
      assert.equal(res.status, 200);
      assert.equal(res.body.time.operating, 0);
    }
  } finally {
    await portal.close();
  }
});

/**
 * The counters' contract, kept by both implementations: this node's own, and the ones in Redis the
 * portal's nodes share (src/cluster/redis-limit-counters.ts: Lua scripts on the machine's Redis, under
 * a namespace of this run's own). Times are chosen instants: the counters take `now` from the caller.
 */
const implementations: { name: string; make(): Promise<{ counters: LimitCounters; redis?: Redis; prefix?: string; close(): Promise<void> } | { skip: string }> }[] = [
  { name: 'MemoryCounters', make: async () => ({ counters: new MemoryCounters(), close: async () => {} }) },
  {
    name: 'RedisLimitCounters',
    make: async () => {
      const shared = await sharedRedis();
      if ('skip' in shared) return shared;
      const prefix = `parley:test-${crypto.randomBytes(6).toString('hex')}:limits:`;
      const counters = new RedisLimitCounters(shared.url, prefix, silentLogger);
      counters.start();
      assert.equal(await counters.whenUp(5000), true, 'connected to the shared Redis');
      const redis = new Redis(shared.url);
      return {
        counters, redis, prefix,
        async close() {
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
          await counters.close();
        },
      };
    },
  },
];

for (const impl of implementations) {
  describe(`the counters: ${impl.name}`, { timeout: 30_000 }, () => {
    let made: Awaited<ReturnType<typeof impl.make>>;
    before(async () => {
      made = await impl.make();
    });
    after(async () => {
      if (!('skip' in made)) await made.close();
    });

    test('operating time: over 480 s in ten one-minute baskets blocks that method for that caller only', async (t) => {
      if ('skip' in made) return t.skip(made.skip);
      const limits = new RateLimits('cloud', made.counters);
      const app = { app: { id: 7 }, webhook: null };
      const hook = { app: null, webhook: { id: 3 } };
      const t0 = Date.UTC(2026, 4, 14, 10, 5, 20);
      const min = 60_000;
      // 25 calls of 20 s over five minutes: 500 s.
      let used;
      for (let i = 0; i < 25; i++) used = await limits.spend('crm.item.list', app, t0 + Math.floor(i / 5) * min, 20_000);
      assert.deepEqual(used, { seconds: 500, resetAt: Math.floor((t0 + 10 * min) / 1000) });
      const blocked = await limits.checkOperating('crm.item.list', app, t0 + 5 * min).then(() => undefined, (e: unknown) => e);
      assert.ok(blocked instanceof RestError);
      assert.equal(blocked.code, 'OPERATION_TIME_LIMIT');
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body().error_description, 'Method is blocked due to operation time limit.');
      // Other methods of the app, and the same method for a webhook, go on.
      await limits.checkOperating('im.message.add', app, t0 + 5 * min);
      await limits.checkOperating('crm.item.list', hook, t0 + 5 * min);
      // At 10:15:20 the first basket (100 s) leaves: 400 s, under the limit again.
      await limits.checkOperating('crm.item.list', app, t0 + 10 * min);
      assert.deepEqual(await limits.spend('crm.item.list', app, t0 + 10 * min, 0), { seconds: 400, resetAt: Math.floor((t0 + 11 * min) / 1000) });
      // Fractions of a millisecond add up exactly as numbers do (nothing is rounded on the way).
      const fine = await made.counters.spend('fractions', t0, 0.123456789);
      assert.equal((await made.counters.spend('fractions', t0 + 1, 0.000000001)).seconds, (0.123456789 + 0.000000001) / 1000);
      assert.equal(fine.seconds, 0.123456789 / 1000);
      if (made.redis) {
        // The baskets' key goes once its newest basket (10:14:20) has left the window: 10 minutes on.
        const ttl = await made.redis.pttl(`${made.prefix}op:crm.item.list:app7`);
        assert.ok(ttl > 9 * min && ttl <= 10 * min, `PTTL ${ttl}`);
        assert.deepEqual(await made.counters.operating('op:nobody', t0), { seconds: 0, resetAt: Math.floor((t0 + 10 * min) / 1000) });
        assert.equal(await made.redis.exists(`${made.prefix}op:nobody`), 0, 'reading creates nothing');
      }
    });

    test('the bucket: 50 pass at once, then one per 500 ms', async (t) => {
      if ('skip' in made) return t.skip(made.skip);
      const counters = made.counters;
      const t0 = 1_000_000;
      for (let i = 0; i < 50; i++) assert.equal(await counters.admit('a', t0, 50, 2), true);
      assert.equal(await counters.admit('a', t0, 50, 2), false);
      assert.equal(await counters.admit('b', t0, 50, 2), true, 'another address has its own bucket');
      assert.equal(await counters.admit('a', t0 + 499, 50, 2), false);
      assert.equal(await counters.admit('a', t0 + 500, 50, 2), true);
      assert.equal(await counters.admit('a', t0 + 500, 50, 2), false);
      if (made.redis) {
        // A full bucket is empty 25 s on: its key goes then (and a second of slack).
        const ttl = await made.redis.pttl(`${made.prefix}a`);
        assert.ok(ttl > 25_000 && ttl <= 26_000, `PTTL ${ttl}`);
        // A node whose clock is behind neither drains the bucket nor moves its time back.
        assert.equal(await counters.admit('a', t0 - 10_000, 50, 2), false);
        assert.equal(await counters.admit('a', t0 + 999, 50, 2), false);
      }
      assert.equal(await counters.admit('a', t0 + 25_500, 50, 2), true, 'drained empty after 25 s');
    });
  });
}
