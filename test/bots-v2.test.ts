/**
 * Chatbots 2.0 (imbot.v2.*) over real HTTP with JSON bodies, through an incoming webhook with a
 * botToken and through an OAuth app's token: Bot.register / update / get / list / unregister,
 * Event.get (fetch mode: the event shapes of events.md, acknowledgement by offset, type-dependent
 * visibility), Chat.Message.send / update / delete and Revision.get — each success and each
 * documented error with its HTTP status.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, waitFor } from './helpers/portal.ts';
import { eventRecorder } from './helpers/event-recorder.ts';
import { installedAppToken, ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { makePng } from './helpers/png.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`imbot.v2 on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let annaHook: string;
  let rest: string;
  let appX: string;
  let appY: string;
  let seq = 0;

  const register = (base: string, fields: Record<string, unknown>, auth?: string, top: Record<string, unknown> = {}) =>
    ok(base, 'imbot.v2.Bot.register', { ...top, fields: { properties: { name: `Bot ${++seq}` }, ...fields } }, auth);
  const events = (botId: number, token: string, extra: Record<string, unknown> = {}) => ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, ...extra });

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
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('Bot.register through a webhook: the documented answer, idempotent by code, botToken at the top level too', async (t) => {
    if (skip) return t.skip(skip);
    const r = await ok(hook, 'imbot.v2.Bot.register', {
      fields: { code: 'support_bot', botToken: 'tok_support', properties: { name: 'Support Bot', lastName: 'One', workPosition: 'AI Assistant', color: 'lightBlue', gender: 'F' }, eventMode: 'fetch' },
    });
    assert.deepEqual(Object.keys(r), ['bot', 'users']);
    const { id, ...bot } = r.bot;
    assert.ok(id > 0);
    assert.deepEqual(bot, {
      code: 'support_bot', type: 'bot', isHidden: false, isSupportOpenline: false, isReactionsEnabled: true, backgroundId: null, language: 'en',
      moduleId: 'rest', eventMode: 'fetch', countMessage: 0, countCommand: 0, countChat: 0, countUser: 0,
    });
    const [u] = r.users;
    assert.equal(u.id, id);
    assert.deepEqual([u.name, u.firstName, u.lastName, u.workPosition, u.color, u.gender, u.bot, u.type, u.externalAuthId, u.active],
      ['Support Bot One', 'Support Bot', 'One', 'AI Assistant', '#4ba5c3', 'F', true, 'bot', 'bot', true]);
    // The same code and token again: the same bot (a bot re-registering on start-up).
    const again = await ok(hook, 'imbot.v2.Bot.register', { botToken: 'tok_support', fields: { code: 'support_bot', properties: { name: 'Support Bot' } } });
    assert.equal(again.bot.id, id);
    // Another token for the code: another owner's code.
    await refused(400, 'BOT_CODE_ALREADY_TAKEN', hook, 'imbot.v2.Bot.register', { fields: { code: 'support_bot', botToken: 'other_tok', properties: { name: 'S' } } });
    // The bot is a portal user others can write to.
    const user = await ok(hook, 'im.user.get', { ID: id });
    assert.equal(user.bot, true);
  });

  test('Bot.register: every documented error', async (t) => {
    if (skip) return t.skip(skip);
    const reg = (fields: Record<string, unknown>) => ({ fields: { code: `e${++seq}`, botToken: `tok_e${seq}`, properties: { name: 'E' }, ...fields } });
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Bot.register', { fields: { code: 'x', properties: { name: 'X' } } });
    await refused(400, 'BOT_CODE_REQUIRED', hook, 'imbot.v2.Bot.register', reg({ code: '' }));
    await refused(400, 'BOT_PROPERTIES_REQUIRED', hook, 'imbot.v2.Bot.register', reg({ properties: { workPosition: 'no name' } }));
    await refused(400, 'BOT_INVALID_TYPE', hook, 'imbot.v2.Bot.register', reg({ type: 'robot' }));
    await refused(400, 'BOT_INVALID_EVENT_MODE', hook, 'imbot.v2.Bot.register', reg({ eventMode: 'push' }));
    await refused(400, 'BOT_WEBHOOK_URL_REQUIRED', hook, 'imbot.v2.Bot.register', reg({ eventMode: 'webhook' }));
    await refused(400, 'BOT_INVALID_CALLBACK', hook, 'imbot.v2.Bot.register', reg({ eventMode: 'webhook', webhookUrl: 'ftp://127.0.0.1/h' }));
    await refused(400, 'BOT_TOKEN_INVALID_LENGTH', hook, 'imbot.v2.Bot.register', reg({ botToken: 'x'.repeat(41) }));
    await refused(400, 'BOT_AVATAR_INCORRECT_TYPE', hook, 'imbot.v2.Bot.register', reg({ properties: { name: 'A', avatar: Buffer.from('not a picture').toString('base64') } }));
    // 5001 pixels wide.
    const wide = makePng(4, 4);
    wide.writeUInt32BE(5001, 16);
    await refused(400, 'BOT_AVATAR_INCORRECT_SIZE', hook, 'imbot.v2.Bot.register', reg({ properties: { name: 'A', avatar: wide.toString('base64') } }));
    // A token that already names another bot.
    await refused(400, 'BOT_REGISTER_FAILED', hook, 'imbot.v2.Bot.register', { fields: { code: 'another', botToken: 'tok_support', properties: { name: 'S' } } });
    // A picture is taken.
    const pic = await register(hook, { code: `pic${seq}`, botToken: `tok_pic${seq}`, properties: { name: 'Pic', avatar: makePng(4, 4).toString('base64') } });
    assert.match(pic.users[0].avatar, /\/avatar\/\d+$/);
  });

  test('Bot.register through OAuth: no botToken; 100 bots per application', async (t) => {
    if (skip) return t.skip(skip);
    const r = await register(rest, { code: 'oauth_bot', type: 'supervisor' }, appX);
    assert.equal(r.bot.type, 'supervisor');
    assert.equal(r.bot.eventMode, 'fetch');
    // The same code again from the same app: its bot; from another app: taken.
    assert.equal((await register(rest, { code: 'oauth_bot' }, appX)).bot.id, r.bot.id);
    await refused(400, 'BOT_CODE_ALREADY_TAKEN', rest, 'imbot.v2.Bot.register', { fields: { code: 'oauth_bot', properties: { name: 'Y' } } }, appY);
    for (let i = 0; i < 100; i++) await register(rest, { code: `many${i}` }, appY);
    await refused(400, 'BOT_LIMIT_EXCEEDED', rest, 'imbot.v2.Bot.register', { fields: { code: 'one_too_many', properties: { name: 'N' } } }, appY);
    const list = await ok(rest, 'imbot.v2.Bot.list', { limit: 30, offset: 90 }, appY);
    assert.deepEqual([list.bots.length, list.users.length, list.hasNextPage], [10, 10, false]);
    const first = await ok(rest, 'imbot.v2.Bot.list', {}, appY);
    assert.deepEqual([first.bots.length, first.hasNextPage], [50, true]);
  });

  test('Bot.get, Bot.list, Bot.update (with botToken rotation) and Bot.unregister, and their errors', async (t) => {
    if (skip) return t.skip(skip);
    const { bot } = await register(hook, { code: 'crud', botToken: 'tok_crud', type: 'personal' });
    const got = await ok(hook, 'imbot.v2.Bot.get', { botId: bot.id, botToken: 'tok_crud' });
    assert.equal(got.bot.eventMode, 'fetch');
    assert.equal((await ok(hook, 'imbot.v2.Bot.get', { code: 'crud', botToken: 'tok_crud' })).bot.id, bot.id);
    // Someone else sees the brief Bot object.
    const brief = await ok(annaHook, 'imbot.v2.Bot.get', { botId: bot.id, botToken: 'anna_tok' });
    assert.deepEqual(Object.keys(brief.bot), ['id', 'code', 'type', 'isHidden', 'isSupportOpenline', 'isReactionsEnabled', 'backgroundId', 'language']);
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Bot.get', { botId: bot.id });
    await refused(400, 'PARAMS_REQUIRED', hook, 'imbot.v2.Bot.get', { botToken: 'tok_crud' });
    await refused(400, 'BOT_NOT_FOUND', hook, 'imbot.v2.Bot.get', { botId: 999999, botToken: 'tok_crud' });

    const list = await ok(hook, 'imbot.v2.Bot.list', { botToken: 'tok_crud' });
    assert.deepEqual(list.bots.map((b: any) => b.id), [bot.id]);
    assert.deepEqual((await ok(hook, 'imbot.v2.Bot.list', { botToken: 'tok_crud', filter: { type: 'bot' } })).bots, []);
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Bot.list', {});

    const up = await ok(hook, 'imbot.v2.Bot.update', {
      botId: bot.id, botToken: 'tok_crud', fields: { properties: { name: 'Renamed', workPosition: 'Helper' }, isHidden: true, backgroundId: 'mint' },
    });
    assert.deepEqual([up.bot.isHidden, up.bot.backgroundId, up.users[0].firstName, up.users[0].workPosition], [true, 'mint', 'Renamed', 'Helper']);
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Bot.update', { botId: bot.id, fields: {} });
    await refused(400, 'BOT_ID_REQUIRED', hook, 'imbot.v2.Bot.update', { botToken: 'tok_crud', fields: {} });
    await refused(400, 'BOT_NOT_FOUND', hook, 'imbot.v2.Bot.update', { botId: 999999, botToken: 'tok_crud', fields: {} });
    await refused(403, 'BOT_OWNERSHIP_ERROR', hook, 'imbot.v2.Bot.update', { botId: bot.id, botToken: 'wrong', fields: {} });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Bot.update', { botId: bot.id, fields: {} }, appX);
    // Another user's webhook with the right token does not own it either.
    await refused(403, 'BOT_OWNERSHIP_ERROR', annaHook, 'imbot.v2.Bot.update', { botId: bot.id, botToken: 'tok_crud', fields: {} });
    await refused(400, 'BOT_INVALID_EVENT_MODE', hook, 'imbot.v2.Bot.update', { botId: bot.id, botToken: 'tok_crud', fields: { eventMode: 'push' } });
    await refused(400, 'BOT_INVALID_CALLBACK', hook, 'imbot.v2.Bot.update', { botId: bot.id, botToken: 'tok_crud', fields: { eventMode: 'webhook', webhookUrl: 'nonsense' } });
    // Rotation: the old token loses the bot at once; a token of another bot is refused without saying so.
    await refused(400, 'BOT_TOKEN_ROTATION_FAILED', hook, 'imbot.v2.Bot.update', { botId: bot.id, botToken: 'tok_crud', fields: { botToken: 'tok_support' } });
    await ok(hook, 'imbot.v2.Bot.update', { botId: bot.id, botToken: 'tok_crud', fields: { botToken: 'tok_crud2' } });
    // Bot.get answers anyone: the old token now gets the brief format.
    assert.equal((await ok(hook, 'imbot.v2.Bot.get', { botId: bot.id, botToken: 'tok_crud' })).bot.eventMode, undefined);
    await refused(403, 'BOT_OWNERSHIP_ERROR', hook, 'imbot.v2.Bot.update', { botId: bot.id, botToken: 'tok_crud', fields: {} });
    assert.equal((await ok(hook, 'imbot.v2.Bot.get', { botId: bot.id, botToken: 'tok_crud2' })).bot.eventMode, 'fetch');

    await refused(400, 'BOT_ID_REQUIRED', hook, 'imbot.v2.Bot.unregister', { botToken: 'tok_crud2' });
    await refused(403, 'BOT_OWNERSHIP_ERROR', hook, 'imbot.v2.Bot.unregister', { botId: bot.id, botToken: 'tok_crud' });
    assert.deepEqual(await ok(hook, 'imbot.v2.Bot.unregister', { botId: bot.id, botToken: 'tok_crud2' }), { result: true });
    await refused(400, 'BOT_NOT_FOUND', hook, 'imbot.v2.Bot.unregister', { botId: bot.id, botToken: 'tok_crud2' });
    await refused(400, 'BOT_NOT_FOUND', hook, 'imbot.v2.Bot.get', { botId: bot.id, botToken: 'tok_crud2' });
  });

  test('Event.get: a private dialog in events.md shapes, acknowledged by offset, never lost before', async (t) => {
    if (skip) return t.skip(skip);
    const { bot } = await register(hook, { code: 'fetcher', botToken: 'tok_fetch' });
    assert.deepEqual(await events(bot.id, 'tok_fetch'), { events: [], nextOffset: 0, hasMore: false });
    const msgId = await ok(hook, 'im.message.add', { DIALOG_ID: bot.id, MESSAGE: 'Hello bot!' });
    const first = await events(bot.id, 'tok_fetch');
    assert.deepEqual(first.events.map((e: any) => e.type), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
    const [join, add] = first.events;
    assert.equal(first.nextOffset, add.eventId + 1);
    assert.equal(first.hasMore, false);
    assert.match(add.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    assert.deepEqual(Object.keys(add.data), ['bot', 'message', 'chat', 'user', 'language']);
    assert.equal(add.data.bot.id, bot.id);
    assert.equal(add.data.bot.eventMode, 'fetch');
    assert.equal(add.data.bot.auth, undefined);
    const { date, ...message } = add.data.message;
    assert.match(date, /\+00:00$/);
    assert.deepEqual(message, { id: msgId, chatId: add.data.chat.id, authorId: ADMIN, text: 'Hello bot!', isSystem: false, uuid: '', forward: null, params: {}, viewedByOthers: false });
    // In a private dialog the bot's dialogId is the other user.
    assert.deepEqual([add.data.chat.dialogId, add.data.chat.type], [String(ADMIN), 'private']);
    assert.deepEqual(Object.keys(add.data.chat), ['id', 'dialogId', 'type', 'name', 'entityType', 'owner', 'avatar', 'color']);
    assert.deepEqual([add.data.user.id, add.data.user.bot, add.data.user.type, add.data.language], [ADMIN, false, 'employee', 'en']);
    assert.deepEqual(Object.keys(join.data), ['bot', 'dialogId', 'chat', 'user', 'language']);
    assert.equal(join.data.dialogId, String(ADMIN));
    // Not acknowledged: answered again. A page of one says there is more.
    const page = await events(bot.id, 'tok_fetch', { limit: 1 });
    assert.deepEqual([page.events.map((e: any) => e.eventId), page.hasMore, page.nextOffset], [[join.eventId], true, join.eventId + 1]);
    // Acknowledging the join leaves the message; acknowledging everything leaves nothing, and the offset stays.
    assert.deepEqual((await events(bot.id, 'tok_fetch', { offset: page.nextOffset })).events.map((e: any) => e.eventId), [add.eventId]);
    assert.deepEqual(await events(bot.id, 'tok_fetch', { offset: first.nextOffset }), { events: [], nextOffset: first.nextOffset, hasMore: false });
    // An edit and a delete by the user, in order.
    await ok(hook, 'im.message.update', { MESSAGE_ID: msgId, MESSAGE: 'Hello again' });
    await ok(hook, 'im.message.delete', { MESSAGE_ID: msgId });
    const changed = await events(bot.id, 'tok_fetch', { offset: first.nextOffset });
    assert.deepEqual(changed.events.map((e: any) => e.type), ['ONIMBOTV2MESSAGEUPDATE', 'ONIMBOTV2MESSAGEDELETE']);
    assert.equal(changed.events[0].data.message.text, 'Hello again');
    assert.equal(changed.events[0].data.message.viewedByOthers, false);
    // Once the bot has written after it, the bot has read it: a later edit shows it viewed.
    const msg2 = await ok(hook, 'im.message.add', { DIALOG_ID: bot.id, MESSAGE: 'Read me' });
    await ok(hook, 'imbot.v2.Chat.Message.send', { botId: bot.id, botToken: 'tok_fetch', dialogId: String(ADMIN), fields: { message: 'Read.' } });
    await ok(hook, 'im.message.update', { MESSAGE_ID: msg2, MESSAGE: 'Read me, edited' });
    const viewed = (await events(bot.id, 'tok_fetch', { offset: changed.nextOffset })).events;
    assert.deepEqual(viewed.map((e: any) => [e.type, e.data.message.viewedByOthers]), [['ONIMBOTV2MESSAGEADD', false], ['ONIMBOTV2MESSAGEUPDATE', true]]);
    assert.deepEqual(Object.keys(changed.events[1].data), ['bot', 'messageId', 'chat', 'user', 'language']);
    assert.equal(changed.events[1].data.messageId, msgId);
    // Errors.
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Event.get', { botId: bot.id });
    await refused(400, 'BOT_ID_REQUIRED', hook, 'imbot.v2.Event.get', { botToken: 'tok_fetch' });
    await refused(400, 'BOT_NOT_FOUND', hook, 'imbot.v2.Event.get', { botId: 999999, botToken: 'tok_fetch' });
    await refused(403, 'BOT_OWNERSHIP_ERROR', hook, 'imbot.v2.Event.get', { botId: bot.id, botToken: 'tok_support' });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Event.get', { botId: bot.id }, appX);
    await refused(400, 'USER_NOT_SUBSCRIBED', hook, 'imbot.v2.Event.get', { botId: bot.id, botToken: 'tok_fetch', withUserEvents: true });
    const imless = await webhookFor(portal, ADMIN, 'imbot');
    await refused(403, 'SCOPE_ERROR', imless, 'imbot.v2.Event.get', { botId: bot.id, botToken: 'tok_fetch', withUserEvents: true });
  });

  test('Event.get through OAuth; in a group chat a `bot` hears mentions, a `supervisor` everything', async (t) => {
    if (skip) return t.skip(skip);
    const plain = (await register(rest, { code: 'plain' }, appX)).bot.id;
    const sup = (await register(rest, { code: 'watcher', type: 'supervisor' }, appX)).bot.id;
    const chat = await ok(hook, 'im.chat.add', { USERS: [IVAN, plain, sup], TITLE: 'Group' });
    const read = async (botId: number) => {
      const r = await ok(rest, 'imbot.v2.Event.get', { botId }, appX);
      await ok(rest, 'imbot.v2.Event.get', { botId, offset: r.nextOffset }, appX);
      return r.events;
    };
    const joined = await read(plain);
    assert.deepEqual(joined.map((e: any) => [e.type, e.data.dialogId, e.data.chat.type, e.data.chat.name]), [['ONIMBOTV2JOINCHAT', `chat${chat}`, 'chat', 'Group']]);
    // Invited to a chat that exists: the same event, naming who invited it.
    const later = await ok(annaHook, 'im.chat.add', { USERS: [IVAN], TITLE: 'Later' });
    await ok(annaHook, 'im.chat.user.add', { CHAT_ID: later, USERS: [plain] });
    assert.deepEqual((await read(plain)).map((e: any) => [e.type, e.data.dialogId, e.data.user.id]), [['ONIMBOTV2JOINCHAT', `chat${later}`, ANNA]]);
    await read(sup);
    await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'for everyone' });
    await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: `[USER=${plain}]Plain[/USER] for you` });
    assert.deepEqual((await read(plain)).map((e: any) => e.data.message.text), [`[USER=${plain}]Plain[/USER] for you`]);
    const all = await read(sup);
    assert.deepEqual(all.map((e: any) => e.data.message.text), ['for everyone', `[USER=${plain}]Plain[/USER] for you`]);
    assert.equal(all[0].data.chat.dialogId, `chat${chat}`);
  });

  test('Chat.Message.send / update / delete: the bot writes where it is a member', async (t) => {
    if (skip) return t.skip(skip);
    const { bot } = await register(hook, { code: 'writer', botToken: 'tok_w' });
    const b = { botId: bot.id, botToken: 'tok_w' };
    const sent = await ok(hook, 'imbot.v2.Chat.Message.send', {
      ...b, dialogId: String(ADMIN),
      fields: { message: '[b]Hello[/b]! How can I help?', keyboard: { BOT_ID: bot.id, BUTTONS: [{ TEXT: 'Site', LINK: 'https://example.com/' }, { TYPE: 'NEWLINE' }, { TEXT: 'Help', ACTION: 'PUT', ACTION_VALUE: '/help' }] } },
    });
    assert.deepEqual(Object.keys(sent), ['id', 'uuidMap']);
    assert.deepEqual(sent.uuidMap, {});
    const seen = async () => (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: bot.id })).messages.find((m: any) => m.id === sent.id);
    const m = await seen();
    assert.equal(m.text, '[b]Hello[/b]! How can I help?');
    assert.equal(m.author_id, bot.id);
    assert.equal(m.params.KEYBOARD.length, 3);
    // Over 20,000 characters: cut with " (...)".
    const long = await ok(hook, 'imbot.v2.Chat.Message.send', { ...b, dialogId: String(ADMIN), fields: { message: 'x'.repeat(20_005) } });
    const longText = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: bot.id })).messages.find((x: any) => x.id === long.id).text;
    assert.equal(longText, `${'x'.repeat(20_000)} (...)`);
    assert.deepEqual(await ok(hook, 'imbot.v2.Chat.Message.update', { ...b, messageId: sent.id, fields: { message: 'Edited', keyboard: 'N' } }), { result: true });
    const edited = await seen();
    assert.deepEqual([edited.text, edited.params.KEYBOARD, edited.params.IS_EDITED], ['Edited', undefined, 'Y']);
    // A user's message is not the bot's to edit; a chat it is not in is not its to write to.
    const userMsg = await ok(hook, 'im.message.add', { DIALOG_ID: bot.id, MESSAGE: 'mine' });
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.Message.update', { ...b, messageId: userMsg, fields: { message: 'x' } });
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.Message.delete', { ...b, messageId: userMsg });
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.Message.update', { ...b, messageId: 999999, fields: { message: 'x' } });
    const other = await ok(annaHook, 'im.chat.add', { USERS: [IVAN], TITLE: 'Not the bot' });
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.Message.send', { ...b, dialogId: `chat${other}`, fields: { message: 'hi' } });
    await refused(400, 'EMPTY_MESSAGE', hook, 'imbot.v2.Chat.Message.send', { ...b, dialogId: String(ADMIN), fields: { message: '  ' } });
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Chat.Message.send', { botId: bot.id, dialogId: String(ADMIN), fields: { message: 'hi' } });
    await refused(400, 'BOT_ID_REQUIRED', hook, 'imbot.v2.Chat.Message.send', { botToken: 'tok_w', dialogId: String(ADMIN), fields: { message: 'hi' } });
    await refused(400, 'BOT_NOT_FOUND', hook, 'imbot.v2.Chat.Message.send', { botId: 999999, botToken: 'tok_w', dialogId: String(ADMIN), fields: { message: 'hi' } });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Chat.Message.send', { botId: bot.id, dialogId: String(ADMIN), fields: { message: 'hi' } }, appX);
    // A chat the bot owns: it may delete anyone's message there.
    const owned = await ok(hook, 'im.chat.add', { USERS: [bot.id], TITLE: 'Owned by the bot' });
    await ok(hook, 'im.chat.setOwner', { CHAT_ID: owned, USER_ID: bot.id });
    const theirs = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${owned}`, MESSAGE: 'moderate me' });
    assert.deepEqual(await ok(hook, 'imbot.v2.Chat.Message.delete', { ...b, messageId: theirs, complete: true }), { result: true });
    assert.deepEqual(await ok(hook, 'imbot.v2.Chat.Message.delete', { ...b, messageId: sent.id, complete: false }), { result: true });
    assert.equal((await seen()).params.IS_DELETED, 'Y');
  });

  test('Command.register / update / list / unregister / answer and ONIMBOTV2COMMANDADD', async (t) => {
    if (skip) return t.skip(skip);
    const { bot } = await register(hook, { code: 'commander', botToken: 'tok_c' });
    const b = { botId: bot.id, botToken: 'tok_c' };
    const reg = await ok(hook, 'imbot.v2.Command.register', { ...b, fields: { command: 'help', title: { en: 'Show help', de: 'Hilfe' }, params: { en: '[query]' } } });
    assert.deepEqual(Object.keys(reg), ['command']);
    const { id, ...cmd } = reg.command;
    assert.deepEqual(cmd, { botId: bot.id, command: '/help', common: false, hidden: false, extranetSupport: false });
    // Idempotent: the same word answers the same command, unchanged.
    assert.equal((await ok(hook, 'imbot.v2.Command.register', { ...b, fields: { command: '/help', title: { en: 'Other' } } })).command.id, id);
    // The legacy flat format.
    const flat = await ok(hook, 'imbot.v2.Command.register', { ...b, command: 'flat', hidden: true });
    assert.deepEqual([flat.command.command, flat.command.hidden], ['/flat', true]);
    await refused(400, 'COMMAND_REQUIRED', hook, 'imbot.v2.Command.register', { ...b, fields: { title: { en: 'x' } } });
    await refused(400, 'COMMAND_NAME_INVALID', hook, 'imbot.v2.Command.register', { ...b, fields: { command: { a: 1 }, title: { en: 'x' } } });
    await refused(400, 'COMMAND_TITLE_REQUIRED', hook, 'imbot.v2.Command.register', { ...b, fields: { command: 'visible' } });
    await refused(400, 'BOT_TOKEN_NOT_SPECIFIED', hook, 'imbot.v2.Command.register', { botId: bot.id, fields: { command: 'x', title: { en: 'x' } } });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Command.register', { botId: bot.id, fields: { command: 'x', title: { en: 'x' } } }, appX);

    const up = await ok(hook, 'imbot.v2.Command.update', { ...b, commandId: id, fields: { common: true, title: { de: 'Neu', en: null, fr: 'Aide' } } });
    assert.equal(up.command.common, true);
    await refused(400, 'COMMAND_NOT_FOUND', hook, 'imbot.v2.Command.update', { ...b, commandId: 999999, fields: {} });
    await refused(400, 'COMMAND_NAME_EMPTY', hook, 'imbot.v2.Command.update', { ...b, commandId: id, fields: { command: '' } });
    await refused(400, 'COMMAND_ALREADY_EXISTS', hook, 'imbot.v2.Command.update', { ...b, commandId: id, fields: { command: 'flat' } });

    const list = await ok(hook, 'imbot.v2.Command.list', b);
    assert.deepEqual(list.commands.map((x: any) => [x.command, x.title, x.params, x.category, x.common]), [
      ['/help', 'Neu', '[query]', `Bot ${seq}`, true], ['/flat', '', '', `Bot ${seq}`, false],
    ]);
    assert.deepEqual(Object.keys(list.commands[0]), ['id', 'botId', 'command', 'common', 'hidden', 'extranetSupport', 'title', 'params', 'category', 'context']);

    // Typed in a chat the bot is in: ONIMBOTV2COMMANDADD (not MESSAGEADD), answered into that dialog.
    const chat = await ok(hook, 'im.chat.add', { USERS: [bot.id], TITLE: 'Commands' });
    const typed = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: '/help topic' });
    const got = await events(bot.id, 'tok_c');
    const called = got.events.filter((e: any) => e.type !== 'ONIMBOTV2JOINCHAT');
    assert.deepEqual(called.map((e: any) => e.type), ['ONIMBOTV2COMMANDADD']);
    assert.deepEqual(called[0].data.command, { id, command: '/help', params: 'topic', context: 'textarea' });
    assert.deepEqual(Object.keys(called[0].data), ['bot', 'command', 'message', 'chat', 'user', 'language']);
    assert.equal(called[0].data.message.id, typed);
    const answer = { ...b, commandId: id, messageId: typed, dialogId: `chat${chat}` };
    assert.deepEqual(await ok(hook, 'imbot.v2.Command.answer', { ...answer, fields: { message: 'Here is help' } }), { result: true });
    const texts = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` })).messages.map((m: any) => m.text);
    assert.ok(texts.includes('Here is help'));
    await refused(400, 'COMMAND_ANSWER_FAILED', hook, 'imbot.v2.Command.answer', { ...answer, dialogId: String(ANNA), fields: { message: 'x' } });
    await refused(400, 'COMMAND_ANSWER_FAILED', hook, 'imbot.v2.Command.answer', { ...answer, messageId: typed + 1000, fields: { message: 'x' } });
    await refused(400, 'COMMAND_ANSWER_FAILED', hook, 'imbot.v2.Command.answer', { ...answer, fields: {} });

    // A keyboard button of the bot's answer calls the command too, with context `keyboard`.
    const withButton = await ok(hook, 'imbot.v2.Chat.Message.send', { ...b, dialogId: `chat${chat}`, fields: { message: 'More?', keyboard: [{ TEXT: 'More', COMMAND: 'help', COMMAND_PARAMS: 'more' }] } });
    await ok(hook, 'im.message.command', { MESSAGE_ID: withButton.id, BOT_ID: bot.id, COMMAND: 'help', COMMAND_PARAMS: 'more' });
    const pressed = (await events(bot.id, 'tok_c', { offset: got.nextOffset })).events;
    assert.deepEqual(pressed.map((e: any) => [e.type, e.data.command.params, e.data.command.context, e.data.message.id]), [['ONIMBOTV2COMMANDADD', 'more', 'keyboard', withButton.id]]);
    assert.deepEqual(await ok(hook, 'imbot.v2.Command.unregister', { ...b, commandId: id }), { result: true });
    await refused(400, 'COMMAND_NOT_FOUND', hook, 'imbot.v2.Command.unregister', { ...b, commandId: id });
    assert.deepEqual((await ok(hook, 'imbot.v2.Command.list', b)).commands.map((x: any) => x.command), ['/flat']);
  });

  test("through an OAuth app's token, without botToken: Bot.get / update / unregister, Event.get, messages and commands", async (t) => {
    if (skip) return t.skip(skip);
    const { bot } = await register(rest, { code: 'oauth_all', eventMode: 'fetch' }, appX);
    const b = { botId: bot.id };
    assert.equal((await ok(rest, 'imbot.v2.Bot.get', b, appX)).bot.eventMode, 'fetch');
    assert.equal((await ok(rest, 'imbot.v2.Bot.get', { code: 'oauth_all' }, appX)).bot.id, bot.id);
    // Another app sees the brief object.
    assert.equal((await ok(rest, 'imbot.v2.Bot.get', b, appY)).bot.eventMode, undefined);
    assert.equal((await ok(rest, 'imbot.v2.Bot.update', { ...b, fields: { properties: { workPosition: 'OAuth' } } }, appX)).users[0].workPosition, 'OAuth');
    // An app's bot has no botToken to rotate.
    await refused(400, 'BOT_TOKEN_ROTATION_FAILED', rest, 'imbot.v2.Bot.update', { ...b, fields: { botToken: 'new_one' } }, appX);
    const chat = await ok(hook, 'im.chat.add', { USERS: [bot.id], TITLE: 'OAuth chat' });
    await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: `[USER=${bot.id}]bot[/USER] hi` });
    const got = await ok(rest, 'imbot.v2.Event.get', b, appX);
    assert.deepEqual(got.events.map((e: any) => e.type), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
    const sent = await ok(rest, 'imbot.v2.Chat.Message.send', { ...b, dialogId: `chat${chat}`, fields: { message: 'from OAuth' } }, appX);
    assert.deepEqual(await ok(rest, 'imbot.v2.Chat.Message.update', { ...b, messageId: sent.id, fields: { message: 'edited by OAuth' } }, appX), { result: true });
    assert.deepEqual(await ok(rest, 'imbot.v2.Chat.Message.delete', { ...b, messageId: sent.id }, appX), { result: true });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Chat.Message.delete', { ...b, messageId: sent.id }, appY);
    const cmd = (await ok(rest, 'imbot.v2.Command.register', { ...b, fields: { command: 'go', title: { en: 'Go' } } }, appX)).command;
    assert.deepEqual((await ok(rest, 'imbot.v2.Command.list', b, appX)).commands.map((x: any) => x.id), [cmd.id]);
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Command.list', b, appY);
    assert.deepEqual(await ok(rest, 'imbot.v2.Command.unregister', { ...b, commandId: cmd.id }, appX), { result: true });
    await refused(403, 'BOT_OWNERSHIP_ERROR', rest, 'imbot.v2.Bot.unregister', b, appY);
    assert.deepEqual(await ok(rest, 'imbot.v2.Bot.unregister', b, appX), { result: true });
    await refused(400, 'BOT_NOT_FOUND', rest, 'imbot.v2.Event.get', b, appX);
  });

  test("a webhook-mode bot's undelivered events follow it to a new webhookUrl, or into its fetch log", async (t) => {
    if (skip) return t.skip(skip);
    const db = portal.portal.db;
    const nobody = `http://127.0.0.1:${await freePort()}/`;
    const openFor = async (botId: number) => (await db.selectFrom('outbox').innerJoin('bots', 'bots.app_id', 'outbox.app_id').select('outbox.event')
      .where('bots.id', '=', botId).where('outbox.status', 'in', ['pending', 'dead']).execute()).map((r) => r.event);
    // To fetch: what waited for the dead URL is in the log, in order; the outbox holds nothing for it.
    const a = (await register(hook, { code: 'moving_a', botToken: 'tok_ma', eventMode: 'webhook', webhookUrl: nobody })).bot.id;
    await ok(annaHook, 'im.message.add', { DIALOG_ID: a, MESSAGE: 'are you there?' });
    await waitFor('a failed attempt', async () => (await db.selectFrom('outbox').select('id').where('handler_url', '=', nobody).where('attempts', '>', 0).execute()).length > 0);
    await ok(hook, 'imbot.v2.Bot.update', { botId: a, botToken: 'tok_ma', fields: { eventMode: 'fetch' } });
    assert.deepEqual(await openFor(a), []);
    const moved = await events(a, 'tok_ma');
    assert.deepEqual(moved.events.map((e: any) => [e.type, e.data.message?.text]), [['ONIMBOTV2JOINCHAT', undefined], ['ONIMBOTV2MESSAGEADD', 'are you there?']]);
    assert.equal(moved.events[1].data.bot.eventMode, 'fetch');
    // To a new URL: the new handler gets them, the old one nothing more.
    const b = (await register(hook, { code: 'moving_b', botToken: 'tok_mb', eventMode: 'webhook', webhookUrl: nobody })).bot.id;
    await ok(annaHook, 'im.message.add', { DIALOG_ID: b, MESSAGE: 'hello?' });
    const recorder = await eventRecorder();
    try {
      await ok(hook, 'imbot.v2.Bot.update', { botId: b, botToken: 'tok_mb', fields: { webhookUrl: recorder.url } });
      await waitFor('both events at the new URL', async () => recorder.received.length >= 2);
      assert.deepEqual(recorder.received.map((r) => r.event), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
      // The dispatcher marks a row sent after the handler has answered: wait for it, then nothing is left open.
      await waitFor('the outbox settled', async () => (await openFor(b)).length === 0);
    } finally {
      await recorder.close();
    }
  });

  test('Chat.Message.send through OAuth with an attach; Revision.get', async (t) => {
    if (skip) return t.skip(skip);
    const { bot } = await register(rest, { code: 'attacher' }, appX);
    const chat = await ok(hook, 'im.chat.add', { USERS: [bot.id], TITLE: 'With attach' });
    const sent = await ok(rest, 'imbot.v2.Chat.Message.send', { botId: bot.id, dialogId: `chat${chat}`, fields: { attach: [{ MESSAGE: 'an attach' }], system: 'N', urlPreview: false } }, appX);
    const m = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` })).messages.find((x: any) => x.id === sent.id);
    assert.equal(m.params.ATTACH[0].BLOCKS[0].MESSAGE, 'an attach');
    assert.deepEqual(await ok(hook, 'imbot.v2.Revision.get', {}), { rest: 36, web: 117, mobile: 9, desktop: 5 });
  });
});
}
