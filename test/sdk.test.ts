/**
 * The official JS SDK (@bitrix24/b24jssdk) as a real client of an HTTPS portal, run in its own
 * process with the portal CA trusted at start (test/fixtures/sdk-client.mjs): single calls, batches
 * (map, list, halt, a failing command, `$result` references), list paging with `next`/`total` and
 * the SDK's cursor helpers, errors, and Chatbots 2.0 (imbot.v2) calls. Then `batch` and user.get
 * over plain HTTPS as PHP clients send them: form bodies with double-encoded sub-queries, the five
 * result maps, PHP's `[]`, limits.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, httpsJson, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { createUser } from '../src/domain/users.ts';

const execFileP = promisify(execFile);
const CLIENT = path.join(ROOT, 'test/fixtures/sdk-client.mjs');
const ADDED = 120;
const TIME_KEYS = ['date_finish', 'date_start', 'duration', 'finish', 'operating', 'operating_reset_at', 'processing', 'start'];

let portal: Awaited<ReturnType<typeof testPortal>>;
let hook: string;
let ca: Buffer;
let people: number;
let botUserId: number;

before(async () => {
  portal = await testPortal({ https: true });
  assert.ok(portal.caCertPath, 'an HTTPS portal has a CA');
  ca = fs.readFileSync(portal.caCertPath!);
  const db = portal.portal.db;
  for (let i = 1; i <= ADDED; i++) {
    await createUser(db, { name: `Person${String(i).padStart(3, '0')}`, lastName: 'Seeded', email: `p${i}@example.test`, departments: [i % 2 ? 2 : 3] });
  }
  // A bot is a user in the store, but user.get never lists it.
  botUserId = await createUser(db, { name: 'Helper', lastName: 'Bot', isBot: true });
  people = portal.seeded.length + ADDED;
  hook = await webhookFor(portal, 1, 'im,imbot,user');
  assert.match(hook, /^https:\/\/127\.0\.0\.1:\d+\/rest\/1\/\w+\/$/);
});

after(async () => {
  await portal?.close();
});

/** Run one SDK scenario in a child process that trusts the portal CA; returns its JSON report. */
async function sdk(scenario: string): Promise<any> {
  const { stdout } = await execFileP(process.execPath, [CLIENT, hook, scenario], {
    cwd: ROOT, timeout: 60_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: portal.caCertPath },
  }).catch((e) => assert.fail(`sdk scenario ${scenario} failed: ${e.stderr || e.message}`));
  const marker = stdout.lastIndexOf('@@RESULT@@ ');
  assert.ok(marker >= 0, `no result from scenario ${scenario}: ${stdout}`);
  return JSON.parse(stdout.slice(marker + '@@RESULT@@ '.length));
}

const request = (method: 'GET' | 'POST', url: string, body?: string, contentType?: string) => httpsJson(method, url, ca, body, contentType);

const json = (method: string, params: unknown) => request('POST', hook + method, JSON.stringify(params), 'application/json');
const form = (method: string, body: string) => request('POST', hook + method, body, 'application/x-www-form-urlencoded');

/** A successful envelope's result (status 200, `result` and a full `time`, no `error`). */
function ok(res: { status: number; body: any }): any {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.error, undefined, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body.time).sort(), TIME_KEYS);
  return res.body.result;
}

const idRange = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

test('SDK: callMethod profile and server.time return what the portal returns over plain HTTPS', async () => {
  const out = await sdk('call');
  assert.equal(out.profile.ok, true);
  assert.equal(out.profile.status, 200);
  const raw = ok(await json('profile', {}));
  assert.deepEqual(out.profile.data.result, raw);
  assert.deepEqual(out.v2.result, raw);
  assert.equal(raw.ID, '1');
  // The SDK reads the time block (it feeds its operating limiter).
  assert.deepEqual(Object.keys(out.profile.data.time).sort(), TIME_KEYS);

  assert.equal(out.time.ok, true);
  const serverTime = out.time.data.result;
  assert.match(serverTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  const rawTime = ok(await json('server.time', {}));
  assert.ok(Math.abs(Date.parse(rawTime) - Date.parse(serverTime)) < 30_000, `${rawTime} vs ${serverTime}`);
});

test('SDK: callBatch with a command map, a command list, and actions.v2.batch', async () => {
  const out = await sdk('batch');
  const profile = ok(await json('profile', {}));
  const anna = ok(await json('im.user.get', { ID: 2 }));
  assert.equal(out.asMap.ok, true, JSON.stringify(out.asMap.errors));
  assert.deepEqual(out.asMap.data, { a: profile, b: anna });
  assert.equal(anna.id, 2);

  assert.equal(out.asArray.ok, true, JSON.stringify(out.asArray.errors));
  assert.equal(out.asArray.data.length, 2);
  assert.match(out.asArray.data[0], /^\d{4}-\d\d-\d\dT/);
  assert.equal(out.asArray.data[1].id, 3);

  assert.equal(out.v2.ok, true);
  assert.deepEqual(out.v2.me, profile);
  assert.match(out.v2.t, /^\d{4}-/);
  assert.deepEqual(Object.keys(out.v2.meTime).sort(), TIME_KEYS, 'result_time reaches the SDK per command');
});

test('SDK: a failing batch command is reported under its key; halt stops after it', async () => {
  const out = await sdk('batch-error');
  assert.equal(out.noHalt.ok, false);
  assert.deepEqual(Object.keys(out.noHalt.data).sort(), ['after', 'ok']);
  assert.equal(out.noHalt.data.ok.ID, '1');
  assert.deepEqual(Object.keys(out.noHalt.errors), ['bad']);
  assert.equal(out.noHalt.errors.bad.code, 'USER_NOT_EXISTS');
  assert.equal(out.noHalt.errors.bad.message, 'User does not exist');
  assert.equal(out.noHalt.errors.bad.ajax, true);

  assert.equal(out.halt.ok, false);
  assert.deepEqual(Object.keys(out.halt.data), ['ok'], 'with halt the command after the failure never ran');
  assert.equal(out.halt.errors.bad.code, 'USER_NOT_EXISTS');
});

test('SDK: a batch command reads an earlier answer through $result[key][field]', async () => {
  const out = await sdk('batch-ref');
  assert.equal(out.ok, true, JSON.stringify(out.errors));
  assert.equal(out.data.a.ID, '1');
  assert.equal(out.data.b.id, 1, 'im.user.get got ID from $result[a][ID]');
  assert.equal(out.data.c.length, 1);
  assert.equal(out.data.c[0].ID, '1', 'user.get filtered by $result[b][id]');
});

test('SDK: list helpers page through user.get (start/next and the >ID cursor)', async () => {
  const out = await sdk('list');
  // callListMethod: start=0, then follows `next` until it is absent.
  assert.equal(out.callList.ok, true);
  assert.equal(out.callList.ids.length, people);
  assert.deepEqual(out.callList.ids, idRange(1, people));
  assert.ok(!out.callList.ids.includes(String(botUserId)), 'bots are not listed');
  assert.equal(out.callList.progress.at(-1), 100);
  // fetchListMethod: start=-1, order {ID: ASC}, filter {>ID: last}; stops at a short page.
  assert.deepEqual(out.fetchList.map((c: string[]) => c.length), [50, 50, people - 100]);
  assert.deepEqual(out.fetchList.flat(), idRange(1, people));
  // actions.v2.callList with the caller's own filter merged into the cursor filter.
  assert.equal(out.v2callList.ok, true);
  assert.deepEqual(out.v2callList.ids, idRange(portal.seeded.length + 1, people));
  // callMethod with start=50 and AjaxResult.getNext().
  assert.deepEqual(out.page.ids, idRange(51, 100));
  assert.equal(out.page.total, people);
  assert.equal(out.page.more, true);
  assert.deepEqual(out.nextPage.ids, idRange(101, people));
  assert.equal(out.nextPage.total, people);
  assert.equal(out.nextPage.more, false);
});

test('SDK: errors surface with the portal code and HTTP status', async () => {
  const out = await sdk('errors');
  assert.deepEqual(out.badId.thrown, { name: 'AjaxError', code: 'ID_EMPTY', status: 400, message: "User ID can't be empty", ajax: true });
  assert.equal(out.noUser.thrown.code, 'USER_NOT_EXISTS');
  assert.equal(out.noUser.thrown.status, 400);
  assert.deepEqual(out.unknown.thrown, { name: 'AjaxError', code: 'ERROR_METHOD_NOT_FOUND', status: 404, message: 'Method not found!', ajax: true });
  assert.equal(out.v2unknown.thrown.code, 'ERROR_METHOD_NOT_FOUND');
  // The SDK's list helper rethrows a 4xx instead of filling its Result.
  assert.equal(out.listError.thrown.code, 'ERROR_METHOD_NOT_FOUND');
});

test('user.get paging over plain HTTPS: next, total, start=-1, and an empty page', async () => {
  const first = await json('user.get', {});
  assert.equal(ok(first).length, 50);
  assert.equal(first.body.next, 50);
  assert.equal(first.body.total, people);

  const second = await form('user.get', 'start=50');
  assert.deepEqual(ok(second).map((u: any) => u.ID), idRange(51, 100));
  assert.equal(second.body.next, 100);
  assert.equal(second.body.total, people);

  const last = await request('GET', `${hook}user.get.json?start=100`);
  assert.deepEqual(ok(last).map((u: any) => u.ID), idRange(101, people));
  assert.equal(last.body.next, undefined, 'no next on the last page');
  assert.equal(last.body.total, people);

  // start=-1: no count — the first 50, total 0, never a next.
  const fast = await json('user.get', { start: -1, FILTER: { '>ID': 100 } });
  assert.deepEqual(ok(fast).map((u: any) => u.ID), idRange(101, people));
  assert.equal(fast.body.total, 0);
  assert.equal(fast.body.next, undefined);

  // Bitrix24 answers an empty page bare: [] without total.
  const none = await json('user.get', { FILTER: { NAME: 'nobody-like-this' } });
  assert.deepEqual(ok(none), []);
  assert.equal(none.body.total, undefined);
});

test('user.get: the user object and its filter, sort and order', async () => {
  const [admin] = ok(await json('user.get', { FILTER: { ID: 1 } }));
  assert.equal(admin.ID, '1');
  assert.equal(admin.ACTIVE, true);
  assert.equal(admin.NAME, 'Parley');
  assert.equal(admin.LAST_NAME, 'Admin');
  assert.equal(admin.EMAIL, 'admin@parley.local');
  assert.equal(admin.PERSONAL_GENDER, 'M');
  assert.equal(admin.WORK_POSITION, 'Administrator');
  assert.deepEqual(admin.UF_DEPARTMENT, [1]);
  assert.equal(admin.IS_ONLINE, 'Y');
  assert.equal(admin.USER_TYPE, 'employee');
  assert.equal(admin.PERSONAL_BIRTHDAY, '');
  assert.match(admin.DATE_REGISTER, /^\d{4}-\d\d-\d\dT00:00:00\+00:00$/);

  const ids = async (params: Record<string, unknown>) => ok(await json('user.get', params)).map((u: any) => u.ID);
  assert.deepEqual(await ids({ FILTER: { ID: [2, 4, botUserId] } }), ['2', '4']);
  assert.deepEqual(await ids({ FILTER: { NAME: 'Анна' } }), ['2']);
  assert.deepEqual(await ids({ FILTER: { NAME: 'person00%' } }), idRange(6, 14), 'LIKE pattern, case-insensitive');
  assert.deepEqual(await ids({ FILTER: { '%LAST_NAME': 'етро' } }), ['2']);
  assert.deepEqual(await ids({ FILTER: { LAST_NAME: 'Garcia', ACTIVE: true } }), ['4']);
  assert.deepEqual(await ids({ FILTER: { EMAIL: 'john@parley.local' } }), ['5']);
  assert.deepEqual(await ids({ FILTER: { FIND: 'ria gar' } }), ['4'], 'FIND searches the full name');
  assert.deepEqual(await ids({ FILTER: { FIND: 'Helper' } }), [], 'FIND never finds a bot');
  assert.deepEqual(await ids({ FILTER: { ACTIVE: 'N' } }), []);
  // Top-level filter fields work without FILTER, as in the docs' example.
  assert.deepEqual(await ids({ UF_DEPARTMENT: 2, '<=ID': 5 }), ['2', '3']);
  assert.deepEqual(await ids({ FILTER: { UF_DEPARTMENT: [1, 3], '<ID': 10 } }), ['1', '4', '5', '7', '9']);
  assert.deepEqual(await ids({ FILTER: { '!UF_DEPARTMENT': 3, '<ID': 10 } }), ['1', '2', '3', '6', '8']);
  assert.deepEqual(await ids({ SORT: 'ID', ORDER: 'desc', FILTER: { '<=ID': 3 } }), ['3', '2', '1']);
  assert.deepEqual(await ids({ SORT: 'LAST_NAME', ORDER: 'ASC', FILTER: { '<=ID': 5 } }), ['1', '4', '5', '2', '3'], 'Latin before Cyrillic, as a collation sorts');
  assert.deepEqual(await ids({ SORT: 'LAST_NAME', FILTER: { '<=ID': 5 } }), idRange(1, 5), 'SORT without ORDER is ignored, as in core');
  // A form body, as PHP clients send it.
  const viaForm = ok(await form('user.get', 'FILTER%5BUF_DEPARTMENT%5D=3&FILTER%5B%3EID%5D=3&SORT=ID&ORDER=DESC&ADMIN_MODE=True'));
  assert.equal(viaForm.length, 50);
  assert.equal(viaForm[0].ID, String(people), 'the last person (an even one) is in department 3');

  // The method needs the `user` scope.
  const imOnly = await webhookFor(portal, 1, 'im');
  const noScope = await request('POST', `${imOnly}user.get`, '{}', 'application/json');
  assert.equal(noScope.body.error, 'insufficient_scope');
});

/** A PHP-style form body for batch: each command `method?query` URL-encoded once more ("double encoding"). */
function batchForm(cmd: Record<string, string>, halt = 0): string {
  const outer = new URLSearchParams();
  for (const [k, v] of Object.entries(cmd)) outer.append(`cmd[${k}]`, v);
  outer.append('halt', String(halt));
  return outer.toString();
}
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

test('batch over plain HTTPS: form body with double-encoded sub-queries and the five result maps', async () => {
  const body = batchForm({
    me: 'profile',
    anna: `im.user.get?${q({ ID: '2' })}`,
    ref: `im.user.get?${q({ ID: '$result[me][ID]' })}`,
    page: `user.get?${q({ 'FILTER[%LAST_NAME]': 'Seeded', start: '50' })}`,
    find: `user.get?${q({ 'FILTER[FIND]': 'Анна Петрова' })}`,
    bad: `im.user.get?${q({ ID: '999999' })}`,
  });
  assert.match(body, /cmd%5Bref%5D=im.user.get%3FID%3D%2524result%255Bme%255D%255BID%255D/, 'the sub-query is encoded twice');
  const res = await form('batch', body);
  const r = ok(res);
  assert.deepEqual(Object.keys(r).sort(), ['result', 'result_error', 'result_next', 'result_time', 'result_total']);
  assert.deepEqual(Object.keys(r.result).sort(), ['anna', 'find', 'me', 'page', 'ref']);
  assert.equal(r.result.me.ID, '1');
  assert.equal(r.result.anna.id, 2);
  assert.equal(r.result.ref.id, 1);
  assert.deepEqual(r.result.page.map((u: any) => u.ID), idRange(portal.seeded.length + 51, portal.seeded.length + 100));
  assert.deepEqual(r.result.find.map((u: any) => u.ID), ['2']);
  assert.deepEqual(r.result_error, { bad: { error: 'USER_NOT_EXISTS', error_description: 'User does not exist' } });
  assert.deepEqual(r.result_total, { page: ADDED, find: 1 });
  assert.deepEqual(r.result_next, { page: 100 });
  for (const key of ['me', 'anna', 'ref', 'page', 'find']) assert.deepEqual(Object.keys(r.result_time[key]).sort(), TIME_KEYS, key);

  // With halt=1 the failing command stops the rest; what ran stays.
  const halted = ok(await form('batch', batchForm({ me: 'profile', bad: 'im.user.get?ID=999999', never: 'server.time' }, 1)));
  assert.deepEqual(Object.keys(halted.result), ['me']);
  assert.deepEqual(Object.keys(halted.result_error), ['bad']);
});

test('batch over plain HTTPS: [] for empty maps, a list of commands, GET, and the limits', async () => {
  // Nothing failed and nothing paged: PHP's empty arrays serialise as [].
  const plain = ok(await form('batch', batchForm({ a: 'profile', b: 'server.time' })));
  assert.deepEqual(plain.result_error, []);
  assert.deepEqual(plain.result_total, []);
  assert.deepEqual(plain.result_next, []);
  assert.equal(plain.result.a.ID, '1');

  // cmd as a list: keys 0..n-1, so `result` is a JSON list.
  const asList = ok(await json('batch', { cmd: ['profile', 'im.user.get?ID=3'] }));
  assert.ok(Array.isArray(asList.result));
  assert.equal(asList.result[1].id, 3);
  assert.ok(Array.isArray(asList.result_time));

  // CRest's webhook mode: GET with everything in the query string.
  const viaGet = ok(await request('GET', `${hook}batch.json?${batchForm({ x: `im.user.get?${q({ ID: '4' })}` })}`));
  assert.equal(viaGet.result.x.id, 4);

  // More than 50: every command from the 51st on fails on its own; the call itself succeeds.
  const cmd: Record<string, string> = {};
  for (let i = 1; i <= 53; i++) cmd[`c${i}`] = 'server.time';
  const long = await json('batch', { cmd });
  const lr = ok(long);
  assert.equal(Object.keys(lr.result).length, 50);
  assert.deepEqual(Object.keys(lr.result_error), ['c51', 'c52', 'c53']);
  for (const e of Object.values(lr.result_error) as any[]) {
    assert.deepEqual(e, { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' });
  }

  // batch inside batch is refused for that command only.
  const nested = ok(await form('batch', batchForm({ inner: `batch?${q({ 'cmd[x]': 'profile' })}`, me: 'profile' })));
  assert.deepEqual(nested.result_error.inner, { error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', error_description: 'Method is not allowed for batch usage' });
  assert.equal(nested.result.me.ID, '1');
});

test('SDK: Chatbots 2.0 — imbot.v2 register, send, Event.get, a batch and a refusal through the SDK', async () => {
  const r = await sdk('imbot-v2');
  assert.deepEqual([r.bot.code, r.bot.eventMode, r.bot.workPosition], ['sdk_v2', 'fetch', 'Made by the SDK']);
  assert.ok(r.sent.id > 0);
  // The bot's message, with its BB-code and keyboard, is in the webhook user's dialog with it.
  const got = await json('im.dialog.messages.get', { DIALOG_ID: r.bot.id });
  const message = got.body.result.messages.find((m: any) => m.id === r.sent.id);
  assert.equal(message.text, 'from the [b]SDK[/b]');
  assert.equal(message.params.KEYBOARD[0].TEXT, 'Yes');
  assert.deepEqual(r.events.filter((e: any) => e.type === 'ONIMBOTV2MESSAGEADD'), [{ type: 'ONIMBOTV2MESSAGEADD', text: 'hello, SDK bot', author: 1 }]);
  assert.deepEqual(r.batch, { ok: true, code: 'sdk_v2', rest: 36 });
  assert.equal(r.noToken.thrown.code, 'BOT_TOKEN_NOT_SPECIFIED');
  assert.equal(r.noToken.thrown.status, 400);
});
