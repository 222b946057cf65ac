/**
 * im.user.* and im.department.* over real HTTP with users' webhooks, on SQLite and PostgreSQL: the
 * user object's presence (status, idle, last activity) from stored state, the department tree of
 * the seed and of `parley department add`, and every documented error with its HTTP status.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson } from './helpers/portal.ts';
import { addDepartment, addUser, webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`im.user.* and im.department.* on ${dialect}`, () => {
  let portal: TestPortal;
  const hook: Record<number, string> = {};
  let skip: string | undefined;

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    for (const id of [1, 2, 3, 4, 5]) hook[id] = await webhookFor(portal, id, 'im,imbot');
  });
  after(async () => {
    await portal?.close();
  });

  const call = (as: number, method: string, params: Record<string, unknown> = {}) => restForm(hook[as], method, params);

  test('im.user.get: the caller, another user, presence from stored state, and its errors', async (t) => {
    if (skip) return t.skip(skip);
    // John (5) has not called anything yet: no last activity.
    const john = expectOk(await call(2, 'im.user.get', { ID: 5 }));
    assert.equal(john.id, 5);
    assert.equal(john.name, 'John Smith');
    assert.equal(john.last_activity_date, false);
    assert.deepEqual(john.departments, [3]);
    assert.equal(john.status, 'online');
    assert.equal(john.idle, false);
    assert.equal(john.mobile_last_date, false);
    assert.equal(john.desktop_last_date, false);
    assert.deepEqual(Object.keys(john.phones).sort(), ['inner_phone', 'personal_mobile', 'personal_phone', 'work_phone']);

    // The caller's own profile: the call itself is activity.
    const before = Date.now() - 2000;
    const me = expectOk(await restJson(hook[5], 'im.user.get'));
    assert.equal(me.id, 5);
    assert.match(me.last_activity_date, ISO);
    assert.ok(Date.parse(me.last_activity_date) >= before - 1000, me.last_activity_date);
    // …and others see it now.
    const seen = expectOk(await call(2, 'im.user.get', { ID: '5' }));
    assert.equal(seen.last_activity_date, me.last_activity_date);

    expectError(await call(2, 'im.user.get', { ID: 0 }), 400, 'ID_EMPTY');
    expectError(await call(2, 'im.user.get', { ID: 'abc' }), 400, 'ID_EMPTY');
    expectError(await call(2, 'im.user.get', { ID: 99999 }), 400, 'USER_NOT_EXISTS');
  });

  test('im.user.list.get: a map with null for unknown ids, the array form, INVALID_FORMAT', async (t) => {
    if (skip) return t.skip(skip);
    const map = expectOk(await call(2, 'im.user.list.get', { ID: [4, 99999] }));
    assert.deepEqual(Object.keys(map).sort(), ['4', '99999']);
    assert.equal(map['99999'], null);
    assert.equal(map['4'].name, 'Maria Garcia');
    // A JSON string, as the English docs allow.
    const json = expectOk(await call(2, 'im.user.list.get', { ID: '[2,3]' }));
    assert.deepEqual(Object.keys(json).sort(), ['2', '3']);
    const list = expectOk(await restJson(hook[2], 'im.user.list.get', { ID: [3, 99999, 2], RESULT_TYPE: 'array' }));
    assert.deepEqual(list.map((u: any) => u.id), [3, 2]);
    expectError(await call(2, 'im.user.list.get'), 400, 'INVALID_FORMAT');
    expectError(await call(2, 'im.user.list.get', { ID: 'abc' }), 400, 'INVALID_FORMAT');
    expectError(await restJson(hook[2], 'im.user.list.get', { ID: [] }), 400, 'INVALID_FORMAT');
  });

  test('im.user.status.get / set: each user their own status, STATUS_ERROR for unknown ones', async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(expectOk(await call(3, 'im.user.status.get')), 'online');
    assert.equal(expectOk(await call(3, 'im.user.status.set', { STATUS: 'dnd' })), true);
    assert.equal(expectOk(await call(3, 'im.user.status.get')), 'dnd');
    assert.equal(expectOk(await call(2, 'im.user.get', { ID: 3 })).status, 'dnd');
    // Anna's own status is untouched.
    assert.equal(expectOk(await call(2, 'im.user.status.get')), 'online');
    for (const s of ['away', 'break', 'online']) {
      assert.equal(expectOk(await restJson(hook[3], 'im.user.status.set', { STATUS: s })), true);
      assert.equal(expectOk(await call(3, 'im.user.status.get')), s);
    }
    for (const bad of ['busy', 'DND', '']) expectError(await call(3, 'im.user.status.set', { STATUS: bad }), 400, 'STATUS_ERROR');
    expectError(await call(3, 'im.user.status.set'), 400, 'STATUS_ERROR');
    assert.equal(expectOk(await call(3, 'im.user.status.get')), 'online');
  });

  test('im.user.status.idle.start / end: idle since AGO minutes, then false again', async (t) => {
    if (skip) return t.skip(skip);
    const t0 = Date.now();
    assert.equal(expectOk(await call(4, 'im.user.status.idle.start', { AGO: 15 })), true);
    const idle = expectOk(await call(2, 'im.user.get', { ID: 4 })).idle;
    assert.match(idle, ISO);
    const minutes = (t0 - Date.parse(idle)) / 60_000;
    assert.ok(minutes > 14.9 && minutes < 15.2, `idle ${idle} is ~15 minutes ago (${minutes})`);
    // Without AGO: ten minutes.
    expectOk(await call(4, 'im.user.status.idle.start'));
    const tenAgo = (Date.now() - Date.parse(expectOk(await call(4, 'im.user.get')).idle)) / 60_000;
    assert.ok(tenAgo > 9.9 && tenAgo < 10.2, `default AGO is 10 minutes (${tenAgo})`);
    assert.equal(expectOk(await call(4, 'im.user.status.idle.end')), true);
    assert.equal(expectOk(await call(2, 'im.user.get', { ID: 4 })).idle, false);
  });

  test('im.department.get: names, full names and heads of the tree; INVALID_FORMAT', async (t) => {
    if (skip) return t.skip(skip);
    const list = expectOk(await call(2, 'im.department.get', { ID: [2, 3, 999] }));
    assert.deepEqual(list, [
      { id: 2, name: 'Sales', full_name: 'Sales / Company', manager_user_id: 2 },
      { id: 3, name: 'Support', full_name: 'Support / Company', manager_user_id: 4 },
    ]);
    const withHead = expectOk(await restJson(hook[2], 'im.department.get', { ID: '[1]', USER_DATA: 'Y' }));
    assert.equal(withHead[0].full_name, 'Company');
    assert.equal(withHead[0].manager_user_data.id, 1);
    assert.equal(withHead[0].manager_user_data.work_position, 'Administrator');
    expectError(await call(2, 'im.department.get'), 400, 'INVALID_FORMAT');
    expectError(await call(2, 'im.department.get', { ID: 'x' }), 400, 'INVALID_FORMAT');
  });

  test('im.department.colleagues.list: own department and heads, subordinates for a head, paging', async (t) => {
    if (skip) return t.skip(skip);
    const ivan = await call(3, 'im.department.colleagues.list');
    assert.deepEqual(expectOk(ivan), [2]);
    assert.equal(ivan.body.total, 1);
    assert.deepEqual(expectOk(await call(2, 'im.department.colleagues.list')), [1, 3]);
    assert.deepEqual(expectOk(await call(1, 'im.department.colleagues.list')), [2, 3, 4, 5]);
    const page = await call(1, 'im.department.colleagues.list', { LIMIT: 2, OFFSET: 1, USER_DATA: 'Y' });
    assert.deepEqual(expectOk(page).map((u: any) => u.id), [3, 4]);
    assert.equal(page.body.total, 4);
    assert.equal(page.body.next, 3);
    assert.equal(expectOk(page)[0].name, 'Иван Сидоров');
    const last = await call(1, 'im.department.colleagues.list', { LIMIT: 2, OFFSET: 2 });
    assert.deepEqual(expectOk(last), [4, 5]);
    assert.equal(last.body.next, undefined);
  });

  test('im.department.managers.get and employees.get: per department, USER_DATA, ID_EMPTY', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(expectOk(await call(2, 'im.department.managers.get', { ID: [2, 3] })), { 2: [2], 3: [4] });
    const heads = expectOk(await restJson(hook[2], 'im.department.managers.get', { ID: [3], USER_DATA: 'Y' }));
    assert.equal(heads['3'][0].name, 'Maria Garcia');
    assert.deepEqual(expectOk(await call(2, 'im.department.employees.get', { ID: [3, 2] })), { 3: [4, 5], 2: [2, 3] });
    const staff = expectOk(await call(2, 'im.department.employees.get', { ID: '[2]', USER_DATA: 'Y' }));
    assert.deepEqual(staff['2'].map((u: any) => u.first_name), ['Анна', 'Иван']);
    for (const m of ['im.department.managers.get', 'im.department.employees.get']) {
      expectError(await call(2, m), 400, 'ID_EMPTY');
      expectError(await call(2, m, { ID: 'nope' }), 400, 'ID_EMPTY');
    }
  });

  test('department methods refuse bots with ACCESS_ERROR 403', async (t) => {
    if (skip) return t.skip(skip);
    const botId = expectOk(await call(1, 'imbot.register', {
      CODE: 'dept_probe', TYPE: 'B', CLIENT_ID: 'deptprobe', EVENT_MESSAGE_ADD: 'http://127.0.0.1:9/h', EVENT_WELCOME_MESSAGE: 'http://127.0.0.1:9/h',
      EVENT_BOT_DELETE: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Probe' },
    }));
    const botHook = await webhookFor(portal, Number(botId), 'im');
    for (const [m, params] of [
      ['im.department.get', { ID: [2] }], ['im.department.colleagues.list', {}], ['im.department.managers.get', { ID: [2] }],
      ['im.department.employees.get', { ID: [2] }],
    ] as const) expectError(await restForm(botHook, m, params), 403, 'ACCESS_ERROR');
  });

  test('im.user.business.list: active people, not bots; ids or USER_DATA objects, paged', async (t) => {
    if (skip) return t.skip(skip);
    const bots = (await portal.portal.db.selectFrom('users').select('id').where('is_bot', '=', 1).execute()).map((r) => Number(r.id));
    assert.ok(bots.length > 0, 'a bot exists by now (registered above)');
    const res = await call(2, 'im.user.business.list');
    const ids = expectOk(res);
    assert.deepEqual(ids.slice(0, 5), [1, 2, 3, 4, 5]);
    assert.ok(!ids.some((id: number) => bots.includes(id)));
    assert.equal(res.body.total, ids.length);
    const objects = expectOk(await call(2, 'im.user.business.list', { USER_DATA: 'Y' }));
    assert.deepEqual(objects.map((u: any) => u.id), ids);
    assert.ok(objects.every((u: any) => u.bot === false && typeof u.name === 'string'));
  });

  // The command's own checks (bad arguments are one-line errors) are in test/cli.test.ts.
  test('parley department add builds the tree the methods read', async (t) => {
    if (skip) return t.skip(skip);
    const id = await addDepartment(portal, { name: 'Second line', parent: 3, head: 5 });
    assert.ok(id > 3, String(id));
    const user = await addUser(portal, { name: 'Olga', lastName: 'Novak', departments: [id] });
    assert.deepEqual(expectOk(await call(2, 'im.department.get', { ID: [id] })), [{ id, name: 'Second line', full_name: 'Second line / Support / Company', manager_user_id: 5 }]);
    assert.deepEqual(expectOk(await call(2, 'im.department.employees.get', { ID: [id] })), { [id]: [user] });
    // John now heads a department below Support: Olga is his colleague, and so is Maria above him.
    assert.deepEqual(expectOk(await call(5, 'im.department.colleagues.list')), [1, 4, user].sort((a, b) => a - b));
    // Olga's colleagues: her department's head.
    assert.deepEqual(expectOk(await restForm(await webhookFor(portal, user, 'im'), 'im.department.colleagues.list')), [5]);

    const root = await addDepartment(portal, { name: 'Board' });
    assert.equal(expectOk(await call(2, 'im.department.get', { ID: [root] }))[0].manager_user_id, 0);
  });
});
}
