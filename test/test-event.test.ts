/**
 * "Send a test event" (parley.testevent.send, src/domain/test-events.ts): a test event reaches the
 * app's real handler (the echo bot, its own process on loopback) in the shape of a real event of its
 * type — the key sets are compared with a real one captured here — marked by `X-Parley-Test: 1` and
 * `test: true` in the event log; the bot's normal reply lands in the dialog; it reaches the chosen
 * app only; a preview sends nothing; and every refusal has its documented code and status.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, waitFor, type Child } from './helpers/portal.ts';
import { addApp, installEchoBot, reinstallApp, sqlitePortalFor, webhookFor } from './helpers/suite.ts';

const ANNA = 2;
const IVAN = 3;

/** Every key path of a value ("data.PARAMS.MESSAGE"), sorted: two events of one type have the same. */
function keyPaths(v: unknown, at = ''): string[] {
  if (!v || typeof v !== 'object') return [at];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => keyPaths(x, at ? `${at}.${k}` : k)).sort();
}

/** The event as Bitrix24 defines it, without what the echo bot adds to its record (replies, the test header). */
const shape = (ev: any) => keyPaths({ event: ev.event, event_handler_id: ev.event_handler_id, data: ev.data, ts: ev.ts, auth: ev.auth });

describe('test events', () => {
  const portal = sqlitePortalFor();
  let bot: Child;
  let other: Child;
  let appId: number;
  let botId: number;
  let admin: string;
  let anna: string;

  const send = (params: Record<string, unknown>) => restForm(admin, 'parley.testevent.send', { APP_ID: appId, ...params });
  const events = async (pred: (e: any) => boolean) => (await botEvents(bot)).filter(pred);
  const arrived = (what: string, pred: (e: any) => boolean) => waitFor(what, async () => (await events(pred))[0]);
  const deliveries = async () => (await restForm(admin, 'parley.event.list', { FILTER: { APP_ID: appId } })).body;

  before(async () => {
    bot = await echoBot();
    other = await echoBot(0, 'S');
    ({ app: { id: appId }, botId } = await installEchoBot(portal(), bot));
    admin = await webhookFor(portal(), 1, 'im,imbot,parley');
    anna = await webhookFor(portal(), ANNA);
  });
  after(async () => {
    await bot?.stop();
    await other?.stop();
  });

  test('lists the events the app has a handler for, with its bots and commands', async () => {
    const res = await restForm(admin, 'parley.testevent.list', { APP_ID: appId });
    assert.equal(res.status, 200);
    const byEvent = new Map(res.body.result.map((e: any) => [e.event, e]));
    assert.deepEqual([...byEvent.keys()].sort(), ['ONAPPUPDATE', 'ONIMBOTDELETE', 'ONIMBOTJOINCHAT', 'ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEDELETE',
      'ONIMBOTMESSAGEUPDATE', 'ONIMCOMMANDADD']);
    assert.deepEqual((byEvent.get('ONIMBOTMESSAGEADD') as any).bots, [botId]);
    assert.deepEqual((byEvent.get('ONIMCOMMANDADD') as any).commands.map((c: any) => [c.bot_id, c.command]), [[botId, 'echo'], [botId, 'page']]);
  });

  test('ONIMBOTMESSAGEADD: a real message of the user, the shape of a real event, marked, and the reply lands in the dialog', async () => {
    // A real event first: Anna writes to the bot herself.
    assert.equal((await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'real hello' })).status, 200);
    const real = await arrived('the real message', (e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'real hello');
    const res = await send({ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA, MESSAGE: 'test hello' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { ids, message_id: messageId, events: queued } = res.body.result;
    assert.equal(ids.length, 1);
    assert.equal(queued[0].event, 'ONIMBOTMESSAGEADD');
    // The echo bot records an event before it answers: wait for its answer too.
    const got = await arrived('the test message and its reply', (e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'test hello' && e.reply);
    assert.deepEqual(shape(got), shape(real));
    assert.equal(got.parleyTest, '1');
    assert.equal(real.parleyTest, undefined);
    assert.equal(got.data.PARAMS.MESSAGE_ID, String(messageId));
    assert.equal(got.data.PARAMS.DIALOG_ID, String(ANNA));
    // Its tokens were minted when it was sent: the bot answered with them.
    assert.equal(got.reply?.result > 0, true, JSON.stringify(got.reply));
    // The message and the bot's reply are in Anna's dialog with the bot.
    const history = (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId })).body.result.messages.map((m: any) => m.text);
    assert.ok(history.includes('test hello'));
    assert.ok(history.includes('echo: test hello'));
    // The event log shows it as a test, delivered on its first attempt; the real one is no test.
    const log = (await deliveries()).result;
    const row = log.find((d: any) => d.id === ids[0]);
    assert.equal(row.test, true);
    assert.equal(row.status, 'delivered');
    assert.equal(row.attempts, 1);
    assert.equal(log.find((d: any) => d.event === 'ONIMBOTMESSAGEADD' && d.data.PARAMS.MESSAGE === 'real hello').test, false);
  });

  test('ONIMCOMMANDADD: the command typed by the user, answered with imbot.command.answer', async () => {
    await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: '/echo real one' });
    const real = await arrived('the real command', (e) => e.event === 'ONIMCOMMANDADD' && Object.values<any>(e.data.COMMAND)[0].COMMAND_PARAMS === 'real one');
    const res = await send({ EVENT: 'ONIMCOMMANDADD', USER_ID: ANNA, COMMAND: 'echo', COMMAND_PARAMS: 'tested' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await arrived('the test command and its answer', (e) => e.event === 'ONIMCOMMANDADD' && Object.values<any>(e.data.COMMAND)[0].COMMAND_PARAMS === 'tested' && e.replies?.length);
    assert.deepEqual(shape(got), shape(real));
    assert.equal(got.parleyTest, '1');
    assert.equal(got.replies[0].result > 0, true, JSON.stringify(got.replies));
    const history = (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId })).body.result.messages.map((m: any) => m.text);
    assert.ok(history.includes('echo command: tested'));
  });

  test('ONIMBOTMESSAGEUPDATE, DELETE and JOINCHAT have the shape of real ones; the message is not changed', async () => {
    const sent = await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'to be edited' });
    const id = sent.body.result;
    await restForm(anna, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'edited for real' });
    const realUpdate = await arrived('the real update', (e) => e.event === 'ONIMBOTMESSAGEUPDATE' && e.data.PARAMS.MESSAGE === 'edited for real');
    const upd = await send({ EVENT: 'ONIMBOTMESSAGEUPDATE', USER_ID: ANNA, MESSAGE_ID: id, MESSAGE: 'edited in a test' });
    assert.equal(upd.status, 200, JSON.stringify(upd.body));
    const testUpdate = await arrived('the test update', (e) => e.event === 'ONIMBOTMESSAGEUPDATE' && e.data.PARAMS.MESSAGE === 'edited in a test');
    assert.deepEqual(shape(testUpdate), shape(realUpdate));
    assert.equal(testUpdate.parleyTest, '1');
    assert.equal(testUpdate.data.PARAMS.MESSAGE_ID, String(id));
    // Delete: the user's newest message when none is named.
    const del = await send({ EVENT: 'ONIMBOTMESSAGEDELETE', USER_ID: ANNA });
    assert.equal(del.status, 200, JSON.stringify(del.body));
    const testDelete = await arrived('the test delete', (e) => e.event === 'ONIMBOTMESSAGEDELETE' && e.parleyTest === '1');
    await restForm(anna, 'im.message.delete', { MESSAGE_ID: id });
    const realDelete = await arrived('the real delete', (e) => e.event === 'ONIMBOTMESSAGEDELETE' && !e.parleyTest);
    assert.deepEqual(shape(testDelete), shape(realDelete));
    // The test neither edited nor deleted: the real delete still found the message edited for real.
    assert.match(realDelete.data.PARAMS.MESSAGE, /has been deleted/);
    // ONIMBOTJOINCHAT: the real one came when Anna first wrote to the bot.
    const realJoin = await arrived('the real join', (e) => e.event === 'ONIMBOTJOINCHAT' && !e.parleyTest);
    assert.equal((await send({ EVENT: 'ONIMBOTJOINCHAT', USER_ID: ANNA })).status, 200);
    const testJoin = await arrived('the test join', (e) => e.event === 'ONIMBOTJOINCHAT' && e.parleyTest === '1');
    assert.deepEqual(shape(testJoin), shape(realJoin));
  });

  test('ONAPPUPDATE and ONIMBOTDELETE go to the app; the bot is not deleted', async () => {
    await reinstallApp(portal(), appId);
    const realUpdate = await arrived('the real update', (e) => e.event === 'ONAPPUPDATE' && !e.parleyTest);
    assert.equal((await send({ EVENT: 'ONAPPUPDATE' })).status, 200);
    const testUpdate = await arrived('the test update', (e) => e.event === 'ONAPPUPDATE' && e.parleyTest === '1');
    assert.deepEqual(shape(testUpdate), shape(realUpdate));
    assert.equal((await send({ EVENT: 'ONIMBOTDELETE', USER_ID: ANNA })).status, 200);
    const gone = await arrived('the test bot delete', (e) => e.event === 'ONIMBOTDELETE' && e.parleyTest === '1');
    assert.deepEqual(Object.keys(gone.data).sort(), ['BOT_CODE', 'BOT_ID']);
    assert.equal(gone.data.BOT_ID, String(botId));
    const list = (await restForm(admin, 'parley.bot.list', { APP_ID: appId })).body.result;
    assert.deepEqual(list.map((b: any) => b.id), [botId]);
  });

  test('in a chat it reaches the chosen app only, with the bot mentioned as the messenger does', async () => {
    // A supervisor bot of another app hears every message of the chat.
    const { botId: watcher } = await installEchoBot(portal(), other);
    const chat = (await restForm(anna, 'im.chat.add', { USERS: [IVAN, botId, watcher], TITLE: 'Test room' })).body.result;
    const res = await send({ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA, CHAT_ID: chat, MESSAGE: 'room test' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await arrived('the test in the chat', (e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'room test');
    assert.equal(got.data.PARAMS.DIALOG_ID, `chat${chat}`);
    assert.equal(got.data.PARAMS.TO_USER_ID, String(botId));
    assert.match(got.data.PARAMS.MESSAGE_ORIGINAL, new RegExp(`^\\[USER=${botId}\\]`));
    // The watcher hears the next real message of the chat, and nothing before it: the test never reached it.
    await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'sentinel' });
    const heard = await waitFor('the sentinel', async () => {
      const inChat = (await botEvents(other)).filter((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.DIALOG_ID === `chat${chat}`);
      return inChat.length ? inChat : undefined;
    });
    assert.deepEqual(heard.map((e: any) => e.data.PARAMS.MESSAGE), ['sentinel']);
  });

  test('a preview answers the payload and sends nothing', async () => {
    const before = (await deliveries()).total;
    const res = await send({ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA, MESSAGE: 'only a preview', PREVIEW: 'Y' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { ids, events: built, preview } = res.body.result;
    assert.deepEqual(ids, []);
    assert.equal(preview, true);
    assert.equal(built[0].data.PARAMS.MESSAGE, 'only a preview');
    assert.deepEqual(built[0].data.BOT[botId], { __bot_auth__: { id: botId, code: 'echobot' } });
    assert.equal((await deliveries()).total, before);
    const history = (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId })).body.result.messages.map((m: any) => m.text);
    assert.ok(!history.includes('only a preview'));
  });

  test('refusals: unknown app, event without a handler, unknown user, a bot as the user, bot not in the chat, not an admin', async () => {
    const before = (await deliveries()).total;
    const bare = await addApp(portal(), { name: 'No bots', handler: 'http://127.0.0.1:9/none', scope: 'im' });
    const lonely = (await restForm(anna, 'im.chat.add', { USERS: [IVAN], TITLE: 'No bot here' })).body.result;
    const cases: [Record<string, unknown>, number, string, RegExp?][] = [
      [{ APP_ID: 999999, EVENT: 'ONIMBOTMESSAGEADD' }, 400, 'ERROR_ARGUMENT', /No application 999999/],
      [{ APP_ID: bare.id, EVENT: 'ONIMBOTMESSAGEADD', MESSAGE: 'x' }, 400, 'ERROR_ARGUMENT', /no handler for ONIMBOTMESSAGEADD/],
      [{ EVENT: 'ONSOMETHINGELSE' }, 400, 'ERROR_ARGUMENT', /EVENT must be one of/],
      [{ EVENT: '' }, 400, 'ERROR_ARGUMENT'],
      [{ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: 999999, MESSAGE: 'x' }, 400, 'USER_NOT_FOUND'],
      [{ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: botId, MESSAGE: 'x' }, 400, 'ERROR_ARGUMENT', /is a bot/],
      [{ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA, CHAT_ID: lonely, MESSAGE: 'x' }, 403, 'ACCESS_ERROR', /not a member/],
      [{ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA, CHAT_ID: 999999, MESSAGE: 'x' }, 400, 'CHAT_NOT_FOUND'],
      [{ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA, BOT_ID: 1, MESSAGE: 'x' }, 400, 'BOT_ID_ERROR'],
      [{ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA }, 400, 'ERROR_ARGUMENT', /MESSAGE/],
      [{ EVENT: 'ONIMBOTMESSAGEADD', USER_ID: ANNA, MESSAGE: '/echo as text' }, 400, 'ERROR_ARGUMENT', /command of the bot/],
      [{ EVENT: 'ONIMCOMMANDADD', USER_ID: ANNA, COMMAND: 'nosuch' }, 400, 'COMMAND_ID_ERROR'],
      [{ EVENT: 'ONIMBOTMESSAGEUPDATE', USER_ID: IVAN }, 400, 'ERROR_ARGUMENT', /no message/],
    ];
    for (const [params, status, code, description] of cases) {
      const res = await send(params);
      assert.equal(res.status, status, `${JSON.stringify(params)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, code, JSON.stringify(params));
      if (description) assert.match(res.body.error_description, description);
    }
    const notAdmin = await restForm(await webhookFor(portal(), ANNA, 'im,imbot,parley'), 'parley.testevent.send', { APP_ID: appId, EVENT: 'ONAPPUPDATE' });
    assert.equal(notAdmin.status, 403);
    assert.equal(notAdmin.body.error, 'ACCESS_DENIED');
    // Nothing was queued by any refusal (the new app's own ONAPPINSTALL is not counted: another app).
    assert.equal((await deliveries()).total, before);
  });
});
