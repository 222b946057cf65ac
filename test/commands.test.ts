/**
 * Bot commands end to end with a real bot process: a typed `/echo` fires ONIMCOMMANDADD (not
 * ONIMBOTMESSAGEADD) and is answered with imbot.command.answer; a keyboard press with
 * im.message.command fires it with KEYBOARD context, posts nothing, and BLOCK=Y blocks the keyboard
 * until the bot replaces it; the dialog lists its visible commands with localized titles.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
let bot: Child;
let botId: number;
let anna: string;
let rest: string;
let token: string;

before(async () => {
  portal = await testPortal();
  bot = await echoBot();
  const installed = await installEchoBot(portal, bot);
  botId = installed.botId;
  token = installed.install.auth.access_token;
  rest = `${portal.url}/rest/`;
  anna = await webhookFor(portal, 2);
  for (const c of installed.install.commands) assert.equal(typeof c.result, 'number', JSON.stringify(c));
});

after(async () => {
  await bot?.stop();
  await portal?.close();
});

const messages = async (dialog: string | number) => (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: dialog })).body.result.messages;

test('a typed /echo reaches the bot as ONIMCOMMANDADD and is answered with the command answer', async () => {
  const sent = (await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: '/echo hello there' })).body.result;
  const ev = await waitFor('ONIMCOMMANDADD', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD' && e.data.PARAMS.MESSAGE_ID === String(sent)));
  const [entry] = Object.values(ev.data.COMMAND) as any[];
  assert.equal(entry.COMMAND, 'echo');
  assert.equal(entry.COMMAND_PARAMS, 'hello there');
  assert.equal(entry.COMMAND_CONTEXT, 'TEXTAREA');
  assert.equal(entry.MESSAGE_ID, String(sent));
  assert.equal(entry.BOT_ID, String(botId));
  assert.equal(entry.BOT_CODE, 'echobot');
  assert.equal(entry.user_id, String(botId), 'the entry carries the bot\'s own token');
  assert.equal(entry.AUTH.access_token, entry.access_token);
  assert.equal(Object.keys(ev.data.COMMAND)[0], entry.COMMAND_ID);
  assert.equal(ev.data.PARAMS.MESSAGE, '/echo hello there');
  assert.equal(ev.data.PARAMS.DIALOG_ID, '2');
  assert.deepEqual(Object.keys(ev.data.USER).sort(), ['FIRST_NAME', 'GENDER', 'ID', 'LAST_NAME', 'NAME', 'WORK_POSITION']);
  assert.equal(ev.auth.user_id, '2');
  // The command is posted to the chat like any message, and the bot is not told twice.
  const all = await botEvents(bot);
  assert.ok(!all.some((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE_ID === String(sent)));
  const answer = await waitFor('the answer', async () => (await messages(botId)).find((m: any) => m.text === 'echo command: hello there'));
  assert.equal(answer.author_id, botId);
  assert.ok(answer.params.KEYBOARD, 'the answer carries its keyboard');
  assert.ok((await messages(botId)).some((m: any) => m.id === sent && m.text === '/echo hello there'));
});

test('a keyboard press fires ONIMCOMMANDADD with KEYBOARD context, posts nothing, and BLOCK=Y blocks until the bot answers', async () => {
  const answer = await waitFor('keyboard message', async () => (await messages(botId)).find((m: any) => m.text === 'echo command: hello there'));
  const before = (await messages(botId)).length;
  const pressed = await restForm(anna, 'im.message.command', { MESSAGE_ID: answer.id, BOT_ID: botId, COMMAND: 'page', COMMAND_PARAMS: '2' });
  assert.equal(pressed.body.result, true, JSON.stringify(pressed.body));
  // Blocked right away: a second press before the bot answers is refused.
  const again = await restForm(anna, 'im.message.command', { MESSAGE_ID: answer.id, BOT_ID: botId, COMMAND: 'page', COMMAND_PARAMS: '2' });
  if (again.body.error) assert.equal(again.body.error, 'PARAMS_ERROR');

  const ev = await waitFor('KEYBOARD command', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD' && (Object.values(e.data.COMMAND) as any[])[0].COMMAND_CONTEXT === 'KEYBOARD'));
  const entry = (Object.values(ev.data.COMMAND) as any[])[0];
  assert.equal(entry.COMMAND, 'page');
  assert.equal(entry.COMMAND_PARAMS, '2');
  assert.equal(entry.MESSAGE_ID, String(answer.id));
  // The bot replaced the keyboard: the message is edited, unblocked, and nothing new was posted.
  const edited = await waitFor('edited page', async () => (await messages(botId)).find((m: any) => m.id === answer.id && m.text === 'page 2'));
  assert.equal(edited.params.KEYBOARD_BLOCKED, undefined);
  assert.equal((await messages(botId)).length, before);
  const next = await restForm(anna, 'im.message.command', { MESSAGE_ID: answer.id, BOT_ID: botId, COMMAND: 'page', COMMAND_PARAMS: '3' });
  assert.equal(next.body.result, true);
});

test('im.message.command refuses buttons the message does not have', async () => {
  const answer = (await messages(botId)).find((m: any) => m.author_id === botId && m.params.KEYBOARD);
  const cases: [Record<string, unknown>, string][] = [
    [{ BOT_ID: botId, COMMAND: 'page', COMMAND_PARAMS: '2' }, 'MESSAGE_ID_ERROR'],
    [{ MESSAGE_ID: answer.id, COMMAND: 'page', COMMAND_PARAMS: '2' }, 'BOT_ID_ERROR'],
    [{ MESSAGE_ID: answer.id, BOT_ID: botId, COMMAND_PARAMS: '2' }, 'COMMAND_ERROR'],
    [{ MESSAGE_ID: answer.id, BOT_ID: botId, COMMAND: 'page', COMMAND_PARAMS: '99' }, 'PARAMS_ERROR'],
    [{ MESSAGE_ID: answer.id, BOT_ID: botId, COMMAND: 'rm', COMMAND_PARAMS: '-rf' }, 'PARAMS_ERROR'],
  ];
  for (const [params, code] of cases) {
    const r = await restForm(anna, 'im.message.command', params);
    assert.equal(r.status, 400);
    assert.equal(r.body.error, code, JSON.stringify(params));
  }
  // A user outside the dialog cannot press its buttons: the message is answered like a missing one.
  const ivan = await webhookFor(portal, 3);
  const denied = await restForm(ivan, 'im.message.command', { MESSAGE_ID: answer.id, BOT_ID: botId, COMMAND: 'page', COMMAND_PARAMS: '3' });
  expectError(denied, 400, 'MESSAGE_ID_ERROR');
});

test('the dialog lists visible commands with localized titles; hidden and foreign local commands are not offered', async () => {
  const en = (await restForm(anna, 'im.command.list', { DIALOG_ID: botId })).body.result;
  assert.deepEqual(en.map((c: any) => [c.command, c.title, c.params]), [['/echo', 'Get echo message', 'some text']]);
  const by = (await restForm(anna, 'im.command.list', { DIALOG_ID: botId, LANGUAGE_ID: 'by' })).body.result;
  assert.equal(by[0].title, 'Эхо', 'BY falls back to RU');
  const de = (await restForm(anna, 'im.command.list', { DIALOG_ID: botId, LANGUAGE_ID: 'de' })).body.result;
  assert.equal(de[0].title, 'Get echo message', 'others fall back to EN');
  // A chat without the bot does not offer its local command.
  const chat = (await restForm(anna, 'im.chat.add', { USERS: [3] })).body.result;
  assert.deepEqual((await restForm(anna, 'im.command.list', { DIALOG_ID: `chat${chat}` })).body.result, []);
});

test('imbot.command.* errors and a COMMON command reaching a chat its bot is not in', async () => {
  const call = (method: string, params: Record<string, unknown>) => restForm(rest, method, { ...params, auth: token });
  assert.equal((await call('imbot.command.register', { BOT_ID: botId, EVENT_COMMAND_ADD: bot.url, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'x' }] })).body.error, 'COMMAND_ERROR');
  assert.equal((await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'x', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'x' }] })).body.error, 'EVENT_COMMAND_ADD_ERROR');
  assert.equal((await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'x', EVENT_COMMAND_ADD: 'nope' })).body.error, 'EVENT_COMMAND_ADD_ERROR');
  assert.equal((await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'x', EVENT_COMMAND_ADD: bot.url })).body.error, 'LANG_ERROR');
  assert.equal((await call('imbot.command.unregister', { COMMAND_ID: 999999 })).body.error, 'COMMAND_ID_ERROR');
  assert.equal((await call('imbot.command.update', { COMMAND_ID: 999999, FIELDS: { HIDDEN: 'Y' } })).body.error, 'COMMAND_ID_ERROR');
  assert.equal((await call('imbot.command.answer', { COMMAND_ID: 999999, MESSAGE_ID: 1, MESSAGE: 'x' })).body.error, 'COMMAND_ID_ERROR');

  const id = (await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'status', COMMON: 'Y', EVENT_COMMAND_ADD: bot.url, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Status' }] })).body.result;
  assert.equal((await call('imbot.command.answer', { COMMAND_ID: id, MESSAGE: 'x' })).body.error, 'MESSAGE_ID_EMPTY');
  assert.equal((await call('imbot.command.update', { COMMAND_ID: id, FIELDS: {} })).body.error, 'WRONG_REQUEST');
  assert.equal((await call('imbot.command.update', { COMMAND_ID: id, FIELDS: { LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Status now' }] } })).body.result, true);

  const chat = (await restForm(anna, 'im.chat.add', { TITLE: 'No bots here', USERS: [3] })).body.result;
  const sent = (await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: '/status' })).body.result;
  const ev = await waitFor('COMMON command', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD' && e.data.PARAMS.MESSAGE_ID === String(sent)));
  assert.equal(ev.data.PARAMS.DIALOG_ID, `chat${chat}`);
  assert.equal((Object.values(ev.data.COMMAND) as any[])[0].COMMAND_ID, String(id));
  const answered = await call('imbot.command.answer', { COMMAND_ID: id, MESSAGE_ID: sent, MESSAGE: 'all good' });
  assert.equal(typeof answered.body.result, 'number');
  // The answer is read as imbot.message.add reads a message, its parts checked first.
  expectError(await call('imbot.command.answer', { COMMAND_ID: id, MESSAGE_ID: sent }), 400, 'MESSAGE_EMPTY');
  expectError(await call('imbot.command.answer', { COMMAND_ID: id, MESSAGE_ID: sent, MESSAGE: 'x', KEYBOARD: 'not json' }), 400, 'KEYBOARD_ERROR');
  const list = (await restForm(anna, 'im.command.list', { DIALOG_ID: `chat${chat}` })).body.result;
  assert.deepEqual(list.map((c: any) => c.title), ['Status now']);

  // The probe's attack (issue 8, finding 5): the app answers its COMMON command with the id of a
  // message in anna and ivan's private dialog, where nobody called it. Refused; nothing shows there.
  const ivan = await webhookFor(portal, 3);
  const secret = (await restForm(anna, 'im.message.add', { DIALOG_ID: 3, MESSAGE: 'just between us' })).body.result;
  expectError(await call('imbot.command.answer', { COMMAND_ID: id, MESSAGE_ID: secret, MESSAGE: 'injected' }), 400, 'MESSAGE_ID_EMPTY');
  expectError(await call('imbot.command.answer', { COMMAND: 'status', MESSAGE_ID: secret, MESSAGE: 'injected' }), 400, 'MESSAGE_ID_EMPTY');
  // Nor with the message of a call of another command (the /echo typed to the bot in the first test).
  const echoCall = (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD' && (Object.values(e.data.COMMAND) as any[])[0].COMMAND === 'echo');
  expectError(await call('imbot.command.answer', { COMMAND_ID: id, MESSAGE_ID: echoCall.data.PARAMS.MESSAGE_ID, MESSAGE: 'wrong call' }), 400, 'MESSAGE_ID_EMPTY');
  const seen = (await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: 2 })).body.result.messages.map((m: any) => m.text);
  assert.deepEqual(seen, ['just between us']);
  // The same command called in another chat is answered there, each answer in its own dialog.
  const again = (await restForm(anna, 'im.message.add', { DIALOG_ID: 3, MESSAGE: '/status now' })).body.result;
  await waitFor('COMMON command in the private dialog', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD' && e.data.PARAMS.MESSAGE_ID === String(again)));
  expectOk(await call('imbot.command.answer', { COMMAND_ID: id, MESSAGE_ID: again, MESSAGE: 'answered where called' }));
  const after = (await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: 2 })).body.result.messages.map((m: any) => m.text);
  assert.deepEqual(after.sort(), ['/status now', 'answered where called', 'just between us'].sort());

  assert.equal((await call('imbot.command.unregister', { COMMAND_ID: id })).body.result, true);
  assert.deepEqual((await restForm(anna, 'im.command.list', { DIALOG_ID: `chat${chat}` })).body.result, []);
});
