/**
 * The message loop end to end: a real bot process installed with `parley app add` registers, a user
 * opens and messages it through a webhook, the bot answers, the user reads the answer; edits and
 * deletes reach the bot; group chats deliver only mentions to a type-B bot.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { echoBot, botEvents, waitFor, restForm, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';

// One test body, run against each backend: embedded SQLite and PostgreSQL.
for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`message loop on ${dialect}`, () => {

let portal: TestPortal;
let bot: Child;
let botId: number;
let anna: string;
let appToken: string;
let skip: string | undefined;

before(async () => {
  const suite = await portalSuite(dialect);
  if ('skip' in suite) return void (skip = suite.skip);
  portal = suite;
  bot = await echoBot();
  const installed = await installEchoBot(portal, bot);
  botId = installed.botId;
  appToken = installed.app.application_token;
  anna = await webhookFor(portal, 2);
});

after(async () => {
  await bot?.stop();
  await portal?.close();
});

test('ONAPPINSTALL carries the documented data and a working auth block', async (t) => {
  if (skip) return t.skip(skip);
  const ev = (await botEvents(bot)).find((e) => e.event === 'ONAPPINSTALL');
  assert.equal(ev.contentType, 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.keys(ev).filter((k) => !['contentType', 'registered', 'commands'].includes(k)).sort(), ['auth', 'data', 'event', 'event_handler_id', 'ts']);
  assert.equal(ev.data.LANGUAGE_ID, 'en');
  assert.equal(ev.data.VERSION, '1');
  assert.match(ev.ts, /^\d{10}$/);
  assert.ok(Math.abs(Number(ev.ts) - Date.now() / 1000) < 60);
  for (const key of ['access_token', 'expires', 'expires_in', 'scope', 'domain', 'server_endpoint', 'status', 'client_endpoint', 'member_id', 'user_id', 'refresh_token', 'application_token']) {
    assert.ok(ev.auth[key], `auth[${key}] present`);
  }
  assert.equal(ev.auth.client_endpoint, `${portal.url}/rest/`);
  assert.equal(ev.auth.domain, new URL(portal.url).host);
  assert.equal(ev.auth.scope, 'imbot,im');
  assert.equal(ev.auth.application_token, appToken);
  assert.equal(ev.auth.user_id, '1');
  assert.equal(ev.registered.result, botId);
});

test('a user opens the bot dialog, writes, and reads the bot answer', async (t) => {
  if (skip) return t.skip(skip);
  const sent = await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hello bot' });
  assert.equal(sent.status, 200);
  assert.equal(typeof sent.body.result, 'number');

  const join = await waitFor('ONIMBOTJOINCHAT', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTJOINCHAT' && e.data.PARAMS.DIALOG_ID === '2'));
  assert.equal(join.data.PARAMS.CHAT_TYPE, 'P');
  assert.equal(join.data.PARAMS.BOT_ID, String(botId));
  assert.equal(join.data.PARAMS.USER_ID, '2');
  assert.equal(join.data.USER.ID, '2');
  assert.equal(join.auth.user_id, '2');
  assert.equal(join.auth.application_token, appToken);

  const add = await waitFor('ONIMBOTMESSAGEADD', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'hello bot'));
  const p = add.data.PARAMS;
  assert.equal(p.DIALOG_ID, '2');
  assert.equal(p.FROM_USER_ID, '2');
  assert.equal(p.TO_USER_ID, String(botId));
  assert.equal(p.MESSAGE_ID, String(sent.body.result));
  assert.equal(p.CHAT_TYPE, 'P');
  assert.equal(p.MESSAGE_ORIGINAL, undefined, 'no MESSAGE_ORIGINAL in private dialogs');
  const b = add.data.BOT[String(botId)];
  assert.equal(b.BOT_ID, String(botId));
  assert.equal(b.BOT_CODE, 'echobot');
  assert.equal(b.user_id, String(botId));
  assert.equal(b.AUTH.access_token, b.access_token);
  assert.equal(b.application_token, appToken);
  assert.deepEqual(Object.keys(add.data.USER).sort(), ['FIRST_NAME', 'GENDER', 'ID', 'IS_BOT', 'IS_CONNECTOR', 'IS_EXTRANET', 'IS_NETWORK', 'LAST_NAME', 'NAME', 'WORK_POSITION']);
  assert.equal(add.data.USER.NAME, 'Анна Петрова');
  // Welcome first, then the message: one dialog, one order.
  const evs = await botEvents(bot);
  assert.ok(evs.indexOf(join) < evs.findIndex((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'hello bot'));

  const history = await waitFor('the echo', async () => {
    const r = await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId });
    return r.body.result.messages.some((m: any) => m.text === 'echo: hello bot') && r.body.result;
  });
  const echo = history.messages.find((m: any) => m.text === 'echo: hello bot');
  assert.equal(echo.author_id, botId);
  assert.match(echo.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  assert.ok(history.messages.some((m: any) => m.text === 'Welcome! I repeat what you say.'));
  assert.ok(history.users.some((u: any) => u.id === botId && u.bot === true));
  assert.equal(typeof history.chat_id, 'number');
  // Newest first.
  const ids = history.messages.map((m: any) => m.id);
  assert.deepEqual(ids, [...ids].sort((a: number, b: number) => b - a));
});

test('edits and deletes by the user reach the bot', async (t) => {
  if (skip) return t.skip(skip);
  const sent = await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'typo' });
  const id = sent.body.result;
  assert.equal((await restForm(anna, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'fixed' })).body.result, true);
  const upd = await waitFor('ONIMBOTMESSAGEUPDATE', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEUPDATE' && e.data.PARAMS.MESSAGE_ID === String(id)));
  assert.equal(upd.data.PARAMS.MESSAGE, 'fixed');
  assert.equal(upd.data.PARAMS.DIALOG_ID, '2');
  assert.equal((await restForm(anna, 'im.message.delete', { MESSAGE_ID: id })).body.result, true);
  const del = await waitFor('ONIMBOTMESSAGEDELETE', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEDELETE' && e.data.PARAMS.MESSAGE_ID === String(id)));
  assert.match(del.data.PARAMS.MESSAGE, /^Message from \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d has been deleted$/);
  const history = await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId });
  const gone = history.body.result.messages.find((m: any) => m.id === id);
  assert.equal(gone.text, '');
  assert.equal(gone.params.IS_DELETED, 'Y');
});

test('in a group chat a type-B bot hears only mentions, with the mention stripped', async (t) => {
  if (skip) return t.skip(skip);
  const chat = await restForm(anna, 'im.chat.add', { TITLE: 'Team', USERS: [3, botId] });
  assert.equal(chat.status, 200);
  const chatId = chat.body.result;
  const join = await waitFor('group ONIMBOTJOINCHAT', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTJOINCHAT' && e.data.PARAMS.DIALOG_ID === `chat${chatId}`));
  assert.equal(join.data.PARAMS.CHAT_TYPE, 'C');
  assert.equal(join.data.PARAMS.CHAT_ID, String(chatId));
  assert.equal(join.data.PARAMS.USER_ID, '2');

  await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'not for the bot' });
  await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `[USER=${botId}]Echo Bot[/USER] , ping` });
  const add = await waitFor('mention', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.DIALOG_ID === `chat${chatId}`));
  assert.equal(add.data.PARAMS.MESSAGE, ', ping');
  assert.equal(add.data.PARAMS.MESSAGE_ORIGINAL, `[USER=${botId}]Echo Bot[/USER] , ping`);
  assert.equal(add.data.PARAMS.TO_USER_ID, String(botId));
  assert.deepEqual(add.data.PARAMS.MENTIONED_LIST, { [botId]: String(botId) });
  assert.equal(add.data.PARAMS.CHAT_TITLE, 'Team');
  // The unmentioned message was never sent: only one group message event exists.
  await waitFor('the echo in the chat', async () => {
    const r = await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    return r.body.result.messages.some((m: any) => m.text === 'echo: , ping');
  });
  const groupEvents = (await botEvents(bot)).filter((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.DIALOG_ID === `chat${chatId}`);
  assert.equal(groupEvents.length, 1);
});
});
}
