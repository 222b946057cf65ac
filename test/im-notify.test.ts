/**
 * im.notify.* over real HTTP on SQLite and PostgreSQL: users' webhooks (with and without CLIENT_ID)
 * and a real installed app's token send personal and system notifications; the recipient lists,
 * reads, answers, confirms and deletes them; tags replace per app and recipient; every documented
 * error with its status; and the NOTIFY count im.counters.get reads.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { echoBot, restForm, restJson, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { unreadNotificationCount } from '../src/domain/notifications.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`im.notify.* on ${dialect}`, () => {
  let portal: TestPortal;
  let bot: Child;
  let skip: string | undefined;
  let rest: string;
  let token: string;
  let appId: number;
  /** Webhooks of Anna (2), Ivan (3) and Maria (4). */
  let anna: string;
  let ivan: string;
  let maria: string;
  /** John (5): the recipient of the history-search test only. */
  let john: string;

  /** A call with the installed app's token (its user is the admin who installed it). */
  const asApp = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { auth: token, ...params });
  /** Ivan's notifications, first page. */
  const ivanList = async (params: Record<string, unknown> = {}) => expectOk(await restJson(ivan, 'im.notify.get', params));
  const find = async (id: number) => (await ivanList()).notifications.find((n: any) => n.id === id);
  const send = async (base: string, params: Record<string, unknown>, method = 'im.notify.personal.add') => {
    const id = expectOk(await restJson(base, method, { USER_ID: 3, ...params }));
    assert.equal(typeof id, 'number');
    return id as number;
  };

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    rest = `${portal.url}/rest/`;
    bot = await echoBot();
    const installed = await installEchoBot(portal, bot);
    token = installed.install.auth.access_token;
    appId = installed.app.id;
    anna = await webhookFor(portal, 2, 'im');
    ivan = await webhookFor(portal, 3, 'im');
    maria = await webhookFor(portal, 4, 'im');
    john = await webhookFor(portal, 5, 'im');
  });

  after(async () => {
    await bot?.stop();
    await portal?.close();
  });

  test('a user with no notifications gets only notifications and users', async (t) => {
    if (skip) return t.skip(skip);
    const res = await ivanList();
    assert.deepEqual(res, { notifications: [], users: [] });
    assert.equal(await unreadNotificationCount(portal.portal.db, 3), 0);
  });

  test('im.notify.personal.add with PHP bracket params and an attachment reaches the recipient only', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await restForm(anna, 'im.notify.personal.add', {
      USER_ID: 3, MESSAGE: '  Personal [b]note[/b]  ', MESSAGE_OUT: 'for mail', SUB_TAG: 'S|1',
      ATTACH: [{ MESSAGE: 'attached line' }],
    }));
    assert.equal(typeof id, 'number');
    const res = await ivanList();
    assert.equal(res.total_count, 1);
    assert.equal(res.total_unread_count, 1);
    assert.equal(res.chat_id, 0);
    const n = res.notifications[0];
    assert.equal(n.id, id);
    assert.equal(n.author_id, 2);
    assert.equal(n.notify_type, 2);
    assert.equal(n.text, 'Personal [b]note[/b]');
    assert.equal(n.notify_read, 'N');
    assert.equal(n.notify_module, 'rest');
    assert.equal(n.setting_name, 'rest|rest_notify');
    // Sent by a webhook without CLIENT_ID: the tag is not an app's.
    assert.equal(n.notify_sub_tag, 'S|1');
    assert.match(n.date, ISO);
    assert.equal(n.params.ATTACH[0].BLOCKS[0].MESSAGE, 'attached line');
    assert.ok(!('notify_buttons' in n));
    assert.deepEqual(res.users.map((u: any) => [u.id, u.name, u.type]), [[2, res.users[0].name, 'user']]);
    assert.equal(res.users[0].first_name.length > 0, true);
    // CONVERT_TEXT=Y renders BB-code as HTML.
    const converted = await ivanList({ CONVERT_TEXT: 'Y' });
    assert.match(converted.notifications[0].text, /<b>note<\/b>/);
    // Nobody else sees it.
    assert.deepEqual(expectOk(await restJson(maria, 'im.notify.get')).notifications, []);
    assert.equal(await unreadNotificationCount(portal.portal.db, 3), 1);
    assert.equal(await unreadNotificationCount(portal.portal.db, 4), 0);
  });

  test('im.notify.system.add from an app has no author; im.notify takes TYPE', async (t) => {
    if (skip) return t.skip(skip);
    const sys = expectOk(await asApp('im.notify.system.add', { USER_ID: 3, MESSAGE: 'System says hi', ATTACH: '' }));
    const viaType = await send(anna, { TYPE: 'SYSTEM', MESSAGE: 'also system' }, 'im.notify');
    const personal = await send(anna, { MESSAGE: 'default is USER' }, 'im.notify');
    const n = await find(sys);
    assert.equal(n.author_id, 0);
    assert.equal(n.notify_type, 4);
    assert.equal(n.params, null);
    assert.equal((await find(viaType)).notify_type, 4);
    assert.equal((await find(personal)).notify_type, 2);
    assert.equal((await find(personal)).author_id, 2);
  });

  test('a TAG replaces the same app\'s earlier notification for the same user only', async (t) => {
    if (skip) return t.skip(skip);
    const first = expectOk(await asApp('im.notify.personal.add', { USER_ID: 3, MESSAGE: 'v1', TAG: 'BUILD', SUB_TAG: 'BUILD|7' }));
    const forMaria = expectOk(await asApp('im.notify.personal.add', { USER_ID: 4, MESSAGE: 'v1 for maria', TAG: 'BUILD' }));
    // Another "app" (a webhook naming CLIENT_ID) with the same tag leaves the app's alone.
    const other = await send(anna, { MESSAGE: 'other app', TAG: 'BUILD', CLIENT_ID: 'local.other' });
    const second = expectOk(await asApp('im.notify.personal.add', { USER_ID: 3, MESSAGE: 'v2', TAG: 'BUILD' }));
    assert.equal(await find(first), undefined);
    const n = await find(second);
    assert.equal(n.text, 'v2');
    assert.equal(n.notify_tag, `MP|${appId}|BUILD`);
    assert.equal((await find(other)).notify_tag, 'MP|local.other|BUILD');
    const mariaIds = expectOk(await restJson(maria, 'im.notify.get')).notifications.map((x: any) => x.id);
    assert.deepEqual(mariaIds, [forMaria]);
  });

  test('im.notify.delete by ID, TAG and SUB_TAG, each only where the caller may', async (t) => {
    if (skip) return t.skip(skip);
    // By TAG: the app removes its tagged notifications for every recipient, not another app's.
    const mine = expectOk(await asApp('im.notify.personal.add', { USER_ID: 3, MESSAGE: 'bye', TAG: 'GONE' }));
    const mariaMine = expectOk(await asApp('im.notify.personal.add', { USER_ID: 4, MESSAGE: 'bye', TAG: 'GONE' }));
    const theirs = await send(anna, { MESSAGE: 'stays', TAG: 'GONE', CLIENT_ID: 'local.other' });
    assert.equal(expectOk(await asApp('im.notify.delete', { TAG: 'GONE' })), true);
    assert.equal(await find(mine), undefined);
    assert.deepEqual(expectOk(await restJson(maria, 'im.notify.get')).notifications.filter((n: any) => n.id === mariaMine), []);
    assert.ok(await find(theirs));
    // By SUB_TAG through a webhook with CLIENT_ID.
    assert.equal(expectOk(await restForm(anna, 'im.notify.delete', { SUB_TAG: 'GONE', CLIENT_ID: 'local.other' })), true);
    assert.ok(await find(theirs), 'SUB_TAG matches sub tags only');
    const sub = await send(anna, { MESSAGE: 'sub', SUB_TAG: 'GROUP|1', CLIENT_ID: 'local.other' });
    assert.equal(expectOk(await restForm(anna, 'im.notify.delete', { SUB_TAG: 'GROUP|1', CLIENT_ID: 'local.other' })), true);
    assert.equal(await find(sub), undefined);
    // A webhook without CLIENT_ID has no tags of its own.
    expectError(await restForm(anna, 'im.notify.delete', { TAG: 'GONE' }), 403, 'ACCESS_DENIED');
    expectError(await restForm(anna, 'im.notify.delete', {}), 400, 'PARAMS_ERROR');
    // By ID: not the recipient, the sending app or the author → PARAMS_ERROR; the recipient may.
    expectError(await restForm(maria, 'im.notify.delete', { ID: theirs }), 400, 'PARAMS_ERROR');
    expectError(await asApp('im.notify.delete', { ID: theirs }), 400, 'PARAMS_ERROR');
    expectError(await restForm(ivan, 'im.notify.delete', { ID: 999999 }), 400, 'PARAMS_ERROR');
    assert.equal(expectOk(await restForm(ivan, 'im.notify.delete', { ID: theirs })), true);
    assert.equal(await find(theirs), undefined);
    // The sending app may retract by ID; so may the author of an app-less notification.
    const byApp = expectOk(await asApp('im.notify.system.add', { USER_ID: 3, MESSAGE: 'retract me' }));
    assert.equal(expectOk(await asApp('im.notify.delete', { ID: byApp })), true);
    const byAnna = await send(anna, { MESSAGE: 'retract me too' });
    assert.equal(expectOk(await restJson(anna, 'im.notify.delete', { ID: byAnna })), true);
    assert.equal(await find(byApp), undefined);
    assert.equal(await find(byAnna), undefined);
  });

  test('im.notify.read: one, or from an ID on; ACTION=N makes unread; absent ID changes nothing', async (t) => {
    if (skip) return t.skip(skip);
    expectOk(await restJson(ivan, 'im.notify.read.all'));
    const a = await send(anna, { MESSAGE: 'a' });
    const b = await send(anna, { MESSAGE: 'b' });
    const c = await send(anna, { MESSAGE: 'c' });
    const forMaria = await send(anna, { USER_ID: 4, MESSAGE: 'maria' });
    assert.equal(expectOk(await restForm(ivan, 'im.notify.read', {})), true);
    assert.equal((await ivanList()).total_unread_count, 3);
    assert.equal(expectOk(await restForm(ivan, 'im.notify.read', { ID: b, ONLY_CURRENT: 'Y' })), true);
    assert.deepEqual([(await find(a)).notify_read, (await find(b)).notify_read, (await find(c)).notify_read], ['N', 'Y', 'N']);
    assert.equal(expectOk(await restForm(ivan, 'im.notify.read', { ID: b, ACTION: 'N', ONLY_CURRENT: 'Y' })), true);
    assert.equal((await find(b)).notify_read, 'N');
    // Without ONLY_CURRENT: this one and every newer one (English docs).
    assert.equal(expectOk(await restForm(ivan, 'im.notify.read', { ID: b })), true);
    assert.deepEqual([(await find(a)).notify_read, (await find(b)).notify_read, (await find(c)).notify_read], ['N', 'Y', 'Y']);
    // Another user's notification is not touched by Ivan's call.
    const mariaN = expectOk(await restJson(maria, 'im.notify.get')).notifications.find((n: any) => n.id === forMaria);
    assert.equal(mariaN.notify_read, 'N');
    assert.equal((await ivanList()).total_unread_count, 1);
    assert.equal(await unreadNotificationCount(portal.portal.db, 3), 1);
  });

  test('im.notify.read.list and im.notify.read.all', async (t) => {
    if (skip) return t.skip(skip);
    expectOk(await restJson(ivan, 'im.notify.read.all'));
    const a = await send(anna, { MESSAGE: 'la' });
    const b = await send(anna, { MESSAGE: 'lb' });
    const c = await send(anna, { MESSAGE: 'lc' });
    // PHP-style IDS[]; processing stops at the first id <= 0.
    assert.equal(expectOk(await restForm(ivan, 'im.notify.read.list', { IDS: [a, 0, b] })), true);
    assert.deepEqual([(await find(a)).notify_read, (await find(b)).notify_read], ['Y', 'N']);
    assert.equal(expectOk(await restJson(ivan, 'im.notify.read.list', { IDS: [a, b, c], ACTION: 'Y' })), true);
    assert.equal((await ivanList()).total_unread_count, 0);
    // Any ACTION other than Y acts as N.
    assert.equal(expectOk(await restJson(ivan, 'im.notify.read.list', { IDS: [c], ACTION: 'X' })), true);
    assert.equal((await find(c)).notify_read, 'N');
    expectError(await restJson(ivan, 'im.notify.read.list', {}), 400, 'PARAMS_ERROR');
    expectError(await restJson(ivan, 'im.notify.read.list', { IDS: '5' }), 400, 'PARAMS_ERROR');
    assert.deepEqual(expectOk(await restJson(ivan, 'im.notify.read.all')), { result: true, newCounter: 0 });
    assert.equal((await find(c)).notify_read, 'Y');
  });

  test('confirm notifications: listed first, unread until a button is pressed, pressed once', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await asApp('im.notify.system.add', {
      USER_ID: 3, MESSAGE: 'Join the release chat?',
      NOTIFY_BUTTONS: [{ TITLE: 'Accept', VALUE: 'Y', TYPE: 'accept' }, { TITLE: 'Decline', VALUE: 'N', TYPE: 'cancel' }],
    }));
    const newer = await send(anna, { MESSAGE: 'newer, but not a confirm' });
    const list = await ivanList();
    assert.equal(list.notifications[0].id, id, 'confirm notifications come first');
    assert.equal(list.notifications[1].id, newer);
    const n = list.notifications[0];
    assert.equal(n.notify_type, 1);
    assert.deepEqual(JSON.parse(n.notify_buttons), [{ TITLE: 'Accept', VALUE: 'Y', TYPE: 'accept' }, { TITLE: 'Decline', VALUE: 'N', TYPE: 'cancel' }]);
    // Reading does not settle a confirm notification.
    assert.deepEqual(expectOk(await restJson(ivan, 'im.notify.read.all')), { result: true, newCounter: 1 });
    expectOk(await restJson(ivan, 'im.notify.read.list', { IDS: [id] }));
    expectOk(await restJson(ivan, 'im.notify.read', { ID: id, ONLY_CURRENT: 'Y' }));
    assert.equal((await find(id)).notify_read, 'N');
    // Not Ivan, or no such button: false.
    assert.deepEqual(expectOk(await restJson(maria, 'im.notify.confirm', { NOTIFY_ID: id, NOTIFY_VALUE: 'Y' })), { result_message: false });
    assert.deepEqual(expectOk(await restJson(ivan, 'im.notify.confirm', { NOTIFY_ID: id, NOTIFY_VALUE: 'MAYBE' })), { result_message: false });
    // The seed's spelling ID works as well as NOTIFY_ID.
    assert.deepEqual(expectOk(await restForm(ivan, 'im.notify.confirm', { ID: id, NOTIFY_VALUE: 'Y' })), { result_message: ['Accept'] });
    assert.deepEqual(expectOk(await restJson(ivan, 'im.notify.confirm', { NOTIFY_ID: id, NOTIFY_VALUE: 'N' })), { result_message: false });
    const after = await find(id);
    assert.equal(after.notify_type, 4);
    assert.equal(after.notify_read, 'Y');
    assert.ok(!('notify_buttons' in after));
    assert.equal((await ivanList()).total_unread_count, 0);
    expectError(await restJson(ivan, 'im.notify.confirm', { NOTIFY_VALUE: 'Y' }), 400, 'ID_ERROR');
    expectError(await restJson(ivan, 'im.notify.confirm', { NOTIFY_ID: id }), 400, 'NOTIFY_VALUE_ERROR');
    expectError(await restJson(ivan, 'im.notify.confirm', { NOTIFY_ID: id, NOTIFY_VALUE: '  ' }), 400, 'NOTIFY_VALUE_ERROR');
    expectError(await asApp('im.notify.system.add', { USER_ID: 3, MESSAGE: 'x', NOTIFY_BUTTONS: [{ TITLE: 'no value' }] }), 400, 'PARAMS_ERROR');
    expectError(await asApp('im.notify.system.add', { USER_ID: 3, MESSAGE: 'x', NOTIFY_BUTTONS: 'not json' }), 400, 'PARAMS_ERROR');
  });

  test('quick answers: only on notifications that take them, only by the recipient', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await asApp('im.notify.personal.add', { USER_ID: 3, MESSAGE: 'How was the demo?', NOTIFY_ANSWER: 'Y' }));
    const plain = await send(anna, { MESSAGE: 'no answers here' });
    assert.deepEqual((await find(id)).params, { CAN_ANSWER: 'Y' });
    assert.deepEqual(expectOk(await restJson(ivan, 'im.notify.answer', { NOTIFY_ID: plain, ANSWER_TEXT: 'hi' })), { result_message: false });
    assert.deepEqual(expectOk(await restJson(maria, 'im.notify.answer', { NOTIFY_ID: id, ANSWER_TEXT: 'hi' })), { result_message: false });
    const ok = expectOk(await restForm(ivan, 'im.notify.answer', { ID: id, ANSWER_TEXT: 'Great' }));
    assert.ok(Array.isArray(ok.result_message) && ok.result_message.length === 1);
    assert.equal((await find(id)).notify_read, 'Y');
    expectError(await restJson(ivan, 'im.notify.answer', { ANSWER_TEXT: 'x' }), 400, 'ID_ERROR');
    expectError(await restJson(ivan, 'im.notify.answer', { NOTIFY_ID: -1, ANSWER_TEXT: 'x' }), 400, 'ID_ERROR');
    expectError(await restJson(ivan, 'im.notify.answer', { NOTIFY_ID: id }), 400, 'ANSWER_TEXT_ERROR');
    expectError(await restJson(ivan, 'im.notify.answer', { NOTIFY_ID: id, ANSWER_TEXT: '   ' }), 400, 'ANSWER_TEXT_ERROR');
  });

  test('sending errors, with their HTTP status', async (t) => {
    if (skip) return t.skip(skip);
    for (const method of ['im.notify', 'im.notify.personal.add', 'im.notify.system.add']) {
      expectError(await restForm(anna, method, { MESSAGE: 'x' }), 400, 'USER_ID_EMPTY');
      expectError(await restForm(anna, method, { USER_ID: 0, MESSAGE: 'x' }), 400, 'USER_ID_EMPTY');
      expectError(await restForm(anna, method, { USER_ID: 3, MESSAGE: '   ' }), 400, 'MESSAGE_EMPTY');
      expectError(await restForm(anna, method, { USER_ID: 3, MESSAGE: 'x', ATTACH: '{not json' }), 400, 'ATTACH_ERROR');
      expectError(await restJson(anna, method, { USER_ID: 3, MESSAGE: 'x', ATTACH: [{ MESSAGE: 'y'.repeat(40 * 1024) }] }), 400, 'ATTACH_OVERSIZE');
    }
    // An unknown recipient: no notification, `false` as documented.
    assert.equal(expectOk(await restJson(anna, 'im.notify.personal.add', { USER_ID: 9999, MESSAGE: 'x' })), false);
    // Without the im scope.
    const noIm = await webhookFor(portal, 2, 'user');
    expectError(await restJson(noIm, 'im.notify.personal.add', { USER_ID: 3, MESSAGE: 'x' }), 401, 'insufficient_scope');
  });

  test('im.notify.history.search filters by text, type, date, author and tag; im.notify.schema.get names the type', async (t) => {
    if (skip) return t.skip(skip);
    const search = async (params: Record<string, unknown>) => expectOk(await restJson(john, 'im.notify.history.search', params));
    const ids = (res: any) => res.notifications.map((n: any) => n.id);
    const invoice = await send(anna, { USER_ID: 5, MESSAGE: 'Счёт за Invoice №7 готов' });
    const report = expectOk(await asApp('im.notify.system.add', { USER_ID: 5, MESSAGE: 'Weekly report', TAG: 'WEEK' }));
    const other = await send(maria, { USER_ID: 5, MESSAGE: 'another INVOICE reminder' });
    await send(anna, { USER_ID: 3, MESSAGE: 'invoice for Ivan, not John' });
    // Case-insensitive, also for Cyrillic; newest first; total_results on the first page only.
    const first = await search({ SEARCH_TEXT: 'invoice' });
    assert.deepEqual(ids(first), [other, invoice]);
    assert.equal(first.total_results, 2);
    assert.equal(first.chat_id, 0);
    assert.deepEqual(first.users.map((u: any) => u.id).sort(), [2, 4]);
    assert.deepEqual(ids(await search({ SEARCH_TEXT: 'СЧЁТ' })), [invoice]);
    const next = await search({ SEARCH_TEXT: 'invoice', LIMIT: 1, LAST_ID: other });
    assert.deepEqual(ids(next), [invoice]);
    assert.ok(!('total_results' in next));
    assert.deepEqual(ids(await search({ SEARCH_AUTHORS: [4] })), [other]);
    assert.deepEqual(ids(await search({ SEARCH_TEXT: 'report' })), [report]);
    assert.deepEqual(ids(await search({ SEARCH_TYPE: 'rest', GROUP_TAG: `MP|${appId}|WEEK` })), [report]);
    assert.deepEqual(ids(await search({ SEARCH_TYPE: 'rest', GROUP_TAG: 'MP|local.other|WEEK' })), []);
    assert.deepEqual(ids(await search({ SEARCH_TYPE: 'rest|rest_notify' })), [other, report, invoice]);
    assert.deepEqual(ids(await search({ SEARCH_TYPES: ['tasks'] })), []);
    // The day the notifications were stored (not the clock now: a run may cross midnight).
    const today = first.notifications[0].date.slice(0, 10);
    assert.deepEqual(ids(await search({ SEARCH_DATE: `${today}T12:00:00+00:00` })), [other, report, invoice]);
    assert.deepEqual(ids(await search({ SEARCH_DATE: '2001-01-01T00:00:00+00:00' })), []);
    assert.deepEqual(ids(await search({ SEARCH_DATE_FROM: '2001-01-01T00:00:00+00:00', SEARCH_DATE_TO: `${today}T00:00:00+00:00` })), [other, report, invoice]);
    assert.deepEqual(ids(await search({ SEARCH_DATE_FROM: '2001-01-01T00:00:00+00:00', SEARCH_DATE_TO: '2001-01-02T00:00:00+00:00' })), []);
    expectError(await restJson(john, 'im.notify.history.search', { SEARCH_TEXT: 'ab' }), 400, 'SEARCH_TEXT_ERROR');
    expectError(await restJson(john, 'im.notify.history.search', {}), 400, 'SEARCH_TEXT_ERROR');
    expectError(await restJson(john, 'im.notify.history.search', { SEARCH_TEXT: 'invoice', LAST_ID: 'x' }), 400, 'LAST_ID_STRING');
    const schema = expectOk(await restJson(john, 'im.notify.schema.get'));
    assert.equal(schema.rest.MODULE_ID, 'rest');
    assert.equal(typeof schema.rest.NAME, 'string');
    assert.deepEqual(Object.keys(schema.rest.LIST[0]).sort(), ['ID', 'NAME']);
    assert.deepEqual(schema.rest.LIST.map((x: any) => x.ID), ['rest|rest_notify']);
    assert.equal((await find(report)), undefined, 'John\'s notifications are not Ivan\'s');
  });

  test('im.notify.get pages with LIMIT, LAST_ID and LAST_TYPE; its errors', async (t) => {
    if (skip) return t.skip(skip);
    const confirm = expectOk(await asApp('im.notify.system.add', { USER_ID: 3, MESSAGE: 'pick', NOTIFY_BUTTONS: [{ TITLE: 'Ok', VALUE: 'ok' }] }));
    const all = (await ivanList()).notifications.map((n: any) => n.id);
    assert.equal(all[0], confirm);
    const seen: number[] = [];
    let params: Record<string, unknown> = { LIMIT: 3 };
    for (let guard = 0; guard < 50; guard++) {
      const page = (await ivanList(params)).notifications;
      if (!page.length) break;
      assert.ok(page.length <= 3);
      seen.push(...page.map((n: any) => n.id));
      const last = page.at(-1);
      params = { LIMIT: 3, LAST_ID: last.id, LAST_TYPE: last.notify_type === 1 ? 1 : 3 };
    }
    assert.deepEqual(seen, all);
    expectError(await restJson(ivan, 'im.notify.get', { LAST_ID: 5 }), 400, 'LAST_ID_AND_LAST_TYPE');
    expectError(await restJson(ivan, 'im.notify.get', { LAST_TYPE: 3 }), 400, 'LAST_ID_AND_LAST_TYPE');
    expectError(await restJson(ivan, 'im.notify.get', { LAST_ID: 'abc', LAST_TYPE: 3 }), 400, 'LAST_ID_STRING');
    const res = await ivanList();
    assert.equal(res.total_count, all.length);
    assert.equal(res.total_unread_count, await unreadNotificationCount(portal.portal.db, 3));
  });
});
}
