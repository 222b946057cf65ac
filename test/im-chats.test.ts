/**
 * im.chat.* and im.revision.get over real HTTP, as users through their webhooks (PHP-style forms and
 * JSON) and as an app through its OAuth token: the documented success answers, the system lines a
 * messenger shows, who may join, add, remove, rename and hand over, HIDE_HISTORY and mute as stored,
 * and every documented error with its HTTP status. The body runs on SQLite and on PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, restJson, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

// A 1×1 PNG and a 1×1 GIF.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const GIF = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
// A PNG header claiming 6000×10 pixels: an image, but larger than allowed.
const HUGE_PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.from([0, 0, 0x17, 0x70, 0, 0, 0, 10, 8, 6, 0, 0, 0, 0, 0, 0, 0]),
]).toString('base64');

const ANNA = '[USER=2]Анна Петрова[/USER]';
const IVAN = '[USER=3]Иван Сидоров[/USER]';

/** Assert an error and its exact description. */
function expectDoc(res: { status: number; body: any }, status: number, code: string, description: string) {
  expectError(res, status, code);
  assert.equal(res.body.error_description, description);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`im.chat.* on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  /** Webhooks of admin (1), Anna (2), Ivan (3), Maria (4), John (5). */
  const hook: Record<number, string> = {};
  const as = (user: number, method: string, params: Record<string, unknown> = {}) => restForm(hook[user], method, params);
  const asJson = (user: number, method: string, params: Record<string, unknown> = {}) => restJson(hook[user], method, params);

  /** The chat's messages as `user` reads them, oldest first. */
  async function history(chatId: number, user = 2): Promise<any[]> {
    const res = expectOk(await as(user, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 50 }));
    return [...res.messages].reverse();
  }
  const lastLine = async (chatId: number, user = 2) => (await history(chatId, user)).at(-1);
  const dialog = (chatId: number, user = 2) => as(user, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` }).then(expectOk);
  const members = async (chatId: number, user = 2) => (expectOk(await as(user, 'im.chat.user.list', { CHAT_ID: chatId })) as number[]).sort((a, b) => a - b);
  /** A member's stored row (start_id, muted): state no REST answer of this family shows. */
  const memberRow = (chatId: number, userId: number) => portal.portal.db.selectFrom('chat_members').selectAll()
    .where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst();
  /** A new chat of Anna's with the given members (and options). */
  const chatOf = async (users: number[], extra: Record<string, unknown> = {}, owner = 2) =>
    expectOk(await as(owner, 'im.chat.add', { TITLE: 'Room', USERS: users, ...extra })) as number;

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    for (const id of [1, 2, 3, 4, 5]) hook[id] = await webhookFor(portal, id, 'im');
  });

  after(async () => {
    await portal?.close();
  });

  test('im.revision.get answers the revisions Parley speaks', async (t) => {
    if (skip) return t.skip(skip);
    const rev = expectOk(await as(3, 'im.revision.get'));
    assert.deepEqual(rev, { rest: 30, web: 117, mobile: 9, desktop: 5, im_revision_mobile: 9 });
  });

  test('im.chat.add takes every documented parameter (PHP form)', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await as(2, 'im.chat.add', {
      TYPE: 'CHAT', TITLE: 'Мой новый закрытый чат', DESCRIPTION: 'Очень важный чат', COLOR: 'PINK', MESSAGE: 'Добро пожаловать в чат',
      USERS: [3, 4], AVATAR: PNG, ENTITY_TYPE: 'CHAT', ENTITY_ID: 13, OWNER_ID: 3,
    }));
    assert.equal(typeof id, 'number');
    const d = await dialog(id);
    assert.equal(d.title, 'Мой новый закрытый чат');
    assert.equal(d.description, 'Очень важный чат');
    assert.equal(d.color, '#f76187');
    assert.equal(d.type, 'chat');
    assert.equal(d.owner, 3);
    assert.equal(d.entity_type, 'CHAT');
    assert.equal(d.entity_id, '13');
    assert.equal(d.avatar, `${portal.url}/chat-avatar/${id}`);
    const img = await fetch(d.avatar);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await img.arrayBuffer()), Buffer.from(PNG, 'base64'));
    assert.deepEqual(await members(id), [2, 3, 4]);
    const lines = await history(id);
    assert.equal(lines[0].text, `${ANNA} created chat "Мой новый закрытый чат"`);
    assert.equal(lines[0].system, true);
    assert.equal(lines[1].text, 'Добро пожаловать в чат');
    assert.equal(lines[1].author_id, 2);
  });

  test('im.chat.add: TYPE=OPEN, JSON USERS, a default title, a bad avatar dropped; USERS_EMPTY, WRONG_REQUEST', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await asJson(2, 'im.chat.add', { TYPE: 'open', USERS: [3], AVATAR: 'not an image' }));
    const d = await dialog(id);
    assert.equal(d.type, 'open');
    assert.equal(d.title, 'Chat with Анна Петрова, Иван Сидоров');
    assert.equal(d.avatar, '');
    assert.equal(d.owner, 2);
    expectDoc(await as(2, 'im.chat.add', { TITLE: 'Alone' }), 400, 'USERS_EMPTY', 'Chat participants were not passed');
    expectError(await as(2, 'im.chat.add', { USERS: [2] }), 400, 'USERS_EMPTY');
    expectError(await as(2, 'im.chat.add', { USERS: [3, 999] }), 400, 'WRONG_REQUEST');
    expectError(await as(2, 'im.chat.add', { USERS: [3], OWNER_ID: 999 }), 400, 'WRONG_REQUEST');
  });

  test('im.chat.get finds a chat by its entity; null when none; ACCESS_ERROR for a chat one cannot see', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3], { ENTITY_TYPE: 'CRM', ENTITY_ID: 'LEAD|13' });
    assert.deepEqual(expectOk(await as(3, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'LEAD|13' })), { ID: id });
    assert.equal(expectOk(await as(3, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'LEAD|14' })), null);
    assert.equal(expectOk(await as(3, 'im.chat.get', { ENTITY_TYPE: 'CRM' })), null);
    expectError(await as(5, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'LEAD|13' }), 403, 'ACCESS_ERROR');
    // An open chat is found by anyone.
    const open = await chatOf([3], { TYPE: 'OPEN', ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|1' });
    assert.deepEqual(expectOk(await as(5, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|1' })), { ID: open });
  });

  test('im.chat.user.list: members of one\'s chats and of open chats; CHAT_ID_EMPTY, ACCESS_ERROR', async (t) => {
    if (skip) return t.skip(skip);
    const closed = await chatOf([3]);
    const open = await chatOf([4], { TYPE: 'OPEN' });
    assert.deepEqual(await members(closed, 3), [2, 3]);
    assert.deepEqual(await members(open, 5), [2, 4]);
    expectDoc(await as(5, 'im.chat.user.list', { CHAT_ID: closed }), 403, 'ACCESS_ERROR', 'Action unavailable');
    expectError(await as(5, 'im.chat.user.list', { CHAT_ID: 999999 }), 403, 'ACCESS_ERROR');
    expectDoc(await as(2, 'im.chat.user.list'), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectError(await as(2, 'im.chat.user.list', { CHAT_ID: `chat${closed}` }), 400, 'CHAT_ID_EMPTY');
  });

  test('im.chat.user.add invites into a chat one is in, with the system line', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3]);
    // Any member may invite, not only the owner.
    assert.equal(expectOk(await as(3, 'im.chat.user.add', { CHAT_ID: id, USERS: [4, 5] })), true);
    assert.deepEqual(await members(id), [2, 3, 4, 5]);
    assert.equal((await lastLine(id)).text, `${IVAN} invited [USER=4]Maria Garcia[/USER], [USER=5]John Smith[/USER] to the chat`);
    // Whole history by default (the seed's HIDE_HISTORY=N).
    assert.equal((await memberRow(id, 4))!.start_id, 0);
    expectDoc(await as(2, 'im.chat.user.add', { CHAT_ID: id, USERS: [4] }), 400, 'WRONG_REQUEST',
      'You do not have permission to add a participant to the chat, or the participant is already in the chat');
    // Unknown ids are skipped; with nobody left to add, WRONG_REQUEST.
    expectError(await as(2, 'im.chat.user.add', { CHAT_ID: id, USERS: [999] }), 400, 'WRONG_REQUEST');
  });

  test('HIDE_HISTORY=Y: the new member starts at their join line', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3]);
    expectOk(await as(2, 'im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'before Maria' }));
    expectOk(await as(2, 'im.chat.user.add', { CHAT_ID: id, USERS: [4], HIDE_HISTORY: 'Y' }));
    const join = await lastLine(id);
    assert.equal(join.text, `${ANNA} invited [USER=4]Maria Garcia[/USER] to the chat`);
    assert.equal((await memberRow(id, 4))!.start_id, join.id);
    // Those already in keep the whole history.
    assert.equal((await memberRow(id, 3))!.start_id, 0);
    expectOk(await as(2, 'im.chat.user.add', { CHAT_ID: id, USERS: [5], HIDE_HISTORY: 'N' }));
    assert.equal((await memberRow(id, 5))!.start_id, 0);
  });

  test('open chats are joined by anyone; closed chats only by invitation', async (t) => {
    if (skip) return t.skip(skip);
    const open = await chatOf([3], { TYPE: 'OPEN' });
    const closed = await chatOf([3]);
    assert.equal(expectOk(await as(5, 'im.chat.user.add', { CHAT_ID: open, USERS: [5] })), true);
    assert.equal((await lastLine(open)).text, '[USER=5]John Smith[/USER] joined the chat');
    assert.deepEqual(await members(open), [2, 3, 5]);
    // A non-member of an open chat may join it, not bring others in.
    expectError(await as(4, 'im.chat.user.add', { CHAT_ID: open, USERS: [1] }), 400, 'WRONG_REQUEST');
    expectError(await as(4, 'im.chat.user.add', { CHAT_ID: open, USERS: [4, 1] }), 400, 'WRONG_REQUEST');
    // Nor join a closed chat, or add to it.
    expectDoc(await as(5, 'im.chat.user.add', { CHAT_ID: closed, USERS: [5] }), 403, 'ACCESS_ERROR', 'Action unavailable');
    expectError(await as(5, 'im.chat.user.add', { CHAT_ID: closed, USERS: [4] }), 403, 'ACCESS_ERROR');
    expectError(await as(5, 'im.chat.user.add', { CHAT_ID: 999999, USERS: [5] }), 403, 'ACCESS_ERROR');
    assert.deepEqual(await members(closed), [2, 3]);
  });

  test('im.chat.user.add: CHAT_ID_EMPTY, USERS_EMPTY, a private dialog refused', async (t) => {
    if (skip) return t.skip(skip);
    expectDoc(await as(2, 'im.chat.user.add', { USERS: [3] }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    const id = await chatOf([3]);
    expectError(await as(2, 'im.chat.user.add', { CHAT_ID: id }), 400, 'USERS_EMPTY');
    expectOk(await as(2, 'im.message.add', { DIALOG_ID: 3, MESSAGE: 'hi Ivan' }));
    const privateId = expectOk(await as(2, 'im.dialog.get', { DIALOG_ID: 3 })).id;
    expectDoc(await as(2, 'im.chat.user.add', { CHAT_ID: privateId, USERS: [4] }), 403, 'ACCESS_ERROR', 'It is forbidden to add users to this chat');
  });

  test('im.chat.user.delete: the owner removes members; others cannot; the owner cannot be removed', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3, 4, 5]);
    assert.equal(expectOk(await as(2, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 4 })), true);
    assert.equal((await lastLine(id)).text, `${ANNA} removed [USER=4]Maria Garcia[/USER] from the chat`);
    assert.deepEqual(await members(id), [2, 3, 5]);
    const refused = "You don't have access or user isn't a member of the chat";
    expectDoc(await as(3, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 5 }), 400, 'WRONG_REQUEST', refused);
    expectDoc(await as(3, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 2 }), 400, 'WRONG_REQUEST', refused);
    expectDoc(await as(2, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 4 }), 400, 'WRONG_REQUEST', refused);
    // A removed member no longer acts on the chat.
    expectDoc(await as(4, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 3 }), 403, 'ACCESS_ERROR', 'Action unavailable');
    // Removing oneself is leaving.
    assert.equal(expectOk(await as(5, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 5 })), true);
    assert.equal((await lastLine(id)).text, '[USER=5]John Smith[/USER] left the chat');
    assert.deepEqual(await members(id), [2, 3]);
  });

  test('im.chat.user.delete: CHAT_ID_EMPTY, USER_ID_EMPTY, a private dialog refused', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3]);
    expectDoc(await as(2, 'im.chat.user.delete', { USER_ID: 3 }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as(2, 'im.chat.user.delete', { CHAT_ID: id }), 400, 'USER_ID_EMPTY', "User ID can't be empty");
    const privateId = expectOk(await as(4, 'im.dialog.get', { DIALOG_ID: 5 })).id;
    expectDoc(await as(4, 'im.chat.user.delete', { CHAT_ID: privateId, USER_ID: 5 }), 403, 'ACCESS_ERROR', 'It is forbidden to delete users of this chat');
  });

  test('im.chat.leave; the owner leaving hands the chat over; WRONG_REQUEST, CHAT_ID_EMPTY', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3, 4]);
    assert.equal(expectOk(await as(4, 'im.chat.leave', { CHAT_ID: id })), true);
    assert.equal((await lastLine(id)).text, '[USER=4]Maria Garcia[/USER] left the chat');
    expectDoc(await as(4, 'im.chat.leave', { CHAT_ID: id }), 400, 'WRONG_REQUEST', 'You are not a member of this chat');
    expectError(await as(4, 'im.chat.leave', { CHAT_ID: 999999 }), 400, 'WRONG_REQUEST');
    expectDoc(await as(4, 'im.chat.leave'), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    // The owner leaves: the remaining member owns the chat.
    expectOk(await as(2, 'im.chat.leave', { CHAT_ID: id }));
    const lines = await history(id, 3);
    assert.deepEqual(lines.slice(-2).map((m) => m.text), [`${ANNA} left the chat`, `${IVAN} is now the chat owner`]);
    assert.equal((await dialog(id, 3)).owner, 3);
    assert.deepEqual(await members(id, 3), [3]);
    const privateId = expectOk(await as(2, 'im.dialog.get', { DIALOG_ID: 4 })).id;
    expectDoc(await as(2, 'im.chat.leave', { CHAT_ID: privateId }), 403, 'ACCESS_ERROR', 'It is forbidden to delete users of this chat');
  });

  test('im.chat.updateTitle / updateColor / updateAvatar by any member, with system lines', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3], { COLOR: 'RED' });
    assert.equal(expectOk(await as(3, 'im.chat.updateTitle', { CHAT_ID: id, TITLE: '  Новое имя для чата\n' })), true);
    assert.equal((await dialog(id)).title, 'Новое имя для чата');
    assert.equal((await lastLine(id)).text, `${IVAN} changed the chat title to "Новое имя для чата"`);
    assert.equal(expectOk(await as(3, 'im.chat.updateColor', { CHAT_ID: id, COLOR: 'mint' })), true);
    assert.equal((await dialog(id)).color, '#4ba984');
    assert.equal((await lastLine(id)).text, `${IVAN} changed the chat colour`);
    assert.equal(expectOk(await as(3, 'im.chat.updateAvatar', { CHAT_ID: id, AVATAR: GIF })), true);
    assert.equal((await lastLine(id)).text, `${IVAN} changed the chat avatar`);
    const img = await fetch((await dialog(id)).avatar);
    assert.equal(img.headers.get('content-type'), 'image/gif');
    // DIALOG_ID=chatXXX instead of CHAT_ID (English docs).
    assert.equal(expectOk(await as(2, 'im.chat.updateTitle', { DIALOG_ID: `chat${id}`, TITLE: 'By dialog' })), true);
    assert.equal((await dialog(id)).title, 'By dialog');
  });

  test('im.chat.updateTitle / updateColor / updateAvatar: every documented error', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3], { TITLE: 'Fixed', COLOR: 'RED' });
    const privateId = expectOk(await as(2, 'im.dialog.get', { DIALOG_ID: 5 })).id;
    const titleWrong = "This title currently set or chat doesn't exist";
    expectDoc(await as(2, 'im.chat.updateTitle', { TITLE: 'x' }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as(2, 'im.chat.updateTitle', { CHAT_ID: `chat${id}`, TITLE: 'x' }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectError(await as(2, 'im.chat.updateTitle', { DIALOG_ID: '5', TITLE: 'x' }), 400, 'DIALOG_ID_EMPTY');
    expectDoc(await as(2, 'im.chat.updateTitle', { CHAT_ID: id, TITLE: '  ' }), 400, 'TITLE_EMPTY', "Title can't be empty");
    expectDoc(await as(2, 'im.chat.updateTitle', { CHAT_ID: id, TITLE: 'Fixed' }), 400, 'WRONG_REQUEST', titleWrong);
    expectDoc(await as(2, 'im.chat.updateTitle', { CHAT_ID: 999999, TITLE: 'x' }), 400, 'WRONG_REQUEST', titleWrong);
    expectDoc(await as(5, 'im.chat.updateTitle', { CHAT_ID: id, TITLE: 'x' }), 403, 'ACCESS_ERROR', 'Action unavailable');
    expectDoc(await as(2, 'im.chat.updateTitle', { CHAT_ID: privateId, TITLE: 'x' }), 403, 'ACCESS_ERROR', 'This chat cannot be renamed');

    const colorWrong = "This color currently set or chat doesn't exist";
    expectDoc(await as(2, 'im.chat.updateColor', { COLOR: 'MINT' }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as(2, 'im.chat.updateColor', { CHAT_ID: id, COLOR: 'ORANGE' }), 400, 'WRONG_COLOR', 'This color currently unavailable');
    expectDoc(await as(2, 'im.chat.updateColor', { CHAT_ID: id, COLOR: 'RED' }), 400, 'WRONG_REQUEST', colorWrong);
    expectDoc(await as(2, 'im.chat.updateColor', { CHAT_ID: 999999, COLOR: 'RED' }), 400, 'WRONG_REQUEST', colorWrong);
    expectError(await as(5, 'im.chat.updateColor', { CHAT_ID: id, COLOR: 'MINT' }), 403, 'ACCESS_ERROR');

    expectDoc(await as(2, 'im.chat.updateAvatar', { AVATAR: PNG }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as(2, 'im.chat.updateAvatar', { CHAT_ID: id, AVATAR: Buffer.from('plain text').toString('base64') }), 400, 'AVATAR_ERROR', 'Avatar incorrect type');
    expectDoc(await as(2, 'im.chat.updateAvatar', { CHAT_ID: id }), 400, 'AVATAR_ERROR', 'Avatar incorrect type');
    expectDoc(await as(2, 'im.chat.updateAvatar', { CHAT_ID: id, AVATAR: HUGE_PNG }), 400, 'AVATAR_ERROR', 'Avatar incorrect size (max 5000x5000)');
    expectDoc(await as(2, 'im.chat.updateAvatar', { CHAT_ID: 999999, AVATAR: PNG }), 400, 'WRONG_REQUEST', "Chat doesn't exist");
    expectError(await as(5, 'im.chat.updateAvatar', { CHAT_ID: id, AVATAR: PNG }), 403, 'ACCESS_ERROR');
    expectDoc(await as(2, 'im.chat.updateAvatar', { CHAT_ID: privateId, AVATAR: PNG }), 403, 'ACCESS_ERROR', 'The avatar of this chat cannot be changed');
    // Nothing changed.
    const d = await dialog(id);
    assert.equal(d.title, 'Fixed');
    assert.equal(d.avatar, '');
  });

  test('im.chat.setOwner: only the owner, only to a member', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3, 4]);
    const wrong = 'Change owner can only owner and user must be member in chat';
    expectDoc(await as(3, 'im.chat.setOwner', { CHAT_ID: id, USER_ID: 3 }), 400, 'WRONG_REQUEST', wrong);
    expectDoc(await as(2, 'im.chat.setOwner', { CHAT_ID: id, USER_ID: 5 }), 400, 'WRONG_REQUEST', wrong);
    expectDoc(await as(2, 'im.chat.setOwner', { CHAT_ID: id, USER_ID: 999 }), 400, 'WRONG_REQUEST', wrong);
    assert.equal(expectOk(await as(2, 'im.chat.setOwner', { CHAT_ID: id, USER_ID: '3' })), true);
    assert.equal((await lastLine(id)).text, `${IVAN} is now the chat owner`);
    assert.equal((await dialog(id)).owner, 3);
    expectDoc(await as(2, 'im.chat.setOwner', { CHAT_ID: id, USER_ID: 4 }), 400, 'WRONG_REQUEST', wrong);
    // The new owner removes members; the old one no longer does.
    expectError(await as(2, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 4 }), 400, 'WRONG_REQUEST');
    expectOk(await as(3, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 4 }));

    expectDoc(await as(3, 'im.chat.setOwner', { USER_ID: 2 }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectDoc(await as(3, 'im.chat.setOwner', { CHAT_ID: id }), 400, 'USER_ID_EMPTY', "User ID can't be empty");
    expectError(await as(3, 'im.chat.setOwner', { DIALOG_ID: '2', USER_ID: 2 }), 400, 'DIALOG_ID_EMPTY');
    expectDoc(await as(5, 'im.chat.setOwner', { CHAT_ID: id, USER_ID: 5 }), 403, 'ACCESS_ERROR', 'Action unavailable');
    assert.equal(expectOk(await as(3, 'im.chat.setOwner', { DIALOG_ID: `chat${id}`, USER_ID: 2 })), true);
    assert.equal((await dialog(id)).owner, 2);
  });

  test('im.chat.mute sets and clears the member\'s mute; CHAT_ID_EMPTY, DIALOG_ID_EMPTY, ACCESS_ERROR', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3]);
    assert.equal(expectOk(await as(3, 'im.chat.mute', { CHAT_ID: id, MUTE: 'Y' })), true);
    assert.equal((await memberRow(id, 3))!.muted, 1);
    assert.equal((await memberRow(id, 2))!.muted, 0);
    assert.equal(expectOk(await asJson(3, 'im.chat.mute', { CHAT_ID: id, MUTE: 'N' })), true);
    assert.equal((await memberRow(id, 3))!.muted, 0);
    // MUTE defaults to Y; ACTION is read as well; DIALOG_ID names the chat or a private dialog.
    expectOk(await as(3, 'im.chat.mute', { DIALOG_ID: `chat${id}` }));
    assert.equal((await memberRow(id, 3))!.muted, 1);
    expectOk(await as(3, 'im.chat.mute', { CHAT_ID: id, ACTION: 'N' }));
    assert.equal((await memberRow(id, 3))!.muted, 0);
    expectOk(await as(3, 'im.chat.mute', { DIALOG_ID: '4', MUTE: 'Y' }));
    const privateId = expectOk(await as(3, 'im.dialog.get', { DIALOG_ID: 4 })).id;
    assert.equal((await memberRow(privateId, 3))!.muted, 1);
    assert.equal((await memberRow(privateId, 4))!.muted, 0);

    expectDoc(await as(3, 'im.chat.mute', { MUTE: 'Y' }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    expectError(await as(3, 'im.chat.mute', { CHAT_ID: 'abc' }), 400, 'CHAT_ID_EMPTY');
    expectError(await as(3, 'im.chat.mute', { DIALOG_ID: 'x1' }), 400, 'DIALOG_ID_EMPTY');
    expectDoc(await as(5, 'im.chat.mute', { CHAT_ID: id }), 403, 'ACCESS_ERROR', 'This chat cannot be muted');
    expectError(await as(5, 'im.chat.mute', { CHAT_ID: 999999 }), 403, 'ACCESS_ERROR');
  });

  test('a system line is news to the others, not to the one whose action it reports', async (t) => {
    if (skip) return t.skip(skip);
    const id = await chatOf([3, 4]);
    const counter = async (user: number) => (await dialog(id, user)).counter;
    assert.deepEqual([await counter(2), await counter(3), await counter(4)], [0, 1, 1]);
    expectOk(await as(3, 'im.chat.updateTitle', { CHAT_ID: id, TITLE: 'Renamed by Ivan' }));
    // Ivan's own action moves his read position past it, as his own message would.
    assert.deepEqual([await counter(2), await counter(3), await counter(4)], [1, 0, 2]);
  });
});
}

describe('im.chat.* called by an app: its installing user\'s rights, bots told they joined', () => {
  let portal: TestPortal;
  let bot: Child;
  let botId: number;
  let token: string;
  let anna: string;
  const asApp = (method: string, params: Record<string, unknown> = {}) => restForm(`${portal.url}/rest/`, method, { auth: token, ...params });

  before(async () => {
    portal = await testPortal();
    bot = await echoBot();
    const installed = await installEchoBot(portal, bot);
    [botId, token] = [installed.botId, installed.install.auth.access_token];
    anna = await webhookFor(portal, 2, 'im');
  });
  after(async () => {
    await bot?.stop();
    await portal?.close();
  });

  test('the app creates a chat as its user (the admin) with its bot in it; the bot gets ONIMBOTJOINCHAT', async () => {
    const id = expectOk(await asApp('im.chat.add', { TITLE: 'App room', USERS: [2, botId] }));
    const d = expectOk(await asApp('im.dialog.get', { DIALOG_ID: `chat${id}` }));
    assert.equal(d.owner, 1);
    const join = await waitFor('ONIMBOTJOINCHAT', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTJOINCHAT' && e.data.PARAMS.DIALOG_ID === `chat${id}`));
    assert.equal(join.data.PARAMS.CHAT_TYPE, 'C');
    assert.equal(join.data.PARAMS.USER_ID, '1');
  });

  test('a bot invited by a user with im.chat.user.add is told; the app cannot touch chats its user is not in', async () => {
    const id = expectOk(await restForm(anna, 'im.chat.add', { TITLE: 'Anna only', USERS: [3] }));
    expectDoc(await asApp('im.chat.user.list', { CHAT_ID: id }), 403, 'ACCESS_ERROR', 'Action unavailable');
    expectError(await asApp('im.chat.user.add', { CHAT_ID: id, USERS: [1] }), 403, 'ACCESS_ERROR');
    expectError(await asApp('im.chat.updateTitle', { CHAT_ID: id, TITLE: 'Taken' }), 403, 'ACCESS_ERROR');
    expectOk(await restForm(anna, 'im.chat.user.add', { CHAT_ID: id, USERS: [botId] }));
    const join = await waitFor('ONIMBOTJOINCHAT', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTJOINCHAT' && e.data.PARAMS.DIALOG_ID === `chat${id}`));
    assert.equal(join.data.PARAMS.USER_ID, '2');
  });
});
