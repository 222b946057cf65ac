/**
 * Every documented error of the imbot.* / im.* / event.* methods, over real HTTP from real callers:
 * two installed echo-bot apps (OAuth tokens from their ONAPPINSTALL) and users' incoming webhooks.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testPortal, echoBot, restForm, restJson, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
let bot1: Child;
let bot2: Child;
let rest: string;
/** App 1 and its bot, app 2 and its bot. */
let token1: string;
let botId1: number;
let token2: string;
let botId2: number;
/** Webhooks of Anna (2) and Ivan (3). */
let anna: string;
let ivan: string;
/** A group chat of Ivan and Maria that neither Anna nor the bots are in. */
let foreignChat: string;

const big = 'x'.repeat(31 * 1024);
const as1 = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { auth: token1, ...params });
const as2 = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { auth: token2, ...params });

before(async () => {
  portal = await testPortal();
  rest = `${portal.url}/rest/`;
  [bot1, bot2] = await Promise.all([echoBot(), echoBot()]);
  const one = await installEchoBot(portal, bot1);
  const two = await installEchoBot(portal, bot2);
  [token1, botId1, token2, botId2] = [one.install.auth.access_token, one.botId, two.install.auth.access_token, two.botId];
  anna = await webhookFor(portal, 2);
  ivan = await webhookFor(portal, 3);
  foreignChat = `chat${expectOk(await restForm(ivan, 'im.chat.add', { TITLE: 'Ivan and Maria', USERS: [4] }))}`;
});

after(async () => {
  await bot1?.stop();
  await bot2?.stop();
  await portal?.close();
});

describe('imbot.register', () => {
  const valid = () => ({ CODE: 'helper', EVENT_HANDLER: bot1.url, PROPERTIES: { NAME: 'Helper' } });

  test('CODE_ERROR without CODE', async () => {
    expectError(await as1('imbot.register', { ...valid(), CODE: undefined }), 400, 'CODE_ERROR');
    expectError(await as1('imbot.register', { ...valid(), CODE: '  ' }), 400, 'CODE_ERROR');
  });

  test('EVENT_*_ERROR for each missing required handler', async () => {
    const base = { CODE: 'helper', PROPERTIES: { NAME: 'Helper' } };
    expectError(await as1('imbot.register', base), 400, 'EVENT_MESSAGE_ADD_ERROR');
    expectError(await as1('imbot.register', { ...base, EVENT_MESSAGE_ADD: bot1.url }), 400, 'EVENT_WELCOME_MESSAGE_ERROR');
    expectError(await as1('imbot.register', { ...base, EVENT_MESSAGE_ADD: bot1.url, EVENT_WELCOME_MESSAGE: bot1.url }), 400, 'EVENT_BOT_DELETE_ERROR');
  });

  test('EVENT_*_ERROR for a handler that is not an http(s) URL', async () => {
    const base = { CODE: 'helper', PROPERTIES: { NAME: 'Helper' }, EVENT_MESSAGE_ADD: bot1.url, EVENT_WELCOME_MESSAGE: bot1.url };
    expectError(await as1('imbot.register', { ...base, EVENT_BOT_DELETE: 'not a url' }), 400, 'EVENT_BOT_DELETE_ERROR');
    expectError(await as1('imbot.register', { ...base, EVENT_BOT_DELETE: 'javascript:alert(1)' }), 400, 'EVENT_BOT_DELETE_ERROR');
    expectError(await as1('imbot.register', { ...valid(), EVENT_HANDLER: 'nope' }), 400, 'EVENT_MESSAGE_ADD_ERROR');
    expectError(await as1('imbot.register', { ...valid(), EVENT_MESSAGE_UPDATE: 'ftp://x/' }), 400, 'EVENT_MESSAGE_UPDATE_ERROR');
  });

  test('NAME_ERROR without NAME and LAST_NAME', async () => {
    expectError(await as1('imbot.register', { ...valid(), PROPERTIES: undefined }), 400, 'NAME_ERROR');
    expectError(await as1('imbot.register', { ...valid(), PROPERTIES: { NAME: ' ', LAST_NAME: '', COLOR: 'RED' } }), 400, 'NAME_ERROR');
  });

  test('MAX_COUNT_ERROR on the 6th bot of one app', async () => {
    // App 1 already has its echo bot: four more fill it up.
    for (let i = 2; i <= 5; i++) {
      assert.equal(typeof expectOk(await as1('imbot.register', { ...valid(), CODE: `extra${i}` })), 'number');
    }
    expectError(await as1('imbot.register', { ...valid(), CODE: 'extra6' }), 400, 'MAX_COUNT_ERROR');
    const list = expectOk(await as1('imbot.bot.list'));
    assert.ok(!Object.values(list).some((b: any) => b.CODE === 'extra6'));
  });

  test('a webhook caller needs CLIENT_ID (ACCESS_DENIED, 403); with it the bot is registered', async () => {
    expectError(await restForm(anna, 'imbot.register', valid()), 403, 'ACCESS_DENIED');
    const id = expectOk(await restForm(anna, 'imbot.register', { ...valid(), CLIENT_ID: 'anna-bots' }));
    assert.ok(Number.isInteger(id) && id > 0);
    const list = expectOk(await restForm(anna, 'imbot.bot.list', { CLIENT_ID: 'anna-bots' }));
    assert.equal(list[String(id)].CODE, 'helper');
  });
});

describe('imbot.unregister / imbot.update', () => {
  test('BOT_ID_ERROR for a missing or unknown BOT_ID', async () => {
    for (const method of ['imbot.unregister', 'imbot.update']) {
      expectError(await as1(method, { FIELDS: { CODE: 'x' } }), 400, 'BOT_ID_ERROR');
      expectError(await as1(method, { BOT_ID: 999999, FIELDS: { CODE: 'x' } }), 400, 'BOT_ID_ERROR');
    }
  });

  test('APP_ID_ERROR for a bot of another app, which stays untouched', async () => {
    expectError(await as2('imbot.unregister', { BOT_ID: botId1 }), 400, 'APP_ID_ERROR');
    expectError(await as2('imbot.update', { BOT_ID: botId1, FIELDS: { PROPERTIES: { NAME: 'Stolen' } } }), 400, 'APP_ID_ERROR');
    expectError(await as1('imbot.update', { BOT_ID: botId2, FIELDS: { PROPERTIES: { NAME: 'Stolen' } } }), 400, 'APP_ID_ERROR');
    const list = expectOk(await as1('imbot.bot.list'));
    assert.equal(list[String(botId1)].NAME, 'Echo Bot');
    assert.equal(list[String(botId2)].NAME, 'Echo Bot');
  });

  test('WRONG_REQUEST when FIELDS is empty', async () => {
    expectError(await as1('imbot.update', { BOT_ID: botId1 }), 400, 'WRONG_REQUEST');
    expectError(await restJson(rest, 'imbot.update', { auth: token1, BOT_ID: botId1, FIELDS: {} }), 400, 'WRONG_REQUEST');
  });

  test('NAME_ERROR when both NAME and LAST_NAME are emptied', async () => {
    expectError(await as1('imbot.update', { BOT_ID: botId1, FIELDS: { PROPERTIES: { NAME: '', LAST_NAME: '' } } }), 400, 'NAME_ERROR');
    expectError(await restJson(rest, 'imbot.update', { auth: token1, BOT_ID: botId1, FIELDS: { PROPERTIES: { NAME: ' ', LAST_NAME: '' } } }), 400, 'NAME_ERROR');
    assert.equal(expectOk(await restForm(anna, 'im.user.get', { ID: botId1 })).name, 'Echo Bot');
  });

  test('update rejects a handler that is not a URL', async () => {
    expectError(await as1('imbot.update', { BOT_ID: botId1, FIELDS: { EVENT_MESSAGE_ADD: 'not a url' } }), 400, 'EVENT_MESSAGE_ADD_ERROR');
  });
});

describe('imbot.message.add', () => {
  const msg = (params: Record<string, unknown>) => as1('imbot.message.add', { BOT_ID: botId1, DIALOG_ID: 2, MESSAGE: 'hi', ...params });

  test('DIALOG_ID_EMPTY and MESSAGE_EMPTY', async () => {
    expectError(await msg({ DIALOG_ID: undefined }), 400, 'DIALOG_ID_EMPTY');
    expectError(await msg({ MESSAGE: undefined }), 400, 'MESSAGE_EMPTY');
    expectError(await msg({ MESSAGE: ' \n ' }), 400, 'MESSAGE_EMPTY');
  });

  test('ATTACH / KEYBOARD / MENU: malformed and oversize', async () => {
    expectError(await msg({ ATTACH: 'not json' }), 400, 'ATTACH_ERROR');
    expectError(await msg({ KEYBOARD: 'not json' }), 400, 'KEYBOARD_ERROR');
    expectError(await msg({ MENU: 'not json' }), 400, 'MENU_ERROR');
    const json = (extra: Record<string, unknown>) => restJson(rest, 'imbot.message.add', { auth: token1, BOT_ID: botId1, DIALOG_ID: 2, MESSAGE: 'hi', ...extra });
    expectError(await json({ ATTACH: [{ MESSAGE: big }] }), 400, 'ATTACH_OVERSIZE');
    expectError(await json({ KEYBOARD: [{ TEXT: big, COMMAND: 'x' }] }), 400, 'KEYBOARD_OVERSIZE');
    expectError(await json({ MENU: [{ TEXT: big, COMMAND: 'x' }] }), 400, 'MENU_OVERSIZE');
  });

  test('an empty or null ATTACH / KEYBOARD / MENU is skipped, as Bitrix24 does (!empty)', async () => {
    assert.equal(typeof expectOk(await msg({ ATTACH: '', KEYBOARD: '', MENU: '' })), 'number');
    const id = expectOk(await restJson(rest, 'imbot.message.add', { auth: token1, BOT_ID: botId1, DIALOG_ID: 2, MESSAGE: 'plain', ATTACH: null, KEYBOARD: [], MENU: {} }));
    const history = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId1 }));
    assert.deepEqual(history.messages.find((m: any) => m.id === id).params, []);
  });

  test('BOT_ID_ERROR for an unknown bot, APP_ID_ERROR for a bot of another app', async () => {
    expectError(await msg({ BOT_ID: 999999 }), 400, 'BOT_ID_ERROR');
    expectError(await as2('imbot.message.add', { BOT_ID: botId1, DIALOG_ID: 2, MESSAGE: 'hi' }), 400, 'APP_ID_ERROR');
  });

  test('ACCESS_ERROR (403) in a chat the bot is not in', async () => {
    expectError(await msg({ DIALOG_ID: foreignChat }), 403, 'ACCESS_ERROR');
    const history = expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: foreignChat }));
    assert.ok(!history.messages.some((m: any) => m.author_id === botId1));
  });
});

describe('imbot.message.update / delete / like, imbot.chat.sendTyping', () => {
  test('MESSAGE_ID_ERROR without MESSAGE_ID', async () => {
    expectError(await as1('imbot.message.update', { BOT_ID: botId1, MESSAGE: 'x' }), 400, 'MESSAGE_ID_ERROR');
    expectError(await as1('imbot.message.delete', { BOT_ID: botId1 }), 400, 'MESSAGE_ID_ERROR');
    expectError(await as1('imbot.message.like', { BOT_ID: botId1 }), 400, 'MESSAGE_ID_ERROR');
  });

  test('CANT_EDIT_MESSAGE for a message of a user', async () => {
    const mine = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId1, MESSAGE: 'written by Anna' }));
    expectError(await as1('imbot.message.update', { BOT_ID: botId1, MESSAGE_ID: mine, MESSAGE: 'hijacked' }), 400, 'CANT_EDIT_MESSAGE');
    expectError(await as1('imbot.message.delete', { BOT_ID: botId1, MESSAGE_ID: mine }), 400, 'CANT_EDIT_MESSAGE');
    const history = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId1 }));
    assert.equal(history.messages.find((m: any) => m.id === mine).text, 'written by Anna');
  });

  test('WITHOUT_CHANGES when a like action changes nothing', async () => {
    const id = expectOk(await as1('imbot.message.add', { BOT_ID: botId1, DIALOG_ID: 2, MESSAGE: 'like me' }));
    assert.equal(expectOk(await as1('imbot.message.like', { BOT_ID: botId1, MESSAGE_ID: id, ACTION: 'plus' })), true);
    expectError(await as1('imbot.message.like', { BOT_ID: botId1, MESSAGE_ID: id, ACTION: 'plus' }), 400, 'WITHOUT_CHANGES');
    assert.equal(expectOk(await as1('imbot.message.like', { BOT_ID: botId1, MESSAGE_ID: id, ACTION: 'minus' })), true);
    expectError(await as1('imbot.message.like', { BOT_ID: botId1, MESSAGE_ID: id, ACTION: 'minus' }), 400, 'WITHOUT_CHANGES');
  });

  test('sendTyping: DIALOG_ID_EMPTY', async () => {
    expectError(await as1('imbot.chat.sendTyping', { BOT_ID: botId1 }), 400, 'DIALOG_ID_EMPTY');
    assert.equal(expectOk(await as1('imbot.chat.sendTyping', { BOT_ID: botId1, DIALOG_ID: 2 })), true);
  });
});

describe('im.* as a user', () => {
  test('im.message.add: USER_ID_EMPTY, MESSAGE_EMPTY, ACCESS_ERROR (403)', async () => {
    expectError(await restForm(anna, 'im.message.add', { MESSAGE: 'to nobody' }), 400, 'USER_ID_EMPTY');
    expectError(await restForm(anna, 'im.message.add', { DIALOG_ID: 3 }), 400, 'MESSAGE_EMPTY');
    expectError(await restForm(anna, 'im.message.add', { DIALOG_ID: foreignChat, MESSAGE: 'let me in' }), 403, 'ACCESS_ERROR');
  });

  test('im.chat.add: USERS_EMPTY; im.chat.user.add: CHAT_ID_EMPTY', async () => {
    expectError(await restForm(anna, 'im.chat.add', { TITLE: 'Alone' }), 400, 'USERS_EMPTY');
    expectError(await restForm(anna, 'im.chat.user.add', { USERS: [3] }), 400, 'CHAT_ID_EMPTY');
  });

  test('im.dialog.get and im.dialog.messages.get: DIALOG_ID_EMPTY, ACCESS_ERROR (403)', async () => {
    for (const method of ['im.dialog.get', 'im.dialog.messages.get']) {
      expectError(await restForm(anna, method), 400, 'DIALOG_ID_EMPTY');
      expectError(await restForm(anna, method, { DIALOG_ID: foreignChat }), 403, 'ACCESS_ERROR');
    }
  });

  test('im.user.get: ID_EMPTY, USER_NOT_EXISTS', async () => {
    expectError(await restForm(anna, 'im.user.get', { ID: 0 }), 400, 'ID_EMPTY');
    expectError(await restForm(anna, 'im.user.get', { ID: 999999 }), 400, 'USER_NOT_EXISTS');
  });
});

describe('app.info and event.*', () => {
  const handler = () => `${bot1.url}app-test`;

  test('app.info through a webhook answers SCOPE and LICENSE only', async () => {
    const info = expectOk(await restForm(anna, 'app.info'));
    assert.deepEqual(Object.keys(info).sort(), ['LICENSE', 'SCOPE']);
    assert.deepEqual([...info.SCOPE].sort(), ['im', 'imbot']);
    assert.equal(typeof info.LICENSE, 'string');
  });

  test('event.bind through a webhook is WRONG_AUTH_TYPE (403)', async () => {
    expectError(await restForm(anna, 'event.bind', { event: 'ONAPPTEST', handler: handler() }), 403, 'WRONG_AUTH_TYPE');
  });

  test('event.bind: ERROR_EVENT_NOT_FOUND, ERROR_HANDLER_ALREADY_EXIST; event.get and event.unbind', async () => {
    expectError(await as1('event.bind', { event: 'ONNOSUCHEVENT', handler: handler() }), 400, 'ERROR_EVENT_NOT_FOUND');
    assert.equal(expectOk(await as1('event.bind', { event: 'ONAPPTEST', handler: handler() })), true);
    expectError(await as1('event.bind', { event: 'onAppTest', handler: handler() }), 400, 'ERROR_HANDLER_ALREADY_EXIST');
    // A non-numeric auth_type reads as 0 (PHP intval), not as a server error.
    assert.equal(expectOk(await as1('event.bind', { event: 'ONAPPTEST', handler: `${handler()}/2`, auth_type: 'abc' })), true);

    const bound = expectOk(await as1('event.get'));
    assert.deepEqual(bound.filter((h: any) => h.event === 'ONAPPTEST'), [
      { event: 'ONAPPTEST', handler: handler(), auth_type: '0', offline: 0 },
      { event: 'ONAPPTEST', handler: `${handler()}/2`, auth_type: '0', offline: 0 },
    ]);
    // Handlers are per app: app 2 does not see app 1's.
    assert.ok(!expectOk(await as2('event.get')).some((h: any) => h.handler === handler()));

    assert.deepEqual(expectOk(await as1('event.unbind', { event: 'ONAPPTEST', handler: handler() })), { count: 1 });
    assert.deepEqual(expectOk(await as1('event.unbind', { event: 'ONAPPTEST', handler: handler() })), { count: 0 });
    assert.deepEqual(expectOk(await as1('event.unbind', { event: 'ONAPPTEST', handler: `${handler()}/2` })), { count: 1 });
    assert.ok(!expectOk(await as1('event.get')).some((h: any) => h.event === 'ONAPPTEST'));
  });
});
