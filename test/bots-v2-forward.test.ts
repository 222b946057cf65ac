/**
 * imbot.v2.Chat.Message.send's forwardIds and templateId over real HTTP on SQLite and PostgreSQL:
 * forwarded copies carry text, attach and files (readable by members of the new chat only) with
 * where they came from (FORWARD_* params, the Message object's `forward`) and `uuidMap`; only
 * messages the bot sees may be forwarded (ACCESS_DENIED, nothing posted), at most 100
 * (TOO_MANY_FORWARDS); a templateId sent again into the same dialog answers the first message
 * (also when the two sends race, on PostgreSQL).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;
const MARIA = 4;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`imbot.v2 forwardIds and templateId on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let hook: string;
  let anna: string;
  let ivan: string;
  let bot: number;
  let source: number;
  let target: string;
  let targetId: number;
  let withFile: number;
  let plain: number;
  let foreign: number;

  const send = (fields: Record<string, unknown>, dialogId = target) => call(hook, 'imbot.v2.Chat.Message.send', { botId: bot, botToken: 'fw_tok', dialogId, fields });
  const messages = async (base: string, dialogId: string) => (await ok(base, 'im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: 50 })).messages as any[];

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    hook = await webhookFor(portal, ADMIN, 'imbot,im');
    anna = await webhookFor(portal, ANNA, 'im');
    ivan = await webhookFor(portal, IVAN, 'im');
    const maria = await webhookFor(portal, MARIA, 'im');
    bot = (await ok(hook, 'imbot.v2.Bot.register', { botToken: 'fw_tok', fields: { code: 'forwarder', eventMode: 'fetch', properties: { name: 'Forwarder' } } })).bot.id;
    source = await ok(anna, 'im.chat.add', { USERS: [bot, MARIA], TITLE: 'Source room' });
    withFile = (await ok(anna, 'im.v2.File.upload', { dialogId: `chat${source}`, fields: { name: 'notes.txt', content: Buffer.from('forwarded bytes').toString('base64'), message: 'see the [b]notes[/b]' } })).messageId;
    plain = await ok(anna, 'im.message.add', { DIALOG_ID: `chat${source}`, MESSAGE: 'second', ATTACH: [{ MESSAGE: 'an attach line' }] });
    foreign = await ok(maria, 'im.message.add', { DIALOG_ID: String(ANNA), MESSAGE: 'private, the bot is not there' });
    const made = await ok(hook, 'imbot.v2.Chat.add', { botId: bot, botToken: 'fw_tok', fields: { title: 'Target room', userIds: [ANNA, IVAN] } });
    target = made.chat.dialogId;
    targetId = made.chat.id;
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('a message with two forwarded ones: uuidMap, FORWARD_* params, the text, attach and a copy of the file', async (t) => {
    if (skip) return t.skip(skip);
    const r = await send({ message: 'Look at these', forwardIds: { 'a-1': withFile, 'b-2': plain } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { id, uuidMap } = r.body.result;
    assert.deepEqual(Object.keys(uuidMap), ['a-1', 'b-2']);
    const list = await messages(ivan, target);
    const [own, first, second] = [id, uuidMap['a-1'], uuidMap['b-2']].map((mid) => list.find((m) => m.id === mid));
    assert.ok(own.id < first.id && first.id < second.id, 'the message, then the forwarded ones in order');
    assert.equal(own.text, 'Look at these');
    assert.equal(own.params.FORWARD_ID, undefined);
    assert.deepEqual([first.text, first.author_id], ['see the [b]notes[/b]', bot]);
    assert.deepEqual(
      [first.params.FORWARD_ID, first.params.FORWARD_CONTEXT_ID, first.params.FORWARD_USER_ID, first.params.FORWARD_CHAT_TITLE],
      [withFile, `chat${source}/${withFile}`, ANNA, undefined],
    );
    assert.equal(second.params.ATTACH[0].BLOCKS[0].MESSAGE ?? second.params.ATTACH[0].MESSAGE, 'an attach line');
    // Ivan was never in the source room, yet reads the forwarded file: it is a copy in the target chat.
    const [fileId] = first.params.FILE_ID;
    const link = await ok(ivan, 'im.v2.File.download', { dialogId: target, fileId });
    const bytes = await fetch(link.downloadUrl);
    assert.equal(await bytes.text(), 'forwarded bytes');
    assert.notEqual(fileId, (await messages(anna, `chat${source}`)).find((m) => m.id === withFile).params.FILE_ID[0]);
    // A forwarded copy forwarded again still names the first original.
    const again = await send({ forwardIds: { c: first.id } });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    const copy = (await messages(ivan, target)).find((m) => m.id === again.body.result.id);
    assert.equal(again.body.result.id, again.body.result.uuidMap.c, 'nothing of its own: id is the forwarded one');
    assert.equal(copy.params.FORWARD_CONTEXT_ID, `chat${source}/${withFile}`);
    // The Message object (a supervisor bot's Chat.Message.get) carries `forward`.
    const sup = (await ok(hook, 'imbot.v2.Bot.register', { botToken: 'sup_tok', fields: { code: 'fw_sup', type: 'supervisor', eventMode: 'fetch', properties: { name: 'Sup' } } })).bot.id;
    await ok(anna, 'im.chat.user.add', { CHAT_ID: targetId, USERS: [sup] });
    const got = await ok(hook, 'imbot.v2.Chat.Message.get', { botId: sup, botToken: 'sup_tok', messageId: first.id });
    assert.equal(got.message.forward.id, `chat${source}/${withFile}`);
    assert.equal(got.message.forward.userId, ANNA);
    assert.equal(got.message.forward.chatId, source);
    assert.match(got.message.forward.date, /^\d{4}-\d\d-\d\dT/);
  });

  test('the origin as Bitrix24 words it: a private dialog is <companion>:<forwarder>, an open chat tells its title, a closed one not', async (t) => {
    if (skip) return t.skip(skip);
    const inPrivate = await ok(anna, 'im.message.add', { DIALOG_ID: String(bot), MESSAGE: 'just between us' });
    const open = await ok(anna, 'im.chat.add', { TYPE: 'OPEN', USERS: [bot], TITLE: 'Town square' });
    const inOpen = await ok(anna, 'im.message.add', { DIALOG_ID: `chat${open}`, MESSAGE: 'for everyone' });
    const r = await send({ forwardIds: { p: inPrivate, o: inOpen, c: plain } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const list = await messages(ivan, target);
    const params = (key: string) => list.find((m) => m.id === r.body.result.uuidMap[key]).params;
    assert.deepEqual([params('p').FORWARD_CONTEXT_ID, params('p').FORWARD_CHAT_TITLE], [`${ANNA}:${bot}/${inPrivate}`, undefined]);
    assert.deepEqual([params('o').FORWARD_CONTEXT_ID, params('o').FORWARD_CHAT_TITLE], [`chat${open}/${inOpen}`, 'Town square']);
    assert.deepEqual([params('c').FORWARD_CONTEXT_ID, params('c').FORWARD_CHAT_TITLE], [`chat${source}/${plain}`, undefined], 'a closed chat\'s title stays in it');
  });

  test('refusals: a message the bot does not see (nothing posted), over 100, and no content at all', async (t) => {
    if (skip) return t.skip(skip);
    const before = (await messages(ivan, target)).length;
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.Message.send', { botId: bot, botToken: 'fw_tok', dialogId: target, fields: { message: 'with a foreign one', forwardIds: { x: plain, y: foreign } } });
    await refused(403, 'ACCESS_DENIED', hook, 'imbot.v2.Chat.Message.send', { botId: bot, botToken: 'fw_tok', dialogId: target, fields: { forwardIds: { x: 987654321 } } });
    assert.equal((await messages(ivan, target)).length, before, 'the text was rolled back with the refused forward');
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, plain]));
    await refused(400, 'TOO_MANY_FORWARDS', hook, 'imbot.v2.Chat.Message.send', { botId: bot, botToken: 'fw_tok', dialogId: target, fields: { forwardIds: many } });
    await refused(400, 'EMPTY_MESSAGE', hook, 'imbot.v2.Chat.Message.send', { botId: bot, botToken: 'fw_tok', dialogId: target, fields: { forwardIds: {} } });
  });

  test('templateId: a second send of one key into a dialog answers the first message; another dialog is new', async (t) => {
    if (skip) return t.skip(skip);
    const first = await send({ message: 'exactly once', templateId: '2d1f6c1e-0b7a-4a55-9d57-2a1c3f0b9e11' });
    const second = await send({ message: 'exactly once (retried)', templateId: '2d1f6c1e-0b7a-4a55-9d57-2a1c3f0b9e11' });
    assert.equal(second.body.result.id, first.body.result.id);
    const list = await messages(ivan, target);
    assert.equal(list.filter((m) => m.text.startsWith('exactly once')).length, 1);
    assert.equal(list.find((m) => m.id === first.body.result.id).uuid, '2d1f6c1e-0b7a-4a55-9d57-2a1c3f0b9e11');
    const elsewhere = await send({ message: 'exactly once', templateId: '2d1f6c1e-0b7a-4a55-9d57-2a1c3f0b9e11' }, String(ANNA));
    assert.notEqual(elsewhere.body.result.id, first.body.result.id);
    // Sent at once, five times: one message, one id.
    const raced = await Promise.all(Array.from({ length: 5 }, () => send({ message: 'raced', templateId: 'race-key' })));
    assert.ok(raced.every((r) => r.status === 200), JSON.stringify(raced.map((r) => r.body)));
    assert.equal(new Set(raced.map((r) => r.body.result.id)).size, 1);
    assert.equal((await messages(ivan, target)).filter((m) => m.text === 'raced').length, 1);
  });
});
}
