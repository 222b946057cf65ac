/**
 * imopenlines.message.quick.list (a Parley addition the operator's workspace reads): the quick
 * answers of a line chat's line, newest first, saved with imopenlines.message.quick.save; for the
 * line's operators and administrators only, and only for line chats.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { restForm } from './helpers/portal.ts';
import { addUser, sqlitePortalFor, webhookFor } from './helpers/suite.ts';
import { connector, customerSays } from './helpers/lines.ts';
import { createLine } from '../src/domain/lines/lines.ts';

describe('quick answers of a line', () => {
  const portal = sqlitePortalFor();

  test('saved answers are listed for the line\'s operators, newest first; others and other chats are refused', async () => {
    const p = portal();
    const [ann, eve] = [await addUser(p, { name: 'Ann', lastName: 'Op' }), await addUser(p, { name: 'Eve', lastName: 'Outsider' })];
    const lineId = await createLine(p.portal.db, 1, { name: 'Help', queue: [{ type: 'user', id: ann }], params: { QUEUE_TIME: 3600 } });
    const otherLine = await createLine(p.portal.db, 1, { name: 'Other', queue: [{ type: 'user', id: ann }], params: { QUEUE_TIME: 3600 } });
    const c = await connector(p, 'quick_test');
    const got = await customerSays(p, c, lineId, 'q1', 'hello');
    const other = await customerSays(p, c, otherLine, 'q2', 'hi');
    const [annHook, eveHook, adminHook] = [await webhookFor(p, ann, 'imopenlines,im'), await webhookFor(p, eve, 'imopenlines,im'), await webhookFor(p, 1, 'imopenlines,im')];
    const chat = got.chat.id;

    const list = async (hook: string, chatId: number) => restForm(hook, 'imopenlines.message.quick.list', { CHAT_ID: chatId });
    assert.deepEqual((await list(annHook, chat)).body.result, []);
    const say = async (text: string) => (await restForm(annHook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: text })).body.result as number;
    const first = await say('We ship within [b]two[/b] days.');
    const second = await say('Anything else I can do?');
    for (const id of [first, second]) assert.equal((await restForm(annHook, 'imopenlines.message.quick.save', { CHAT_ID: chat, MESSAGE_ID: id })).body.result, true);

    const listed = (await list(annHook, chat)).body.result as { id: number; text: string }[];
    assert.deepEqual(listed.map((q) => q.text), ['Anything else I can do?', 'We ship within [b]two[/b] days.']);
    assert.ok(listed.every((q) => Number.isSafeInteger(q.id) && q.id > 0));
    // An administrator reads them too; another line's chat has its own (none).
    assert.deepEqual((await list(adminHook, chat)).body.result, listed);
    assert.deepEqual((await list(annHook, other.chat.id)).body.result, []);

    // Someone who is not the line's operator is refused, as quick.save refuses them.
    const refused = await list(eveHook, chat);
    assert.equal(refused.body.error, 'ACCESS_DENIED', JSON.stringify(refused.body));
    // A chat that is no line chat, and no chat at all.
    const group = (await restForm(annHook, 'im.chat.add', { TITLE: 'Team', USERS: [eve] })).body.result as number;
    assert.equal((await list(annHook, group)).body.error, 'CHAT_TYPE');
    assert.equal((await list(annHook, 999999)).body.error, 'CHAT_ID');
  });
});
