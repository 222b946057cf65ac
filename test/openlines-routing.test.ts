/**
 * Open-line routing (docs/OPEN-LINES.md) on a real portal: a customer's first message makes their
 * user and line chat and starts a session; without a bot it is offered to an operator as the queue
 * type says, an operator's message takes it and reaches the customer's connector; an operator who
 * lets QUEUE_TIME pass is skipped; "0" hands the bot's session to the queue; finishing closes it,
 * asks for the rating, and the customer's "1" is the vote.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, waitFor } from './helpers/portal.ts';
import { addUser, sqlitePortalFor, webhookFor, type TestPortal } from './helpers/suite.ts';
import { runAction } from '../src/domain/action.ts';
import { createLine } from '../src/domain/lines/lines.ts';
import { findLine } from '../src/domain/lines/lines.ts';
import { receiveCustomerMessage } from '../src/domain/lines/customers.ts';
import { findSession, lastSession, STATUS } from '../src/domain/lines/sessions.ts';
import { finish } from '../src/domain/lines/routing.ts';
import type { Connector } from '../src/domain/lines/connectors.ts';

/** A connector row as imconnector.register leaves it (no app: nothing is sent out). */
async function connector(p: TestPortal, id: string): Promise<Connector> {
  await p.portal.db.insertInto('ol_connectors').values({ id, app_id: 0, name: id, icon: '{}', icon_disabled: '{}', placement_handler: '', options: '{}', created_at: Date.now() }).execute();
  return (await p.portal.db.selectFrom('ol_connectors').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

async function customerSays(p: TestPortal, c: Connector, lineId: number, who: string, text: string) {
  const line = (await findLine(p.portal.db, lineId))!;
  return runAction(p.portal, (trx) => receiveCustomerMessage(p.portal, trx, c, line, { id: who, name: 'Carl', lastName: who }, { id: `ext-${who}` }, { extId: `m-${Date.now()}`, text }));
}

const membersOf = async (p: TestPortal, chatId: number) =>
  (await p.portal.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).orderBy('user_id').execute()).map((r) => Number(r.user_id));

describe('open-line routing', () => {
  const portal = sqlitePortalFor({ linesTickMs: 50 });

  test('no bot, strictly: offered to the first operator; their message takes it; finish asks for a rating; "1" votes', async () => {
    const p = portal();
    const [ann, bob] = [await addUser(p, { name: 'Ann', lastName: 'Op' }), await addUser(p, { name: 'Bob', lastName: 'Op' })];
    const lineId = await createLine(p.portal.db, 1, { name: 'Support', queue: [{ type: 'user', id: ann }, { type: 'user', id: bob }], params: { QUEUE_TYPE: 'strictly', QUEUE_TIME: 600, CLOSE_RULE: 'text', CLOSE_TEXT: 'Bye!' } });
    const c = await connector(p, 'test_a');
    const got = await customerSays(p, c, lineId, 'u1', 'hello, I need help');
    const chat = await p.portal.db.selectFrom('chats').selectAll().where('id', '=', got.chat.id).executeTakeFirstOrThrow();
    assert.equal(chat.type, 'L');
    assert.equal(chat.entity_type, 'LINES');
    assert.equal(chat.entity_id, `test_a|${lineId}|ext-u1|${got.user.id}`);
    assert.match(chat.entity_data_1, new RegExp(`^N\\|NONE\\|0\\|N\\|N\\|${got.session.id}\\|\\d+\\|0\\|0\\|0$`));
    assert.equal(got.user.external_auth_id, 'imconnector');
    let s = (await findSession(p.portal.db, got.session.id))!;
    assert.deepEqual([s.stage, s.status, s.operator_id, JSON.parse(s.offered)], ['queue', STATUS.NEW, ann, [ann]]);
    assert.deepEqual(await membersOf(p, chat.id), [got.user.id, ann].sort((a, b) => a - b));

    // Ann answers by writing in the chat (as the messenger would, over REST).
    const annHook = await webhookFor(p, ann, 'im');
    const said = await restForm(annHook, 'im.message.add', { DIALOG_ID: `chat${chat.id}`, MESSAGE: 'Hi Carl, how can I help?' });
    assert.equal(said.status, 200, JSON.stringify(said.body));
    s = (await findSession(p.portal.db, s.id))!;
    assert.deepEqual([s.stage, s.status, s.operator_id], ['operator', STATUS.OPERATOR, ann]);
    assert.equal((await p.portal.db.selectFrom('chats').select('owner_id').where('id', '=', chat.id).executeTakeFirstOrThrow()).owner_id, ann);
    await customerSays(p, c, lineId, 'u1', 'my order is late');
    assert.equal((await findSession(p.portal.db, s.id))!.status, STATUS.CLIENT_AFTER_OPERATOR);

    await runAction(p.portal, async (trx) => finish(p.portal, trx, (await findSession(trx, s.id))!, undefined, 'finish'));
    s = (await findSession(p.portal.db, s.id))!;
    assert.deepEqual([s.stage, s.status, s.vote], ['closed', STATUS.CLOSED, 'asked']);
    const texts = (await p.portal.db.selectFrom('messages').select('text').where('chat_id', '=', chat.id).orderBy('id').execute()).map((m) => m.text);
    assert.ok(texts.includes('Bye!'), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('Please rate the quality of service.')), texts.join(' | '));
    // The customer's "1" right after is the rating, not a new session.
    await customerSays(p, c, lineId, 'u1', '1');
    assert.equal((await lastSession(p.portal.db, chat.id))!.id, s.id);
    assert.equal((await findSession(p.portal.db, s.id))!.vote, 'like');
    // Their next message starts a new session in the same chat, offered again.
    const again = await customerSays(p, c, lineId, 'u1', 'one more thing');
    assert.notEqual(again.session.id, s.id);
    assert.equal(again.session.parent_id, s.id);
    assert.equal(again.chat.id, chat.id);
  });

  test('an operator who does not answer within QUEUE_TIME is skipped; the next one gets it', async () => {
    const p = portal();
    const [ann, bob] = [await addUser(p, { name: 'Ann', lastName: 'Slow' }), await addUser(p, { name: 'Bob', lastName: 'Quick' })];
    const lineId = await createLine(p.portal.db, 1, { name: 'Fast line', queue: [{ type: 'user', id: ann }, { type: 'user', id: bob }], params: { QUEUE_TYPE: 'strictly', QUEUE_TIME: 1 } });
    const c = await connector(p, 'test_b');
    const got = await customerSays(p, c, lineId, 'u2', 'anyone?');
    assert.equal(got.session.operator_id, ann);
    const moved = await waitFor('offered to Bob', async () => {
      const s = (await findSession(p.portal.db, got.session.id))!;
      return s.operator_id === bob && s;
    }, 5000);
    assert.deepEqual(JSON.parse(moved.skipped), [ann]);
    assert.deepEqual(await membersOf(p, got.chat.id), [got.user.id, bob].sort((a, b) => a - b), 'Ann left the chat, Bob is in');
  });

  test('with a welcome bot: the bot joins first, "0" hands the session to the queue and the bot leaves', async () => {
    const p = portal();
    const ann = await addUser(p, { name: 'Ann', lastName: 'Queue' });
    const bot = await p.portal.db.insertInto('users').values({
      login: null, password_hash: null, name: 'Line', last_name: 'Bot', email: '', work_position: '', gender: '', color: 'AQUA', avatar: '', personal_www: '', birthday: '',
      departments: '[]', is_admin: 0, is_bot: 1, active: 1, created_at: Date.now(),
    }).returning('id').executeTakeFirstOrThrow();
    await p.portal.db.insertInto('bots').values({ id: bot.id, app_id: 0, code: 'line_bot', type: 'O', openline: 1, client_id: '', h_message_add: '', h_message_update: '', h_message_delete: '', h_welcome: '', h_bot_delete: '', created_at: Date.now() }).execute();
    const lineId = await createLine(p.portal.db, 1, { name: 'Bot line', queue: [{ type: 'user', id: ann }], params: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: bot.id, WELCOME_BOT_TIME: 0 } });
    const c = await connector(p, 'test_c');
    const got = await customerSays(p, c, lineId, 'u3', 'hi');
    assert.deepEqual([got.session.stage, got.session.operator_id], ['bot', bot.id]);
    assert.deepEqual(await membersOf(p, got.chat.id), [got.user.id, bot.id].sort((a, b) => a - b));
    await customerSays(p, c, lineId, 'u3', '0');
    const s = (await findSession(p.portal.db, got.session.id))!;
    assert.deepEqual([s.stage, s.operator_id], ['queue', ann]);
    assert.deepEqual(await membersOf(p, got.chat.id), [got.user.id, ann].sort((a, b) => a - b));
  });
});
