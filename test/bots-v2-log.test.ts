/**
 * The Chatbots 2.0 fetch log's promise under concurrent writers on PostgreSQL: an event is never
 * lost before it is acknowledged. PostgreSQL hands an id out at the insert and transactions commit
 * in any order; were a later id visible (and acknowledged by Event.get's offset) before an earlier
 * one committed, the earlier row would be deleted unread. A trigger holds the first writer between
 * its insert and its commit while a second writer records the next event of the same bot, and the
 * bot polls meanwhile.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { restJson, waitFor } from './helpers/portal.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { runAction } from '../src/domain/action.ts';
import { recordV2Events } from '../src/events/bot-v2-log.ts';

const HOLD_LOCK = 7_700_025;

describe('the v2 fetch log on postgres', () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;

  before(async () => {
    const s = await portalSuite('postgres');
    if ('skip' in s) return void (skip = s.skip);
    portal = s;
    hook = await webhookFor(portal, 1, 'imbot,im');
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('a row written before a later one but committed after it is still answered, never skipped by an acknowledgement', async (t) => {
    if (skip) return t.skip(skip);
    const reg = await restJson(hook, 'imbot.v2.Bot.register', { botToken: 'log_tok', fields: { code: 'logged', properties: { name: 'Log' } } });
    const botId = reg.body.result.bot.id;
    const poll = async (offset?: number) => (await restJson(hook, 'imbot.v2.Event.get', { botId, botToken: 'log_tok', ...(offset === undefined ? {} : { offset }) })).body.result;
    const db = portal.portal.db;
    const bot = await db.selectFrom('bots').selectAll().where('id', '=', botId).executeTakeFirstOrThrow();
    const admin = new pg.Client({ connectionString: portal.db });
    await admin.connect();
    const waiting = async () => Number((await admin.query(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )).rows[0].n);
    try {
      await admin.query(`CREATE FUNCTION hold_v2() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.data LIKE '%"held":true%' THEN PERFORM pg_advisory_xact_lock(${HOLD_LOCK}); END IF;
          RETURN NEW;
        END $$`);
      await admin.query('CREATE TRIGGER hold_v2 AFTER INSERT ON bot_v2_events FOR EACH ROW EXECUTE FUNCTION hold_v2()');
      await admin.query(`SELECT pg_advisory_lock(${HOLD_LOCK})`);
      const write = (n: number, held: boolean) => runAction(portal.portal, (trx) => recordV2Events(trx, [{ bot, type: 'ONIMBOTV2MESSAGEADD', stream: 'chat0', data: { n, held } }]));
      const first = write(1, true);
      await waitFor('the first writer held after its insert', async () => (await waiting()) >= 1);
      let secondDone = false;
      const second = write(2, false).then(() => (secondDone = true));
      // The second writer waits for the first (the per-bot lock): nothing of it is visible yet.
      await waitFor('the second writer waiting', async () => (await waiting()) >= 2);
      assert.equal(secondDone, false);
      const meanwhile = await poll();
      assert.deepEqual(meanwhile.events, []);
      // The bot acknowledges what it was told (nothing) while both are in flight.
      await poll(meanwhile.nextOffset);
      await admin.query(`SELECT pg_advisory_unlock(${HOLD_LOCK})`);
      await Promise.all([first, second]);
      const got = await poll(meanwhile.nextOffset);
      assert.deepEqual(got.events.map((e: any) => e.data.n), [1, 2]);
      assert.ok(got.events[0].eventId < got.events[1].eventId);
      // Acknowledged: gone for good.
      assert.deepEqual((await poll(got.nextOffset)).events, []);
    } finally {
      await admin.query('SELECT pg_advisory_unlock_all()');
      await admin.query('DROP TRIGGER IF EXISTS hold_v2 ON bot_v2_events').catch(() => {});
      await admin.query('DROP FUNCTION IF EXISTS hold_v2()').catch(() => {});
      await admin.end();
    }
  });
});
