/**
 * The outbox and the dispatcher as a contract (issue 9), on SQLite and PostgreSQL. Events of one
 * stream reach the handler in id order and one at a time, even from a slow handler, while other
 * streams go on in parallel; a leased row is not claimed twice, a lease left by a killed dispatcher
 * is taken over once it has run out, and the outcome of a POST that outlived its lease does not
 * overwrite the outcome of the dispatcher that took the row over; a failing event is retried with
 * growing delays, dead-lettered after config.eventAttempts, and holds its stream until it is
 * redelivered or discarded; two dispatchers at once (two over one store on SQLite, two nodes with
 * stores of their own on one PostgreSQL database) deliver every event exactly once and in order per
 * stream; on PostgreSQL, an event written by a transaction that has not committed yet is not
 * overtaken by a later event of its stream that another transaction committed meanwhile. Events are
 * written by runAction + enqueue, as domain actions write them, and POSTed by real Dispatchers to a
 * handler server on loopback.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openStore, type Db, type Store } from '../src/store/db.ts';
import { makePortal, type Portal } from '../src/portal.ts';
import { Dispatcher } from '../src/events/dispatcher.ts';
import { enqueue } from '../src/events/outbox.ts';
import { discard, redeliver } from '../src/events/dead-letters.ts';
import { runAction } from '../src/domain/action.ts';
import { beforeCommit } from '../src/store/after-commit.ts';
import { createApp } from '../src/domain/apps.ts';
import { tempDir, waitFor } from './helpers/portal.ts';
import { databaseFor } from './helpers/postgres.ts';
import { mulberry32 } from './helpers/prng.ts';

// Three attempts, 50 and 100 ms apart; a POST may take 5 s (a held one must not time out on a busy machine).
const CONFIG = { eventAttempts: 3, eventFirstDelayMs: 50, eventMaxDelayMs: 200, eventTimeoutMs: 5000 };
const EVENT = 'ONPARLEYTESTEVENT';
/** The advisory lock (PostgreSQL) this suite holds to stop a writer between its insert and its commit. */
const HOLD_LOCK = 7_700_001;

/** One POST the handler received: the event's stream and number (its data), and when. */
interface Hit { stream: string; n: number; at: number }

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A promise the test resolves when it chooses (a handler holding its answer until then). */
function gate<T = void>(): { open(v: T): void; opened: Promise<T> } {
  let open!: (v: T) => void;
  const opened = new Promise<T>((r) => (open = r));
  return { open, opened };
}

/**
 * An event handler on loopback: records every POST, and answers with the status `reply` gives for
 * it (taking as long as `reply` takes). Tracks how many POSTs of one stream were open at once.
 */
async function handlerServer() {
  const hits: Hit[] = [];
  const open = new Map<string, number>();
  const mostOpen = new Map<string, number>();
  let reply: (hit: Hit) => number | Promise<number> = () => 200;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const form = new URLSearchParams(body);
      const hit = { stream: form.get('data[stream]') ?? '', n: Number(form.get('data[n]')), at: Date.now() };
      hits.push(hit);
      open.set(hit.stream, (open.get(hit.stream) ?? 0) + 1);
      mostOpen.set(hit.stream, Math.max(mostOpen.get(hit.stream) ?? 0, open.get(hit.stream)!));
      let status = 500;
      try {
        status = await reply(hit);
      } finally {
        open.set(hit.stream, open.get(hit.stream)! - 1);
        res.statusCode = status;
        res.end(status === 200 ? 'ok' : 'failed');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/handler`,
    hits,
    /** The numbers of one stream's events, in the order their POSTs arrived. */
    of: (stream: string) => hits.filter((h) => h.stream === stream).map((h) => h.n),
    /** Most POSTs of one stream open at the same time. */
    mostOpen: (stream: string) => mostOpen.get(stream) ?? 0,
    answer(fn: (hit: Hit) => number | Promise<number>) {
      reply = fn;
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`outbox and dispatcher contract on ${dialect}`, () => {
    const dataDir = tempDir();
    let db: string | undefined;
    let skip: string | undefined;
    let drop: (() => Promise<void>) | undefined;
    let handler: Awaited<ReturnType<typeof handlerServer>>;
    let appId: number;
    const config = () => loadConfig({ dataDir, db, ...CONFIG });

    /**
     * Dispatchers sharing the database: `n` over one store on SQLite (one process), one node each
     * with a store of its own on PostgreSQL (as separate processes would be; a node's commits wake
     * its own dispatcher, the others find the rows at their next poll). `portal` writes events.
     */
    async function cluster(n: number) {
      const stores: Store[] = [];
      const dispatchers: Dispatcher[] = [];
      const nodes: Portal[] = [];
      for (let i = 0; i < (dialect === 'sqlite' ? 1 : n); i++) {
        const store = await openStore({ dataDir, db });
        const own: Dispatcher[] = [];
        const portal = await makePortal(config(), store, { publicUrl: 'http://127.0.0.1:9', wake: () => own.forEach((d) => d.wake()) });
        for (let j = 0; j < (dialect === 'sqlite' ? n : 1); j++) own.push(new Dispatcher(portal));
        stores.push(store);
        nodes.push(portal);
        dispatchers.push(...own);
      }
      for (const d of dispatchers) d.start();
      return {
        portal: nodes[0],
        /** Stop every dispatcher; resolves once each delivery in flight has recorded its outcome. */
        halt: () => Promise.all(dispatchers.map((d) => d.stop())),
        async close() {
          await Promise.all(dispatchers.map((d) => d.stop()));
          for (const s of stores) await s.close();
        },
      };
    }

    /** Write events [stream, n] in one action; `lease` leaves the first one leased until then. */
    async function send(portal: Portal, events: [string, number][], lease?: number): Promise<void> {
      await runAction(portal, async (trx) => {
        await enqueue(trx, events.map(([stream, n]) => ({ appId, event: EVENT, handlerUrl: handler.url, stream, data: { stream, n }, authUserId: 0 })));
        // What a dispatcher killed mid-delivery leaves behind: a lease nobody will release. Set in the
        // same transaction, after the outbox rows are written (they are its last statements).
        if (lease) {
          beforeCommit(trx, async () => {
            const [stream, n] = events[0];
            const row = await rowOf(trx, stream, n);
            await trx.updateTable('outbox').set({ claimed_until: lease }).where('id', '=', row.id).execute();
          });
        }
      });
    }

    /** The outbox row of event n of a stream. */
    function rowOf(q: Db, stream: string, n: number) {
      return q.selectFrom('outbox').selectAll().where('order_key', '=', `${handler.url}\n${stream}`)
        .where('payload', 'like', `%"n":${n}}%`).executeTakeFirstOrThrow();
    }

    before(async () => {
      const store = await databaseFor(dialect);
      ({ db, skip, drop } = store);
      if (skip) return;
      handler = await handlerServer();
      const setup = await openStore({ dataDir, db });
      const portal = await makePortal(config(), setup);
      appId = (await runAction(portal, (trx) => createApp(trx, { name: 'Contract', handlerUrl: handler.url, scopes: ['im'], installUserId: 1 }))).id;
      await setup.close();
    });

    after(async () => {
      handler?.close();
      await drop?.();
    });

    test('one stream arrives in id order, one POST at a time, from a slow handler; other streams go in parallel', async (t) => {
      if (skip) return t.skip(skip);
      const c = await cluster(1);
      try {
        // a1 is held until b1 arrives: a dispatcher that served streams one after another never sends b1.
        const b1 = gate<boolean>();
        let overlapped: boolean | undefined;
        handler.answer(async (hit) => {
          if (hit.stream === 'order-b' && hit.n === 1) b1.open(true);
          if (hit.stream === 'order-a' && hit.n === 1) overlapped = await Promise.race([b1.opened, delay(1500).then(() => false)]);
          else await delay(100);
          return 200;
        });
        await send(c.portal, [1, 2, 3, 4, 5].flatMap((n) => [['order-a', n], ['order-b', n]] as [string, number][]));
        await waitFor('both streams', async () => handler.of('order-a').length >= 5 && handler.of('order-b').length >= 5);
        assert.equal(overlapped, true, 'b1 arrived while a1 was open');
        assert.deepEqual(handler.of('order-a'), [1, 2, 3, 4, 5]);
        assert.deepEqual(handler.of('order-b'), [1, 2, 3, 4, 5]);
        assert.equal(handler.mostOpen('order-a'), 1, 'never two POSTs of one stream at once');
        assert.equal(handler.mostOpen('order-b'), 1);
      } finally {
        await c.close();
      }
    });

    test('a leased row is not claimed again while its POST is open, by either of two dispatchers', async (t) => {
      if (skip) return t.skip(skip);
      const c = await cluster(2);
      try {
        const held = gate();
        handler.answer(async (hit) => {
          if (hit.stream === 'lease' && hit.n === 1) await held.opened;
          else await delay(100);
          return 200;
        });
        await send(c.portal, [['lease', 1]]);
        await waitFor('lease 1 posted', async () => handler.of('lease').length === 1);
        // Claim rounds go on meanwhile: another stream's five events pass, one after another.
        await send(c.portal, [1, 2, 3, 4, 5].map((n) => ['busy', n] as [string, number]));
        await waitFor('busy stream', async () => handler.of('busy').length >= 5);
        held.open();
        // The sentinel goes only after lease 1 is recorded as delivered; a second POST of it would be before it.
        await send(c.portal, [['lease', 2]]);
        await waitFor('sentinel', async () => handler.of('lease').includes(2));
        assert.deepEqual(handler.of('lease'), [1, 2]);
        assert.deepEqual(handler.of('busy'), [1, 2, 3, 4, 5]);
      } finally {
        await c.close();
      }
    });

    test('a lease left by a killed dispatcher is taken over once it has run out', async (t) => {
      if (skip) return t.skip(skip);
      const c = await cluster(1);
      try {
        handler.answer(() => 200);
        const lease = Date.now() + 1000;
        await send(c.portal, [['stale', 1], ['stale', 2]], lease);
        await waitFor('the stale stream', async () => handler.of('stale').length >= 2);
        assert.deepEqual(handler.of('stale'), [1, 2]);
        const first = handler.hits.find((h) => h.stream === 'stale')!;
        assert.ok(first.at >= lease, `posted ${lease - first.at} ms before the lease ran out`);
      } finally {
        await c.close();
      }
    });

    test('a POST that outlived its lease does not overwrite the outcome of the dispatcher that took the row over', async (t) => {
      if (skip) return t.skip(skip);
      // The event fails twice; its third and last attempt is held while its lease runs out, and the
      // dispatcher that claims it again delivers it. Then the held attempt fails: written regardless
      // of the lease, that late outcome would dead-letter a delivered event and stop its stream.
      const held = gate();
      let posts = 0;
      handler.answer(async (hit) => {
        if (hit.stream !== 'lost') return 200;
        const post = ++posts;
        if (post === 3) await held.opened;
        return post <= 3 ? 500 : 200;
      });
      const c = await cluster(2);
      try {
        await send(c.portal, [['lost', 1]]);
        await waitFor('the last attempt', async () => handler.of('lost').length === 3);
        const row = await rowOf(c.portal.db, 'lost', 1);
        // Its lease runs out under it (a stalled process; to another node, a clock behind its own).
        await c.portal.db.updateTable('outbox').set({ claimed_until: 1 }).where('id', '=', row.id).execute();
        await waitFor('claimed again and posted', async () => handler.of('lost').length === 4);
        await waitFor('delivered by the new holder', async () => (await rowOf(c.portal.db, 'lost', 1)).status === 'delivered');
        held.open();
        // Stopping waits for every delivery in flight to record its outcome, the late one included.
        await c.halt();
        const settled = await rowOf(c.portal.db, 'lost', 1);
        assert.equal(settled.status, 'delivered', 'the late failure did not dead-letter the delivered event');
        assert.equal(settled.last_status, 200);
        // Every POST counts, the held one too: attempts are counted when claimed (X-Parley-Attempt).
        assert.equal(settled.attempts, CONFIG.eventAttempts + 1);
      } finally {
        await c.close();
      }
      // The stream goes on (a dead letter would hold it).
      const next = await cluster(1);
      try {
        await send(next.portal, [['lost', 2]]);
        await waitFor('the next event of the stream', async () => handler.of('lost').includes(2));
        assert.deepEqual(handler.of('lost'), [1, 1, 1, 1, 2]);
      } finally {
        await next.close();
      }
    });

    test('failures are retried with growing delays, then dead-lettered; the dead letter holds its stream until redelivered or discarded', async (t) => {
      if (skip) return t.skip(skip);
      const c = await cluster(1);
      try {
        let healed = false;
        handler.answer((hit) => ((hit.stream === 'dead' && !healed) || (hit.stream === 'given-up' && hit.n === 1) ? 500 : 200));
        await send(c.portal, [['dead', 1], ['dead', 2], ['free', 1]]);
        await waitFor('dead 1 dead-lettered', async () => (await rowOf(c.portal.db, 'dead', 1)).status === 'dead');
        const tries = handler.hits.filter((h) => h.stream === 'dead');
        assert.deepEqual(tries.map((h) => h.n), [1, 1, 1], `${CONFIG.eventAttempts} attempts of dead 1, none of dead 2`);
        assert.ok(tries[1].at - tries[0].at >= CONFIG.eventFirstDelayMs, 'the first retry waits its delay');
        assert.ok(tries[2].at - tries[1].at >= 2 * CONFIG.eventFirstDelayMs, 'the second waits twice as long');
        const dead1 = await rowOf(c.portal.db, 'dead', 1);
        assert.equal(dead1.attempts, CONFIG.eventAttempts);
        assert.equal(dead1.last_status, 500);

        // A claim round after the dead letter (another stream's event goes through); dead 2 still waits, untried.
        await send(c.portal, [['free', 2]]);
        await waitFor('free 2', async () => handler.of('free').includes(2));
        assert.deepEqual(handler.of('free'), [1, 2], 'other streams are not held');
        assert.deepEqual(handler.of('dead'), [1, 1, 1]);
        const dead2 = await rowOf(c.portal.db, 'dead', 2);
        assert.equal(dead2.status, 'pending');
        assert.equal(dead2.attempts, 0);

        healed = true;
        assert.equal(await runAction(c.portal, (trx) => redeliver(trx, [dead1.id])), 1);
        await waitFor('dead 2 after the redelivered dead 1', async () => handler.of('dead').includes(2));
        assert.deepEqual(handler.of('dead'), [1, 1, 1, 1, 2]);

        // Discarding instead: the stream goes on without the given-up event.
        await send(c.portal, [['given-up', 1], ['given-up', 2]]);
        await waitFor('given-up 1 dead-lettered', async () => (await rowOf(c.portal.db, 'given-up', 1)).status === 'dead');
        const given = await rowOf(c.portal.db, 'given-up', 1);
        assert.equal(await runAction(c.portal, (trx) => discard(trx, [given.id])), 1);
        await waitFor('given-up 2', async () => handler.of('given-up').includes(2));
        assert.deepEqual(handler.of('given-up'), [1, 1, 1, 2]);
        assert.equal((await rowOf(c.portal.db, 'given-up', 1)).status, 'discarded');
      } finally {
        await c.close();
      }
    });

    // PostgreSQL only: SQLite lets one transaction write at a time, so ids are handed out in commit order there.
    if (dialect === 'postgres') test('a stream\'s later event is not sent while an earlier one is written but not yet committed', async (t) => {
      if (skip) return t.skip(skip);
      // PostgreSQL hands an id out at the insert, and transactions commit in any order. A trigger
      // stops the writer of the event marked "held" between its insert and its commit, on a lock
      // this test holds, while a second writer enqueues the next event of the same stream.
      const admin = new pg.Client({ connectionString: db });
      await admin.connect();
      const waiting = async () => Number((await admin.query(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      )).rows[0].n);
      const c = await cluster(1);
      try {
        handler.answer(() => 200);
        await admin.query(`CREATE FUNCTION hold_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.payload LIKE '%"held":true%' THEN PERFORM pg_advisory_xact_lock(${HOLD_LOCK}); END IF;
            RETURN NEW;
          END $$`);
        await admin.query('CREATE TRIGGER hold_outbox AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION hold_outbox()');
        await admin.query(`SELECT pg_advisory_lock(${HOLD_LOCK})`);
        const write = (n: number, held: boolean) => runAction(c.portal, (trx) => enqueue(trx, [{
          appId, event: EVENT, handlerUrl: handler.url, stream: 'commit-order', data: { stream: 'commit-order', held, n }, authUserId: 0,
        }]));
        const first = write(1, true);
        await waitFor('the first writer held after its insert', async () => (await waiting()) >= 1);
        const second = write(2, false);
        // The second writer either waits for the first to commit, or commits first: then the
        // dispatcher is woken at once, and a dispatcher that can see its event alone sends it now.
        let secondDone = false;
        void second.then(() => (secondDone = true), () => {});
        await waitFor('the second writer waiting, or its event sent', async () =>
          (await waiting()) >= 2 || (secondDone && handler.of('commit-order').length > 0));
        await admin.query(`SELECT pg_advisory_unlock(${HOLD_LOCK})`);
        await Promise.all([first, second]);
        await waitFor('both events', async () => handler.of('commit-order').length >= 2);
        const ids = new Map<number, number>();
        for (const n of [1, 2]) ids.set(n, (await rowOf(c.portal.db, 'commit-order', n)).id);
        const sent = handler.of('commit-order').map((n) => ids.get(n)!);
        assert.deepEqual(sent, [...sent].sort((a, b) => a - b), `sent in id order (ids ${JSON.stringify([...ids])})`);
        assert.equal(handler.mostOpen('commit-order'), 1);
      } finally {
        await admin.query(`SELECT pg_advisory_unlock_all()`);
        await admin.query('DROP TRIGGER IF EXISTS hold_outbox ON outbox').catch(() => {});
        await admin.query('DROP FUNCTION IF EXISTS hold_outbox()').catch(() => {});
        await admin.end();
        await c.close();
      }
    });

    test('two dispatchers at once deliver every event exactly once, in order per stream', async (t) => {
      if (skip) return t.skip(skip);
      const c = await cluster(2);
      try {
        const random = mulberry32(9);
        handler.answer(async () => {
          await delay(Math.floor(random() * 15));
          return 200;
        });
        const streams = Array.from({ length: 8 }, (_, i) => `pair-${i}`);
        // Written in five actions while both dispatchers run, each action three events of every stream.
        for (let round = 0; round < 5; round++) {
          await send(c.portal, [1, 2, 3].flatMap((k) => streams.map((s) => [s, round * 3 + k] as [string, number])));
        }
        const all = Array.from({ length: 15 }, (_, i) => i + 1);
        await waitFor('every event', async () => streams.every((s) => handler.of(s).length >= 15));
        // A sentinel per stream: a late second POST of any event would come before it.
        await send(c.portal, streams.map((s) => [s, 16] as [string, number]));
        await waitFor('sentinels', async () => streams.every((s) => handler.of(s).includes(16)));
        for (const s of streams) {
          assert.deepEqual(handler.of(s), [...all, 16], s);
          assert.equal(handler.mostOpen(s), 1, s);
        }
        // Once stopped, every delivery in flight has recorded its outcome.
        await c.halt();
        const rows = await c.portal.db.selectFrom('outbox').select(['status', 'attempts'])
          .where('order_key', 'in', streams.map((s) => `${handler.url}\n${s}`)).execute();
        assert.equal(rows.length, 8 * 16);
        assert.ok(rows.every((r) => r.status === 'delivered' && r.attempts === 1), 'each row delivered at its first attempt');
      } finally {
        await c.close();
      }
    });
  });
}
