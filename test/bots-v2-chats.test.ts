/**
 * imbot.v2.Chat.add / get / update / leave / setOwner, Chat.User.add / delete / list and
 * Chat.Manager.add / delete over real HTTP with JSON bodies, through an incoming webhook with a
 * botToken and through an OAuth app's token, on SQLite and PostgreSQL: the documented answers (the
 * full Chat object, User objects, `{result: true}`) and errors with their HTTP statuses.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { installedAppToken, ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`imbot.v2.Chat.* on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let annaHook: string;
  let rest: string;
  let appX: string;
  let appY: string;
  let wBot: number;
  let xBot: number;
  let chat: string;
  const TOKEN = 'tok_chats';

  /** The webhook bot's call. */
  const w = (method: string, params: Record<string, unknown>) => ok(hook, method, { botId: wBot, botToken: TOKEN, ...params });
  /** The app bot's call (OAuth, no botToken). */
  const x = (method: string, params: Record<string, unknown>) => ok(rest, method, { botId: xBot, ...params }, appX);

  before(async () => {
    const s = await portalSuite(dialect);
    if ('skip' in s) return void (skip = s.skip);
    portal = s;
    rest = `${portal.url}/rest/`;
    hook = await webhookFor(portal, ADMIN, 'imbot,im');
    annaHook = await webhookFor(portal, ANNA, 'imbot,im');
    const token = (name: string) => installedAppToken(portal, name);
    appX = await token('X');
    appY = await token('Y');
    wBot = (await ok(hook, 'imbot.v2.Bot.register', { botToken: TOKEN, fields: { code: 'chats_w', properties: { name: 'Chats W' }, eventMode: 'fetch' } })).bot.id;
    xBot = (await ok(rest, 'imbot.v2.Bot.register', { fields: { code: 'chats_x', properties: { name: 'Chats X' }, eventMode: 'fetch' } }, appX)).bot.id;
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('Chat.add through a webhook: the full Chat object and the other participants', async (t) => {
    if (skip) return t.skip(skip);
    const r = await w('imbot.v2.Chat.add', {
      fields: { title: 'Support Chat', description: 'For questions', color: 'lightBlue', userIds: [ANNA, IVAN], message: 'Welcome' },
    });
    assert.deepEqual(Object.keys(r), ['chat', 'users']);
    const c = r.chat;
    chat = c.dialogId;
    assert.equal(chat, `chat${c.id}`);
    assert.deepEqual(
      { name: c.name, description: c.description, type: c.type, messageType: c.messageType, owner: c.owner, color: c.color, role: c.role, isNew: c.isNew,
        textFieldEnabled: c.textFieldEnabled, managerList: c.managerList, userCounter: c.userCounter, messageCount: c.messageCount, avatar: c.avatar },
      { name: 'Support Chat', description: 'For questions', type: 'chat', messageType: 'C', owner: wBot, color: '#4ba5c3', role: 'owner', isNew: true,
        textFieldEnabled: 'Y', managerList: [wBot], userCounter: 3, messageCount: c.messageCount, avatar: '' },
    );
    assert.ok(c.messageCount >= 1 && c.lastMessageId > 0);
    for (const k of ['extranet', 'containsCollaber', 'entityType', 'entityId', 'entityData1', 'entityLink', 'diskFolderId', 'permissions', 'muteList',
      'parentChatId', 'parentMessageId', 'backgroundId', 'dateCreate', 'lastMessageViews', 'lastId', 'markedId', 'public', 'unreadId']) assert.ok(k in c, k);
    assert.deepEqual(r.users.map((u: { id: number }) => u.id), [ANNA, IVAN]);
    assert.equal(r.users[0].type, 'employee');
  });

  test('Chat.add through an OAuth app: no botToken, ownerId, an unknown colour gets one of the palette', async (t) => {
    if (skip) return t.skip(skip);
    const r = await x('imbot.v2.Chat.add', { fields: { title: 'App chat', color: 'nosuch', userIds: [ANNA], ownerId: ANNA } });
    assert.equal(r.chat.owner, ANNA);
    assert.equal(r.chat.role, 'member');
    assert.match(r.chat.color, /^#[0-9a-f]{6}$/);
  });

  test('Chat.get: the bot\'s chats only; the documented errors of the bot check', async (t) => {
    if (skip) return t.skip(skip);
    const got = await w('imbot.v2.Chat.get', { dialogId: chat });
    assert.equal(got.chat.dialogId, chat);
    assert.equal(got.chat.isNew, false);
    // A private dialog, named by the user's id.
    await ok(annaHook, 'im.message.add', { DIALOG_ID: String(wBot), MESSAGE: 'hi bot' });
    const p = await w('imbot.v2.Chat.get', { dialogId: String(ANNA) });
    assert.deepEqual([p.chat.dialogId, p.chat.type, p.chat.messageType], [String(ANNA), 'private', 'P']);
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.get', { botId: xBot, dialogId: chat }, appX);
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.get', { botId: wBot, botToken: TOKEN, dialogId: 'chat999999' });
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.get', { botId: wBot, botToken: TOKEN, dialogId: 'nonsense' });
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Chat.get', { botId: wBot, dialogId: chat });
    await refused(400, 'BOT_ID_REQUIRED', hook, 'imbot.v2.Chat.get', { botToken: TOKEN, dialogId: chat });
    await refused(400, 'BOT_NOT_FOUND', hook, 'imbot.v2.Chat.get', { botId: 999999, botToken: TOKEN, dialogId: chat });
    await refused(403, 'BOT_OWNERSHIP_ERROR', hook, 'imbot.v2.Chat.get', { botId: wBot, botToken: 'wrong', dialogId: chat });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Chat.get', { botId: wBot, dialogId: chat }, appY);
  });

  test('Chat.update: title, description, colour; a private dialog and a chat the bot is not in are ACCESS_DENIED', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(await w('imbot.v2.Chat.update', { dialogId: chat, fields: { title: 'Renamed', description: 'New text', color: 'mint' } }), { result: true });
    const c = (await w('imbot.v2.Chat.get', { dialogId: chat })).chat;
    assert.deepEqual([c.name, c.description, c.color], ['Renamed', 'New text', '#4ba984']);
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.update', { botId: wBot, botToken: TOKEN, dialogId: String(ANNA), fields: { title: 'x' } });
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.update', { botId: xBot, dialogId: chat, fields: { title: 'x' } }, appX);
  });

  test('Chat.User.add / list / delete', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(await w('imbot.v2.Chat.User.add', { dialogId: chat, userIds: [xBot, ADMIN] }), { result: true });
    const all = await w('imbot.v2.Chat.User.list', { dialogId: chat });
    // In the order they joined (the creation's members at once, then the two added).
    const ids = all.map((u: { id: number }) => u.id);
    assert.deepEqual(ids.slice(0, 3).sort(), [wBot, ANNA, IVAN].sort());
    assert.deepEqual(ids.slice(3).sort(), [xBot, ADMIN].sort());
    assert.equal(all.find((u: { id: number }) => u.id === wBot).bot, true);
    const desc = await x('imbot.v2.Chat.User.list', { dialogId: chat, order: { userId: 'DESC' }, limit: 2 });
    assert.deepEqual(desc.map((u: { id: number }) => u.id), [Math.max(wBot, xBot), Math.min(wBot, xBot)]);
    const writers = await w('imbot.v2.Chat.User.list', { dialogId: chat, order: { lastSendMessageId: 'DESC' }, limit: 1 });
    assert.equal(writers[0].id, wBot);
    // Everyone asked for is already there: nothing to add is the page's refusal.
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.User.add', { botId: wBot, botToken: TOKEN, dialogId: chat, userIds: [ANNA] });
    // Only the owner and administrators remove others.
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.User.delete', { botId: xBot, dialogId: chat, userId: IVAN }, appX);
    assert.deepEqual(await w('imbot.v2.Chat.User.delete', { dialogId: chat, userId: IVAN }), { result: true });
    const after = await w('imbot.v2.Chat.User.list', { dialogId: chat });
    assert.ok(!after.some((u: { id: number }) => u.id === IVAN));
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.User.list', { botId: wBot, botToken: TOKEN, dialogId: 'chat999999' });
  });

  test('Chat.Manager.add / delete: the owner only; EMPTY_USER_IDS', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(await w('imbot.v2.Chat.Manager.add', { dialogId: chat, userIds: [ANNA, xBot] }), { result: true });
    const c = (await x('imbot.v2.Chat.get', { dialogId: chat })).chat;
    assert.deepEqual(c.managerList, [wBot, ...[ANNA, xBot].sort((a, b) => a - b)]);
    assert.equal(c.role, 'manager');
    assert.deepEqual(await w('imbot.v2.Chat.Manager.delete', { dialogId: chat, userIds: [xBot] }), { result: true });
    assert.deepEqual((await w('imbot.v2.Chat.get', { dialogId: chat })).chat.managerList, [wBot, ANNA]);
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.Manager.add', { botId: xBot, dialogId: chat, userIds: [ADMIN] }, appX);
    await refused(400, 'EMPTY_USER_IDS', hook, 'imbot.v2.Chat.Manager.add', { botId: wBot, botToken: TOKEN, dialogId: chat, userIds: [] });
    await refused(400, 'EMPTY_USER_IDS', hook, 'imbot.v2.Chat.Manager.delete', { botId: wBot, botToken: TOKEN, dialogId: chat });
  });

  test('Chat.setOwner, then Chat.leave', async (t) => {
    if (skip) return t.skip(skip);
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.setOwner', { botId: xBot, dialogId: chat, userId: ANNA }, appX);
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.setOwner', { botId: wBot, botToken: TOKEN, dialogId: chat, userId: IVAN });
    assert.deepEqual(await w('imbot.v2.Chat.setOwner', { dialogId: chat, userId: ANNA }), { result: true });
    const c = (await w('imbot.v2.Chat.get', { dialogId: chat })).chat;
    assert.deepEqual([c.owner, c.role], [ANNA, 'member']);
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.Manager.add', { botId: wBot, botToken: TOKEN, dialogId: chat, userIds: [ADMIN] });
    assert.deepEqual(await x('imbot.v2.Chat.leave', { dialogId: chat }), { result: true });
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.get', { botId: xBot, dialogId: chat }, appX);
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.leave', { botId: xBot, dialogId: chat }, appX);
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.leave', { botId: wBot, botToken: TOKEN, dialogId: String(ANNA) });
    assert.deepEqual(await w('imbot.v2.Chat.leave', { dialogId: chat }), { result: true });
  });
});
}
