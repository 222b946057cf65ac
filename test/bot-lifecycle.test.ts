/**
 * A bot's life through its app's token: register with a base64 photo, list, update, system lines
 * between two users (FROM_USER_ID/TO_USER_ID), likes and typing, unregister with ONIMBOTDELETE.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';

// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let portal: Awaited<ReturnType<typeof testPortal>>;
let bot: Child;
let rest: string;
let token: string;
let echoId: number;

before(async () => {
  portal = await testPortal();
  bot = await echoBot();
  const installed = await installEchoBot(portal, bot);
  echoId = installed.botId;
  token = installed.install.auth.access_token;
  rest = `${portal.url}/rest/`;
});

after(async () => {
  await bot?.stop();
  await portal?.close();
});

const call = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { ...params, auth: token });

test('register with PROPERTIES and a base64 photo; the bot is a user shown as a bot', async () => {
  const reg = await call('imbot.register', {
    CODE: 'helper', TYPE: 'H', EVENT_HANDLER: bot.url, OPENLINE: 'Y',
    PROPERTIES: { NAME: 'Helper', LAST_NAME: 'Bot', COLOR: 'MINT', EMAIL: 'helper@example.com', PERSONAL_BIRTHDAY: '2016-03-23', WORK_POSITION: 'Helps', PERSONAL_GENDER: 'F', PERSONAL_PHOTO: PNG },
  });
  assert.equal(reg.status, 200);
  const id = reg.body.result;
  assert.equal(typeof id, 'number');
  // Registering the same CODE again answers the same bot instead of creating a second one.
  assert.equal((await call('imbot.register', { CODE: 'helper', EVENT_HANDLER: bot.url, PROPERTIES: { NAME: 'Helper' } })).body.result, id);

  const user = (await call('im.user.get', { ID: id })).body.result;
  assert.equal(user.bot, true);
  assert.equal(user.name, 'Helper Bot');
  assert.equal(user.work_position, 'Helps');
  assert.equal(user.gender, 'F');
  assert.equal(user.birthday, '23-03');
  assert.equal(user.color, '#4ba984');
  const avatar = await fetch(user.avatar);
  assert.equal(avatar.status, 200);
  assert.equal(avatar.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await avatar.arrayBuffer()), Buffer.from(PNG, 'base64'));

  const list = (await call('imbot.bot.list')).body.result;
  assert.deepEqual(list[String(id)], { ID: id, NAME: 'Helper Bot', CODE: 'helper', OPENLINE: 'Y' });
  assert.equal(list[String(echoId)].CODE, 'echobot');

  assert.equal((await call('imbot.update', { BOT_ID: id, FIELDS: { CODE: 'helper2', PROPERTIES: { NAME: 'Renamed' } } })).body.result, true);
  const after = (await call('imbot.bot.list')).body.result[String(id)];
  assert.deepEqual(after, { ID: id, NAME: 'Renamed Bot', CODE: 'helper2', OPENLINE: 'Y' });

  assert.equal((await call('imbot.unregister', { BOT_ID: id })).body.result, true);
  const del = await waitFor('ONIMBOTDELETE', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTDELETE' && e.data.BOT_ID === String(id)));
  assert.equal(del.data.BOT_CODE, 'helper2');
  assert.equal(del.auth.user_id, '1', 'auth is the user who removed the bot');
  assert.equal((await call('imbot.bot.list')).body.result[String(id)], undefined);
});

test('FROM_USER_ID/TO_USER_ID posts a system line into two users\' dialog', async () => {
  // The app token belongs to the admin (user 1), who may post between users 1 and 3.
  const sent = await call('imbot.message.add', { BOT_ID: echoId, FROM_USER_ID: 1, TO_USER_ID: 3, MESSAGE: 'Reminder for you both' });
  assert.equal(sent.status, 200);
  const ivan = await webhookFor(portal, 3);
  const history = (await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: 1 })).body.result;
  const line = history.messages.find((m: any) => m.id === sent.body.result);
  assert.equal(line.text, 'Reminder for you both');
  assert.equal(line.system, true);
  assert.equal(line.author_id, echoId);
  // Not between users the caller is not one of.
  const denied = await call('imbot.message.add', { BOT_ID: echoId, FROM_USER_ID: 2, TO_USER_ID: 3, MESSAGE: 'x' });
  assert.equal(denied.body.error, 'ACCESS_ERROR');
});

test('a bot likes, types and deletes in its own dialog', async () => {
  const anna = await webhookFor(portal, 2);
  const mine = (await restForm(anna, 'im.message.add', { DIALOG_ID: echoId, MESSAGE: 'like me' })).body.result;
  assert.equal((await call('imbot.message.like', { BOT_ID: echoId, MESSAGE_ID: mine, ACTION: 'plus' })).body.result, true);
  let msg = (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: echoId })).body.result.messages.find((m: any) => m.id === mine);
  assert.deepEqual(msg.params.LIKE, [echoId]);
  assert.equal((await call('imbot.message.like', { BOT_ID: echoId, MESSAGE_ID: mine })).body.result, true);
  msg = (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: echoId })).body.result.messages.find((m: any) => m.id === mine);
  assert.equal(msg.params.LIKE, undefined, 'auto toggles the like off');
  assert.equal((await call('imbot.chat.sendTyping', { BOT_ID: echoId, DIALOG_ID: 2 })).body.result, true);

  const own = (await call('imbot.message.add', { BOT_ID: echoId, DIALOG_ID: 2, MESSAGE: 'to be erased', KEYBOARD: [{ TEXT: 'Yes', COMMAND: 'yes' }] })).body.result;
  assert.equal((await call('imbot.message.update', { BOT_ID: echoId, MESSAGE_ID: own, MESSAGE: 'edited', KEYBOARD: 'N' })).body.result, true);
  msg = (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: echoId })).body.result.messages.find((m: any) => m.id === own);
  assert.equal(msg.text, 'edited');
  assert.equal(msg.params.IS_EDITED, 'Y');
  assert.equal(msg.params.KEYBOARD, undefined);
  assert.equal((await call('imbot.message.delete', { BOT_ID: echoId, MESSAGE_ID: own, COMPLETE: 'Y' })).body.result, true);
  const ids = (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: echoId })).body.result.messages.map((m: any) => m.id);
  assert.ok(!ids.includes(own), 'COMPLETE=Y leaves no trace');
});
