/**
 * Offline events (events/offline-events.md): an app binds ONIMBOTMESSAGEADD offline, a user writes to
 * its bot, and the event waits on the portal: event.offline.list reads it, event.offline.get takes it
 * (reserving with clear=0, re-reading by process_id, deleting with clear=1), event.offline.error marks
 * it, event.offline.clear removes it; ONOFFLINEEVENT reaches the app's online handler (the echo bot's
 * process on loopback) as its minTimeout allows; the queue survives a portal restart on its data dir;
 * auth_connector divides the queue and keeps an app's own changes out of its key's queue (feature.get).
 * On PostgreSQL: parallel takers get disjoint rows.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, portalSuite, webhookFor } from './helpers/suite.ts';
import { mintToken } from '../src/auth/tokens.ts';

const ANNA = 2;
let portal: Awaited<ReturnType<typeof testPortal>>;
let bot: Child;
let botId: number;
let adminToken: string;
let annaAppToken: string;
let anna: string;

before(async () => {
  portal = await testPortal();
  bot = await echoBot();
  const installed = await installEchoBot(portal, bot);
  botId = installed.botId;
  adminToken = installed.install.auth.access_token;
  annaAppToken = (await mintToken(portal.portal, portal.portal.db, installed.app, ANNA)).access_token;
  anna = await webhookFor(portal, ANNA);
});

after(async () => {
  await bot?.stop();
  await portal?.close();
});

const rest = () => `${portal.url}/rest/`;
const asAdmin = (method: string, params: Record<string, unknown> = {}) => restForm(rest(), method, { ...params, auth: adminToken });
const ok = async (method: string, params: Record<string, unknown> = {}) => {
  const r = await asAdmin(method, params);
  assert.equal(r.status, 200, `${method}: ${JSON.stringify(r.body)}`);
  return r.body;
};
const say = async (text: string) => assert.equal((await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: text })).status, 200);
const queue = async () => (await ok('event.offline.list')).result as any[];

test('event.bind offline: administrators only, no handler, listed by event.get; ONOFFLINEEVENT cannot be offline', async () => {
  const denied = await restForm(rest(), 'event.bind', { auth: annaAppToken, event: 'ONIMBOTMESSAGEADD', event_type: 'offline' });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error, 'ACCESS_DENIED');
  assert.equal(denied.body.error_description, 'Access denied! Offline events binding requires administrator access rights');

  assert.equal((await ok('event.bind', { event: 'OnImBotMessageAdd', event_type: 'offline' })).result, true);
  const dup = await asAdmin('event.bind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' });
  assert.equal(dup.status, 400);
  assert.equal(dup.body.error, 'ERROR_HANDLER_ALREADY_EXIST');
  const self = await asAdmin('event.bind', { event: 'ONOFFLINEEVENT', event_type: 'offline' });
  assert.equal(self.status, 400);
  assert.equal(self.body.error, 'ERROR_EVENT_NOT_FOUND');
  // The notification goes online, to the echo bot's process; every action's new rows notify (minTimeout 0).
  assert.equal((await ok('event.bind', { event: 'ONOFFLINEEVENT', handler: `${bot.url}?offline=1`, options: { minTimeout: 0 } })).result, true);

  const bound = (await ok('event.get')).result as any[];
  assert.deepEqual(bound.find((b) => b.offline === 1), { event: 'ONIMBOTMESSAGEADD', handler: '', auth_type: '0', offline: 1 });
  assert.equal(bound.find((b) => b.event === 'ONOFFLINEEVENT').offline, 0);

  for (const method of ['event.offline.get', 'event.offline.list', 'event.offline.clear', 'event.offline.error']) {
    const r = await restForm(rest(), method, { auth: annaAppToken, process_id: 'x' });
    assert.equal(r.status, 403, method);
    assert.equal(r.body.error, 'ACCESS_DENIED', method);
    const hook = await restForm(anna, method, { process_id: 'x' });
    assert.equal(hook.body.error, 'WRONG_AUTH_TYPE', method);
  }
});

test('a user\'s message is queued offline: list, reserve, hide, error, re-take, clear; ONOFFLINEEVENT arrives', async () => {
  const notified = (await botEvents(bot)).filter((e) => e.event === 'ONOFFLINEEVENT').length;
  await say('offline one');
  const note = await waitFor('ONOFFLINEEVENT', async () => (await botEvents(bot)).filter((e) => e.event === 'ONOFFLINEEVENT')[notified]);
  // data arrives empty (absent from the form body); the auth block is full, with refresh_token.
  assert.equal(note.data, undefined);
  assert.ok(note.auth.access_token && note.auth.refresh_token && note.auth.application_token);
  assert.equal(note.auth.user_id, String(ANNA), 'the tokens of the user whose action it was');

  const listed = await ok('event.offline.list');
  assert.equal(listed.total, 1);
  const [row] = listed.result;
  assert.deepEqual(Object.keys(row), ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'EVENT_DATA', 'EVENT_ADDITIONAL', 'MESSAGE_ID', 'PROCESS_ID', 'ERROR']);
  assert.equal(row.EVENT_NAME, 'ONIMBOTMESSAGEADD');
  assert.equal(row.EVENT_DATA.PARAMS.MESSAGE, 'offline one');
  assert.equal(row.EVENT_DATA.BOT[String(botId)].BOT_ID, botId);
  assert.equal(row.EVENT_DATA.BOT[String(botId)].access_token, undefined, 'no tokens are queued');
  assert.deepEqual(row.EVENT_ADDITIONAL, { user_id: String(ANNA) });
  assert.match(row.TIMESTAMP_X, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  assert.equal(row.PROCESS_ID, '');
  assert.equal(row.ERROR, '0');

  // Reserve: the batch gets a process_id and is hidden from other takers.
  const taken = (await ok('event.offline.get', { clear: 0 })).result;
  assert.match(taken.process_id, /^[0-9a-f]{32}$/);
  assert.equal(taken.events.length, 1);
  assert.deepEqual(Object.keys(taken.events[0]), ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'EVENT_DATA', 'EVENT_ADDITIONAL', 'MESSAGE_ID']);
  assert.equal(taken.events[0].ID, row.ID);
  assert.deepEqual((await ok('event.offline.get', { clear: 0 })).result.events, []);
  assert.equal((await queue())[0].PROCESS_ID, taken.process_id);
  // The same process re-reads what it holds.
  assert.equal((await ok('event.offline.get', { clear: 0, process_id: taken.process_id })).result.events[0].ID, row.ID);

  // Marked failed: back in the queue, answered only with error=1.
  assert.equal((await ok('event.offline.error', { process_id: taken.process_id, message_id: [row.MESSAGE_ID] })).result, true);
  assert.deepEqual((await queue()).map((r) => [r.PROCESS_ID, r.ERROR]), [['', '1']]);
  assert.deepEqual((await ok('event.offline.get', { clear: 0 })).result.events, []);
  const again = (await ok('event.offline.get', { clear: 0, error: 1 })).result;
  assert.equal(again.events[0].ID, row.ID);

  // Cleared by a wrong id: nothing; by the process: gone.
  assert.equal((await ok('event.offline.clear', { process_id: again.process_id, id: [Number(row.ID) + 1000] })).result, true);
  assert.equal((await queue()).length, 1);
  assert.equal((await ok('event.offline.clear', { process_id: again.process_id })).result, true);
  assert.deepEqual(await ok('event.offline.list').then((b) => [b.result, b.total]), [[], 0]);
});

test('clear=1 takes and deletes; filter, order and limit; an unknown field is refused', async () => {
  await say('first');
  await say('second');
  await say('third');
  await waitFor('three rows', async () => (await queue()).length === 3);
  const desc = await ok('event.offline.list', { order: { ID: 'DESC' } });
  assert.deepEqual(desc.result.map((r: any) => r.EVENT_DATA.PARAMS.MESSAGE), ['third', 'second', 'first']);
  const byId = await ok('event.offline.list', { filter: { '>ID': desc.result[2].ID } });
  assert.deepEqual(byId.result.map((r: any) => r.EVENT_DATA.PARAMS.MESSAGE), ['second', 'third']);
  assert.deepEqual((await ok('event.offline.get', { filter: { '=EVENT_NAME': 'ONAPPTEST' } })).result.events, []);
  const bad = await asAdmin('event.offline.get', { filter: { '=NOPE': 1 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error, 'WRONG_REQUEST');
  assert.equal((await queue()).length, 3, 'a refused call takes nothing');

  const first = (await ok('event.offline.get', { limit: 1 })).result;
  assert.equal(first.process_id, null);
  assert.deepEqual(first.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE), ['first']);
  const rest2 = (await ok('event.offline.get')).result;
  assert.deepEqual(rest2.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE), ['second', 'third']);
  assert.deepEqual(await queue(), []);
});

test('ONOFFLINEEVENT with minTimeout: one notification, then none until the interval has passed', async () => {
  assert.equal((await ok('event.bind', { event: 'ONOFFLINEEVENT', handler: `${bot.url}?slow=1`, options: { minTimeout: 3600 } })).result, true);
  const before = (await botEvents(bot)).filter((e) => e.event === 'ONOFFLINEEVENT');
  await say('slow one');
  await say('slow two');
  await waitFor('two rows', async () => (await queue()).length === 2);
  // The minTimeout-0 handler is told twice (one per action), the slow one once.
  const fresh = await waitFor('notifications', async () => {
    const all = (await botEvents(bot)).filter((e) => e.event === 'ONOFFLINEEVENT').slice(before.length);
    return all.length >= 3 && all;
  });
  const perHandler = new Map<string, number>();
  for (const e of fresh) perHandler.set(e.event_handler_id, (perHandler.get(e.event_handler_id) ?? 0) + 1);
  assert.deepEqual([...perHandler.values()].sort(), [1, 2]);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await botEvents(bot)).filter((e) => e.event === 'ONOFFLINEEVENT').length, before.length + 3);
  await ok('event.offline.get', { limit: 10 });
});

test('the queue survives a portal restart on its data dir; an unbound offline event is queued no more', async () => {
  await say('before restart');
  await waitFor('queued', async () => (await queue()).length === 1);
  const { dataDir, url: oldUrl } = portal;
  await portal.close();
  portal = await testPortal({ dataDir });
  // The same webhook, at the restarted portal's new port.
  anna = anna.replace(oldUrl, portal.url);
  const [row] = await queue();
  assert.equal(row.EVENT_DATA.PARAMS.MESSAGE, 'before restart');

  assert.deepEqual((await ok('event.unbind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' })).result, { count: 1 });
  assert.ok((await ok('event.get')).result.every((b: any) => b.offline === 0));
  await say('after unbind');
  await waitFor('echo', async () => (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId })).body.result.messages.some((m: any) => m.text === 'echo: after unbind'));
  assert.deepEqual((await queue()).map((r) => r.EVENT_DATA.PARAMS.MESSAGE), ['before restart']);
});

test('auth_connector: one queue per source key, and a change made with the key is not queued back under it', async () => {
  assert.equal((await ok('event.bind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' })).result, true);
  assert.equal((await ok('event.bind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline', auth_connector: 'crm_sync' })).result, true);
  assert.equal((await asAdmin('event.bind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline', auth_connector: 'crm_sync' })).body.error, 'ERROR_HANDLER_ALREADY_EXIST');
  await ok('event.offline.get', { clear: 1, limit: 1000 });
  const texts = async (connector?: string) => ((await ok('event.offline.list', connector ? { auth_connector: connector } : {})).result as any[]).map((r) => r.EVENT_DATA.PARAMS.MESSAGE);
  // The app itself writes to its bot with its source key (the docs' cycle), then a person writes.
  await ok('im.message.add', { DIALOG_ID: botId, MESSAGE: 'from the app', auth_connector: 'crm_sync' });
  await say('from anna');
  assert.deepEqual(await texts(), ['from the app', 'from anna']);
  assert.deepEqual(await texts('crm_sync'), ['from anna']);
  // Each key's queue is taken on its own.
  const taken = (await ok('event.offline.get', { auth_connector: 'crm_sync', clear: 1 })).result;
  assert.deepEqual(taken.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE), ['from anna']);
  assert.deepEqual(await texts('crm_sync'), []);
  assert.deepEqual(await texts(), ['from the app', 'from anna']);
  // The key only ever spares its own app: another app's call with the same key is queued as any.
  await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'webhook with a key', auth_connector: 'crm_sync' });
  assert.deepEqual(await texts('crm_sync'), ['webhook with a key']);
  // feature.get says both are there.
  assert.deepEqual((await ok('feature.get', { CODE: 'rest_auth_connector' })).result, { value: 'Y' });
  assert.deepEqual((await ok('feature.get', { CODE: 'rest_offline_extended' })).result, { value: 'Y' });
  assert.deepEqual((await ok('feature.get', { CODE: 'no_such_feature' })).result, { value: 'N' });
  const empty = await asAdmin('feature.get', {});
  assert.deepEqual([empty.status, empty.body.error, empty.body.error_description], [400, 'CODE_EMPTY', "CODE can't be empty"]);
});

test('PostgreSQL: offline rows are queued, and parallel event.offline.get calls get disjoint rows', async (t) => {
  const pg = await portalSuite('postgres');
  if ('skip' in pg) return t.skip(pg.skip);
  const pgBot = await echoBot();
  try {
    const { botId: id, install } = await installEchoBot(pg, pgBot);
    const token = install.auth.access_token;
    const base = `${pg.url}/rest/`;
    const call = async (method: string, params: Record<string, unknown> = {}) => (await restForm(base, method, { ...params, auth: token })).body;
    assert.equal((await call('event.bind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' })).result, true);
    const ivan = await webhookFor(pg, 3);
    for (let i = 0; i < 12; i++) await restForm(ivan, 'im.message.add', { DIALOG_ID: id, MESSAGE: `pg ${i}` });
    assert.equal((await call('event.offline.list')).total, 12);
    const takes = await Promise.all([1, 2, 3, 4].map(() => call('event.offline.get', { clear: 0, limit: 5 })));
    // A taker whose candidates another took first gets fewer (never the same row): the rest waits.
    const rest = await call('event.offline.get', { clear: 0, limit: 50 });
    takes.push(rest);
    const ids = takes.flatMap((r) => r.result.events.map((e: any) => e.ID));
    assert.equal(new Set(ids).size, ids.length, 'no row twice');
    assert.equal(ids.length, 12, 'every row taken');
    for (const r of takes) if (r.result.events.length) assert.equal((await call('event.offline.clear', { process_id: r.result.process_id })).result, true);
    assert.equal((await call('event.offline.list')).total, 0);
  } finally {
    await pgBot.stop();
    await pg.close();
  }
});
