/**
 * What an operator's open clients hear of line chats on /realtime (the workspace of the web
 * messenger reloads its list on these): a session offered to them arrives as the message.add of the
 * "joined" line, which is pushed to the members with the newcomer among them; when another operator
 * takes a session offered to several, the ones passed over leave the chat and hear a chat.update of
 * their own (the one who stays does not).
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, waitFor } from './helpers/portal.ts';
import { addUser, sqlitePortalFor, webhookFor, type TestPortal } from './helpers/suite.ts';
import { hello, listen, socketUrl, type Listener } from './helpers/realtime.ts';
import { runAction } from '../src/domain/action.ts';
import { createLine, findLine } from '../src/domain/lines/lines.ts';
import { receiveCustomerMessage } from '../src/domain/lines/customers.ts';
import { lastSession } from '../src/domain/lines/sessions.ts';

describe('open-line pushes to operators', () => {
  const portal = sqlitePortalFor();
  const sockets: Listener[] = [];
  after(async () => {
    for (const s of sockets) await s.close();
  });

  test('offered: the joined line reaches each operator; passed over: a chat.update reaches the one who left', async () => {
    const p: TestPortal = portal();
    const [ann, bob] = [await addUser(p, { name: 'Ann', lastName: 'Op' }), await addUser(p, { name: 'Bob', lastName: 'Op' })];
    const lineId = await createLine(p.portal.db, 1, { name: 'Help', queue: [{ type: 'user', id: ann }, { type: 'user', id: bob }], params: { QUEUE_TYPE: 'all', QUEUE_TIME: 3600 } });
    await p.portal.db.insertInto('ol_connectors').values({ id: 'live_test', app_id: 0, name: 'live', icon: '{}', icon_disabled: '{}', placement_handler: '', options: '{}', created_at: Date.now() }).execute();
    const connector = await p.portal.db.selectFrom('ol_connectors').selectAll().where('id', '=', 'live_test').executeTakeFirstOrThrow();
    const [annHook, bobHook] = [await webhookFor(p, ann, 'im'), await webhookFor(p, bob, 'im')];
    const [annSocket, bobSocket] = [await listen(socketUrl(annHook)), await listen(socketUrl(bobHook))];
    sockets.push(annSocket, bobSocket);
    await hello(annSocket);
    await hello(bobSocket);

    const line = (await findLine(p.portal.db, lineId))!;
    const got = await runAction(p.portal, (trx) => receiveCustomerMessage(p.portal, trx, connector, line, { id: 'c1', name: 'Dora' }, { id: 'x1' }, { extId: 'm1', text: 'hi there' }));
    const chatId = got.chat.id;
    // Both were offered it: each hears the chat's new line (the one saying they joined) without asking.
    for (const s of [annSocket, bobSocket]) await waitFor('the offer', async () => s.pushes.find((x) => x.type === 'message.add' && x.chatId === chatId));
    const joined = await restForm(bobHook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    assert.ok(joined.body.result.messages.some((m: any) => m.system && /Bob Op\[\/USER\] joined the conversation/.test(m.text)), JSON.stringify(joined.body));

    // Ann answers by writing; Bob, passed over, leaves the chat and is told it changed for him.
    const bobHeard = bobSocket.pushes.length;
    const said = await restForm(annHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Hello Dora' });
    assert.equal(said.status, 200, JSON.stringify(said.body));
    assert.equal((await lastSession(p.portal.db, chatId))!.operator_id, ann);
    const left = await waitFor('Bob told he left', async () => bobSocket.pushes.slice(bobHeard).find((x) => x.type === 'chat.update' && x.chatId === chatId));
    assert.equal(typeof left.id, 'number');
    // Ann stays in: no such push reaches her. Her "took the conversation" line is written after Bob
    // left, in the same change, so once its push has reached her any earlier one would have too.
    const page = await restForm(annHook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const took = page.body.result.messages.find((m: any) => m.system && /took the conversation/.test(m.text));
    assert.ok(took, JSON.stringify(page.body));
    await waitFor('Ann hears the take', async () => annSocket.pushes.find((x) => x.type === 'message.add' && x.messageId === took.id));
    assert.ok(!annSocket.pushes.some((x) => x.type === 'chat.update' && x.chatId === chatId));
  });
});
