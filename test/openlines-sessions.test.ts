/**
 * Open-line sessions over real HTTP (docs/OPEN-LINES.md): imopenlines.operator.* / session.* /
 * dialog.get / message.* with their documented errors, the queue types, transfer to a person and to
 * a line, auto-close and the customer's vote, who may act (a line's operators and admins), and the
 * im.* touch points (LINES counters, recent filters, the chat's type "lines"). Customers write in
 * through receiveCustomerMessage as a connector's message arrives (test/helpers/lines.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, waitFor } from './helpers/portal.ts';
import { addUser, portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { connector, customerSays, membersOf, textsOf } from './helpers/lines.ts';
import { createLine } from '../src/domain/lines/lines.ts';
import { findSession, lastSession, STATUS } from '../src/domain/lines/sessions.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`open-line sessions on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    let ann: number, bob: number, eve: number;
    let hook: Record<string, string>;
    let n = 0;
    before(async () => {
      const s = await portalSuite(dialect, { linesTickMs: 50 });
      if ('skip' in s) return void (skip = s.skip);
      p = s;
      [ann, bob, eve] = [await addUser(p, { name: 'Ann', lastName: 'Op' }), await addUser(p, { name: 'Bob', lastName: 'Op' }), await addUser(p, { name: 'Eve', lastName: 'Outsider' })];
      hook = {
        ann: await webhookFor(p, ann, 'im,imopenlines'), bob: await webhookFor(p, bob, 'im,imopenlines'), eve: await webhookFor(p, eve, 'im,imopenlines'),
        admin: await webhookFor(p, 1, 'im,imopenlines'),
      };
    });
    after(() => p?.close());

    const call = (who: string, method: string, params: Record<string, unknown> = {}) => restForm(hook[who], method, params);
    async function ok(who: string, method: string, params: Record<string, unknown> = {}) {
      const r = await call(who, method, params);
      assert.equal(r.status, 200, `${who} ${method}: ${JSON.stringify(r.body)}`);
      return r.body.result;
    }
    async function err(who: string, method: string, params: Record<string, unknown>, code: string, status = 400) {
      const r = await call(who, method, params);
      assert.deepEqual([r.status, r.body.error], [status, code], `${who} ${method} ${JSON.stringify(params)}: ${JSON.stringify(r.body)}`);
    }
    async function scene(params: Record<string, unknown>, queue = [ann, bob]) {
      const lineId = await createLine(p.portal.db, 1, { name: `Line ${++n}`, queue: queue.map((id) => ({ type: 'user' as const, id })), params: { QUEUE_TIME: 600, ...params } });
      const c = await connector(p, `conn${n}`);
      const got = await customerSays(p, c, lineId, `u${n}`, 'hello');
      return { lineId, c, chat: got.chat.id, session: got.session.id, customer: got.user.id, who: `u${n}` };
    }
    const session = async (id: number) => (await findSession(p.portal.db, id))!;

    test('answer, transfer to a person, skip, finish: each over HTTP, with the documented errors', async (t) => {
      if (skip) return t.skip(skip);
      const s = await scene({ QUEUE_TYPE: 'strictly', CLOSE_RULE: 'text', CLOSE_TEXT: 'Bye!' });
      assert.deepEqual([(await session(s.session)).operator_id, (await session(s.session)).stage], [ann, 'queue']);
      // Errors in the documented order: CHAT_ID, CHAT_TYPE, ACCESS_DENIED.
      await err('ann', 'imopenlines.operator.answer', {}, 'CHAT_ID');
      await err('ann', 'imopenlines.operator.answer', { CHAT_ID: 999999 }, 'CHAT_ID');
      const plain = await ok('ann', 'im.chat.add', { USERS: [bob], TITLE: 'Not a line' });
      await err('ann', 'imopenlines.operator.answer', { CHAT_ID: plain }, 'CHAT_TYPE');
      await err('eve', 'imopenlines.operator.answer', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('ann', 'imopenlines.operator.answer', { CHAT_ID: s.chat }), true);
      let row = await session(s.session);
      assert.deepEqual([row.stage, row.status, row.operator_id], ['operator', STATUS.ANSWER, ann]);
      // Bob may not answer a session Ann has.
      await err('bob', 'imopenlines.operator.answer', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      // transfer: CHAT_ID_EMPTY, TRANSFER_ID_EMPTY, USER_ID_EMPTY, QUEUE_ID_EMPTY, OPERATOR_WRONG.
      await err('ann', 'imopenlines.operator.transfer', { TRANSFER_ID: bob }, 'CHAT_ID_EMPTY');
      await err('ann', 'imopenlines.operator.transfer', { CHAT_ID: s.chat }, 'TRANSFER_ID_EMPTY');
      await err('ann', 'imopenlines.operator.transfer', { CHAT_ID: s.chat, USER_ID: -3 }, 'USER_ID_EMPTY');
      await err('ann', 'imopenlines.operator.transfer', { CHAT_ID: s.chat, QUEUE_ID: -1 }, 'QUEUE_ID_EMPTY');
      await err('ann', 'imopenlines.operator.transfer', { CHAT_ID: s.chat, USER_ID: s.customer }, 'OPERATOR_WRONG');
      await err('ann', 'imopenlines.operator.transfer', { CHAT_ID: s.chat, TRANSFER_ID: 'queue999999' }, 'OPERATOR_WRONG');
      await err('eve', 'imopenlines.operator.transfer', { CHAT_ID: s.chat, TRANSFER_ID: bob }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('ann', 'imopenlines.operator.transfer', { CHAT_ID: s.chat, TRANSFER_ID: bob }), true);
      row = await session(s.session);
      assert.deepEqual([row.stage, row.operator_id, JSON.parse(row.offered)], ['queue', bob, [bob]]);
      assert.deepEqual(await membersOf(p, s.chat), [s.customer, bob].sort((a, b) => a - b), 'Ann left, Bob was invited');
      // skip: only who holds it; Bob passes it on and it goes back to Ann.
      await err('eve', 'imopenlines.operator.skip', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      await err('ann', 'imopenlines.operator.skip', { CHAT_ID: s.chat }, 'ACCESS_DENIED_KICK');
      assert.equal(await ok('bob', 'imopenlines.operator.skip', { CHAT_ID: s.chat }), true);
      row = await session(s.session);
      assert.deepEqual([row.operator_id, JSON.parse(row.skipped)], [ann, [bob]]);
      await ok('ann', 'imopenlines.operator.answer', { CHAT_ID: s.chat });
      // finish is for one's own session; another.finish for anyone's.
      await err('bob', 'imopenlines.operator.finish', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('ann', 'imopenlines.operator.finish', { CHAT_ID: s.chat }), true);
      row = await session(s.session);
      assert.deepEqual([row.stage, row.status], ['closed', STATUS.CLOSED]);
      assert.ok((await textsOf(p, s.chat)).includes('Bye!'));
      await err('ann', 'imopenlines.operator.finish', { CHAT_ID: s.chat }, 'CHAT_ID');
      // The next message starts a new session; an admin (no operator) closes it with another.finish, then spam.
      const again = await customerSays(p, s.c, s.lineId, s.who, 'me again');
      assert.notEqual(again.session.id, s.session);
      assert.equal(await ok('admin', 'imopenlines.operator.another.finish', { CHAT_ID: s.chat }), true);
      const third = await customerSays(p, s.c, s.lineId, s.who, 'buy cheap watches');
      await err('eve', 'imopenlines.operator.spam', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('bob', 'imopenlines.operator.spam', { CHAT_ID: s.chat }), true);
      assert.deepEqual([(await session(third.session.id)).status, (await session(third.session.id)).spam], [STATUS.SPAM, 1]);
    });

    test('queue types: all offers to every operator, the first to answer takes it; evenly to the least busy', async (t) => {
      if (skip) return t.skip(skip);
      const all = await scene({ QUEUE_TYPE: 'all' });
      let row = await session(all.session);
      assert.deepEqual(JSON.parse(row.offered).sort(), [ann, bob].sort());
      assert.deepEqual(await membersOf(p, all.chat), [all.customer, ann, bob].sort((a, b) => a - b));
      await ok('bob', 'imopenlines.operator.answer', { CHAT_ID: all.chat });
      row = await session(all.session);
      assert.deepEqual([row.operator_id, row.stage], [bob, 'operator']);
      assert.deepEqual(await membersOf(p, all.chat), [all.customer, bob].sort((a, b) => a - b), 'Ann left once Bob took it');
      // evenly: Bob has one open session more than Ann here, so the next goes to Ann, and the one after to... the least busy.
      const even = await scene({ QUEUE_TYPE: 'evenly' }, [bob, ann]);
      assert.equal((await session(even.session)).operator_id, ann, 'Bob is busier');
    });

    test('transfer to another line (QUEUE_ID), auto-close with a short AUTO_CLOSE_TIME and the vote; a pinned session stays open', async (t) => {
      if (skip) return t.skip(skip);
      const other = await createLine(p.portal.db, 1, { name: 'Second line', queue: [{ type: 'user', id: bob }], params: { QUEUE_TIME: 600, AUTO_CLOSE_TIME: 1, AUTO_CLOSE_RULE: 'text', AUTO_CLOSE_TEXT: 'Closed for silence', VOTE_MESSAGE: 'Y' } });
      const s = await scene({ QUEUE_TYPE: 'strictly' }, [ann]);
      await ok('ann', 'imopenlines.operator.answer', { CHAT_ID: s.chat });
      await ok('ann', 'imopenlines.operator.transfer', { CHAT_ID: s.chat, QUEUE_ID: other });
      let row = await session(s.session);
      assert.deepEqual([row.line_id, row.operator_id], [other, bob]);
      const chat = await p.portal.db.selectFrom('chats').selectAll().where('id', '=', s.chat).executeTakeFirstOrThrow();
      assert.equal(chat.entity_id.split('|')[1], String(other), 'the USER_CODE names the new line');
      // Bob pins it: the one-second auto-close passes it by; unpinned, it closes, and the customer's "0" is the vote.
      await ok('bob', 'imopenlines.operator.answer', { CHAT_ID: s.chat });
      await err('bob', 'imopenlines.session.mode.pin', {}, 'CHAT_ID_EMPTY');
      assert.equal(await ok('bob', 'imopenlines.session.mode.pin', { CHAT_ID: s.chat }), true);
      await new Promise((r) => setTimeout(r, 1300));
      assert.equal((await session(s.session)).stage, 'operator', 'pinned: not closed automatically');
      assert.deepEqual(await ok('bob', 'imopenlines.session.mode.unpinAll'), [s.session]);
      row = await waitFor('auto-closed', async () => {
        const r = await session(s.session);
        return r.stage === 'closed' && r;
      }, 5000);
      assert.equal(row.vote, 'asked');
      assert.ok((await textsOf(p, s.chat)).includes('Closed for silence'));
      await customerSays(p, s.c, s.lineId, s.who, '0');
      assert.equal((await session(s.session)).vote, 'dislike');
    });

    test('session.open, dialog.get, history.get, join, intercept, silent, head.vote, quick.save, session.start, message.session.start', async (t) => {
      if (skip) return t.skip(skip);
      const s = await scene({ QUEUE_TYPE: 'strictly' });
      const code = (await p.portal.db.selectFrom('chats').select('entity_id').where('id', '=', s.chat).executeTakeFirstOrThrow()).entity_id;
      assert.deepEqual(await ok('ann', 'imopenlines.session.open', { USER_CODE: code }), { chatId: s.chat });
      assert.deepEqual(await ok('ann', 'imopenlines.session.open', { USER_CODE: `imol|${code}` }), { chatId: s.chat });
      await err('eve', 'imopenlines.session.open', { USER_CODE: code }, 'ACCESS_DENIED', 403);
      await err('ann', 'imopenlines.session.open', { USER_CODE: 'nope|1|2|3' }, 'ACCESS_DENIED', 403);
      // dialog.get by each identifier.
      await err('ann', 'imopenlines.dialog.get', {}, 'DIALOG_ID_EMPTY');
      await err('eve', 'imopenlines.dialog.get', { CHAT_ID: s.chat }, 'ACCESS_ERROR', 403);
      for (const by of [{ CHAT_ID: s.chat }, { DIALOG_ID: `chat${s.chat}` }, { SESSION_ID: s.session }, { USER_CODE: code }]) {
        const d = await ok('ann', 'imopenlines.dialog.get', by);
        assert.deepEqual([d.id, d.type, d.message_type, d.entity_type, d.entity_id, d.dialog_id], [s.chat, 'lines', 'L', 'LINES', code, `chat${s.chat}`], JSON.stringify(by));
        assert.match(d.entity_data_1, new RegExp(`^N\\|NONE\\|0\\|N\\|N\\|${s.session}\\|`));
        assert.ok(Array.isArray(d.manager_list));
      }
      // history.get: the session's messages and the big object's parts.
      await err('ann', 'imopenlines.session.history.get', {}, 'MISSING_REQUIRED_PARAM');
      await err('ann', 'imopenlines.session.history.get', { SESSION_ID: 999999 }, 'ACCESS_DENIED', 403);
      await err('eve', 'imopenlines.session.history.get', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      const h = await ok('admin', 'imopenlines.session.history.get', { CHAT_ID: s.chat });
      assert.deepEqual([h.chatId, h.sessionId, h.userId, h.canJoin, h.canVoteHead], [s.chat, s.session, `chat${s.chat}`, 'Y', 'Y']);
      const texts = Object.values(h.message).map((m: any) => m.text);
      assert.ok(texts.includes('hello'), texts.join(' | '));
      assert.equal(h.chat[s.chat].type, 'lines');
      assert.ok(h.users[String(s.customer)].connector);
      // join: the admin joins as one more participant; the session stays Ann's.
      await ok('ann', 'imopenlines.operator.answer', { CHAT_ID: s.chat });
      await err('eve', 'imopenlines.session.join', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('admin', 'imopenlines.session.join', { CHAT_ID: s.chat }), true);
      assert.ok((await membersOf(p, s.chat)).includes(1));
      assert.equal((await session(s.session)).operator_id, ann);
      // intercept: Bob takes it from Ann; Ann cannot intercept what she has.
      await err('bob', 'imopenlines.session.intercept', {}, 'CHAT_ID_EMPTY');
      await err('eve', 'imopenlines.session.intercept', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      await err('ann', 'imopenlines.session.intercept', { CHAT_ID: s.chat }, 'OPERATOR_WRONG');
      assert.equal(await ok('bob', 'imopenlines.session.intercept', { CHAT_ID: s.chat }), true);
      assert.equal((await session(s.session)).operator_id, bob);
      assert.ok(!(await membersOf(p, s.chat)).includes(ann));
      // silent mode: entity_data_3 Y.
      await ok('bob', 'imopenlines.session.mode.silent', { CHAT_ID: s.chat, ACTIVATE: 'Y' });
      assert.equal((await ok('bob', 'imopenlines.dialog.get', { CHAT_ID: s.chat })).entity_data_3, 'Y');
      await ok('bob', 'imopenlines.session.mode.silent', { CHAT_ID: s.chat, ACTIVATE: 'no' });
      assert.equal((await ok('bob', 'imopenlines.dialog.get', { CHAT_ID: s.chat })).entity_data_3, 'N');
      // quick.save: a message of the chat becomes a quick answer of its line.
      const said = await ok('bob', 'im.message.add', { DIALOG_ID: `chat${s.chat}`, MESSAGE: 'Have you tried turning it off and on?' });
      await err('bob', 'imopenlines.message.quick.save', { CHAT_ID: s.chat, MESSAGE_ID: 999999 }, 'CANT_SAVE_QUICK_ANSWER');
      await err('eve', 'imopenlines.message.quick.save', { CHAT_ID: s.chat, MESSAGE_ID: said }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('bob', 'imopenlines.message.quick.save', { CHAT_ID: s.chat, MESSAGE_ID: said }), true);
      const quick = await p.portal.db.selectFrom('ol_quick_answers').selectAll().where('line_id', '=', s.lineId).execute();
      assert.deepEqual(quick.map((q) => q.text), ['Have you tried turning it off and on?']);
      // head.vote: an administrator rates; the errors.
      await err('admin', 'imopenlines.session.head.vote', { RATING: 5 }, 'EMPTY_SESSION_ID');
      await err('admin', 'imopenlines.session.head.vote', { SESSION_ID: s.session }, 'EMPTY_VOTE_PARAMS');
      await err('bob', 'imopenlines.session.head.vote', { SESSION_ID: s.session, RATING: 5 }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('admin', 'imopenlines.session.head.vote', { SESSION_ID: s.session, RATING: 4, COMMENT: 'Polite' }), true);
      const hv = await ok('bob', 'imopenlines.session.history.get', { SESSION_ID: s.session });
      assert.deepEqual([hv.sessionVoteHead, hv.sessionCommentHead], [4, 'Polite']);
      // session.start: the open session closes and a new one is Bob's at once; message.session.start likewise, quoting the message.
      await err('eve', 'imopenlines.session.start', { CHAT_ID: s.chat }, 'ACCESS_DENIED', 403);
      assert.equal(await ok('bob', 'imopenlines.session.start', { CHAT_ID: s.chat }), true);
      const started = (await lastSession(p.portal.db, s.chat))!;
      assert.notEqual(started.id, s.session);
      assert.deepEqual([started.stage, started.operator_id, started.parent_id], ['operator', bob, s.session]);
      await err('bob', 'imopenlines.message.session.start', { CHAT_ID: s.chat, MESSAGE_ID: 999999 }, 'CHAT_ID');
      assert.equal(await ok('bob', 'imopenlines.message.session.start', { CHAT_ID: s.chat, MESSAGE_ID: said }), true);
      assert.notEqual((await lastSession(p.portal.db, s.chat))!.id, started.id);
      assert.ok((await textsOf(p, s.chat)).some((x) => x.startsWith('[QUOTE]') && x.includes('turning it off')));
      // pinAll pins the caller's open sessions.
      const pinned = await ok('bob', 'imopenlines.session.mode.pinAll');
      assert.ok(pinned.includes((await lastSession(p.portal.db, s.chat))!.id), JSON.stringify(pinned));
      assert.deepEqual(await ok('bob', 'imopenlines.session.mode.pinAll'), [], 'nothing left to pin');
    });

    test('im.* touch points: LINES counters, the recent list\'s line filters and `lines` field, the chat type "lines"', async (t) => {
      if (skip) return t.skip(skip);
      const opHook = await webhookFor(p, await addUser(p, { name: 'Olga', lastName: 'Counter' }), 'im,imopenlines');
      const olga = Number((await restForm(opHook, 'user.current')).body.result.ID);
      const s = await scene({ QUEUE_TYPE: 'strictly' }, [olga]);
      await customerSays(p, s.c, s.lineId, s.who, 'are you there?');
      const counters = (await restForm(opHook, 'im.counters.get')).body.result;
      assert.ok(counters.TYPE.LINES >= 2, JSON.stringify(counters));
      assert.equal(counters.LINES[s.chat], counters.TYPE.LINES);
      assert.equal(counters.CHAT[s.chat], undefined);
      const recent = (await restForm(opHook, 'im.recent.list')).body.result.items;
      const item = recent.find((i: any) => i.chat_id === s.chat);
      assert.deepEqual([item.chat.type, item.chat.message_type, item.lines.id, item.lines.status], ['lines', 'L', s.session, STATUS.NEW]);
      assert.equal((await restForm(opHook, 'im.recent.list', { SKIP_OPENLINES: 'Y' })).body.result.items.some((i: any) => i.chat_id === s.chat), false);
      assert.equal((await restForm(opHook, 'im.recent.list', { SKIP_UNDISTRIBUTED_OPENLINES: 'Y' })).body.result.items.some((i: any) => i.chat_id === s.chat), false);
      assert.ok((await restForm(opHook, 'im.recent.get', { ONLY_OPENLINES: 'Y' })).body.result.every((i: any) => i.chat?.type === 'lines'));
      assert.equal((await restForm(opHook, 'im.recent.get', { SKIP_OPENLINES: 'Y' })).body.result.some((i: any) => i.chat_id === s.chat), false);
      await restForm(opHook, 'imopenlines.operator.answer', { CHAT_ID: s.chat });
      assert.equal((await restForm(opHook, 'im.recent.list', { SKIP_UNDISTRIBUTED_OPENLINES: 'Y' })).body.result.items.some((i: any) => i.chat_id === s.chat), true);
      // An operator who is a member reads the chat with im.dialog.messages.get.
      const msgs = (await restForm(opHook, 'im.dialog.messages.get', { DIALOG_ID: `chat${s.chat}` })).body.result.messages;
      assert.ok(msgs.some((m: any) => m.text === 'are you there?'));
    });
  });
}
