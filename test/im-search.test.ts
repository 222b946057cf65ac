/**
 * im.search.* over real HTTP with users' webhooks, on SQLite and PostgreSQL: users, chats (only
 * those the caller may see) and departments found by words, paging with OFFSET/LIMIT, FIND_SHORT,
 * and each user's own list of recent picks.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson } from './helpers/portal.ts';
import { webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`im.search.* on ${dialect}`, () => {
  let portal: TestPortal;
  const hook: Record<number, string> = {};
  let skip: string | undefined;
  /** Anna's group chat with Ivan, Maria's open chat with John, Maria's closed chat with John. */
  let mintGroup: number;
  let mintOpen: number;
  let mintSecret: number;
  let botId: number;

  const call = (as: number, method: string, params: Record<string, unknown> = {}) => restForm(hook[as], method, params);

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    for (const id of [1, 2, 3, 4, 5]) hook[id] = await webhookFor(portal, id, 'im,imbot');
    mintGroup = expectOk(await call(2, 'im.chat.add', { TITLE: 'Мятный чат №3', USERS: [3] }));
    mintOpen = expectOk(await call(4, 'im.chat.add', { TITLE: 'Mint open room', TYPE: 'OPEN', USERS: [5] }));
    mintSecret = expectOk(await call(4, 'im.chat.add', { TITLE: 'Mint secret', USERS: [5] }));
    botId = Number(expectOk(await call(1, 'imbot.register', {
      CODE: 'salesbot', TYPE: 'B', CLIENT_ID: 'salesbot', EVENT_MESSAGE_ADD: 'http://127.0.0.1:9/h', EVENT_WELCOME_MESSAGE: 'http://127.0.0.1:9/h',
      EVENT_BOT_DELETE: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Sales', LAST_NAME: 'Helper' },
    })));
  });
  after(async () => {
    await portal?.close();
  });

  test('im.search.user.list: by name, position or e-mail, keyed by id, BUSINESS, paging, FIND_SHORT', async (t) => {
    if (skip) return t.skip(skip);
    const anna = await call(3, 'im.search.user.list', { FIND: 'анн' });
    assert.deepEqual(Object.keys(expectOk(anna)), ['2']);
    assert.equal(expectOk(anna)['2'].name, 'Анна Петрова');
    assert.equal(anna.body.total, 1);
    // "Head of sales", "Sales manager" and the bot called Sales.
    const sales = await call(3, 'im.search.user.list', { FIND: 'SALES' });
    assert.deepEqual(Object.keys(expectOk(sales)), ['2', '3', String(botId)]);
    assert.equal(expectOk(sales)[String(botId)].bot, true);
    const people = await call(3, 'im.search.user.list', { FIND: 'sales', BUSINESS: 'Y' });
    assert.deepEqual(Object.keys(expectOk(people)), ['2', '3']);
    const page = await restJson(hook[3], 'im.search.user.list', { FIND: 'sales', LIMIT: 1, OFFSET: 1 });
    assert.deepEqual(Object.keys(expectOk(page)), ['3']);
    assert.equal(page.body.total, 3);
    assert.equal(page.body.next, 2);
    assert.deepEqual(Object.keys(expectOk(await call(3, 'im.search.user.list', { FIND: 'maria@parley' }))), ['4']);
    const none = await call(3, 'im.search.user.list', { FIND: 'nobody here' });
    assert.deepEqual(expectOk(none), []);
    assert.equal(none.body.total, 0);
    expectError(await call(3, 'im.search.user.list', { FIND: 'an' }), 400, 'FIND_SHORT');
    expectError(await call(3, 'im.search.user.list'), 400, 'FIND_SHORT');
  });

  test('im.search.chat.list: only chats the caller is in or open ones, with the caller\'s counters', async (t) => {
    if (skip) return t.skip(skip);
    const unreadBefore = expectOk(await call(2, 'im.search.chat.list', { FIND: 'мятный' }))[0].counter;
    expectOk(await call(3, 'im.message.add', { DIALOG_ID: `chat${mintGroup}`, MESSAGE: 'hello mint' }));
    const found = await call(2, 'im.search.chat.list', { FIND: 'мятный' });
    const [chat] = expectOk(found);
    assert.equal(found.body.total, 1);
    assert.equal(chat.id, mintGroup);
    assert.equal(chat.name, 'Мятный чат №3');
    assert.equal(chat.owner, 2);
    assert.equal(chat.type, 'chat');
    assert.equal(chat.message_type, 'C');
    assert.equal(chat.role, 'owner');
    assert.equal(chat.user_counter, 2);
    assert.ok(chat.message_count >= 1);
    assert.equal(chat.counter, unreadBefore + 1, 'Ivan\'s message is unread for Anna');
    assert.ok(chat.unread_id > 0);
    // Anna sees Maria's open chat as a guest, never her closed one; John, a member, sees both.
    const annaMint = expectOk(await call(2, 'im.search.chat.list', { FIND: 'mint' }));
    assert.deepEqual(annaMint.map((c: any) => [c.id, c.role]), [[mintOpen, 'guest']]);
    const john = await call(5, 'im.search.chat.list', { FIND: 'mint', LIMIT: 1 });
    assert.deepEqual(expectOk(john).map((c: any) => c.id), [mintOpen]);
    assert.equal(john.body.total, 2);
    assert.equal(john.body.next, 1);
    assert.deepEqual(expectOk(await call(5, 'im.search.chat.list', { FIND: 'mint', OFFSET: 1 })).map((c: any) => [c.id, c.role]), [[mintSecret, 'member']]);
    assert.deepEqual(expectOk(await call(3, 'im.search.chat.list', { FIND: 'secret' })), []);
    expectError(await call(2, 'im.search.chat.list', { FIND: 'mi' }), 400, 'FIND_SHORT');
    expectError(await call(2, 'im.search.chat.list'), 400, 'FIND_SHORT');
  });

  test('im.search.department.list: by words of the full name, USER_DATA, paging, FIND_SHORT', async (t) => {
    if (skip) return t.skip(skip);
    const sup = await call(2, 'im.search.department.list', { FIND: 'supp' });
    assert.deepEqual(expectOk(sup), [{ id: 3, name: 'Support', full_name: 'Support / Company', manager_user_id: 4 }]);
    assert.equal(sup.body.total, 1);
    const all = await restJson(hook[2], 'im.search.department.list', { FIND: 'company', USER_DATA: 'Y', LIMIT: 2 });
    assert.deepEqual(expectOk(all).map((d: any) => d.id), [1, 2]);
    assert.equal(expectOk(all)[1].manager_user_data.name, 'Анна Петрова');
    assert.equal(all.body.total, 3);
    assert.equal(all.body.next, 2);
    expectError(await call(2, 'im.search.department.list', { FIND: 'su' }), 400, 'FIND_SHORT');
    expectError(await call(2, 'im.search.department.list'), 400, 'FIND_SHORT');
    const botHook = await webhookFor(portal, botId, 'im');
    expectError(await restForm(botHook, 'im.search.department.list', { FIND: 'company' }), 403, 'ACCESS_ERROR');
  });

  test('im.search.last.add / get / delete: a per-user list of picks, newest first', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(expectOk(await call(2, 'im.search.last.get')), []);
    assert.equal(expectOk(await call(2, 'im.search.last.add', { DIALOG_ID: '5' })), true);
    assert.equal(expectOk(await call(2, 'im.search.last.add', { DIALOG_ID: `chat${mintGroup}` })), true);
    assert.equal(expectOk(await restJson(hook[2], 'im.search.last.add', { DIALOG_ID: `chat${mintOpen}` })), true);
    assert.equal(expectOk(await call(2, 'im.search.last.add', { DIALOG_ID: '99999' })), false);
    expectError(await call(2, 'im.search.last.add', { DIALOG_ID: `chat${mintSecret}` }), 403, 'ACCESS_ERROR');
    expectError(await call(2, 'im.search.last.add', { DIALOG_ID: 'chat99999' }), 403, 'ACCESS_ERROR');
    expectError(await call(2, 'im.search.last.add'), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(2, 'im.search.last.add', { DIALOG_ID: 'abc' }), 400, 'DIALOG_ID_EMPTY');

    let list = expectOk(await call(2, 'im.search.last.get'));
    assert.deepEqual(list.map((i: any) => i.id), [`chat${mintOpen}`, `chat${mintGroup}`, 5]);
    const [open, , user] = list;
    assert.equal(open.type, 'chat');
    assert.equal(open.title, 'Mint open room');
    assert.equal(open.chat.id, mintOpen);
    assert.equal(typeof open.avatar.color, 'string');
    assert.equal(user.type, 'user');
    assert.equal(user.title, 'John Smith');
    assert.equal(user.user.id, 5);
    assert.equal(user.avatar.color, user.user.color);

    // Picking again moves to the top; the skips filter by kind.
    await new Promise((r) => setTimeout(r, 5));
    expectOk(await call(2, 'im.search.last.add', { DIALOG_ID: 5 }));
    list = expectOk(await call(2, 'im.search.last.get'));
    assert.deepEqual(list.map((i: any) => i.id), [5, `chat${mintOpen}`, `chat${mintGroup}`]);
    assert.deepEqual(expectOk(await call(2, 'im.search.last.get', { SKIP_CHAT: 'Y' })).map((i: any) => i.id), [5]);
    assert.deepEqual(expectOk(await call(2, 'im.search.last.get', { SKIP_DIALOG: 'Y' })).map((i: any) => i.id), [`chat${mintOpen}`, `chat${mintGroup}`]);
    // Each user has their own list.
    assert.deepEqual(expectOk(await call(3, 'im.search.last.get')), []);

    assert.equal(expectOk(await call(2, 'im.search.last.delete', { DIALOG_ID: '5' })), true);
    assert.equal(expectOk(await call(2, 'im.search.last.delete', { DIALOG_ID: '5' })), false);
    expectError(await call(2, 'im.search.last.delete'), 400, 'DIALOG_ID_EMPTY');
    assert.deepEqual(expectOk(await call(2, 'im.search.last.get')).map((i: any) => i.id), [`chat${mintOpen}`, `chat${mintGroup}`]);
  });
});
}
