/**
 * imbot.v2.Chat.InputAction.notify and Chat.TextField.enabled over real HTTP with JSON bodies,
 * through an incoming webhook with a botToken and through an OAuth app, on SQLite and PostgreSQL:
 * the indicator reaches the members' messenger sockets as the typing signal (with the action code
 * and how long it stays), and the text field is the chat's, shown by im.dialog.get (which the web
 * messenger's composer follows), by the Chat object, and announced with a chat.update push.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './helpers/portal.ts';
import { installedAppToken, ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { listen, hello, socketUrl, type Listener } from './helpers/realtime.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`imbot.v2.Chat.InputAction / TextField on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let annaHook: string;
  let rest: string;
  let appX: string;
  let wBot: number;
  let xBot: number;
  let chat: string;
  let chatId: number;
  let anna: Listener;

  const w = (method: string, params: Record<string, unknown>) => ok(hook, method, { botId: wBot, botToken: 'tok_ui', ...params });
  const x = (method: string, params: Record<string, unknown>) => ok(rest, method, { botId: xBot, ...params }, appX);
  /** The next push Anna's messenger gets that `match` accepts (pushes before `from` are ignored). */
  const pushed = (what: string, match: (p: any) => boolean, from = 0) => waitFor(what, async () => anna.pushes.slice(from).find(match));

  before(async () => {
    const s = await portalSuite(dialect);
    if ('skip' in s) return void (skip = s.skip);
    portal = s;
    rest = `${portal.url}/rest/`;
    hook = await webhookFor(portal, ADMIN, 'imbot,im');
    annaHook = await webhookFor(portal, ANNA, 'imbot,im');
    appX = await installedAppToken(portal, 'X');
    wBot = (await ok(hook, 'imbot.v2.Bot.register', { fields: { code: 'ui_w', botToken: 'tok_ui', properties: { name: 'UI W' } } })).bot.id;
    xBot = (await ok(rest, 'imbot.v2.Bot.register', { fields: { code: 'ui_x', properties: { name: 'UI X' } } }, appX)).bot.id;
    const made = await w('imbot.v2.Chat.add', { fields: { title: 'UI', userIds: [ANNA, IVAN, xBot] } });
    chat = made.chat.dialogId;
    chatId = made.chat.id;
    await ok(annaHook, 'im.message.add', { DIALOG_ID: String(wBot), MESSAGE: 'hi' });
    anna = await listen(socketUrl(annaHook));
    await hello(anna);
  });
  after(async () => {
    await anna?.close();
    if (!skip) await portal?.close();
  });

  test('InputAction.notify: the typing signal with the action and its duration; the plain one without', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(await w('imbot.v2.Chat.InputAction.notify', { dialogId: chat, statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 30 }), { result: true });
    const p = await pushed('the indicator', (q) => q.type === 'typing' && q.userId === wBot);
    assert.deepEqual([p.chatId, p.action, p.seconds], [chatId, 'IMBOT_AGENT_ACTION_THINKING', 30]);
    let from = anna.pushes.length;
    assert.deepEqual(await x('imbot.v2.Chat.InputAction.notify', { dialogId: chat, duration: 9999 }), { result: true });
    const plain = await pushed('the plain indicator', (q) => q.type === 'typing' && q.userId === xBot, from);
    assert.deepEqual([plain.action, plain.seconds], [undefined, 600]);
    // An unknown code shows the plain "typing"; the private dialog by the user's id.
    from = anna.pushes.length;
    await w('imbot.v2.Chat.InputAction.notify', { dialogId: String(ANNA), statusMessageCode: 'SOMETHING_ELSE' });
    const priv = await pushed('in the private dialog', (q) => q.type === 'typing' && q.userId === wBot, from);
    assert.deepEqual([priv.action, priv.seconds], [undefined, undefined]);
  });

  test('InputAction.notify: ACCESS_DENIED outside the bot\'s chats, the bot check', async (t) => {
    if (skip) return t.skip(skip);
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.InputAction.notify', { botId: xBot, dialogId: String(ANNA) }, appX);
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.InputAction.notify', { botId: wBot, botToken: 'tok_ui', dialogId: 'chat999999' });
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Chat.InputAction.notify', { botId: wBot, dialogId: chat });
    await refused(403, 'BOT_OWNERSHIP_ERROR', hook, 'imbot.v2.Chat.InputAction.notify', { botId: wBot, botToken: 'x', dialogId: chat });
    await refused(400, 'BOT_ID_REQUIRED', hook, 'imbot.v2.Chat.InputAction.notify', { botToken: 'tok_ui', dialogId: chat });
  });

  test('TextField.enabled in the private dialog: the messenger\'s dialog and the Chat object follow, with a chat.update push', async (t) => {
    if (skip) return t.skip(skip);
    const dialogOf = () => ok(annaHook, 'im.dialog.get', { DIALOG_ID: String(wBot) });
    assert.equal((await dialogOf()).text_field_enabled, true);
    let from = anna.pushes.length;
    assert.deepEqual(await w('imbot.v2.Chat.TextField.enabled', { dialogId: String(ANNA), enabled: false }), { result: true });
    const pc = (await dialogOf()).id;
    await pushed('chat.update', (q) => q.type === 'chat.update' && q.chatId === pc, from);
    assert.equal((await dialogOf()).text_field_enabled, false);
    assert.equal((await w('imbot.v2.Chat.get', { dialogId: String(ANNA) })).chat.textFieldEnabled, 'N');
    // Only this dialog: the group chat still takes text.
    assert.equal((await ok(annaHook, 'im.dialog.get', { DIALOG_ID: chat })).text_field_enabled, true);
    from = anna.pushes.length;
    // `enabled` defaults to true.
    assert.deepEqual(await w('imbot.v2.Chat.TextField.enabled', { dialogId: String(ANNA) }), { result: true });
    await pushed('chat.update again', (q) => q.type === 'chat.update' && q.chatId === pc, from);
    assert.equal((await dialogOf()).text_field_enabled, true);
    assert.equal((await w('imbot.v2.Chat.get', { dialogId: String(ANNA) })).chat.textFieldEnabled, 'Y');
  });

  test('TextField.enabled through OAuth in a group chat; "N" read as false; ACCESS_DENIED and the bot check', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(await x('imbot.v2.Chat.TextField.enabled', { dialogId: chat, enabled: 'N' }), { result: true });
    assert.equal((await ok(annaHook, 'im.dialog.get', { DIALOG_ID: chat })).text_field_enabled, false);
    assert.equal((await x('imbot.v2.Chat.get', { dialogId: chat })).chat.textFieldEnabled, 'N');
    assert.deepEqual(await x('imbot.v2.Chat.TextField.enabled', { dialogId: chat, enabled: true }), { result: true });
    assert.equal((await ok(annaHook, 'im.dialog.get', { DIALOG_ID: chat })).text_field_enabled, true);
    await refused(403, 'ACCESS_DENIED', rest, 'imbot.v2.Chat.TextField.enabled', { botId: xBot, dialogId: String(ANNA), enabled: false }, appX);
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Chat.TextField.enabled', { botId: wBot, dialogId: chat, enabled: false });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Chat.TextField.enabled', { botId: wBot, dialogId: chat, enabled: false }, appX);
  });
});
}
