/**
 * imbot.v2.Chat.Message.Reaction.add / delete and ONIMBOTV2REACTIONCHANGE over real HTTP with JSON
 * bodies, through an incoming webhook with a botToken and through an OAuth app, on SQLite and
 * PostgreSQL. Every code the page lists is taken, one per bot and message as Bitrix24 keeps them (a
 * new one replaces the old; the same again is REACTION_ALREADY_SET; deleting one not set is
 * REACTION_NOT_FOUND, as is a code not listed); any reaction shows as the classic like; a person's
 * like of a v2 bot's message reaches the bot's Event.get in the shape of events.md, and a bot's
 * reaction reaches subscribed members' im.v2.Event.get with its code.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { installedAppToken, ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const ADMIN = 1;
const ANNA = 2;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`imbot.v2 reactions on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let annaHook: string;
  let rest: string;
  let appX: string;
  let fBot: number;
  let xBot: number;
  let quietBot: number;
  let annaMsg: number;
  let botMsg: number;

  const f = (method: string, params: Record<string, unknown>) => ok(hook, method, { botId: fBot, botToken: 'tok_f', ...params });
  /** The fetch-mode bot's unacknowledged events of `type`, acknowledging everything before. */
  const drain = async (botId: number, token: string, type: string) => {
    const got = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, limit: 1000 });
    await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, offset: got.nextOffset, limit: 1 });
    return got.events.filter((e: { type: string }) => e.type === type);
  };
  const likes = async (messageId: number) =>
    (await portal.portal.db.selectFrom('message_likes').select('user_id').where('message_id', '=', messageId).execute()).map((r) => Number(r.user_id));

  before(async () => {
    const s = await portalSuite(dialect);
    if ('skip' in s) return void (skip = s.skip);
    portal = s;
    rest = `${portal.url}/rest/`;
    hook = await webhookFor(portal, ADMIN, 'imbot,im');
    annaHook = await webhookFor(portal, ANNA, 'imbot,im');
    appX = await installedAppToken(portal, 'X');
    fBot = (await ok(hook, 'imbot.v2.Bot.register', { fields: { code: 'react_f', botToken: 'tok_f', eventMode: 'fetch', properties: { name: 'F' } } })).bot.id;
    quietBot = (await ok(hook, 'imbot.v2.Bot.register', {
      fields: { code: 'react_q', botToken: 'tok_q', eventMode: 'fetch', isReactionsEnabled: false, properties: { name: 'Q' } },
    })).bot.id;
    xBot = (await ok(rest, 'imbot.v2.Bot.register', { fields: { code: 'react_x', eventMode: 'fetch', properties: { name: 'X' } } }, appX)).bot.id;
    annaMsg = await ok(annaHook, 'im.message.add', { DIALOG_ID: String(fBot), MESSAGE: 'hello F' });
    botMsg = (await f('imbot.v2.Chat.Message.send', { dialogId: String(ANNA), fields: { message: 'Hello Anna' } })).id;
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('a person likes and unlikes the bot\'s message: ONIMBOTV2REACTIONCHANGE add / delete reaches Event.get', async (t) => {
    if (skip) return t.skip(skip);
    await drain(fBot, 'tok_f', 'none');
    assert.equal(await ok(annaHook, 'im.message.like', { MESSAGE_ID: botMsg, ACTION: 'plus' }), true);
    const [added] = await drain(fBot, 'tok_f', 'ONIMBOTV2REACTIONCHANGE');
    assert.ok(added, 'the reaction event');
    assert.deepEqual(Object.keys(added.data), ['bot', 'reaction', 'action', 'message', 'chat', 'user', 'language']);
    assert.deepEqual([added.data.reaction, added.data.action, added.data.language], ['like', 'add', 'en']);
    assert.deepEqual([added.data.bot.id, added.data.message.id, added.data.message.authorId, added.data.message.text], [fBot, botMsg, fBot, 'Hello Anna']);
    assert.deepEqual(added.data.message.params.LIKE, [ANNA]);
    assert.deepEqual([added.data.chat.dialogId, added.data.chat.type, added.data.user.id, added.data.user.type], [String(ANNA), 'private', ANNA, 'employee']);
    await ok(annaHook, 'im.message.like', { MESSAGE_ID: botMsg, ACTION: 'minus' });
    const [removed] = await drain(fBot, 'tok_f', 'ONIMBOTV2REACTIONCHANGE');
    assert.deepEqual([removed.data.reaction, removed.data.action, removed.data.message.id], ['like', 'delete', botMsg]);
  });

  test('not told: a like of someone else\'s message, the bot\'s own like, a bot with isReactionsEnabled false', async (t) => {
    if (skip) return t.skip(skip);
    await drain(fBot, 'tok_f', 'none');
    await f('imbot.v2.Chat.Message.Reaction.add', { messageId: botMsg, reaction: 'like' });
    await ok(hook, 'im.message.add', { DIALOG_ID: String(ANNA), MESSAGE: 'admin to anna' }).then((id) => ok(annaHook, 'im.message.like', { MESSAGE_ID: id }));
    assert.deepEqual(await drain(fBot, 'tok_f', 'ONIMBOTV2REACTIONCHANGE'), []);
    await ok(annaHook, 'im.message.add', { DIALOG_ID: String(quietBot), MESSAGE: 'hello Q' });
    const q = (await ok(hook, 'imbot.v2.Chat.Message.send', { botId: quietBot, botToken: 'tok_q', dialogId: String(ANNA), fields: { message: 'Q here' } })).id;
    await ok(annaHook, 'im.message.like', { MESSAGE_ID: q });
    assert.deepEqual(await drain(quietBot, 'tok_q', 'ONIMBOTV2REACTIONCHANGE'), []);
  });

  test('Reaction.add / delete through a webhook: any listed code, one per bot and message; REACTION_ALREADY_SET, REACTION_NOT_FOUND', async (t) => {
    if (skip) return t.skip(skip);
    const reactionRows = async () => (await portal.portal.db.selectFrom('message_likes').select(['user_id', 'reaction']).where('message_id', '=', annaMsg).execute())
      .map((r) => [Number(r.user_id), r.reaction]);
    assert.deepEqual(await f('imbot.v2.Chat.Message.Reaction.add', { messageId: annaMsg, reaction: 'like' }), { result: true });
    assert.deepEqual(await likes(annaMsg), [fBot]);
    await refused(400, 'REACTION_ALREADY_SET', hook, 'imbot.v2.Chat.Message.Reaction.add', { botId: fBot, botToken: 'tok_f', messageId: annaMsg, reaction: 'like' });
    // Another code replaces the like: still one reaction, still a like in PARAMS.LIKE.
    assert.deepEqual(await f('imbot.v2.Chat.Message.Reaction.add', { messageId: annaMsg, reaction: 'fire' }), { result: true });
    assert.deepEqual(await reactionRows(), [[fBot, 'fire']]);
    const seen = (await ok(annaHook, 'im.dialog.messages.get', { DIALOG_ID: String(fBot) })).messages.find((m: { id: number }) => m.id === annaMsg);
    assert.deepEqual(seen.params.LIKE, [fBot]);
    // The like is not set any more, the fire is.
    await refused(400, 'REACTION_NOT_FOUND', hook, 'imbot.v2.Chat.Message.Reaction.delete', { botId: fBot, botToken: 'tok_f', messageId: annaMsg, reaction: 'like' });
    assert.deepEqual(await f('imbot.v2.Chat.Message.Reaction.delete', { messageId: annaMsg, reaction: 'fire' }), { result: true });
    assert.deepEqual(await likes(annaMsg), []);
    await refused(400, 'REACTION_NOT_FOUND', hook, 'imbot.v2.Chat.Message.Reaction.delete', { botId: fBot, botToken: 'tok_f', messageId: annaMsg, reaction: 'fire' });
  });

  test('a bot\'s reaction reaches the subscribed members\' im.v2.Event.get with its code; a classic like of it takes it back', async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(await ok(annaHook, 'im.v2.Event.subscribe', {}), true);
    const start = await ok(annaHook, 'im.v2.Event.get', {});
    await ok(annaHook, 'im.v2.Event.get', { offset: start.nextOffset });
    await f('imbot.v2.Chat.Message.Reaction.add', { messageId: annaMsg, reaction: 'clappingHands' });
    const got = await ok(annaHook, 'im.v2.Event.get', { offset: start.nextOffset });
    const mine = got.events.filter((e: { type: string }) => e.type === 'ONIMV2REACTIONCHANGE');
    assert.deepEqual(mine.map((e: any) => [e.data.reaction, e.data.action, e.data.user.id, e.data.message.id]), [['clappingHands', 'add', fBot, annaMsg]]);
    await ok(annaHook, 'im.v2.Event.get', { offset: got.nextOffset });
    await ok(annaHook, 'im.v2.Event.unsubscribe', {});
    await f('imbot.v2.Chat.Message.Reaction.delete', { messageId: annaMsg, reaction: 'clappingHands' });
  });

  test('Reaction.*: REACTION_NOT_FOUND, ACCESS_DENIED, the bot check; an OAuth app\'s bot', async (t) => {
    if (skip) return t.skip(skip);
    for (const method of ['imbot.v2.Chat.Message.Reaction.add', 'imbot.v2.Chat.Message.Reaction.delete']) {
      for (const code of ['thumbsUp', 'Fire', ' like2']) await refused(400, 'REACTION_NOT_FOUND', hook, method, { botId: fBot, botToken: 'tok_f', messageId: annaMsg, reaction: code });
      await refused(400, 'REACTION_NOT_FOUND', hook, method, { botId: fBot, botToken: 'tok_f', messageId: annaMsg });
      await refused(403, 'ACCESS_DENIED', rest, method, { botId: xBot, messageId: annaMsg, reaction: 'like' }, appX);
      await refused(403, 'ACCESS_DENIED', hook, method, { botId: fBot, botToken: 'tok_f', messageId: 999999, reaction: 'like' });
      await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, method, { botId: fBot, messageId: annaMsg, reaction: 'like' });
      await refused(403, 'BOT_OWNERSHIP_ERROR', hook, method, { botId: fBot, botToken: 'nope', messageId: annaMsg, reaction: 'like' });
    }
    const anna2 = await ok(annaHook, 'im.message.add', { DIALOG_ID: String(xBot), MESSAGE: 'hello X' });
    assert.deepEqual(await ok(rest, 'imbot.v2.Chat.Message.Reaction.add', { botId: xBot, messageId: anna2, reaction: 'like' }, appX), { result: true });
    assert.deepEqual(await likes(anna2), [xBot]);
  });
});
}
