/**
 * The v2 event log as the developer console sees it (parley.event.fetch.list), over real HTTP on
 * SQLite and PostgreSQL: a fetch-mode bot's events are listed waiting, then fetched once its next
 * Event.get acknowledges them with `offset` — and Event.get never answers them again; a subscribed
 * user's im.v2 events are there too; only administrators read it; retention removes fetched rows
 * after PARLEY_KEEP_FETCHED_EVENTS_HOURS and keeps waiting ones.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { pruneExpired } from '../src/domain/retention.ts';

const ADMIN = 1;
const ANNA = 2;
const HOUR = 3_600_000;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`parley.event.fetch.list on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let anna: string;
  let bot: number;

  const log = async (filter: Record<string, unknown> = {}) => (await ok(hook, 'parley.event.fetch.list', { FILTER: filter })) as any[];
  const poll = (offset?: number) => ok(hook, 'imbot.v2.Event.get', { botId: bot, botToken: 'log_tok', ...(offset ? { offset } : {}) });

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    hook = await webhookFor(portal, ADMIN, 'imbot,im,parley');
    anna = await webhookFor(portal, ANNA, 'im,parley');
    bot = (await ok(hook, 'imbot.v2.Bot.register', { botToken: 'log_tok', fields: { code: 'logged', eventMode: 'fetch', properties: { name: 'Logged' } } })).bot.id;
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('waiting, then fetched after the acknowledgement; never answered again; user events listed too', async (t) => {
    if (skip) return t.skip(skip);
    await ok(anna, 'im.message.add', { DIALOG_ID: String(bot), MESSAGE: 'first' });
    const first = await poll();
    assert.deepEqual(first.events.map((e: any) => e.type), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
    let rows = await log({ BOT_ID: bot });
    assert.deepEqual(rows.map((r) => [r.event, r.status]), [['ONIMBOTV2MESSAGEADD', 'waiting'], ['ONIMBOTV2JOINCHAT', 'waiting']]);
    assert.equal(rows[0].data.message.text, 'first');
    await ok(anna, 'im.message.add', { DIALOG_ID: String(bot), MESSAGE: 'second' });
    const second = await poll(first.nextOffset);
    assert.deepEqual(second.events.map((e: any) => e.data.message.text), ['second']);
    rows = await log({ BOT_ID: bot });
    assert.deepEqual(rows.map((r) => [r.event, r.status]), [['ONIMBOTV2MESSAGEADD', 'waiting'], ['ONIMBOTV2MESSAGEADD', 'fetched'], ['ONIMBOTV2JOINCHAT', 'fetched']]);
    assert.match(rows[1].fetched, /^\d{4}-/);
    // Acknowledging again, or asking from before, answers nothing already fetched.
    const third = await poll(second.nextOffset);
    assert.deepEqual(third.events, []);
    assert.deepEqual((await poll(1)).events, []);
    // A subscribed user's im.v2 events are in the same log.
    await ok(anna, 'im.v2.Event.subscribe', {});
    await ok(hook, 'im.message.add', { DIALOG_ID: String(ANNA), MESSAGE: 'to anna' });
    const users = (await log()).filter((r) => r.user_id === ANNA);
    assert.ok(users.some((r) => r.event === 'ONIMV2MESSAGEADD' && r.data.message.text === 'to anna' && r.status === 'waiting'));
  });

  test('administrators only; retention drops fetched rows after their hours and keeps waiting ones', async (t) => {
    if (skip) return t.skip(skip);
    await refused(403, 'ACCESS_DENIED', anna, 'parley.event.fetch.list', {});
    await ok(anna, 'im.message.add', { DIALOG_ID: String(bot), MESSAGE: 'left waiting' });
    const before = await log({ BOT_ID: bot });
    const fetched = before.filter((r) => r.status === 'fetched').length;
    assert.ok(fetched >= 3);
    const pruned = await pruneExpired(portal.portal.db, portal.portal.config, Date.now() + portal.portal.config.keepFetchedEventsHours * HOUR + HOUR);
    assert.equal(pruned.fetchedEvents >= fetched, true, JSON.stringify(pruned));
    const after = await log({ BOT_ID: bot });
    assert.ok(after.every((r) => r.status === 'waiting'));
    assert.ok(after.some((r) => r.data.message?.text === 'left waiting'));
  });
});
}
