/**
 * A message that shows nothing once its BB-code is gone (`[b][/b]`, `[i] [/i]`) is refused as an
 * empty one — MESSAGE_EMPTY on im.message.add and imbot.message.add, EMPTY_MESSAGE (the v2 code) on
 * imbot.v2.Chat.Message.send — over real HTTP on SQLite and PostgreSQL, and nothing is stored; with an
 * ATTACH, a KEYBOARD or a file the same text goes through.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm } from './helpers/portal.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { ok, refused } from './helpers/v2-rest.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const ANNA = 2;
const IVAN = 3;
const BLANK = ['[b][/b]', '[i] [/i]', '[b]\u200b[/b][br]#BR#', '[u][s] [/s][/u]', '[code]  \n [/code]', '[quote][/quote]', '[color=#f00] [/color]'];
const KEYBOARD = JSON.stringify([{ TEXT: 'Yes', COMMAND: 'yes' }]);
const ATTACH = JSON.stringify([{ MESSAGE: 'from the attachment' }]);

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`a message empty after formatting on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let anna: string;
  let ivan: string;
  let botId: number;

  /** Ids of Ivan's dialog with Anna, newest last. */
  const history = async () => expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: ANNA, LIMIT: 50 })).messages.map((m: any) => m.id);

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    anna = await webhookFor(portal, ANNA, 'imbot,im');
    ivan = await webhookFor(portal, IVAN, 'im');
    botId = expectOk(await restForm(anna, 'imbot.register', { CLIENT_ID: 'empty', CODE: 'empty', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Empty' } }));
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('im.message.add: MESSAGE_EMPTY (400) for tags around nothing, and nothing stored', async (t) => {
    if (skip) return t.skip(skip);
    const before = await history();
    for (const text of BLANK) {
      const r = await restForm(anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: text });
      expectError(r, 400, 'MESSAGE_EMPTY');
      assert.equal(r.body.error_description, "Message can't be empty", JSON.stringify(text));
    }
    assert.deepEqual(await history(), before);
  });

  test('im.message.add: the same text with an ATTACH or a KEYBOARD, or with something to see, is a message', async (t) => {
    if (skip) return t.skip(skip);
    const sent = [
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: '[b][/b]', ATTACH })),
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: '[b][/b]', KEYBOARD })),
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: '[b]x[/b]' })),
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: '[code]0[/code]' })),
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: `[user=${IVAN}][/user]` })),
    ];
    const ids = await history();
    for (const id of sent) assert.ok(ids.includes(id));
    // An empty text is still refused with a KEYBOARD alone, as Bitrix24 refuses it.
    expectError(await restForm(anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: '', KEYBOARD }), 400, 'MESSAGE_EMPTY');
  });

  test('imbot.message.add: MESSAGE_EMPTY for tags around nothing; with a KEYBOARD it is sent', async (t) => {
    if (skip) return t.skip(skip);
    const base = { CLIENT_ID: 'empty', BOT_ID: botId, DIALOG_ID: IVAN };
    for (const text of BLANK) expectError(await restForm(anna, 'imbot.message.add', { ...base, MESSAGE: text }), 400, 'MESSAGE_EMPTY');
    expectOk(await restForm(anna, 'imbot.message.add', { ...base, MESSAGE: '[i] [/i]', KEYBOARD }));
  });

  test('imbot.v2.Chat.Message.send: EMPTY_MESSAGE, its documented code, for tags around nothing', async (t) => {
    if (skip) return t.skip(skip);
    const v2 = (await ok(anna, 'imbot.v2.Bot.register', { fields: { code: 'empty_v2', botToken: 'tok', eventMode: 'fetch', properties: { name: 'V2' } } })).bot.id;
    const send = (fields: Record<string, unknown>) => ({ botId: v2, botToken: 'tok', dialogId: String(IVAN), fields });
    for (const message of BLANK) await refused(400, 'EMPTY_MESSAGE', anna, 'imbot.v2.Chat.Message.send', send({ message }));
    assert.ok((await ok(anna, 'imbot.v2.Chat.Message.send', send({ message: '[b][/b]', keyboard: [{ TEXT: 'Go', COMMAND: 'go' }] }))).id > 0);
    assert.ok((await ok(anna, 'imbot.v2.Chat.Message.send', send({ message: '[b]go[/b]' }))).id > 0);
  });

  test('a file with a blank caption is a message', async (t) => {
    if (skip) return t.skip(skip);
    const up = await ok(anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { name: 'a.txt', content: Buffer.from('hi').toString('base64'), message: '[b][/b]' } });
    assert.ok((await history()).includes(up.messageId));
  });
});
}
