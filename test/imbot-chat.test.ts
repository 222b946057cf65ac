/**
 * imbot.chat.* and imbot.dialog.get over real HTTP, with two real echo-bot apps (their ONAPPINSTALL
 * tokens) and users' webhooks: the documented success shapes, the system lines a messenger shows,
 * chat avatars served as images, every documented error with its status, and that a bot manages only
 * the chats it is in and never a bot of another app.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, restJson, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

// A 1×1 PNG and a 1×1 GIF.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const GIF = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
// A PNG header claiming 6000×10 pixels: recognisably an image, but larger than allowed.
const HUGE_PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.from([0, 0, 0x17, 0x70, 0, 0, 0, 10, 8, 6, 0, 0, 0, 0, 0, 0, 0]),
]).toString('base64');

let portal: Awaited<ReturnType<typeof testPortal>>;
let bot1: Child;
let bot2: Child;
let rest: string;
let token1: string;
let botId1: number;
let token2: string;
let botId2: number;
/** Webhooks of Anna (2) and Ivan (3). */
let anna: string;
let ivan: string;
/** Bot 1's group chat with Anna and Ivan, made in the first test. */
let chatId: number;

const as1 = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { auth: token1, BOT_ID: botId1, ...params });
const as2 = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { auth: token2, BOT_ID: botId2, ...params });

/** The chat's messages as Anna sees them, oldest first. */
async function history(id: number, who = anna): Promise<any[]> {
  const res = expectOk(await restForm(who, 'im.dialog.messages.get', { DIALOG_ID: `chat${id}`, LIMIT: 50 }));
  return [...res.messages].reverse();
}

/** The newest message of a chat. */
const lastLine = async (id: number) => (await history(id)).at(-1);

/** User ids in ascending order: members are listed by join time, and one call adds several at once. */
const ids = (list: number[]) => [...list].sort((a, b) => a - b);

/** Assert an error and its exact documented description. */
function expectDoc(res: { status: number; body: any }, status: number, code: string, description: string) {
  expectError(res, status, code);
  assert.equal(res.body.error_description, description);
}

before(async () => {
  portal = await testPortal();
  rest = `${portal.url}/rest/`;
  [bot1, bot2] = await Promise.all([echoBot(), echoBot()]);
  const one = await installEchoBot(portal, bot1);
  const two = await installEchoBot(portal, bot2);
  [token1, botId1, token2, botId2] = [one.install.auth.access_token, one.botId, two.install.auth.access_token, two.botId];
  anna = await webhookFor(portal, 2);
  ivan = await webhookFor(portal, 3);
});

after(async () => {
  await bot1?.stop();
  await bot2?.stop();
  await portal?.close();
});

describe('success shapes and system lines', () => {
  test('imbot.chat.add makes the bot the owner of a chat with every documented field', async () => {
    chatId = expectOk(await as1('imbot.chat.add', {
      TYPE: 'CHAT', TITLE: 'Release room', DESCRIPTION: 'Important news', COLOR: 'PINK', MESSAGE: 'Welcome!',
      USERS: [2, 3], AVATAR: PNG, ENTITY_TYPE: 'RELEASE', ENTITY_ID: '13',
    }));
    assert.equal(typeof chatId, 'number');

    const dialog = expectOk(await as1('imbot.dialog.get', { DIALOG_ID: `chat${chatId}` }));
    assert.equal(dialog.id, chatId);
    assert.equal(dialog.title, 'Release room');
    assert.equal(dialog.description, 'Important news');
    assert.equal(dialog.owner, botId1);
    assert.equal(dialog.color, '#f76187');
    assert.equal(dialog.type, 'chat');
    assert.equal(dialog.message_type, 'C');
    assert.equal(dialog.entity_type, 'RELEASE');
    assert.equal(dialog.entity_id, '13');
    assert.equal(dialog.dialog_id, `chat${chatId}`);
    assert.match(dialog.date_create, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    // imbot.dialog.get answers what im.dialog.get answers.
    const seenByAnna = expectOk(await restForm(anna, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` }));
    assert.deepEqual(Object.keys(dialog).sort(), Object.keys(seenByAnna).sort());

    // The avatar is an absolute URL serving the picture.
    assert.equal(dialog.avatar, `${portal.url}/chat-avatar/${chatId}`);
    const img = await fetch(dialog.avatar);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await img.arrayBuffer()), Buffer.from(PNG, 'base64'));

    const lines = await history(chatId);
    const created = lines.find((m) => m.author_id === 0 && m.text.includes('created chat'));
    assert.equal(created.text, `[USER=${botId1}]Echo Bot[/USER] created chat "Release room"`);
    assert.equal(created.system, true);
    const welcome = lines.find((m) => m.text === 'Welcome!');
    assert.equal(welcome.author_id, botId1);

    assert.deepEqual(ids(expectOk(await as1('imbot.chat.user.list', { CHAT_ID: chatId }))), ids([botId1, 2, 3]));
  });

  test('TYPE=OPEN makes an open chat; a chat without an avatar has none', async () => {
    const id = expectOk(await as1('imbot.chat.add', { TYPE: 'OPEN', TITLE: 'Lobby', USERS: [2] }));
    const dialog = expectOk(await as1('imbot.dialog.get', { DIALOG_ID: `chat${id}` }));
    assert.equal(dialog.type, 'open');
    assert.equal(dialog.message_type, 'O');
    assert.equal(dialog.avatar, '');
    assert.equal((await fetch(`${portal.url}/chat-avatar/${id}`)).status, 404);
    // imbot.dialog.get of a private dialog names the other side.
    const priv = expectOk(await as1('imbot.dialog.get', { DIALOG_ID: 2 }));
    assert.equal(priv.type, 'private');
    assert.equal(priv.dialog_id, '2');
  });

  test('imbot.chat.get finds a chat by its entity, or answers null', async () => {
    assert.deepEqual(expectOk(await as1('imbot.chat.get', { ENTITY_TYPE: 'RELEASE', ENTITY_ID: 13 })), { ID: chatId });
    assert.equal(expectOk(await as1('imbot.chat.get', { ENTITY_TYPE: 'RELEASE', ENTITY_ID: 14 })), null);
    assert.equal(expectOk(await as1('imbot.chat.get', { ENTITY_TYPE: 'RELEASE' })), null);
    assert.equal(expectOk(await as1('imbot.chat.get', {})), null);
  });

  test('user.add invites users, and a bot added gets ONIMBOTJOINCHAT', async () => {
    assert.equal(expectOk(await as1('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [4, botId2] })), true);
    assert.deepEqual(ids(expectOk(await as1('imbot.chat.user.list', { CHAT_ID: chatId }))), ids([botId1, 2, 3, 4, botId2]));
    const invited = (await history(chatId)).find((m) => m.author_id === 0 && m.text.includes('invited'));
    assert.equal(invited.text, `[USER=${botId1}]Echo Bot[/USER] invited [USER=4]Maria Garcia[/USER], [USER=${botId2}]Echo Bot[/USER] to the chat`);
    const join = await waitFor('ONIMBOTJOINCHAT', async () => (await botEvents(bot2)).find((e) => e.event === 'ONIMBOTJOINCHAT' && e.data.PARAMS.DIALOG_ID === `chat${chatId}`));
    assert.equal(join.data.PARAMS.CHAT_TYPE, 'C');
    assert.equal(join.data.PARAMS.USER_ID, String(botId1));
    assert.ok(join.data.BOT[String(botId2)]);
  });

  test('updateTitle, updateColor and updateAvatar change the chat and say so', async () => {
    assert.equal(expectOk(await as1('imbot.chat.updateTitle', { CHAT_ID: chatId, TITLE: '  Release 2.0 \n' })), true);
    assert.equal((await lastLine(chatId)).text, `[USER=${botId1}]Echo Bot[/USER] changed the chat title to "Release 2.0"`);
    assert.equal((await lastLine(chatId)).system, true);

    assert.equal(expectOk(await as1('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'mint' })), true);
    assert.equal((await lastLine(chatId)).text, `[USER=${botId1}]Echo Bot[/USER] changed the chat colour`);

    assert.equal(expectOk(await as1('imbot.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: `data:image/gif;base64,${GIF}` })), true);
    assert.equal((await lastLine(chatId)).text, `[USER=${botId1}]Echo Bot[/USER] changed the chat avatar`);

    const dialog = expectOk(await restForm(anna, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` }));
    assert.equal(dialog.title, 'Release 2.0');
    assert.equal(dialog.color, '#4ba984');
    const img = await fetch(dialog.avatar);
    assert.equal(img.headers.get('content-type'), 'image/gif');
    assert.deepEqual(Buffer.from(await img.arrayBuffer()), Buffer.from(GIF, 'base64'));
  });

  test('setManager lets another member remove users; user.delete says who removed whom', async () => {
    // Bot 2 is a plain member: it may not remove Maria.
    expectDoc(await as2('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: 4 }), 400, 'WRONG_REQUEST', "You don't have access or user isn't a member of the chat");
    // Only the owner appoints managers.
    expectDoc(await as2('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: botId2 }), 400, 'WRONG_REQUEST', 'Change manager can only owner and user must be member in chat');
    assert.equal(expectOk(await as1('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: botId2 })), true);
    assert.equal(expectOk(await as2('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: 4 })), true);
    assert.equal((await lastLine(chatId)).text, `[USER=${botId2}]Echo Bot[/USER] removed [USER=4]Maria Garcia[/USER] from the chat`);
    assert.equal(expectOk(await as1('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: botId2, IS_MANAGER: 'N' })), true);
    expectError(await as2('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: 3 }), 400, 'WRONG_REQUEST');

    // The owner removes anyone but itself.
    assert.equal(expectOk(await as1('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: 3 })), true);
    assert.equal((await lastLine(chatId)).text, `[USER=${botId1}]Echo Bot[/USER] removed [USER=3]Иван Сидоров[/USER] from the chat`);
    assert.deepEqual(ids(expectOk(await as1('imbot.chat.user.list', { CHAT_ID: chatId }))), ids([botId1, 2, botId2]));
    // Ivan no longer sees the chat.
    expectError(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }), 403, 'ACCESS_ERROR');
  });

  test('setOwner hands the chat over; then the bot may leave', async () => {
    expectDoc(await as1('imbot.chat.leave', { CHAT_ID: chatId }), 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    assert.equal(expectOk(await as1('imbot.chat.setOwner', { CHAT_ID: chatId, USER_ID: 2 })), true);
    assert.equal((await lastLine(chatId)).text, '[USER=2]Анна Петрова[/USER] is now the chat owner');
    assert.equal(expectOk(await as1('imbot.dialog.get', { DIALOG_ID: `chat${chatId}` })).owner, 2);
    // No longer the owner: bot 1 cannot hand it over again.
    expectDoc(await as1('imbot.chat.setOwner', { CHAT_ID: chatId, USER_ID: botId2 }), 400, 'WRONG_REQUEST', 'Change owner can only owner and user must be member in chat');

    assert.equal(expectOk(await as1('imbot.chat.leave', { CHAT_ID: chatId })), true);
    assert.equal((await lastLine(chatId)).text, `[USER=${botId1}]Echo Bot[/USER] left the chat`);
    assert.deepEqual(ids(expectOk(await as2('imbot.chat.user.list', { CHAT_ID: chatId }))), ids([2, botId2]));
    // Out of the chat, bot 1 can neither read nor manage it.
    expectDoc(await as1('imbot.chat.user.list', { CHAT_ID: chatId }), 403, 'ACCESS_ERROR', 'Action unavailable');
    expectDoc(await as1('imbot.chat.leave', { CHAT_ID: chatId }), 400, 'WRONG_REQUEST', "You don't have access or user isn't a member in chat");
  });
});

describe('access: another app, another bot, a chat the bot is not in', () => {
  let closed: number;
  let open: number;
  before(async () => {
    closed = expectOk(await as1('imbot.chat.add', { TITLE: 'Closed', USERS: [2], ENTITY_TYPE: 'ACL', ENTITY_ID: 'closed' }));
    open = expectOk(await as1('imbot.chat.add', { TYPE: 'OPEN', TITLE: 'Open', USERS: [2], ENTITY_TYPE: 'ACL', ENTITY_ID: 'open' }));
  });

  test('a bot of another app is APP_ID_ERROR, whatever the method', async () => {
    const methods: [string, Record<string, unknown>][] = [
      ['imbot.chat.add', { USERS: [2] }], ['imbot.chat.get', { ENTITY_TYPE: 'ACL', ENTITY_ID: 'closed' }],
      ['imbot.dialog.get', { DIALOG_ID: `chat${closed}` }], ['imbot.chat.user.list', { CHAT_ID: closed }],
      ['imbot.chat.user.add', { CHAT_ID: closed, USERS: [3] }], ['imbot.chat.user.delete', { CHAT_ID: closed, USER_ID: 2 }],
      ['imbot.chat.leave', { CHAT_ID: closed }], ['imbot.chat.updateTitle', { CHAT_ID: closed, TITLE: 'x' }],
      ['imbot.chat.updateColor', { CHAT_ID: closed, COLOR: 'RED' }], ['imbot.chat.updateAvatar', { CHAT_ID: closed, AVATAR: PNG }],
      ['imbot.chat.setOwner', { CHAT_ID: closed, USER_ID: 2 }], ['imbot.chat.setManager', { CHAT_ID: closed, USER_ID: 2 }],
    ];
    for (const [method, params] of methods) {
      expectDoc(await as2(method, { ...params, BOT_ID: botId1 }), 400, 'APP_ID_ERROR', 'Bot was installed by another REST application');
      expectDoc(await as1(method, { ...params, BOT_ID: 999999 }), 400, 'BOT_ID_ERROR', 'Bot not found');
    }
  });

  test('its own bot, not in the chat, cannot read or manage it', async () => {
    for (const [method, params] of [
      ['imbot.chat.user.list', {}], ['imbot.chat.user.add', { USERS: [botId2] }], ['imbot.chat.user.delete', { USER_ID: 2 }],
      ['imbot.chat.updateTitle', { TITLE: 'mine now' }], ['imbot.chat.updateColor', { COLOR: 'RED' }],
      ['imbot.chat.updateAvatar', { AVATAR: PNG }], ['imbot.chat.setOwner', { USER_ID: botId2 }], ['imbot.chat.setManager', { USER_ID: botId2 }],
    ] as [string, Record<string, unknown>][]) {
      expectDoc(await as2(method, { CHAT_ID: closed, ...params }), 403, 'ACCESS_ERROR', 'Action unavailable');
      // Open chats are readable by everyone, never manageable by outsiders.
      expectError(await as2(method, { CHAT_ID: open, ...params }), 403, 'ACCESS_ERROR');
    }
    expectDoc(await as2('imbot.dialog.get', { DIALOG_ID: `chat${closed}` }), 403, 'ACCESS_ERROR', 'You do not have access to the specified dialog');
    assert.equal(expectOk(await as2('imbot.dialog.get', { DIALOG_ID: `chat${open}` })).type, 'open');
    expectDoc(await as2('imbot.chat.get', { ENTITY_TYPE: 'ACL', ENTITY_ID: 'closed' }), 403, 'ACCESS_ERROR', "You don't have access to this chat");
    assert.deepEqual(expectOk(await as2('imbot.chat.get', { ENTITY_TYPE: 'ACL', ENTITY_ID: 'open' })), { ID: open });
    // Nothing changed.
    assert.deepEqual(ids(expectOk(await as1('imbot.chat.user.list', { CHAT_ID: closed }))), ids([botId1, 2]));
    assert.equal(expectOk(await as1('imbot.dialog.get', { DIALOG_ID: `chat${closed}` })).title, 'Closed');
  });

  test('a webhook must name its bot family with CLIENT_ID', async () => {
    expectError(await restForm(anna, 'imbot.chat.add', { USERS: [3] }), 403, 'ACCESS_DENIED');
    expectError(await restForm(anna, 'imbot.chat.updateAvatar', { CHAT_ID: closed, AVATAR: PNG }), 403, 'ACCESS_DENIED');
    expectError(await restForm(anna, 'imbot.chat.user.list', { CHAT_ID: closed, CLIENT_ID: 'never-registered' }), 400, 'BOT_ID_ERROR');
  });
});

describe('documented errors', () => {
  let group: number;
  /** The id of the bot's private dialog with Anna. */
  let privateId: number;
  before(async () => {
    group = expectOk(await as1('imbot.chat.add', { TITLE: 'Errors', COLOR: 'RED', USERS: [2, 3] }));
    privateId = expectOk(await as1('imbot.dialog.get', { DIALOG_ID: 2 })).id;
  });

  test('imbot.chat.add', async () => {
    expectDoc(await restJson(rest, 'imbot.chat.add', { auth: token1, USERS: [[2]] }), 400, 'INVALID_FORMAT', 'Parameter USERS has wrong type');
    expectDoc(await as1('imbot.chat.add', { TITLE: 'Alone' }), 400, 'USERS_EMPTY', 'Chat participants were not passed');
    expectError(await as1('imbot.chat.add', { USERS: [botId1] }), 400, 'USERS_EMPTY');
    expectDoc(await as1('imbot.chat.add', { USERS: [2, 999999] }), 400, 'WRONG_REQUEST', "Chat can't be created");
    // An AVATAR that is not a picture is dropped on create, as Bitrix24 does.
    const id = expectOk(await as1('imbot.chat.add', { USERS: [2], AVATAR: Buffer.from('not a picture').toString('base64') }));
    assert.equal(expectOk(await as1('imbot.dialog.get', { DIALOG_ID: `chat${id}` })).avatar, '');
  });

  test('imbot.dialog.get', async () => {
    expectDoc(await as1('imbot.dialog.get', {}), 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty");
    expectError(await as1('imbot.dialog.get', { DIALOG_ID: 'nonsense' }), 400, 'DIALOG_ID_EMPTY');
    expectError(await as1('imbot.dialog.get', { DIALOG_ID: 'chat999999' }), 403, 'ACCESS_ERROR');
  });

  test('imbot.chat.user.list', async () => {
    expectDoc(await as1('imbot.chat.user.list', {}), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.user.list', { CHAT_ID: 999999 }), 403, 'ACCESS_ERROR', 'Action unavailable');
    // DIALOG_ID=chatXXX is accepted in place of CHAT_ID.
    assert.deepEqual(ids(expectOk(await as1('imbot.chat.user.list', { DIALOG_ID: `chat${group}` }))), ids([botId1, 2, 3]));
    assert.deepEqual(ids(expectOk(await as1('imbot.chat.user.list', { CHAT_ID: privateId }))), ids([2, botId1]));
  });

  test('imbot.chat.user.add', async () => {
    expectDoc(await as1('imbot.chat.user.add', { USERS: [4] }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.user.add', { CHAT_ID: privateId, USERS: [4] }), 403, 'ACCESS_ERROR', 'It is forbidden to add users to this chat');
    expectDoc(await restJson(rest, 'imbot.chat.user.add', { auth: token1, CHAT_ID: group, USERS: [{ id: 4 }] }), 400, 'WRONG_REQUEST', 'User IDs must be passed in array format');
    expectDoc(await as1('imbot.chat.user.add', { CHAT_ID: group, USERS: [2, 3] }), 400, 'WRONG_REQUEST', "You don't have access or user already member in chat");
    expectError(await as1('imbot.chat.user.add', { CHAT_ID: group }), 400, 'WRONG_REQUEST');
    expectError(await as1('imbot.chat.user.add', { CHAT_ID: group, USERS: [999999] }), 400, 'WRONG_REQUEST');
  });

  test('imbot.chat.user.delete', async () => {
    expectDoc(await as1('imbot.chat.user.delete', { USER_ID: 2 }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.user.delete', { CHAT_ID: group }), 400, 'USER_ID_EMPTY', "User ID can't be empty");
    expectDoc(await as1('imbot.chat.user.delete', { CHAT_ID: privateId, USER_ID: 2 }), 403, 'ACCESS_ERROR', 'It is forbidden to delete users of this chat');
    expectDoc(await as1('imbot.chat.user.delete', { CHAT_ID: group, USER_ID: botId1 }), 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    expectDoc(await as1('imbot.chat.user.delete', { CHAT_ID: group, USER_ID: 4 }), 400, 'WRONG_REQUEST', "You don't have access or user isn't a member of the chat");
  });

  test('imbot.chat.leave', async () => {
    expectDoc(await as1('imbot.chat.leave', {}), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.leave', { CHAT_ID: privateId }), 403, 'ACCESS_ERROR', 'It is forbidden to delete users of this chat');
    expectDoc(await as1('imbot.chat.leave', { CHAT_ID: group }), 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    expectDoc(await as1('imbot.chat.leave', { CHAT_ID: 999999 }), 400, 'WRONG_REQUEST', "You don't have access or user isn't a member in chat");
  });

  test('imbot.chat.updateTitle', async () => {
    expectDoc(await as1('imbot.chat.updateTitle', { TITLE: 'x' }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.updateTitle', { CHAT_ID: group, TITLE: ' \n ' }), 400, 'TITLE_EMPTY', "Title can't be empty");
    expectDoc(await as1('imbot.chat.updateTitle', { CHAT_ID: privateId, TITLE: 'x' }), 403, 'ACCESS_ERROR', 'This chat cannot be renamed');
    expectError(await as1('imbot.chat.updateTitle', { CHAT_ID: group, TITLE: 'Errors' }), 400, 'WRONG_REQUEST');
    expectError(await as1('imbot.chat.updateTitle', { CHAT_ID: 999999, TITLE: 'x' }), 400, 'WRONG_REQUEST');
  });

  test('imbot.chat.updateColor', async () => {
    expectDoc(await as1('imbot.chat.updateColor', { COLOR: 'RED' }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.updateColor', { CHAT_ID: group, COLOR: 'CHARTREUSE' }), 400, 'WRONG_COLOR', 'This color currently unavailable');
    expectError(await as1('imbot.chat.updateColor', { CHAT_ID: group }), 400, 'WRONG_COLOR');
    expectDoc(await as1('imbot.chat.updateColor', { CHAT_ID: group, COLOR: 'RED' }), 400, 'WRONG_REQUEST', "This color currently set or chat doesn't exist");
    expectDoc(await as1('imbot.chat.updateColor', { CHAT_ID: 999999, COLOR: 'RED' }), 400, 'WRONG_REQUEST', "This color currently set or chat doesn't exist");
    expectDoc(await as1('imbot.chat.updateColor', { CHAT_ID: privateId, COLOR: 'RED' }), 403, 'ACCESS_ERROR', 'Action unavailable');
  });

  test('imbot.chat.updateAvatar', async () => {
    expectDoc(await as1('imbot.chat.updateAvatar', { AVATAR: PNG }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.updateAvatar', { CHAT_ID: group, AVATAR: Buffer.from('plain text').toString('base64') }), 400, 'AVATAR_ERROR', 'Avatar incorrect type');
    expectError(await as1('imbot.chat.updateAvatar', { CHAT_ID: group, AVATAR: '%%% not base64 %%%' }), 400, 'AVATAR_ERROR');
    expectError(await as1('imbot.chat.updateAvatar', { CHAT_ID: group }), 400, 'AVATAR_ERROR');
    expectDoc(await as1('imbot.chat.updateAvatar', { CHAT_ID: group, AVATAR: HUGE_PNG }), 400, 'AVATAR_ERROR', 'Avatar incorrect size (max 5000x5000)');
    expectDoc(await as1('imbot.chat.updateAvatar', { CHAT_ID: privateId, AVATAR: PNG }), 403, 'ACCESS_ERROR', 'The avatar of this chat cannot be changed');
    expectDoc(await as1('imbot.chat.updateAvatar', { CHAT_ID: 999999, AVATAR: PNG }), 400, 'WRONG_REQUEST', "Chat doesn't exist");
    // Nothing was stored by the refused calls.
    assert.equal(expectOk(await as1('imbot.dialog.get', { DIALOG_ID: `chat${group}` })).avatar, '');
  });

  test('imbot.chat.setOwner and setManager', async () => {
    expectDoc(await as1('imbot.chat.setOwner', { USER_ID: 2 }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.setOwner', { CHAT_ID: group }), 400, 'USER_ID_EMPTY', "User ID can't be empty");
    expectDoc(await as1('imbot.chat.setOwner', { CHAT_ID: privateId, USER_ID: 2 }), 403, 'ACCESS_ERROR', 'Action unavailable');
    expectDoc(await as1('imbot.chat.setOwner', { CHAT_ID: group, USER_ID: 4 }), 400, 'WRONG_REQUEST', 'Change owner can only owner and user must be member in chat');
    expectDoc(await as1('imbot.chat.setManager', { USER_ID: 2 }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as1('imbot.chat.setManager', { CHAT_ID: group }), 400, 'USER_ID_EMPTY', "User ID can't be empty");
    expectDoc(await as1('imbot.chat.setManager', { CHAT_ID: group, USER_ID: 4 }), 400, 'WRONG_REQUEST', 'Change manager can only owner and user must be member in chat');
    assert.equal(expectOk(await as1('imbot.dialog.get', { DIALOG_ID: `chat${group}` })).owner, botId1);
  });
});
