/**
 * imbot.v2.Chat.Message.read / get / getContext over real HTTP with JSON bodies, through an incoming
 * webhook with a botToken and through an OAuth app, on SQLite and PostgreSQL: reading moves the bot's
 * read position and lists what it newly viewed; only `supervisor` and `personal` bots fetch messages
 * (BOT_TYPE_NOT_ALLOWED), and only messages of their chats (MESSAGE_ACCESS_DENIED, MESSAGE_NOT_FOUND).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { installedAppToken, ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`imbot.v2.Chat.Message.read / get / getContext on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let annaHook: string;
  let rest: string;
  let appX: string;
  let wBot: number;
  let sBot: number;
  let pBot: number;
  let chat: string;
  let chatId: number;
  const said: number[] = [];
  let privateMsg: number;

  const w = (method: string, params: Record<string, unknown>) => ok(hook, method, { botId: wBot, botToken: 'tok_w', ...params });
  const s = (method: string, params: Record<string, unknown>) => ok(rest, method, { botId: sBot, ...params }, appX);

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    rest = `${portal.url}/rest/`;
    hook = await webhookFor(portal, ADMIN, 'imbot,im');
    annaHook = await webhookFor(portal, ANNA, 'imbot,im');
    appX = await installedAppToken(portal, 'X');
    const reg = (base: string, fields: Record<string, unknown>, auth?: string) => ok(base, 'imbot.v2.Bot.register', { fields: { eventMode: 'fetch', ...fields } }, auth);
    wBot = (await reg(hook, { code: 'read_w', botToken: 'tok_w', properties: { name: 'W' } })).bot.id;
    sBot = (await reg(rest, { code: 'read_s', type: 'supervisor', properties: { name: 'S' } }, appX)).bot.id;
    pBot = (await reg(hook, { code: 'read_p', botToken: 'tok_p', type: 'personal', properties: { name: 'P' } })).bot.id;
    const made = await w('imbot.v2.Chat.add', { fields: { title: 'Reading', userIds: [ANNA, IVAN, sBot, pBot] } });
    chat = made.chat.dialogId;
    chatId = made.chat.id;
    for (const text of ['one', 'two', 'three']) said.push(await ok(annaHook, 'im.message.add', { DIALOG_ID: chat, MESSAGE: text }));
    privateMsg = await ok(annaHook, 'im.message.add', { DIALOG_ID: String(wBot), MESSAGE: 'just to W' });
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('Chat.Message.read through a webhook: up to a message, then all; viewedMessages are the newly read', async (t) => {
    if (skip) return t.skip(skip);
    const first = await w('imbot.v2.Chat.Message.read', { dialogId: chat, messageId: said[1] });
    assert.deepEqual(Object.keys(first), ['chatId', 'lastId', 'counter', 'viewedMessages']);
    assert.deepEqual([first.chatId, first.lastId, first.counter], [chatId, said[1], 1]);
    assert.deepEqual(first.viewedMessages.slice(-2), [said[0], said[1]]);
    const rest = await w('imbot.v2.Chat.Message.read', { dialogId: chat });
    assert.deepEqual([rest.lastId, rest.counter, rest.viewedMessages], [said[2], 0, [said[2]]]);
    // Anna sees that the bot read them (the Message object's viewedByOthers).
    const got = await s('imbot.v2.Chat.Message.get', { messageId: said[2] });
    assert.equal(got.message.viewedByOthers, true);
    // The private dialog, by the user's id.
    const p = await w('imbot.v2.Chat.Message.read', { dialogId: String(ANNA) });
    assert.deepEqual([p.lastId, p.viewedMessages], [privateMsg, [privateMsg]]);
  });

  test('Chat.Message.read: OAuth; MESSAGE_NOT_FOUND, ACCESS_DENIED and the bot check', async (t) => {
    if (skip) return t.skip(skip);
    const r = await s('imbot.v2.Chat.Message.read', { dialogId: chat, messageId: said[0] });
    assert.equal(r.lastId, said[0]);
    await refused(400, 'MESSAGE_NOT_FOUND', rest, 'imbot.v2.Chat.Message.read', { botId: sBot, dialogId: chat, messageId: privateMsg }, appX);
    await refused(400, 'MESSAGE_NOT_FOUND', rest, 'imbot.v2.Chat.Message.read', { botId: sBot, dialogId: chat, messageId: 999999 }, appX);
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.Message.read', { botId: sBot, dialogId: String(ANNA) }, appX);
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Chat.Message.read', { botId: wBot, dialogId: chat });
    await refused(403, 'BOT_OWNERSHIP_ERROR', hook, 'imbot.v2.Chat.Message.read', { botId: wBot, botToken: 'nope', dialogId: chat });
    await refused(400, 'BOT_ID_REQUIRED', hook, 'imbot.v2.Chat.Message.read', { botToken: 'tok_w', dialogId: chat });
  });

  test('Chat.Message.get: supervisor (OAuth) and personal (webhook) bots; a bot of type bot is refused', async (t) => {
    if (skip) return t.skip(skip);
    const g = await s('imbot.v2.Chat.Message.get', { messageId: said[1] });
    assert.deepEqual(Object.keys(g), ['message', 'user']);
    const { date, params, viewedByOthers, ...m } = g.message;
    assert.deepEqual(m, { id: said[1], chatId, authorId: ANNA, text: 'two', isSystem: false, uuid: '', forward: null });
    assert.match(date, /^\d{4}-\d\d-\d\dT/);
    assert.equal(typeof params, 'object');
    assert.equal(typeof viewedByOthers, 'boolean');
    assert.deepEqual([g.user.id, g.user.type, g.user.bot], [ANNA, 'employee', false]);
    const p = await ok(hook, 'imbot.v2.Chat.Message.get', { botId: pBot, botToken: 'tok_p', messageId: said[0] });
    assert.equal(p.message.text, 'one');
    await refused(403, 'BOT_TYPE_NOT_ALLOWED', hook, 'imbot.v2.Chat.Message.get', { botId: wBot, botToken: 'tok_w', messageId: said[0] });
    await refused(403, 'MESSAGE_ACCESS_DENIED', rest, 'imbot.v2.Chat.Message.get', { botId: sBot, messageId: privateMsg }, appX);
    await refused(400, 'MESSAGE_NOT_FOUND', rest, 'imbot.v2.Chat.Message.get', { botId: sBot, messageId: 999999 }, appX);
    await refused(400, 'MESSAGE_NOT_FOUND', rest, 'imbot.v2.Chat.Message.get', { botId: sBot }, appX);
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Chat.Message.get', { botId: pBot, messageId: said[0] });
  });

  test('Chat.Message.getContext: range on each side, oldest first, the authors, the page flags', async (t) => {
    if (skip) return t.skip(skip);
    const c = await s('imbot.v2.Chat.Message.getContext', { messageId: said[1], range: 1 });
    assert.deepEqual(c.messages.map((m: { id: number }) => m.id), [said[0], said[1], said[2]]);
    assert.deepEqual(c.users.map((u: { id: number }) => u.id), [ANNA]);
    // Before "one" lie the system lines of the chat's creation; nothing after "three".
    assert.deepEqual([c.hasPrevPage, c.hasNextPage], [true, false]);
    const all = await ok(hook, 'imbot.v2.Chat.Message.getContext', { botId: pBot, botToken: 'tok_p', messageId: said[2] });
    assert.equal(all.messages.at(-1).id, said[2]);
    assert.equal(all.hasPrevPage, false);
    assert.ok(all.messages.length >= 3);
    const first = await s('imbot.v2.Chat.Message.getContext', { messageId: all.messages[0].id, range: 50 });
    assert.deepEqual(first.messages.map((m: { id: number }) => m.id), all.messages.map((m: { id: number }) => m.id));
    await refused(403, 'BOT_TYPE_NOT_ALLOWED', hook, 'imbot.v2.Chat.Message.getContext', { botId: wBot, botToken: 'tok_w', messageId: said[0] });
    await refused(403, 'MESSAGE_ACCESS_DENIED', rest, 'imbot.v2.Chat.Message.getContext', { botId: sBot, messageId: privateMsg }, appX);
    await refused(400, 'MESSAGE_NOT_FOUND', rest, 'imbot.v2.Chat.Message.getContext', { botId: sBot, messageId: 999999 }, appX);
  });
});
}
