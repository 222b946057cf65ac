/**
 * task.item.add / task.item.list over real HTTP, called as real clients call them: PHP-style forms,
 * JSON bodies, the docs' lower-case named style and the service's positional style, from users'
 * incoming webhooks (Parley Admin 1, Anna 2, Ivan 3, Maria 4, John 5). `parley task add` is tested in
 * test/cli.test.ts.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { expectError, expectOk, http, type RestAnswer } from './helpers/rest-assert.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
let admin: string;
let anna: string;
let ivan: string;
let noTaskScope: string;
/** Maria's tasks, by name. */
const t: Record<string, number> = {};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;
const ids = (res: RestAnswer) => (expectOk(res) as any[]).map((x) => Number(x.ID));
const add = async (base: string, data: Record<string, unknown>) => expectOk(await restForm(base, 'task.item.add', { TASKDATA: data })) as number;
const listAs = (base: string, params: Record<string, unknown>) => restForm(base, 'task.item.list', params);

before(async () => {
  portal = await testPortal();
  [admin, anna, ivan, noTaskScope] = await Promise.all([
    webhookFor(portal, 1, 'task'), webhookFor(portal, 2, 'task'), webhookFor(portal, 3, 'task'), webhookFor(portal, 4, 'im'),
  ]);
  t.jan = await add(admin, { TITLE: 'Отчёт за январь', RESPONSIBLE_ID: 4, DEADLINE: '2020-01-10', DESCRIPTION: 'Сводка [b]за месяц[/b]' });
  t.feb = await add(admin, { TITLE: 'Report February', RESPONSIBLE_ID: 4, DEADLINE: '2020-01-20T15:30:00+03:00' });
  t.future = await add(admin, { TITLE: 'Plan 2099', RESPONSIBLE_ID: 4, DEADLINE: '2099-12-31' });
  t.none = await add(admin, { TITLE: 'No deadline', RESPONSIBLE_ID: 4, PRIORITY: 2 });
  t.annaToIvan = await add(anna, { TITLE: 'Anna to Ivan', RESPONSIBLE_ID: 3 });
  t.annaOwn = await add(anna, { TITLE: 'Anna own', RESPONSIBLE_ID: 2, DEADLINE: '2021-06-01' });
  t.adminToIvan = await add(admin, { TITLE: 'Admin to Ivan', RESPONSIBLE_ID: 3, STATUS: 5 });
});

after(async () => {
  await portal?.close();
});

describe('task.item.add', () => {
  test('returns the new task id as a number, from a form, JSON with `fields` (docs) and positional arrays', async () => {
    assert.equal(typeof t.jan, 'number');
    assert.ok(t.feb > t.jan);
    const fromJson = expectOk(await restJson(admin, 'task.item.add', { fields: { TITLE: 'JSON task', RESPONSIBLE_ID: 5 } }));
    assert.equal(typeof fromJson, 'number');
    // BX24.callMethod('task.item.add', [{…}]) sends the data as parameter 0.
    const positional = expectOk(await restForm(admin, 'task.item.add', { 0: { TITLE: 'Positional', RESPONSIBLE_ID: 5 } }));
    assert.equal(positional, fromJson + 1);
    const [item] = expectOk(await listAs(admin, { FILTER: { ID: positional } }));
    assert.equal(item.TITLE, 'Positional');
    assert.equal(item.RESPONSIBLE_ID, '5');
    assert.equal(item.CREATED_BY, '1');
  });

  test('TITLE is required: ERROR_CORE with the task module text', async () => {
    for (const data of [{ RESPONSIBLE_ID: 4 }, { TITLE: '   ', RESPONSIBLE_ID: 4 }]) {
      const res = await restForm(admin, 'task.item.add', { TASKDATA: data });
      expectError(res, 400, 'ERROR_CORE');
      assert.equal(res.body.error_description, 'Task name is not specified.<br>');
    }
  });

  test('no task data at all, unknown fields, bad people and status are refused', async () => {
    let res = await restForm(admin, 'task.item.add', {});
    expectError(res, 400, 'ERROR_CORE');
    assert.match(res.body.error_description, /^TASKS_ERROR_EXCEPTION_#256; Param #0 \(arNewTaskData\) expected by method ctaskitem::add\(\), but not given\.; 256\/TE\/WRONG_ARGUMENTS<br>$/);
    res = await restForm(admin, 'task.item.add', { TASKDATA: { TITLE: 'x', RESPONSIBLE_ID: 4, COLOR: 'red' } });
    expectError(res, 400, 'ERROR_CORE');
    assert.match(res.body.error_description, /Param #0 \(arNewTaskData\) for method ctaskitem::add\(\) must not contain key "COLOR"/);
    res = await restForm(admin, 'task.item.add', { TASKDATA: 'title' });
    expectError(res, 400, 'ERROR_CORE');
    assert.match(res.body.error_description, /expected to be of type "array"/);
    res = await restForm(admin, 'task.item.add', { TASKDATA: { TITLE: 'x' } });
    expectError(res, 400, 'ERROR_CORE');
    assert.equal(res.body.error_description, 'Assignee is not specified.<br>');
    res = await restForm(admin, 'task.item.add', { TASKDATA: { TITLE: 'x', RESPONSIBLE_ID: 999 } });
    expectError(res, 400, 'ERROR_CORE');
    assert.equal(res.body.error_description, 'Assignee not found.<br>');
    res = await restForm(admin, 'task.item.add', { TASKDATA: { TITLE: 'x', RESPONSIBLE_ID: 4, STATUS: 9 } });
    expectError(res, 400, 'ERROR_CORE');
    assert.equal(res.body.error_description, 'Incorrect task status.<br>');
  });

  test('only an admin sets another creator; the scope is `task`', async () => {
    const res = await restForm(anna, 'task.item.add', { TASKDATA: { TITLE: 'As Ivan', RESPONSIBLE_ID: 2, CREATED_BY: 3 } });
    expectError(res, 400, 'ERROR_CORE');
    assert.match(res.body.error_description, /Access denied/);
    const id = await add(admin, { TITLE: 'Set by Ivan', RESPONSIBLE_ID: 2, CREATED_BY: 3 });
    const [item] = expectOk(await listAs(admin, { FILTER: { ID: id } }));
    assert.equal(item.CREATED_BY, '3');
    expectError(await restForm(noTaskScope, 'task.item.add', { TASKDATA: { TITLE: 'x', RESPONSIBLE_ID: 4 } }), 401, 'insufficient_scope');
    expectError(await restForm(noTaskScope, 'task.item.list', {}), 401, 'insufficient_scope');
  });
});

describe('task.item.list', () => {
  test('items carry the documented fields: string IDs, ISO dates or "", STATUS meta-status beside REAL_STATUS', async () => {
    const res = await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: { RESPONSIBLE_ID: 4 } });
    const items = expectOk(res) as any[];
    assert.ok(Array.isArray(items));
    assert.equal(res.body.total, 4);
    assert.ok(!('next' in res.body));
    const [jan, feb, future, none] = items;
    assert.deepEqual([jan.ID, feb.ID, future.ID, none.ID], [t.jan, t.feb, t.future, t.none].map(String));
    assert.equal(jan.TITLE, 'Отчёт за январь');
    assert.equal(jan.DESCRIPTION, 'Сводка [b]за месяц[/b]');
    assert.equal(jan.RESPONSIBLE_ID, '4');
    assert.equal(jan.CREATED_BY, '1');
    assert.equal(jan.DEADLINE, '2020-01-10T00:00:00+00:00');
    assert.equal(feb.DEADLINE, '2020-01-20T12:30:00+00:00');
    assert.equal(none.DEADLINE, '');
    // Past its deadline and still pending: overdue (-1); without one, created by someone else: not viewed (-2).
    assert.equal(jan.STATUS, '-1');
    assert.equal(jan.REAL_STATUS, '2');
    assert.equal(future.STATUS, '2', 'the admin created it: viewed by its creator');
    assert.equal(jan.PRIORITY, '1');
    assert.equal(none.PRIORITY, '2');
    assert.match(jan.CREATED_DATE, ISO);
    assert.match(jan.CHANGED_DATE, ISO);
    assert.equal(jan.CLOSED_DATE, '');
    assert.equal(jan.GROUP_ID, '0');
    assert.equal(jan.PARENT_ID, null);
    assert.deepEqual(jan.AUDITORS, []);
    assert.equal(jan.RESPONSIBLE_NAME, 'Maria');
    assert.equal(jan.RESPONSIBLE_LAST_NAME, 'Garcia');
    assert.equal(typeof jan.ALLOWED_ACTIONS.ACTION_EDIT, 'boolean');
    assert.equal(jan.ALLOWED_ACTIONS.ACTION_EDIT, true, 'the admin may edit');
    assert.match(jan.GUID, /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);

    const [done] = expectOk(await listAs(admin, { FILTER: { ID: t.adminToIvan } }));
    assert.equal(done.REAL_STATUS, '5');
    assert.equal(done.STATUS, '5');
    assert.match(done.CLOSED_DATE, ISO);
    // Maria sees her pending tasks from the admin as not viewed, the overdue ones as overdue.
    const maria = await webhookFor(portal, 4, 'task');
    const seen = Object.fromEntries((expectOk(await listAs(maria, {})) as any[]).map((x) => [Number(x.ID), x.STATUS]));
    assert.equal(seen[t.jan], '-1');
    assert.equal(seen[t.future], '-2');
  });

  test('the ReportBot call: ORDER[DEADLINE]=desc, FILTER[RESPONSIBLE_ID], FILTER[<DEADLINE]=today, empty PARAMS/SELECT', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await listAs(admin, { ORDER: { DEADLINE: 'desc' }, FILTER: { RESPONSIBLE_ID: 4, '<DEADLINE': today }, PARAMS: [], SELECT: [] });
    assert.deepEqual(ids(res), [t.feb, t.jan], 'overdue only, latest deadline first, the one without a deadline left out');
    assert.equal(res.body.total, 2);
  });

  test('FILTER prefixes on IDs, people, status and dates', async () => {
    const mine = { RESPONSIBLE_ID: 4 };
    const q = async (filter: Record<string, unknown>) => ids(await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: { ...mine, ...filter } }));
    assert.deepEqual(await q({ ID: [t.jan, t.none, 99999] }), [t.jan, t.none]);
    assert.deepEqual(await q({ '>ID': t.feb }), [t.future, t.none]);
    assert.deepEqual(await q({ '>=ID': t.feb, '<ID': t.none }), [t.feb, t.future]);
    assert.deepEqual(await q({ '<=ID': t.jan }), [t.jan]);
    assert.deepEqual(await q({ '!ID': t.jan }), [t.feb, t.future, t.none]);
    assert.deepEqual(await q({ '!ID': [t.jan, t.feb] }), [t.future, t.none]);
    assert.deepEqual(await q({ CREATED_BY: 2 }), []);
    assert.deepEqual(ids(await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: { '!RESPONSIBLE_ID': 4, CREATED_BY: 2 } })), [t.annaToIvan, t.annaOwn]);
    assert.deepEqual(await q({ STATUS: -1 }), [t.jan, t.feb]);
    assert.deepEqual(await q({ STATUS: 2 }), [t.future, t.none]);
    assert.deepEqual(await q({ REAL_STATUS: 2 }), [t.jan, t.feb, t.future, t.none]);
    assert.deepEqual(await q({ '!STATUS': -1 }), [t.future, t.none]);
    assert.deepEqual(await q({ PRIORITY: 2 }), [t.none]);
    // Dates compare as instants, whatever their spelling; a task without a deadline never compares.
    assert.deepEqual(await q({ '<DEADLINE': '2020-01-20' }), [t.jan]);
    assert.deepEqual(await q({ '<DEADLINE': '2020-01-20T15:30:00+03:00' }), [t.jan]);
    assert.deepEqual(await q({ '<=DEADLINE': '2020-01-20T12:30:00Z' }), [t.jan, t.feb]);
    assert.deepEqual(await q({ '>DEADLINE': '2020-01-10' }), [t.feb, t.future]);
    assert.deepEqual(await q({ '>=DEADLINE': '10.01.2020', '<DEADLINE': '2050-01-01' }), [t.jan, t.feb]);
    assert.deepEqual(await q({ DEADLINE: '2099-12-31' }), [t.future]);
    // An empty deadline (0, '') means "none".
    assert.deepEqual(await q({ DEADLINE: 0 }), [t.none]);
    assert.deepEqual(await q({ DEADLINE: '' }), [t.none]);
    assert.deepEqual(await q({ '!DEADLINE': '' }), [t.jan, t.feb, t.future]);
    assert.deepEqual(await q({ '>CREATED_DATE': '2020-01-01' }), [t.jan, t.feb, t.future, t.none]);
    assert.deepEqual(await q({ CLOSED_DATE: '' }), [t.jan, t.feb, t.future, t.none]);
  });

  test('TITLE: LIKE without a prefix, % for a substring, case-insensitive', async () => {
    const q = async (filter: Record<string, unknown>) => ids(await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: { RESPONSIBLE_ID: 4, ...filter } }));
    assert.deepEqual(await q({ '%TITLE': 'report' }), [t.feb]);
    assert.deepEqual(await q({ '%TITLE': 'ЯНВАРЬ' }), [t.jan]);
    assert.deepEqual(await q({ TITLE: 'Plan%' }), [t.future]);
    assert.deepEqual(await q({ TITLE: 'plan 2099' }), [t.future]);
    assert.deepEqual(await q({ TITLE: 'Plan' }), []);
    assert.deepEqual(await q({ TITLE: 'Plan 20_9' }), [t.future]);
    assert.deepEqual(await q({ '!%TITLE': 'e' }), [t.jan, t.future]);
  });

  test('ORDER by DEADLINE, CREATED_DATE, TITLE, ID; the default is ID descending', async () => {
    const q = async (order: Record<string, unknown>) => ids(await listAs(admin, { ORDER: order, FILTER: { RESPONSIBLE_ID: 4 } }));
    assert.deepEqual(await q({ DEADLINE: 'desc' }), [t.future, t.feb, t.jan, t.none], 'no deadline sorts last descending');
    assert.deepEqual(await q({ DEADLINE: 'asc' }), [t.none, t.jan, t.feb, t.future], 'and first ascending');
    assert.deepEqual(await q({ TITLE: 'asc' }), [t.none, t.future, t.feb, t.jan]);
    assert.deepEqual(await q({ TITLE: 'DESC' }), [t.jan, t.feb, t.future, t.none]);
    assert.deepEqual(await q({ ID: 'asc' }), [t.jan, t.feb, t.future, t.none]);
    assert.deepEqual(await q({ CREATED_DATE: 'asc', ID: 'asc' }).then((x) => x.length), 4);
    assert.deepEqual(await q({ PRIORITY: 'desc', ID: 'asc' }), [t.none, t.jan, t.feb, t.future]);
    assert.deepEqual(ids(await listAs(admin, { FILTER: { RESPONSIBLE_ID: 4 } })), [t.none, t.future, t.feb, t.jan]);
  });

  test('SELECT narrows the fields; the access fields and ALLOWED_ACTIONS always come', async () => {
    const [item] = expectOk(await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: { ID: t.jan }, SELECT: ['TITLE', 'DEADLINE'] }));
    assert.deepEqual(Object.keys(item).sort(),
      ['ACCOMPLICES', 'ALLOWED_ACTIONS', 'AUDITORS', 'CREATED_BY', 'DEADLINE', 'GROUP_ID', 'ID', 'REAL_STATUS', 'RESPONSIBLE_ID', 'STATUS', 'TITLE']);
    assert.equal(item.DEADLINE, '2020-01-10T00:00:00+00:00');
    const [all] = expectOk(await listAs(admin, { FILTER: { ID: t.jan }, SELECT: ['*'] }));
    assert.ok('DESCRIPTION' in all && 'CREATED_DATE' in all);
  });

  test('a user lists the tasks they are responsible for or created; admins list all', async () => {
    assert.deepEqual(ids(await listAs(anna, { ORDER: { ID: 'asc' } })).filter((id) => id <= t.adminToIvan), [t.annaToIvan, t.annaOwn]);
    assert.deepEqual(ids(await listAs(ivan, { ORDER: { ID: 'asc' } })).filter((id) => id <= t.adminToIvan), [t.annaToIvan, t.adminToIvan]);
    assert.deepEqual(ids(await listAs(anna, { ORDER: { ID: 'asc' }, FILTER: { RESPONSIBLE_ID: 3 } })), [t.annaToIvan]);
    assert.deepEqual(ids(await listAs(anna, { FILTER: { RESPONSIBLE_ID: 4 } })), []);
    assert.deepEqual(ids(await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: { RESPONSIBLE_ID: 3 } })), [t.annaToIvan, t.adminToIvan]);
    const [forIvan] = expectOk(await listAs(ivan, { FILTER: { ID: t.annaToIvan } }));
    assert.equal(forIvan.STATUS, '-2', 'Anna created it and Ivan never opened it');
    assert.equal(forIvan.ALLOWED_ACTIONS.ACTION_EDIT, false);
    assert.equal(forIvan.ALLOWED_ACTIONS.ACTION_START, true);
  });

  test('pages of 50 with total and next; start, and NAV_PARAMS nPageSize / iNumPage / nPageTop', async () => {
    const john = Array.from({ length: 55 }, (_, i) => i);
    const made: number[] = [];
    for (const i of john) made.push(await add(admin, { TITLE: `John #${i}`, RESPONSIBLE_ID: 5 }));
    const filter = { RESPONSIBLE_ID: 5, '%TITLE': 'John #' };
    let res = await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: filter });
    assert.deepEqual(ids(res), made.slice(0, 50));
    assert.equal(res.body.total, 55);
    assert.equal(res.body.next, 50);
    res = await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: filter, start: 50 });
    assert.deepEqual(ids(res), made.slice(50));
    assert.equal(res.body.total, 55);
    assert.ok(!('next' in res.body));
    res = await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: filter, PARAMS: { NAV_PARAMS: { nPageSize: 2, iNumPage: 2 } } });
    assert.deepEqual(ids(res), made.slice(2, 4));
    assert.equal(res.body.next, 4);
    assert.equal(res.body.total, 55);
    res = await listAs(admin, { ORDER: { ID: 'asc' }, FILTER: filter, PARAMS: { NAV_PARAMS: { nPageSize: 500 } } });
    assert.equal(ids(res).length, 50, 'nPageSize is capped at 50');
    res = await listAs(admin, { ORDER: { ID: 'desc' }, FILTER: filter, PARAMS: { NAV_PARAMS: { nPageTop: 3 } } });
    assert.deepEqual(ids(res), made.slice(-3).reverse());
    assert.ok(!('next' in res.body));
    res = await listAs(admin, { FILTER: { RESPONSIBLE_ID: 5, TITLE: 'nothing like this' } });
    assert.deepEqual(res.body.result, []);
    assert.equal(res.body.total, 0);
  });

  test('positional parameters, the docs\' lower-case names and the ORDER[]= placeholder', async () => {
    // The docs' example, with lower-case names.
    let res = await restJson(admin, 'task.item.list', {
      order: { ID: 'desc' }, filter: { ID: [t.jan, t.feb, t.future, t.none] }, params: { NAV_PARAMS: { nPageSize: 2, iNumPage: 2 } },
    });
    assert.deepEqual(ids(res), [t.feb, t.jan]);
    // BX24.callMethod('task.item.list', [{ID: 'asc'}, {RESPONSIBLE_ID: 4}]): parameters 0, 1, …
    res = await restForm(admin, 'task.item.list', { 0: { ID: 'asc' }, 1: { RESPONSIBLE_ID: 4 } });
    assert.deepEqual(ids(res), [t.jan, t.feb, t.future, t.none]);
    // Names the service ignores: only the position counts.
    res = await restJson(admin, 'task.item.list', { sort: { ID: 'asc' }, where: { RESPONSIBLE_ID: 4, '>ID': t.future } });
    assert.deepEqual(ids(res), [t.none]);
    // ORDER[]= skips ORDER, as the docs advise.
    const body = `ORDER[]=&FILTER[RESPONSIBLE_ID]=4&FILTER[%3CDEADLINE]=2020-01-15&PARAMS[]=&SELECT[]=`;
    res = await http(`${admin}task.item.list`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.deepEqual(ids(res), [t.jan]);
  });

  test('unknown FILTER, ORDER and PARAMS keys and non-array arguments are refused', async () => {
    let res = await listAs(admin, { FILTER: { COLOR: 'red' } });
    expectError(res, 400, 'ERROR_CORE');
    assert.equal(res.body.error_description,
      'TASKS_ERROR_EXCEPTION_#256; Param #1 (arFilter) for method ctaskitem::list() must not contain key "COLOR".; 256/TE/WRONG_ARGUMENTS<br>');
    res = await listAs(admin, { ORDER: { COLOR: 'asc' } });
    expectError(res, 400, 'ERROR_CORE');
    assert.match(res.body.error_description, /Param #0 \(arOrder\) for method ctaskitem::list\(\) must not contain key "COLOR"/);
    res = await listAs(admin, { PARAMS: { LIMIT: 5 } });
    expectError(res, 400, 'ERROR_CORE');
    assert.match(res.body.error_description, /Param #2 \(arParams\)/);
    res = await listAs(admin, { ORDER: 'ID' });
    expectError(res, 400, 'ERROR_CORE');
    assert.match(res.body.error_description, /Param #0 \(arOrder\) for method ctaskitem::list\(\) expected to be of type "array"/);
  });
});
