/**
 * Bot context (chat-bots-v2/imbot.v2/bot-context.md) over real HTTP on SQLite and PostgreSQL: a person
 * opens a dialog with a Chatbots 2.0 bot with a context (im.v2.Chat.Bot.sendContext, what the
 * messenger calls for a link's BOT_CONTEXT) and the bot fetches ONIMBOTV2CONTEXTGET in the documented
 * shape; a group chat's v2 bots each get it with the chat's dialogId; the refusals. The webhook-mode
 * delivery is in bots-v2-processes.test.ts.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;
const MARIA = 4;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`im.v2.Chat.Bot.sendContext and ONIMBOTV2CONTEXTGET on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let annaHook: string;
  let mariaHook: string;
  let bot: number;
  let other: number;
  let offset: number | undefined;

  /** The bot's unacknowledged events (acknowledging the previous call's). */
  const poll = async (id = bot, token = 'ctx_tok') => {
    const got = await ok(hook, 'imbot.v2.Event.get', { botId: id, botToken: token, ...(id === bot && offset ? { offset } : {}) });
    if (id === bot) offset = got.nextOffset;
    return got.events as { type: string; data: any }[];
  };

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    hook = await webhookFor(portal, ADMIN, 'imbot,im');
    annaHook = await webhookFor(portal, ANNA, 'im');
    mariaHook = await webhookFor(portal, MARIA, 'im');
    const reg = (code: string, token: string) => ok(hook, 'imbot.v2.Bot.register', { botToken: token, fields: { code, eventMode: 'fetch', properties: { name: code } } });
    bot = (await reg('ctx_bot', 'ctx_tok')).bot.id;
    other = (await reg('ctx_other', 'ctx_other_tok')).bot.id;
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test("opening a private dialog with a context: JOINCHAT, then CONTEXTGET with the context as given", async (t) => {
    if (skip) return t.skip(skip);
    const context = { action: 'openTask', taskId: 456, nested: { list: [1, 'two'], flag: true } };
    assert.equal(await ok(annaHook, 'im.v2.Chat.Bot.sendContext', { dialogId: String(bot), context }), true);
    const events = await poll();
    assert.deepEqual(events.map((e) => e.type), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2CONTEXTGET']);
    const { data } = events[1];
    assert.deepEqual(Object.keys(data), ['bot', 'dialogId', 'context', 'chat', 'user', 'language']);
    assert.equal(data.dialogId, String(ANNA));
    assert.deepEqual(data.context, context);
    assert.deepEqual([data.chat.dialogId, data.chat.type], [String(ANNA), 'private']);
    // user.id is a number (bot-context.md's warning), the person who opened the dialog.
    assert.equal(data.user.id, ANNA);
    assert.deepEqual([data.bot.id, data.bot.code, data.bot.eventMode], [bot, 'ctx_bot', 'fetch']);
    assert.equal(data.language, 'en');
    // A link's BOT_CONTEXT, passed on as its JSON text, is the same object; the dialog is not joined again.
    await ok(annaHook, 'im.v2.Chat.Bot.sendContext', { dialogId: String(bot), context: '{"pairCode":"e5142e"}' });
    const again = await poll();
    assert.deepEqual(again.map((e) => [e.type, e.data.context]), [['ONIMBOTV2CONTEXTGET', { pairCode: 'e5142e' }]]);
  });

  test("in a group chat every v2 bot gets it with the chat's dialogId", async (t) => {
    if (skip) return t.skip(skip);
    const chat = await ok(annaHook, 'im.chat.add', { USERS: [IVAN, bot, other], TITLE: 'Context room' });
    await poll();
    await poll(other, 'ctx_other_tok');
    await ok(annaHook, 'im.v2.Chat.Bot.sendContext', { dialogId: `chat${chat}`, context: { table: 42 } });
    for (const [id, token] of [[bot, 'ctx_tok'], [other, 'ctx_other_tok']] as const) {
      const got = (await poll(id, token)).filter((e) => e.type === 'ONIMBOTV2CONTEXTGET');
      assert.deepEqual(got.map((e) => [e.data.dialogId, e.data.chat.id, e.data.context.table, e.data.user.id]), [[`chat${chat}`, chat, 42, ANNA]]);
    }
  });

  test('refusals: no v2 bot to tell, no context, not an object, too large, not a member, malformed dialog', async (t) => {
    if (skip) return t.skip(skip);
    const m = 'im.v2.Chat.Bot.sendContext';
    await refused(400, 'BOT_NOT_FOUND', annaHook, m, { dialogId: String(IVAN), context: { a: 1 } });
    const plain = await ok(annaHook, 'im.chat.add', { USERS: [IVAN], TITLE: 'No bots here' });
    await refused(400, 'BOT_NOT_FOUND', annaHook, m, { dialogId: `chat${plain}`, context: { a: 1 } });
    await refused(400, 'CONTEXT_INVALID', annaHook, m, { dialogId: String(bot) });
    await refused(400, 'CONTEXT_INVALID', annaHook, m, { dialogId: String(bot), context: [1, 2] });
    await refused(400, 'CONTEXT_INVALID', annaHook, m, { dialogId: String(bot), context: 'not json' });
    await refused(400, 'CONTEXT_INVALID', annaHook, m, { dialogId: String(bot), context: 7 });
    await refused(400, 'CONTEXT_TOO_LARGE', annaHook, m, { dialogId: String(bot), context: { blob: 'x'.repeat(9000) } });
    await refused(400, 'CONTEXT_TOO_LARGE', annaHook, m, { dialogId: String(bot), context: JSON.stringify({ blob: 'x'.repeat(9000) }) });
    const room = await ok(annaHook, 'im.chat.add', { USERS: [bot], TITLE: 'Closed' });
    await refused(403, 'ACCESS_DENIED', mariaHook, m, { dialogId: `chat${room}`, context: { a: 1 } });
    await refused(400, 'CHAT_NOT_FOUND', annaHook, m, { dialogId: 'chatx', context: { a: 1 } });
    // None of the refusals told the bot anything.
    assert.deepEqual((await poll()).filter((e) => e.type === 'ONIMBOTV2CONTEXTGET'), []);
  });
});
}
