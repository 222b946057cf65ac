/**
 * im.dialog.* over real HTTP with users' webhooks: history paging (LIMIT, LAST_ID, FIRST_ID) and the
 * history a member added with HIDE_HISTORY may see, the complete im.dialog.get object, reading and
 * unreading (positions never move backwards by read), the member list with its paging, "writing",
 * and every documented error with its HTTP status.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
/** Webhooks of admin (1), Anna (2), Ivan (3), Maria (4), John (5). */
const hook: Record<number, string> = {};
/** Anna's group chat with Ivan and Maria; John is not in it. */
let chatId: number;
/** Message ids Anna and Ivan posted into it, oldest first. */
const posted: number[] = [];
/** John's private chat, nobody else's. */
let foreignChat: number;
/** An open chat of Maria's with Anna. */
let openChat: number;

const call = (as: number, method: string, params: Record<string, unknown> = {}) => restForm(hook[as], method, params);
const ok = async (as: number, method: string, params: Record<string, unknown> = {}) => expectOk(await call(as, method, params));
const send = async (as: number, dialog: string | number, text: string): Promise<number> => ok(as, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text });

before(async () => {
  portal = await testPortal();
  for (const id of [1, 2, 3, 4, 5]) hook[id] = await webhookFor(portal, id, 'im,imbot');
  chatId = await ok(2, 'im.chat.add', { TITLE: 'Dialogs', USERS: [3, 4] });
  for (let i = 0; i < 30; i++) posted.push(await send(i % 2 ? 3 : 2, `chat${chatId}`, `line ${i}`));
  foreignChat = await ok(5, 'im.chat.add', { TITLE: 'Private to John', USERS: [1] });
  openChat = await ok(4, 'im.chat.add', { TITLE: 'Open one', TYPE: 'OPEN', USERS: [2] });
  await send(4, `chat${openChat}`, 'open hello');
});
after(() => portal?.close());

describe('im.dialog.messages.get', () => {
  test('default LIMIT 20, newest first, with chat_id, messages, users and files', async () => {
    const r = await ok(4, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(r.chat_id, chatId);
    assert.equal(r.messages.length, 20);
    assert.deepEqual(r.messages.map((m: any) => m.id), [...posted].reverse().slice(0, 20));
    assert.deepEqual(r.users.map((u: any) => u.id).sort(), [2, 3]);
    assert.deepEqual(r.files, []);
    const m = r.messages[0];
    for (const key of ['id', 'chat_id', 'author_id', 'date', 'text', 'unread', 'uuid', 'replaces', 'params', 'disappearing_date']) assert.ok(key in m, `message has ${key}`);
    assert.match(m.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    // Maria read nothing: Ivan's and Anna's lines are unread for her.
    assert.equal(m.unread, true);
  });

  test('LIMIT is capped at 50; LAST_ID pages backwards, FIRST_ID forwards', async () => {
    const all = await ok(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 500 });
    // 30 lines and the "created chat" system line.
    assert.equal(all.messages.length, 31);
    const older = await ok(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LAST_ID: posted[10], LIMIT: 5 });
    assert.deepEqual(older.messages.map((m: any) => m.id), posted.slice(5, 10).reverse());
    const newer = await restJson(hook[2], 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: posted[10], LIMIT: 3 });
    assert.deepEqual(expectOk(newer).messages.map((m: any) => m.id), posted.slice(11, 14).reverse());
    const none = await ok(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: posted.at(-1) });
    assert.deepEqual([none.messages, none.users, none.files], [[], [], []]);
  });

  test('a member added with HIDE_HISTORY sees only what came after; an open chat is readable by anyone', async () => {
    const before = await send(2, `chat${chatId}`, 'before John');
    expectOk(await call(2, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [5], HIDE_HISTORY: 'Y' }));
    const after = await send(2, `chat${chatId}`, 'after John');
    const seen = (await ok(5, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 50 })).messages.map((m: any) => m.id);
    assert.ok(seen.includes(after));
    assert.ok(!seen.includes(before) && !seen.some((id: number) => posted.includes(id)), `John sees only new lines: ${seen}`);
    // Paging past the start finds nothing older either.
    assert.deepEqual((await ok(5, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LAST_ID: after })).messages.filter((m: any) => m.id < before), []);
    // Counters ignore the hidden part too: only what came after counts.
    const counter = (await ok(5, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` })).counter;
    assert.ok(counter >= 1 && counter <= 2, `John's counter ${counter}`);
    const open = await ok(3, 'im.dialog.messages.get', { DIALOG_ID: `chat${openChat}` });
    assert.ok(open.messages.some((m: any) => m.text === 'open hello'));
  });

  test('errors: DIALOG_ID_EMPTY, FIRST_ID_STRING, LAST_ID_STRING (400), ACCESS_ERROR (403)', async () => {
    expectError(await call(2, 'im.dialog.messages.get'), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.messages.get', { DIALOG_ID: 'nonsense' }), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: 'abc' }), 400, 'FIRST_ID_STRING');
    expectError(await call(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LAST_ID: 'x1' }), 400, 'LAST_ID_STRING');
    expectError(await call(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${foreignChat}` }), 403, 'ACCESS_ERROR');
  });
});

describe('im.dialog.get', () => {
  test('the complete chat object, with the caller\'s counter, role and readers', async () => {
    const d = await ok(2, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` });
    for (const key of ['id', 'name', 'title', 'owner', 'extranet', 'avatar', 'color', 'type', 'entity_type', 'entity_data_1', 'date_create', 'message_type',
      'parent_chat_id', 'counter', 'user_counter', 'message_count', 'unread_id', 'restrictions', 'last_message_id', 'last_id', 'mute_list', 'manager_list',
      'role', 'entity_link', 'permissions', 'readed_list', 'last_message_views', 'dialog_id']) assert.ok(key in d, `has ${key}`);
    assert.equal(d.id, chatId);
    assert.equal(d.title, 'Dialogs');
    assert.equal(d.type, 'chat');
    assert.equal(d.message_type, 'C');
    assert.equal(d.owner, 2);
    assert.equal(d.role, 'owner');
    assert.deepEqual(d.manager_list, [2]);
    assert.equal(d.user_counter, 4);
    assert.equal(d.dialog_id, `chat${chatId}`);
    assert.deepEqual(d.readed_list.map((r: any) => r.user_id).sort(), [3, 4, 5]);
    assert.equal(typeof d.restrictions.rename, 'boolean');
    const maria = await ok(4, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(maria.role, 'member');
    assert.equal(maria.last_id, 0);
    assert.ok(maria.counter >= 32, `Maria has read nothing: ${maria.counter}`);
    assert.ok(maria.unread_id > 0);
  });

  test('a private dialog by user id', async () => {
    await send(2, 3, 'hi Ivan');
    const d = await ok(3, 'im.dialog.get', { DIALOG_ID: 2 });
    assert.equal(d.type, 'private');
    assert.equal(d.message_type, 'P');
    assert.equal(d.dialog_id, '2');
    assert.equal(d.counter, 1);
  });

  test('errors: DIALOG_ID_EMPTY (400), ACCESS_ERROR (403)', async () => {
    expectError(await call(2, 'im.dialog.get'), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.get', { DIALOG_ID: `chat${foreignChat}` }), 403, 'ACCESS_ERROR');
    expectError(await call(2, 'im.dialog.get', { DIALOG_ID: 'chat99999' }), 403, 'ACCESS_ERROR');
  });
});

describe('im.dialog.read and im.dialog.unread', () => {
  test('read up to a message, then everything; never backwards', async () => {
    const dialog = `chat${chatId}`;
    // Maria has written nothing there: her position is only what she reads.
    const history = async () => (await ok(4, 'im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 50 })).messages as any[];
    const truth = async (lastId: number) => (await history()).filter((m) => m.id > lastId && m.author_id !== 4).length;
    const r = await ok(4, 'im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: posted[20] });
    assert.deepEqual(r, { dialogId: dialog, chatId, counter: await truth(posted[20]), lastId: posted[20] });
    assert.ok(r.counter > 0);
    assert.ok((await history()).filter((m) => m.id <= posted[20]).every((m) => !m.unread), 'what she read is no longer unread');
    const back = await ok(4, 'im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: posted[2] });
    assert.equal(back.lastId, posted[20], 'reading an older message does not move the position back');
    const everything = await ok(4, 'im.dialog.read', { DIALOG_ID: dialog });
    assert.equal(everything.lastId, (await history())[0].id);
    assert.equal(everything.counter, 0);
  });

  test('unread from a message on, with PHP bracket params from a form', async () => {
    const dialog = `chat${chatId}`;
    assert.equal(await ok(4, 'im.dialog.unread', { DIALOG_ID: dialog, MESSAGE_ID: posted[27] }), true);
    const d = await ok(4, 'im.dialog.get', { DIALOG_ID: dialog });
    assert.equal(d.unread_id, posted[27]);
    assert.equal(d.last_id, posted[26]);
    const history = (await ok(4, 'im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 50 })).messages as any[];
    assert.equal(d.counter, history.filter((m) => m.id >= posted[27] && m.author_id !== 4).length);
    assert.ok(d.counter >= 3);
  });

  test('an open chat\'s visitor has no position: false', async () => {
    assert.equal(await ok(3, 'im.dialog.read', { DIALOG_ID: `chat${openChat}` }), false);
  });

  test('errors: DIALOG_ID_EMPTY, MESSAGE_ID_ERROR (400), ACCESS_ERROR (403)', async () => {
    expectError(await call(2, 'im.dialog.read', { MESSAGE_ID: posted[0] }), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.read', { DIALOG_ID: `chat${chatId}`, MESSAGE_ID: 'x' }), 400, 'MESSAGE_ID_ERROR');
    // A message of another chat is no position in this one.
    const elsewhere = await send(4, `chat${openChat}`, 'elsewhere');
    expectError(await call(2, 'im.dialog.read', { DIALOG_ID: `chat${chatId}`, MESSAGE_ID: elsewhere }), 400, 'MESSAGE_ID_ERROR');
    expectError(await call(2, 'im.dialog.read', { DIALOG_ID: `chat${foreignChat}` }), 403, 'ACCESS_ERROR');
    expectError(await call(2, 'im.dialog.unread', { MESSAGE_ID: posted[0] }), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.unread', { DIALOG_ID: `chat${chatId}` }), 400, 'MESSAGE_ID_ERROR');
    expectError(await call(2, 'im.dialog.unread', { DIALOG_ID: `chat${chatId}`, MESSAGE_ID: 0 }), 400, 'MESSAGE_ID_ERROR');
    expectError(await call(2, 'im.dialog.unread', { DIALOG_ID: `chat${foreignChat}`, MESSAGE_ID: 1 }), 403, 'ACCESS_ERROR');
  });
});

describe('im.dialog.read.all', () => {
  test('reads every chat of the caller', async () => {
    await send(2, 4, 'for Maria');
    await send(3, `chat${chatId}`, 'for everyone');
    assert.ok((await ok(4, 'im.counters.get')).TYPE.ALL > 0);
    assert.equal(await ok(4, 'im.dialog.read.all'), true);
    const after = await ok(4, 'im.counters.get');
    assert.equal(after.TYPE.ALL, 0);
    assert.equal((await ok(4, 'im.dialog.get', { DIALOG_ID: 2 })).counter, 0);
  });
});

describe('im.dialog.users.list', () => {
  test('members with total and next; LIMIT, OFFSET, start and LAST_ID', async () => {
    const first = await call(2, 'im.dialog.users.list', { DIALOG_ID: `chat${chatId}`, LIMIT: 2 });
    assert.deepEqual(expectOk(first).map((u: any) => u.id), [2, 3]);
    assert.equal(first.body.total, 4);
    assert.equal(first.body.next, 2);
    const second = await call(2, 'im.dialog.users.list', { DIALOG_ID: `chat${chatId}`, LIMIT: 2, start: 2 });
    assert.deepEqual(expectOk(second).map((u: any) => u.id), [4, 5]);
    assert.equal(second.body.next, undefined);
    assert.deepEqual(expectOk(await call(2, 'im.dialog.users.list', { DIALOG_ID: `chat${chatId}`, OFFSET: 3 })).map((u: any) => u.id), [5]);
    assert.deepEqual(expectOk(await call(2, 'im.dialog.users.list', { DIALOG_ID: `chat${chatId}`, LAST_ID: 3 })).map((u: any) => u.id), [4, 5]);
    const all = await call(3, 'im.dialog.users.list', { DIALOG_ID: 2 });
    assert.deepEqual(expectOk(all).map((u: any) => u.id), [2, 3]);
    const anna = expectOk(all)[0];
    assert.equal(anna.name, `${anna.first_name} ${anna.last_name}`);
  });

  test('SKIP_EXTERNAL leaves bots out unless SKIP_EXTERNAL_EXCEPT_TYPES keeps them', async () => {
    const botId = await ok(2, 'imbot.register', { CODE: 'listbot', CLIENT_ID: 'dialogs-test', EVENT_HANDLER: 'http://127.0.0.1:9/none', PROPERTIES: { NAME: 'List Bot' } });
    const withBot = await ok(2, 'im.chat.add', { TITLE: 'With a bot', USERS: [3, botId] });
    const ids = async (params: Record<string, unknown>) => (await ok(2, 'im.dialog.users.list', { DIALOG_ID: `chat${withBot}`, ...params })).map((u: any) => u.id);
    assert.deepEqual(await ids({}), [2, 3, botId]);
    assert.deepEqual(await ids({ SKIP_EXTERNAL: 'Y' }), [2, 3]);
    assert.deepEqual(await ids({ SKIP_EXTERNAL: 'Y', SKIP_EXTERNAL_EXCEPT_TYPES: 'bot, email' }), [2, 3, botId]);
  });

  test('errors: DIALOG_ID_EMPTY (400), ACCESS_ERROR (403)', async () => {
    expectError(await call(2, 'im.dialog.users.list'), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.users.list', { DIALOG_ID: `chat${foreignChat}` }), 403, 'ACCESS_ERROR');
  });
});

describe('im.dialog.writing', () => {
  test('a member may say they are typing', async () => {
    assert.equal(await ok(2, 'im.dialog.writing', { DIALOG_ID: `chat${chatId}` }), true);
    assert.equal(await ok(2, 'im.dialog.writing', { DIALOG_ID: 3 }), true);
  });

  test('errors: DIALOG_ID_EMPTY, CHAT_ID_EMPTY (400), ACCESS_ERROR (403) also for an open chat one has not joined', async () => {
    expectError(await call(2, 'im.dialog.writing'), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.writing', { DIALOG_ID: 'abc' }), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.dialog.writing', { DIALOG_ID: 'chat' }), 400, 'CHAT_ID_EMPTY');
    expectError(await call(2, 'im.dialog.writing', { DIALOG_ID: 'chat0' }), 400, 'CHAT_ID_EMPTY');
    expectError(await call(2, 'im.dialog.writing', { DIALOG_ID: `chat${foreignChat}` }), 403, 'ACCESS_ERROR');
    expectError(await call(3, 'im.dialog.writing', { DIALOG_ID: `chat${openChat}` }), 403, 'ACCESS_ERROR');
  });

  test('im.chat.sendTyping: the chat form, for members; CHAT_ID_EMPTY (400), ACCESS_ERROR (403)', async () => {
    assert.equal(await ok(2, 'im.chat.sendTyping', { CHAT_ID: chatId }), true);
    expectError(await call(2, 'im.chat.sendTyping'), 400, 'CHAT_ID_EMPTY');
    expectError(await call(2, 'im.chat.sendTyping', { CHAT_ID: 'chat5' }), 400, 'CHAT_ID_EMPTY');
    expectError(await call(2, 'im.chat.sendTyping', { CHAT_ID: foreignChat }), 403, 'ACCESS_ERROR');
    expectError(await call(3, 'im.chat.sendTyping', { CHAT_ID: openChat }), 403, 'ACCESS_ERROR');
  });
});
