/**
 * Bots in open lines, with the ITR-style menu bot (test/fixtures/itr-menu-bot.mjs) as a real process
 * installed as an app (scopes imbot, imopenlines, im), registered TYPE=O and chosen as the line's
 * welcome bot: it joins each new session with the seed's line-chat payload (CHAT_TYPE L,
 * CHAT_ENTITY_TYPE LINES, USER_CODE, the customer with IS_CONNECTOR=Y), answers its numbered menus,
 * hands over to the queue (bot.session.operator), transfers to a person or to another open-line bot
 * (bot.session.transfer),
 * finishes (bot.session.message.send + bot.session.finish); "0" goes to the queue with no bot code;
 * WELCOME_BOT_TIME hands over by itself. On SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, botEvents as echoEvents, echoBot, spawnListening, waitFor, type Child } from './helpers/portal.ts';
import { addApp, addUser, installEchoBot, portalSuite, type Dialect, type TestPortal } from './helpers/suite.ts';
import { connector, customerSays, membersOf, textsOf } from './helpers/lines.ts';
import { createLine } from '../src/domain/lines/lines.ts';
import { findSession, STATUS } from '../src/domain/lines/sessions.ts';
import type { Connector } from '../src/domain/lines/connectors.ts';

const MAIN = 'Hello! I am the ITR bot. Send a number:[br]1. Opening hours[br]2. Delivery[br]3. Talk to our manager[br]4. Finish the conversation[br]5. Talk to Marta, our other bot[br]0. Wait operator answer';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`bots in open lines on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    let bot: Child;
    let botId: number;
    let ann: number;
    let lineId: number;
    let c: Connector;
    let who = 0;

    before(async () => {
      const s = await portalSuite(dialect, { linesTickMs: 50 });
      if ('skip' in s) return void (skip = s.skip);
      p = s;
      ann = await addUser(p, { name: 'Ann', lastName: 'Manager' });
      bot = await spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/itr-menu-bot.mjs'), '0'], { TRANSFER_USER: String(ann) });
      const app = await addApp(p, { name: 'ITR', handler: bot.url, scope: 'imbot,imopenlines,im' });
      botId = (await waitFor('the ITR bot registered', async () => p.portal.db.selectFrom('bots').select(['id', 'type', 'openline']).where('app_id', '=', app.id).executeTakeFirst())).id;
      lineId = await createLine(p.portal.db, 1, { name: 'Shop', queue: [{ type: 'user', id: ann }], params: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, WELCOME_BOT_TIME: 0, QUEUE_TYPE: 'strictly' } });
      c = await connector(p, `shop_${dialect}`);
    });
    after(async () => {
      await bot?.stop();
      await p?.close();
    });

    const botEvents = async () => (await (await fetch(`${bot.url}events`)).json()) as any[];
    /** A new customer's first message; answers it with the chat and session. */
    const newCustomer = (text: string) => customerSays(p, c, lineId, `c${++who}`, text);
    const lastBotLine = async (chatId: number) => waitFor('the bot answered', async () => {
      const rows = await p.portal.db.selectFrom('messages').select(['text', 'author_id']).where('chat_id', '=', chatId).orderBy('id', 'desc').limit(1).execute();
      return rows[0]?.author_id === botId && rows[0].text;
    });

    test('the bot joins a new session with the line-chat payload and shows its menu; numbered items answer', async (t) => {
      if (skip) return t.skip(skip);
      const got = await newCustomer('hello');
      assert.deepEqual([got.session.stage, got.session.operator_id], ['bot', botId]);
      assert.equal(await lastBotLine(got.chat.id), MAIN);
      const joined = (await botEvents()).find((e) => e.event === 'ONIMBOTJOINCHAT' && e.data.PARAMS.CHAT_ID === String(got.chat.id));
      assert.ok(joined, 'ONIMBOTJOINCHAT for the line chat');
      assert.equal(joined.data.PARAMS.CHAT_TYPE, 'L');
      assert.equal(joined.data.PARAMS.CHAT_ENTITY_TYPE, 'LINES');
      assert.equal(joined.data.PARAMS.CHAT_ENTITY_ID, got.chat.entity_id);
      assert.equal(joined.data.PARAMS.DIALOG_ID, `chat${got.chat.id}`);
      const heard = await waitFor('ONIMBOTMESSAGEADD', async () => (await botEvents()).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.CHAT_ID === String(got.chat.id)));
      assert.equal(heard.data.PARAMS.MESSAGE, 'hello');
      assert.equal(heard.data.PARAMS.CHAT_ENTITY_TYPE, 'LINES');
      assert.match(heard.data.PARAMS.CHAT_ENTITY_DATA_1, new RegExp(`^N\\|NONE\\|0\\|N\\|N\\|${got.session.id}\\|`));
      assert.equal(heard.data.USER.ID, String(got.user.id));
      assert.equal(heard.data.USER.IS_CONNECTOR, 'Y');
      assert.equal(heard.data.USER.IS_EXTRANET, 'Y');
      // "hello" is no menu number, so the bot answers it with the menu again; that answer must be in
      // before "1" is sent, or it lands after "1" and is taken for the bot's last word.
      await waitFor('the menu again for "hello"', async () => (await botEvents()).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.CHAT_ID === String(got.chat.id))?.calls?.length === 1);
      assert.equal(await lastBotLine(got.chat.id), MAIN);

      await customerSays(p, c, lineId, `c${who}`, '1');
      assert.equal(await lastBotLine(got.chat.id), 'We are open from 9:00 to 18:00, Monday to Friday.');
      await customerSays(p, c, lineId, `c${who}`, '2');
      assert.match(await lastBotLine(got.chat.id), /^Delivery:/);
      await customerSays(p, c, lineId, `c${who}`, '1');
      assert.equal(await lastBotLine(got.chat.id), 'Delivery costs 5 EUR, free from 50 EUR.');
    });

    test('"Ask an operator" calls imopenlines.bot.session.operator: the queue offers the session, the bot leaves', async (t) => {
      if (skip) return t.skip(skip);
      const got = await newCustomer('hi');
      await lastBotLine(got.chat.id);
      await customerSays(p, c, lineId, `c${who}`, '2');
      await customerSays(p, c, lineId, `c${who}`, '2');
      const s = await waitFor('queued', async () => {
        const x = (await findSession(p.portal.db, got.session.id))!;
        return x.stage === 'queue' && x.operator_id === ann && x;
      });
      assert.equal(s.status, STATUS.NEW);
      assert.deepEqual(await membersOf(p, got.chat.id), [got.user.id, ann].sort((a, b) => a - b));
      const call = (await botEvents()).flatMap((e) => e.calls ?? []).find((x: any) => x.method === 'imopenlines.bot.session.operator');
      assert.deepEqual(call.answer.result, true, JSON.stringify(call.answer));
    });

    test('"Talk to our manager" transfers to a person (LEAVE=Y); "Finish" sends a message and closes the session', async (t) => {
      if (skip) return t.skip(skip);
      const one = await newCustomer('hi');
      await lastBotLine(one.chat.id);
      await customerSays(p, c, lineId, `c${who}`, '3');
      const moved = await waitFor('transferred to Ann', async () => {
        const x = (await findSession(p.portal.db, one.session.id))!;
        return x.stage === 'queue' && x.operator_id === ann && JSON.parse(x.offered).includes(ann) && x;
      });
      assert.ok(moved);
      assert.ok(!(await membersOf(p, one.chat.id)).includes(botId), 'the bot left (LEAVE=Y)');

      const two = await newCustomer('hi');
      await lastBotLine(two.chat.id);
      await customerSays(p, c, lineId, `c${who}`, '4');
      const closed = await waitFor('closed', async () => {
        const x = (await findSession(p.portal.db, two.session.id))!;
        return x.stage === 'closed' && x;
      });
      assert.equal(closed.status, STATUS.CLOSED);
      assert.ok((await textsOf(p, two.chat.id)).includes('Thank you, goodbye!'));
    });

    test('"Talk to Marta" hands the session to another open-line bot, which joins and answers; a plain bot is WRONG_CHAT', async (t) => {
      if (skip) return t.skip(skip);
      const marta = await echoBot(0, 'O');
      try {
        const { botId: martaId } = await installEchoBot(p, marta);
        await fetch(`${bot.url}config`, { method: 'POST', body: JSON.stringify({ transferBot: martaId }) });
        const got = await newCustomer('hi');
        await lastBotLine(got.chat.id);
        await customerSays(p, c, lineId, `c${who}`, '5');
        const moved = await waitFor('Marta has it', async () => {
          const x = (await findSession(p.portal.db, got.session.id))!;
          return x.operator_id === martaId && x;
        });
        assert.deepEqual([moved.stage, moved.bot_id], ['bot', martaId]);
        assert.deepEqual(await membersOf(p, got.chat.id), [got.user.id, martaId].sort((a, b) => a - b), 'the ITR bot left (LEAVE=Y), Marta joined');
        await waitFor('Marta told she joined', async () => (await echoEvents(marta)).find((e) => e.event === 'ONIMBOTJOINCHAT' && e.data.PARAMS.CHAT_ID === String(got.chat.id)));
        await customerSays(p, c, lineId, `c${who}`, 'are you Marta?');
        await waitFor('Marta answers', async () => (await textsOf(p, got.chat.id)).includes('echo: are you Marta?'));

        // A bot that is not for open lines cannot take a session: the seed's WRONG_CHAT.
        const plain = await p.portal.db.insertInto('users').values({
          login: null, password_hash: null, name: 'Plain', last_name: 'Bot', email: '', work_position: '', gender: '', color: 'AQUA', avatar: '', personal_www: '', birthday: '',
          departments: '[]', is_admin: 0, is_bot: 1, active: 1, created_at: Date.now(),
        }).returning('id').executeTakeFirstOrThrow();
        await p.portal.db.insertInto('bots').values({ id: plain.id, app_id: 0, code: `plain_${dialect}`, type: 'B', openline: 0, client_id: '', h_message_add: '', h_message_update: '', h_message_delete: '', h_welcome: '', h_bot_delete: '', created_at: Date.now() }).execute();
        await fetch(`${bot.url}config`, { method: 'POST', body: JSON.stringify({ transferBot: plain.id }) });
        const other = await newCustomer('hi');
        await lastBotLine(other.chat.id);
        await customerSays(p, c, lineId, `c${who}`, '5');
        const refused = await waitFor('the refusal', async () => (await botEvents()).flatMap((e) => e.calls ?? []).find((x: any) => x.method === 'imopenlines.bot.session.transfer' && x.answer.error));
        assert.equal(refused.answer.error, 'WRONG_CHAT');
        assert.equal((await findSession(p.portal.db, other.session.id))!.operator_id, botId);
      } finally {
        await marta.stop();
      }
    });

    test('"0" hands the session to the queue with no bot code; WELCOME_BOT_TIME hands over by itself', async (t) => {
      if (skip) return t.skip(skip);
      const got = await newCustomer('hi');
      await lastBotLine(got.chat.id);
      await customerSays(p, c, lineId, `c${who}`, '0');
      const s = (await findSession(p.portal.db, got.session.id))!;
      assert.deepEqual([s.stage, s.operator_id], ['queue', ann]);

      const timed = await createLine(p.portal.db, 1, { name: 'Timed', queue: [{ type: 'user', id: ann }], params: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, WELCOME_BOT_TIME: 1 } });
      const conn = await connector(p, `timed_${dialect}`);
      const waiting = await customerSays(p, conn, timed, 'timed-customer', 'anyone?');
      assert.equal(waiting.session.stage, 'bot');
      const handed = await waitFor('handed over after 1 s', async () => {
        const x = (await findSession(p.portal.db, waiting.session.id))!;
        return x.stage === 'queue' && x;
      }, 5000);
      assert.equal(handed.operator_id, ann);
      assert.ok(Date.now() - waiting.session.created_at >= 1000, 'not before WELCOME_BOT_TIME');
    });
  });
}
