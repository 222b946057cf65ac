/**
 * Where a Chatbots 2.0 bot shows, over real HTTP on SQLite and PostgreSQL: one registered with
 * isHidden is found by nobody's search; a `personal` one only by those with access to it (its owner,
 * an administrator, people in a chat with it); other bots by everyone. A bot's backgroundId is its
 * private dialogs' background (im.dialog.get background_id, the Chat object's backgroundId).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ok } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;
const MARIA = 4;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`v2 bots in search and their backgrounds on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  const hooks: Record<number, string> = {};
  const ids: Record<string, number> = {};

  const found = async (who: number, phrase: string) => Object.keys(await ok(hooks[who], 'im.search.user.list', { FIND: phrase }) || {}).map(Number);

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    for (const id of [ADMIN, ANNA, IVAN, MARIA]) hooks[id] = await webhookFor(portal, id, 'imbot,im');
    const reg = async (who: number, code: string, fields: Record<string, unknown>) =>
      (ids[code] = (await ok(hooks[who], 'imbot.v2.Bot.register', { botToken: `${code}_tok`, fields: { code, eventMode: 'fetch', properties: { name: `Zebra ${code}` }, ...fields } })).bot.id);
    await reg(ANNA, 'plainbot', {});
    await reg(ANNA, 'hiddenbot', { isHidden: true });
    await reg(ANNA, 'mybot', { type: 'personal', backgroundId: 'mint' });
    await reg(ANNA, 'oddbg', { backgroundId: 'no-such-background' });
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('search: hidden for all, personal for its owner, administrators and people who share a chat with it', async (t) => {
    if (skip) return t.skip(skip);
    const { plainbot, hiddenbot, mybot } = ids;
    assert.deepEqual((await found(ANNA, 'zebra')).sort(), [plainbot, mybot, ids.oddbg].sort());
    assert.deepEqual((await found(ADMIN, 'zebra')).sort(), [plainbot, mybot, ids.oddbg].sort());
    assert.deepEqual((await found(IVAN, 'zebra')).sort(), [plainbot, ids.oddbg].sort());
    assert.ok(!(await found(MARIA, 'zebra')).includes(hiddenbot));
    // Ivan comes to share a chat with the personal bot: now it is his to find.
    await ok(hooks[ANNA], 'im.chat.add', { USERS: [IVAN, mybot], TITLE: 'With my assistant' });
    assert.ok((await found(IVAN, 'zebra')).includes(mybot));
    assert.ok(!(await found(MARIA, 'zebra')).includes(mybot));
    // The hidden one is still a bot one can talk to where a dialog with it exists.
    assert.ok(await ok(hooks[MARIA], 'im.message.add', { DIALOG_ID: String(hiddenbot), MESSAGE: 'found you anyway' }));
  });

  test('backgroundId: the background of the bot\'s private dialogs, null elsewhere and for an unknown name', async (t) => {
    if (skip) return t.skip(skip);
    const { mybot, oddbg, plainbot } = ids;
    assert.equal((await ok(hooks[ANNA], 'im.dialog.get', { DIALOG_ID: String(mybot) })).background_id, 'mint');
    assert.equal((await ok(hooks[ANNA], 'im.dialog.get', { DIALOG_ID: String(oddbg) })).background_id, null);
    assert.equal((await ok(hooks[ANNA], 'im.dialog.get', { DIALOG_ID: String(plainbot) })).background_id, null);
    const chat = (await ok(hooks[ANNA], 'imbot.v2.Chat.get', { botId: mybot, botToken: 'mybot_tok', dialogId: String(ANNA) })).chat;
    assert.equal(chat.backgroundId, 'mint');
    const group = await ok(hooks[ANNA], 'im.chat.add', { USERS: [mybot], TITLE: 'Group' });
    assert.equal((await ok(hooks[ANNA], 'im.dialog.get', { DIALOG_ID: `chat${group}` })).background_id, null);
    await ok(hooks[ANNA], 'imbot.v2.Bot.update', { botId: mybot, botToken: 'mybot_tok', fields: { backgroundId: 'peach' } });
    assert.equal((await ok(hooks[ANNA], 'im.dialog.get', { DIALOG_ID: String(mybot) })).background_id, 'peach');
  });
});
}
