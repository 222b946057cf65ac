/**
 * Open lines' configuration over real HTTP, on SQLite and PostgreSQL: imopenlines.config.add /
 * update / get / list.get / delete / path.get and imopenlines.revision.get — the string-typed read
 * shape, the queue in both documented spellings and its validation (people only, existing
 * departments), list.get's select / order / filter / paging / OPTIONS and every INVALID_FORMAT text,
 * who may change lines (administrators, their webhooks and app tokens) and who may not, the missing
 * scope, and imopenlines.crm.* answering that Parley has no CRM.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson } from './helpers/portal.ts';
import { addApp, addDepartment, addUser, portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { mintToken } from '../src/auth/tokens.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;
const MARIA = 4;
const JOHN = 5;
const SUPPORT = 3;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`imopenlines.config.* on ${dialect}`, () => {
  let portal: TestPortal;
  let skip: string | undefined;
  let admin: string;
  let anna: string;
  let noScope: string;
  let botId: number;
  let customer: number;
  let inactive: number;

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    [admin, anna, noScope] = await Promise.all([
      webhookFor(portal, ADMIN, 'imopenlines,imbot,im'), webhookFor(portal, ANNA, 'imopenlines,im'), webhookFor(portal, ADMIN, 'im,imbot,imconnector'),
    ]);
    botId = expectOk(await restForm(admin, 'imbot.register', { CODE: 'olbot', TYPE: 'O', CLIENT_ID: 'olbot', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Line bot' } }));
    // A customer of a connector and a dismissed employee: no function of the portal makes them yet
    // (customers come with connectors), so the rows are marked here.
    customer = await addUser(portal, { name: 'Customer' });
    inactive = await addUser(portal, { name: 'Former' });
    await portal.portal.db.updateTable('users').set({ external_auth_id: 'imconnector' }).where('id', '=', customer).execute();
    await portal.portal.db.updateTable('users').set({ active: 0 }).where('id', '=', inactive).execute();
  });
  after(async () => {
    await portal?.close();
  });

  const json = (base: string, method: string, params: Record<string, unknown> = {}) => restJson(base, method, params);

  test('config.add and config.get: the line as given, every scalar a string, the queue as operator ids', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await json(admin, 'imopenlines.config.add', { PARAMS: {
      LINE_NAME: 'Online Store Support Line', QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: String(ANNA) }, { ENTITY_TYPE: 'user', ENTITY_ID: String(IVAN) }],
      QUEUE_TYPE: 'strictly', QUEUE_TIME: 45, WELCOME_MESSAGE: 'Y', WELCOME_MESSAGE_TEXT: 'Hello!', WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId,
      WELCOME_BOT_JOIN: 'first', WELCOME_BOT_TIME: 120, WELCOME_BOT_LEFT: 'close', AUTO_CLOSE_TIME: 3600, VOTE_MESSAGE: 'N',
      WORKTIME_DAYOFF: ['SA', 'SU'], CRM: 'Y',
    } }));
    assert.equal(typeof id, 'number');
    assert.ok(id > 0);
    const line = expectOk(await json(anna, 'imopenlines.config.get', { CONFIG_ID: id }));
    assert.equal(line.ID, String(id));
    assert.equal(line.LINE_NAME, 'Online Store Support Line');
    assert.equal(line.ACTIVE, 'Y');
    assert.equal(line.QUEUE_TYPE, 'strictly');
    assert.equal(line.QUEUE_TIME, '45');
    assert.equal(line.WELCOME_BOT_ENABLE, 'Y');
    assert.equal(line.WELCOME_BOT_ID, String(botId));
    assert.equal(line.WELCOME_BOT_JOIN, 'first');
    assert.equal(line.WELCOME_BOT_TIME, '120');
    assert.equal(line.WELCOME_BOT_LEFT, 'close');
    assert.equal(line.AUTO_CLOSE_TIME, '3600');
    assert.equal(line.VOTE_MESSAGE, 'N');
    assert.equal(line.CRM, 'Y');
    assert.deepEqual(line.WORKTIME_DAYOFF, ['SA', 'SU']);
    assert.deepEqual(line.WORKTIME_HOLIDAYS, ['']);
    assert.deepEqual(line.DEFAULT_OPERATOR_DATA, []);
    assert.deepEqual([line.DATE_CREATE, line.DATE_MODIFY, line.MODIFY_USER_ID, line.XML_ID], [{}, {}, String(ADMIN), null]);
    // Fields not given have the defaults of a new line, as strings.
    assert.equal(line.NO_ANSWER_TIME, '60');
    assert.equal(line.MAX_CHAT, '0');
    // Every value is a string, an array, an object or null: never a number or a boolean.
    for (const [k, v] of Object.entries(line)) assert.ok(typeof v === 'string' || typeof v === 'object', `${k} is ${typeof v}`);
    assert.deepEqual(line.QUEUE, [String(ANNA), String(IVAN)]);
    assert.deepEqual(line.QUEUE_FULL, {
      [ANNA]: { ID: '1', SORT: '0', USER_ID: String(ANNA), DEPARTMENT_ID: '0', USER_NAME: null, USER_WORK_POSITION: null, USER_AVATAR: null, USER_AVATAR_ID: '0' },
      [IVAN]: { ID: '2', SORT: '1', USER_ID: String(IVAN), DEPARTMENT_ID: '0', USER_NAME: null, USER_WORK_POSITION: null, USER_AVATAR: null, USER_AVATAR_ID: '0' },
    });
    assert.deepEqual(Object.keys(line.QUEUE_USERS_FIELDS), [String(ANNA), String(IVAN)]);
    assert.equal(line.QUEUE_ONLINE, 'N');
    // WITH_QUEUE=N: the operators' ids only.
    const bare = expectOk(await json(anna, 'imopenlines.config.get', { CONFIG_ID: id, WITH_QUEUE: 'N' }));
    assert.deepEqual(bare.QUEUE, [String(ANNA), String(IVAN)]);
    for (const k of ['QUEUE_FULL', 'QUEUE_USERS_FIELDS', 'QUEUE_ONLINE']) assert.ok(!(k in bare), k);
    // SHOW_OFFLINE=N leaves out an operator who is away.
    expectOk(await restForm(await webhookFor(portal, IVAN, 'im'), 'im.user.status.set', { STATUS: 'away' }));
    const online = expectOk(await restForm(anna, 'imopenlines.config.get', { CONFIG_ID: id, SHOW_OFFLINE: 'N' }));
    assert.deepEqual(Object.keys(online.QUEUE_FULL), [String(ANNA)]);
    assert.deepEqual(online.QUEUE, [String(ANNA), String(IVAN)]);
  });

  test('a line without a name is "Open line N"; ACTIVE=N; form-encoded PARAMS and a queue of plain ids', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await restForm(admin, 'imopenlines.config.add', { PARAMS: { ACTIVE: 'N', QUEUE: [MARIA, JOHN], QUEUE_TYPE: 'all' } }));
    const line = expectOk(await restForm(admin, 'imopenlines.config.get', { CONFIG_ID: id }));
    assert.equal(line.LINE_NAME, `Open line ${id}`);
    assert.equal(line.ACTIVE, 'N');
    assert.equal(line.QUEUE_TYPE, 'all');
    assert.deepEqual(line.QUEUE, [String(MARIA), String(JOHN)]);
    // A comma-separated string of ids too.
    const other = expectOk(await restForm(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Comma', QUEUE: `${JOHN},${MARIA}` } }));
    assert.deepEqual(expectOk(await restForm(admin, 'imopenlines.config.get', { CONFIG_ID: other })).QUEUE, [String(JOHN), String(MARIA)]);
  });

  test('the queue keeps active people and existing departments and drops the rest', async (t) => {
    if (skip) return t.skip(skip);
    const dept = await addDepartment(portal, { name: 'Night shift' });
    const night = await addUser(portal, { name: 'Nina', departments: [dept] });
    const id = expectOk(await json(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Checked', QUEUE: [
      { ENTITY_TYPE: 'user', ENTITY_ID: botId }, { ENTITY_TYPE: 'user', ENTITY_ID: customer }, { ENTITY_TYPE: 'user', ENTITY_ID: inactive },
      { ENTITY_TYPE: 'user', ENTITY_ID: 999999 }, { ENTITY_TYPE: 'department', ENTITY_ID: 888888 }, { ENTITY_TYPE: 'chat', ENTITY_ID: 1 },
      { ENTITY_TYPE: 'user', ENTITY_ID: 'x' }, { ENTITY_TYPE: 'user', ENTITY_ID: ANNA }, { ENTITY_TYPE: 'department', ENTITY_ID: dept },
      { ENTITY_TYPE: 'user', ENTITY_ID: ANNA }, { ENTITY_TYPE: 'DEPARTMENT', ENTITY_ID: SUPPORT },
    ] } }));
    const line = expectOk(await json(admin, 'imopenlines.config.get', { CONFIG_ID: id }));
    // Anna directly, then the night shift's Nina, then Support's Maria and John (its members, by department).
    assert.deepEqual(line.QUEUE, [String(ANNA), String(night), String(MARIA), String(JOHN)]);
    assert.deepEqual([line.QUEUE_FULL[night].DEPARTMENT_ID, line.QUEUE_FULL[MARIA].DEPARTMENT_ID], [String(dept), String(SUPPORT)]);
    const listed = expectOk(await json(admin, 'imopenlines.config.list.get', { PARAMS: { filter: { ID: id } }, OPTIONS: { CONFIG_QUEUE: 'Y' } }));
    assert.deepEqual(listed[0].CONFIG_QUEUE, [
      { ENTITY_ID: String(ANNA), ENTITY_TYPE: 'user' }, { ENTITY_ID: String(dept), ENTITY_TYPE: 'department' }, { ENTITY_ID: String(SUPPORT), ENTITY_TYPE: 'department' },
    ]);
  });

  test('config.update: changes what is given and keeps the rest; false for a missing line; its errors', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await json(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Before', QUEUE: [ANNA], WELCOME_MESSAGE_TEXT: 'Hi', QUEUE_TIME: 30 } }));
    assert.equal(expectOk(await json(admin, 'imopenlines.config.update', { CONFIG_ID: id, PARAMS: { LINE_NAME: 'After', QUEUE: [IVAN, ANNA], CLOSE_TEXT: 'Bye', ACTIVE: 'N' } })), true);
    const line = expectOk(await json(admin, 'imopenlines.config.get', { CONFIG_ID: id }));
    assert.deepEqual([line.LINE_NAME, line.ACTIVE, line.CLOSE_TEXT, line.WELCOME_MESSAGE_TEXT, line.QUEUE_TIME], ['After', 'N', 'Bye', 'Hi', '30']);
    assert.deepEqual(line.QUEUE, [String(IVAN), String(ANNA)]);
    // Without QUEUE the queue stays; a value not of its field's kind leaves the field as it was.
    expectOk(await json(admin, 'imopenlines.config.update', { CONFIG_ID: id, PARAMS: { QUEUE_TYPE: 'randomly', QUEUE_TIME: 'soon' } }));
    const same = expectOk(await json(admin, 'imopenlines.config.get', { CONFIG_ID: id }));
    assert.deepEqual([same.QUEUE, same.QUEUE_TYPE, same.QUEUE_TIME], [[String(IVAN), String(ANNA)], 'evenly', '30']);
    assert.equal(expectOk(await json(admin, 'imopenlines.config.update', { CONFIG_ID: 987654, PARAMS: { LINE_NAME: 'x' } })), false);
    expectError(await json(admin, 'imopenlines.config.update', { PARAMS: { LINE_NAME: 'x' } }), 400, 'CONFIG_ID_EMPTY');
    expectError(await json(admin, 'imopenlines.config.update', { CONFIG_ID: 'abc', PARAMS: {} }), 400, 'CONFIG_ID_EMPTY');
    const denied = await json(anna, 'imopenlines.config.update', { CONFIG_ID: id, PARAMS: { LINE_NAME: 'Mine' } });
    expectError(denied, 403, 'CONFIG_WRONG_USER_PERMISSION');
    assert.equal(expectOk(await json(admin, 'imopenlines.config.get', { CONFIG_ID: id })).LINE_NAME, 'After');
  });

  test('config.get and config.delete: false for a missing line, CONFIG_ID_EMPTY, and only administrators delete', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await json(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Short-lived', QUEUE: [ANNA] } }));
    expectError(await json(anna, 'imopenlines.config.get', {}), 400, 'CONFIG_ID_EMPTY');
    assert.equal(expectOk(await json(anna, 'imopenlines.config.get', { CONFIG_ID: 987654 })), false);
    expectError(await json(anna, 'imopenlines.config.delete', { CONFIG_ID: id }), 403, 'CONFIG_WRONG_USER_PERMISSION');
    expectError(await json(admin, 'imopenlines.config.delete', {}), 400, 'CONFIG_ID_EMPTY');
    assert.equal(expectOk(await json(admin, 'imopenlines.config.delete', { CONFIG_ID: id })), true);
    assert.equal(expectOk(await json(admin, 'imopenlines.config.get', { CONFIG_ID: id })), false);
    assert.equal(expectOk(await json(admin, 'imopenlines.config.delete', { CONFIG_ID: id })), false);
  });

  test('who may change lines: an administrator\'s webhook or app token, not another user\'s; no scope, no call', async (t) => {
    if (skip) return t.skip(skip);
    expectError(await json(anna, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Anna\'s' } }), 403, 'CONFIG_WRONG_USER_PERMISSION');
    for (const method of ['imopenlines.config.add', 'imopenlines.config.get', 'imopenlines.config.list.get', 'imopenlines.config.path.get', 'imopenlines.revision.get']) {
      expectError(await json(noScope, method, { CONFIG_ID: 1, PARAMS: {} }), 401, 'insufficient_scope');
    }
    const app = await addApp(portal, { name: 'Lines admin', handler: 'http://127.0.0.1:9/app', scope: 'imopenlines' });
    const rest = `${portal.url}/rest/`;
    const asAdmin = (await mintToken(portal.portal, portal.portal.db, app, ADMIN)).access_token;
    const asAnna = (await mintToken(portal.portal, portal.portal.db, app, ANNA)).access_token;
    const id = expectOk(await json(rest, 'imopenlines.config.add', { auth: asAdmin, PARAMS: { LINE_NAME: 'By the app' } }));
    assert.equal(expectOk(await json(anna, 'imopenlines.config.get', { CONFIG_ID: id })).LINE_NAME, 'By the app');
    expectError(await json(rest, 'imopenlines.config.update', { auth: asAnna, CONFIG_ID: id, PARAMS: { LINE_NAME: 'x' } }), 403, 'CONFIG_WRONG_USER_PERMISSION');
    assert.equal(expectOk(await json(rest, 'imopenlines.config.get', { auth: asAnna, CONFIG_ID: id })).LINE_NAME, 'By the app');
  });

  test('config.list.get: select with aliases, order, filter, limit and offset, OPTIONS', async (t) => {
    if (skip) return t.skip(skip);
    const names = ['List Alpha', 'List Beta', 'List Gamma', 'List Delta'];
    const ids: number[] = [];
    for (const [i, n] of names.entries()) {
      ids.push(expectOk(await json(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: n, QUEUE_TIME: 10 * (i + 1), ACTIVE: i === 1 ? 'N' : 'Y', QUEUE: i === 0 ? [ANNA, IVAN] : [] } })));
    }
    const all = expectOk(await json(anna, 'imopenlines.config.list.get'));
    assert.ok(Array.isArray(all));
    assert.ok(all.length >= 4);
    const ours = all.filter((l: any) => names.includes(l.LINE_NAME));
    assert.deepEqual(ours.map((l: any) => l.ID), ids.map(String), 'by ID ascending by default');
    assert.equal(ours[0].QUEUE_TIME, '10');
    assert.ok(!('QUEUE' in ours[0]) && !('QUEUE_FULL' in ours[0]));
    // select (with an alias), filter with % and an operator, order desc, limit and offset.
    const page = (params: Record<string, unknown>) => json(anna, 'imopenlines.config.list.get', { PARAMS: params });
    const sel = expectOk(await page({ select: { 0: 'ID', 1: 'QUEUE_TIME', TITLE: 'LINE_NAME' }, filter: { '%LINE_NAME': 'List ' }, order: { QUEUE_TIME: 'desc' } }));
    assert.deepEqual(sel, [
      { ID: String(ids[3]), QUEUE_TIME: '40', TITLE: 'List Delta' }, { ID: String(ids[2]), QUEUE_TIME: '30', TITLE: 'List Gamma' },
      { ID: String(ids[1]), QUEUE_TIME: '20', TITLE: 'List Beta' }, { ID: String(ids[0]), QUEUE_TIME: '10', TITLE: 'List Alpha' },
    ]);
    const paged = expectOk(await page({ select: ['LINE_NAME'], filter: { '%LINE_NAME': 'List ' }, order: { ID: 'ASC' }, limit: 2, offset: 1 }));
    assert.deepEqual(paged, [{ LINE_NAME: 'List Beta' }, { LINE_NAME: 'List Gamma' }]);
    const active = expectOk(await page({ select: ['LINE_NAME'], filter: { '%LINE_NAME': 'List ', ACTIVE: 'N' } }));
    assert.deepEqual(active, [{ LINE_NAME: 'List Beta' }]);
    const ranged = expectOk(await page({ select: ['LINE_NAME'], filter: { '%LINE_NAME': 'List ', '>=QUEUE_TIME': 20, '!LINE_NAME': 'List Delta' } }));
    assert.deepEqual(ranged, [{ LINE_NAME: 'List Beta' }, { LINE_NAME: 'List Gamma' }]);
    const inList = expectOk(await page({ select: ['ID'], filter: { ID: [ids[0], ids[2]] } }));
    assert.deepEqual(inList, [{ ID: String(ids[0]) }, { ID: String(ids[2]) }]);
    // Form spelling: PARAMS[select][]=…, PARAMS[limit]=….
    const form = expectOk(await restForm(anna, 'imopenlines.config.list.get', { PARAMS: { select: ['ID'], filter: { ID: ids[1] }, limit: '5' } }));
    assert.deepEqual(form, [{ ID: String(ids[1]) }]);
    // 200 at most: a bigger limit is cut, not refused.
    assert.ok(Array.isArray(expectOk(await page({ limit: 1000 }))));
    // OPTIONS: QUEUE (ids as numbers) with QUEUE_USERS_FIELDS, CONFIG_QUEUE (the queue as set).
    const withQueue = expectOk(await json(anna, 'imopenlines.config.list.get', { PARAMS: { select: ['ID'], filter: { ID: ids[0] } }, OPTIONS: { QUEUE: 'Y', CONFIG_QUEUE: 'Y' } }));
    assert.deepEqual(withQueue, [{
      ID: String(ids[0]), QUEUE: [ANNA, IVAN],
      QUEUE_USERS_FIELDS: { [ANNA]: { USER_NAME: null, USER_WORK_POSITION: null, USER_AVATAR: null, USER_AVATAR_ID: '0' }, [IVAN]: { USER_NAME: null, USER_WORK_POSITION: null, USER_AVATAR: null, USER_AVATAR_ID: '0' } },
      CONFIG_QUEUE: [{ ENTITY_ID: String(ANNA), ENTITY_TYPE: 'user' }, { ENTITY_ID: String(IVAN), ENTITY_TYPE: 'user' }],
    }]);
    const empty = expectOk(await json(anna, 'imopenlines.config.list.get', { PARAMS: { select: ['ID'], filter: { ID: ids[1] } }, OPTIONS: { QUEUE: 'Y' } }));
    assert.deepEqual(empty, [{ ID: String(ids[1]), QUEUE: [], QUEUE_USERS_FIELDS: [] }]);
    // CHECK_PERMISSION: MODIFY keeps the lines the caller may change (an administrator: all; anna: none), VIEW all.
    const opts = (base: string, action: string) => json(base, 'imopenlines.config.list.get', { PARAMS: { select: ['ID'], filter: { ID: ids[0] } }, OPTIONS: { CHECK_PERMISSION: action } });
    assert.deepEqual(expectOk(await opts(anna, 'MODIFY')), []);
    assert.deepEqual(expectOk(await opts(admin, 'modify')), [{ ID: String(ids[0]) }]);
    assert.deepEqual(expectOk(await opts(anna, 'VIEW')), [{ ID: String(ids[0]) }]);
  });

  test('config.list.get: every INVALID_FORMAT text', async (t) => {
    if (skip) return t.skip(skip);
    const cases: [Record<string, unknown>, string][] = [
      [{ PARAMS: { select: ['ID'], group: ['ID'], having: 1 } }, 'Unsupported PARAMS fields are passed: group, having'],
      [{ PARAMS: { select: 'ID' } }, "A wrong format for the PARAMS field 'select' is passed"],
      [{ PARAMS: { order: 'ID' } }, "A wrong format for the PARAMS field 'order' is passed"],
      [{ PARAMS: { filter: 'ID' } }, "A wrong format for the PARAMS field 'filter' is passed"],
      [{ PARAMS: { limit: -1 } }, "A non-negative integer is expected in the PARAMS field 'limit'"],
      [{ PARAMS: { limit: 'ten' } }, "A non-negative integer is expected in the PARAMS field 'limit'"],
      [{ PARAMS: { offset: 1.5 } }, "A non-negative integer is expected in the PARAMS field 'offset'"],
      [{ PARAMS: { select: [''] } }, "A wrong field name is passed in the PARAMS field 'select'"],
      [{ PARAMS: { order: { 0: 'ASC' } } }, "A wrong field name is passed in the PARAMS field 'order'"],
      [{ PARAMS: { filter: { '>': 1 } } }, "A wrong field name is passed in the PARAMS field 'filter'"],
      [{ PARAMS: { select: ['NOPE'] } }, "An unknown field 'NOPE' is passed in the PARAMS field 'select'"],
      [{ PARAMS: { select: ['QUEUE'] } }, "An unknown field 'QUEUE' is passed in the PARAMS field 'select'"],
      [{ PARAMS: { order: { NOPE: 'ASC' } } }, "An unknown field 'NOPE' is passed in the PARAMS field 'order'"],
      [{ PARAMS: { filter: { '!NOPE': 1 } } }, "An unknown field 'NOPE' is passed in the PARAMS field 'filter'"],
      [{ PARAMS: { select: { 'bad alias': 'ID' } } }, "A wrong field alias is passed in the PARAMS field 'select'"],
      [{ PARAMS: { select: { LINE_NAME: 'ID' } } }, "The alias 'LINE_NAME' matches an existing field in the PARAMS field 'select'"],
      [{ PARAMS: { order: { ID: 'up' } } }, "A wrong sorting direction is passed in the PARAMS field 'order'"],
      [{ OPTIONS: { QUEUE: 'Y', SHOW: 'Y' } }, 'Unsupported OPTIONS fields are passed: SHOW'],
      [{ OPTIONS: { QUEUE: ['Y'] } }, "A wrong format for the OPTIONS field 'QUEUE' is passed"],
      [{ OPTIONS: { CONFIG_QUEUE: { a: 'Y' } } }, "A wrong format for the OPTIONS field 'CONFIG_QUEUE' is passed"],
      [{ OPTIONS: { CHECK_PERMISSION: 'FLY' } }, "An unknown value for the OPTIONS field 'CHECK_PERMISSION' is passed"],
    ];
    for (const [params, text] of cases) {
      const res = await json(anna, 'imopenlines.config.list.get', params);
      expectError(res, 400, 'INVALID_FORMAT');
      assert.equal(res.body.error_description, text, JSON.stringify(params));
    }
  });

  test('config.path.get and revision.get', async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(expectOk(await json(anna, 'imopenlines.config.path.get')), { SERVER_ADDRESS: portal.portal.publicUrl, PUBLIC_PATH: '/dev#lines' });
    assert.deepEqual(expectOk(await json(anna, 'imopenlines.revision.get')), { rest: 2, web: 1, mobile: 1 });
  });

  test('imopenlines.crm.*: documented arguments first, then the answer that Parley has no CRM', async (t) => {
    if (skip) return t.skip(skip);
    const entity = { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 12 };
    const noCrm = async (method: string, params: Record<string, unknown>, status: number, code: string) => {
      const res = await json(anna, method, params);
      expectError(res, status, code);
      assert.match(res.body.error_description, /Parley has no CRM/, method);
    };
    await noCrm('imopenlines.crm.chat.get', entity, 403, 'ACCESS_DENIED');
    await noCrm('imopenlines.crm.chat.getLastId', entity, 400, 'CRM_CHAT_EMPTY_CRM_DATA');
    await noCrm('imopenlines.crm.chat.user.add', { ...entity, USER_ID: IVAN }, 403, 'ACCESS_DENIED');
    await noCrm('imopenlines.crm.chat.user.delete', { ...entity, USER_ID: IVAN, CHAT_ID: 5 }, 403, 'ACCESS_DENIED');
    await noCrm('imopenlines.crm.message.add', { ...entity, USER_ID: ANNA, CHAT_ID: 5, MESSAGE: 'hi' }, 403, 'ACCESS_DENIED');
    await noCrm('imopenlines.crm.lead.create', { CHAT_ID: 5 }, 403, 'ACCESS_DENIED');
    // Missing arguments answer as documented.
    const missing = await json(anna, 'imopenlines.crm.chat.get', { CRM_ENTITY: 12 });
    expectError(missing, 400, 'ERROR_ARGUMENT');
    assert.equal(missing.body.error_description, "Argument 'CRM_ENTITY_TYPE' is null or empty");
    expectError(await json(anna, 'imopenlines.crm.chat.getLastId', {}), 400, 'CRM_CHAT_EMPTY_CRM_DATA');
    const noMessage = await json(anna, 'imopenlines.crm.message.add', { ...entity, USER_ID: ANNA, CHAT_ID: 5 });
    assert.equal(noMessage.body.error_description, "Argument 'MESSAGE' is null or empty");
    expectError(await json(noScope, 'imopenlines.crm.chat.get', entity), 401, 'insufficient_scope');
  });
});
}
