/**
 * Network lines on one portal, over real HTTP: imopenlines.network.join gives a person a dialog with
 * the line's bot (greeted once, the same bot on a second join); what they write there becomes a
 * session offered to the line's operator, whose answer comes back as the bot's message, signed; a
 * line writes to a person unasked once a week (imopenlines.network.message.add), only through its
 * operators and administrators; every documented refusal. On SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson, waitFor } from './helpers/portal.ts';
import { addUser, portalSuite, webhookFor, type Dialect, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`network lines on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    let admin: string;
    let annId: number;
    let ann: string;
    let boris: string;
    let borisId: number;
    let lineId: number;
    let code: string;

    before(async () => {
      const s = await portalSuite(dialect);
      if ('skip' in s) return void (skip = s.skip);
      p = s;
      admin = await webhookFor(p, 1, 'imopenlines,im');
      annId = await addUser(p, { name: 'Ann', lastName: 'Helpdesk' });
      ann = await webhookFor(p, annId, 'imopenlines,im');
      borisId = await addUser(p, { name: 'Boris', lastName: 'Asks' });
      boris = await webhookFor(p, borisId, 'imopenlines,im');
      lineId = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'IT helpdesk', QUEUE: [annId], WELCOME_MESSAGE_TEXT: 'IT helpdesk here.' } }));
      code = expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: lineId })).NETWORK_CODE;
    });
    after(() => p?.close());

    const messages = async (hook: string, dialog: string | number) =>
      (expectOk(await restForm(hook, 'im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 50 })).messages as { id: number; text: string; author_id: number }[]).reverse();

    test('join, write, the operator answers, the answer comes back from the line\'s bot', async (t) => {
      if (skip) return t.skip(skip);
      assert.match(code, /^[0-9a-f]{32}$/);
      const botId = expectOk(await restForm(boris, 'imopenlines.network.join', { CODE: code }));
      assert.ok(Number.isInteger(botId) && botId > 0);
      assert.equal(expectOk(await restForm(boris, 'imopenlines.network.join', { CODE: code.toUpperCase() })), botId, 'the same bot on a second join');
      let mine = await messages(boris, botId);
      assert.deepEqual(mine.map((m) => [m.author_id, m.text]), [[botId, 'IT helpdesk here.']], 'greeted once');

      expectOk(await restForm(boris, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'My laptop does not start' }));
      // The session is offered to Ann: a line chat she is in, with Boris's message from his customer user.
      const recent = await waitFor('a line chat for Ann', async () => {
        const chats = await p.portal.db.selectFrom('chat_members').innerJoin('chats', 'chats.id', 'chat_members.chat_id')
          .select(['chats.id', 'chats.type', 'chats.entity_id', 'chats.title']).where('chat_members.user_id', '=', annId).where('chats.type', '=', 'L').execute();
        return chats.length === 1 && chats[0];
      });
      assert.match(recent.entity_id, new RegExp(`^network\\|${lineId}\\|${borisId}\\|\\d+$`));
      assert.equal(recent.title, 'Boris Asks - IT helpdesk');
      const inLine = await messages(ann, `chat${recent.id}`);
      const asked = inLine.find((m) => m.text === 'My laptop does not start');
      assert.ok(asked && asked.author_id !== borisId, 'a customer user of his own stands for Boris in the line');

      expectOk(await restForm(ann, 'im.message.add', { DIALOG_ID: `chat${recent.id}`, MESSAGE: 'Hold the power button for 10 s' }));
      mine = await messages(boris, botId);
      assert.deepEqual(mine.at(-1), { ...mine.at(-1)!, author_id: botId, text: '[b]Ann Helpdesk:[/b] [br]Hold the power button for 10 s' });
    });

    test('the line writes to a person once a week, through its operators only', async (t) => {
      if (skip) return t.skip(skip);
      const carl = await addUser(p, { name: 'Carl', lastName: 'Reads' });
      const carlHook = await webhookFor(p, carl, 'im');
      expectOk(await restForm(ann, 'imopenlines.network.message.add', { CODE: code, USER_ID: carl, MESSAGE: 'Maintenance tonight at 22:00', KEYBOARD: [{ TEXT: 'Status page', LINK: 'https://status.example.com' }] }));
      const bot = (await p.portal.db.selectFrom('ol_lines').select('network_bot_id').where('id', '=', lineId).executeTakeFirstOrThrow()).network_bot_id;
      const got = await messages(carlHook, bot);
      assert.equal(got.at(-1)!.text, 'Maintenance tonight at 22:00');
      expectError(await restForm(ann, 'imopenlines.network.message.add', { CODE: code, USER_ID: carl, MESSAGE: 'again' }), 400, 'USER_MESSAGE_LIMIT');
      // Boris is no operator of the line: knowing its code is not enough to speak as it.
      expectError(await restForm(boris, 'imopenlines.network.message.add', { CODE: code, USER_ID: annId, MESSAGE: 'hi' }), 403, 'ACCESS_DENIED');
      expectError(await restJson(ann, 'imopenlines.network.message.add', { CODE: code, USER_ID: borisId, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'Run', COMMAND: 'run' }] }), 400, 'KEYBOARD_ERROR');
      expectError(await restForm(ann, 'imopenlines.network.message.add', { CODE: code, MESSAGE: 'x' }), 400, 'USER_ID_EMPTY');
      expectError(await restForm(ann, 'imopenlines.network.message.add', { CODE: code, USER_ID: bot, MESSAGE: 'x' }), 400, 'USER_ID_EMPTY');
      expectError(await restForm(ann, 'imopenlines.network.message.add', { CODE: code, USER_ID: borisId, MESSAGE: '' }), 400, 'MESSAGE_EMPTY');
    });

    test('a missing, malformed, unknown or inactive code is refused as documented', async (t) => {
      if (skip) return t.skip(skip);
      expectError(await restForm(boris, 'imopenlines.network.join', {}), 400, 'CODE');
      expectError(await restForm(boris, 'imopenlines.network.join', { CODE: 'not-a-code' }), 400, 'CODE');
      const unknown = await restForm(boris, 'imopenlines.network.join', { CODE: '0'.repeat(32) });
      expectError(unknown, 400, 'NOT_FOUND');
      assert.equal(unknown.body.error_description, 'Line not found');
      const off = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Closed desk', ACTIVE: 'N' } }));
      const offCode = expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: off })).NETWORK_CODE;
      expectError(await restForm(boris, 'imopenlines.network.join', { CODE: offCode }), 400, 'INACTIVE');
      expectError(await restForm(await webhookFor(p, borisId, 'im'), 'imopenlines.network.join', { CODE: code }), 401, 'insufficient_scope');
    });
  });
}
