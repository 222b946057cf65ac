/**
 * The REST transport over real HTTP: auth and routing errors with their codes and statuses, and the
 * request forms real clients send (suffixes, case, GET, JSON, multipart, SDK tags, Bearer) succeeding.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testPortal, echoBot, restForm, restJson, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectError, expectOk, http } from './helpers/rest-assert.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
let bot: Child;
/** OAuth base: `<portal>/rest/`. */
let rest: string;
/** The echo app's access token (from ONAPPINSTALL). */
let token: string;
/** Anna's (user 2) webhook with scopes im,imbot. */
let anna: string;

before(async () => {
  portal = await testPortal();
  bot = await echoBot();
  const installed = await installEchoBot(portal, bot);
  token = installed.install.auth.access_token;
  rest = `${portal.url}/rest/`;
  anna = await webhookFor(portal, 2);
});

after(async () => {
  await bot?.stop();
  await portal?.close();
});

describe('transport errors', () => {
  test('an unknown method is ERROR_METHOD_NOT_FOUND (404) for webhooks and tokens', async () => {
    expectError(await restForm(anna, 'no.such.method'), 404, 'ERROR_METHOD_NOT_FOUND');
    expectError(await restForm(rest, 'no.such.method', { auth: token }), 404, 'ERROR_METHOD_NOT_FOUND');
    expectError(await http(`${anna}no.such.method.json`), 404, 'ERROR_METHOD_NOT_FOUND');
  });

  test('no credentials at all is NO_AUTH_FOUND (401)', async () => {
    expectError(await restForm(rest, 'im.user.get'), 401, 'NO_AUTH_FOUND');
    expectError(await http(`${rest}user.current.json`), 401, 'NO_AUTH_FOUND');
  });

  test('an unknown token is invalid_token (401), in the body and in the header', async () => {
    expectError(await restForm(rest, 'user.current', { auth: 'xyz' }), 401, 'invalid_token');
    expectError(await restJson(rest, 'user.current', { access_token: 'xyz' }), 401, 'invalid_token');
    expectError(await http(`${rest}user.current`, { headers: { authorization: 'Bearer xyz' } }), 401, 'invalid_token');
  });

  test('a webhook with a wrong code or a wrong user is INVALID_CREDENTIALS (401)', async () => {
    const [, userId, code] = /\/rest\/(\d+)\/([^/]+)\/$/.exec(anna)!;
    expectError(await restForm(`${portal.url}/rest/${userId}/wrongcode/`, 'user.current'), 401, 'INVALID_CREDENTIALS');
    expectError(await restForm(`${portal.url}/rest/3/${code}/`, 'user.current'), 401, 'INVALID_CREDENTIALS');
  });

  test('a webhook without the method scope is insufficient_scope (401)', async () => {
    const imOnly = await webhookFor(portal, 2, 'im');
    expectError(await restForm(imOnly, 'imbot.register', {
      CODE: 'nope', EVENT_HANDLER: bot.url, CLIENT_ID: 'nope', PROPERTIES: { NAME: 'Nope' },
    }), 401, 'insufficient_scope');
    expectError(await restForm(imOnly, 'imbot.bot.list'), 401, 'insufficient_scope');
    // …while its own scope works.
    assert.equal(expectOk(await restForm(imOnly, 'im.user.get', { ID: 3 })).id, 3);
  });

  test('failures before a method runs still answer in the Bitrix24 error shape', async () => {
    expectError(await http(`${anna}profile`, { method: 'PUT' }), 404, 'ERROR_METHOD_NOT_FOUND');
    expectError(await http(`${rest}`), 404, 'ERROR_METHOD_NOT_FOUND');
    expectError(await http(`${portal.url}/rest/%E0%A4%A/x`), 400, 'INVALID_REQUEST');
  });
});

describe('transport features', () => {
  test('the .json suffix is stripped from the method name', async () => {
    assert.equal(expectOk(await restForm(anna, 'im.user.get.json', { ID: 3 })).id, 3);
    assert.equal(expectOk(await restForm(rest, 'user.current.json', { auth: token })).ID, '1');
  });

  test('method names are case-insensitive', async () => {
    assert.equal(expectOk(await restForm(anna, 'IM.USER.GET', { ID: 3 })).id, 3);
    assert.equal(expectOk(await restForm(anna, 'Im.User.Get.json', { ID: 4 })).id, 4);
    assert.equal(expectOk(await restForm(rest, 'User.Current', { auth: token })).ID, '1');
  });

  test('GET with all parameters in the query string (CRest webhook style)', async () => {
    assert.equal(expectOk(await http(`${anna}im.user.get.json?ID=3`)).id, 3);
    assert.equal(expectOk(await http(`${rest}im.user.get?auth=${token}&ID=4`)).id, 4);
    const chat = expectOk(await http(`${anna}im.chat.add?TITLE=By+GET&USERS%5B0%5D=3&USERS%5B1%5D=4`));
    assert.equal(expectOk(await http(`${anna}im.dialog.get?DIALOG_ID=chat${chat}`)).title, 'By GET');
  });

  test('a JSON body carries auth and typed values', async () => {
    assert.equal(expectOk(await restJson(rest, 'im.user.get', { auth: token, ID: 3 })).id, 3);
    const chat = expectOk(await restJson(anna, 'im.chat.add', { TITLE: 'By JSON', USERS: [3, 4] }));
    assert.equal(typeof chat, 'number');
  });

  test('an invalid JSON body counts as {}: the method reports its own error, query params still apply', async () => {
    const post = (url: string) => http(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"DIALOG_ID": 3, "MESSAGE": ' });
    expectError(await post(`${anna}im.message.add`), 400, 'USER_ID_EMPTY');
    expectError(await post(`${anna}im.message.add?DIALOG_ID=3`), 400, 'MESSAGE_EMPTY');
    assert.equal(expectOk(await post(`${anna}im.user.get?ID=3`)).id, 3);
  });

  test('a multipart/form-data body with PHP bracket keys', async () => {
    const form = new FormData();
    form.append('TITLE', 'By multipart');
    form.append('USERS[]', '3');
    form.append('USERS[]', '4');
    form.append('MESSAGE', 'first line');
    const chat = expectOk(await http(`${anna}im.chat.add`, { method: 'POST', body: form }));
    assert.equal(typeof chat, 'number');
    assert.equal(expectOk(await restForm(anna, 'im.dialog.get', { DIALOG_ID: `chat${chat}` })).title, 'By multipart');
    // Both listed users were really added: Ivan (3) can read the chat.
    const ivan = await webhookFor(portal, 3, 'im');
    const history = expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` }));
    assert.ok(history.messages.some((m: any) => m.text === 'first line'));

    const auth = new FormData();
    auth.append('auth', token);
    auth.append('ID', '4');
    assert.equal(expectOk(await http(`${rest}im.user.get.json`, { method: 'POST', body: auth })).id, 4);
  });

  test('a truncated multipart body keeps its complete fields instead of failing with 500', async () => {
    const part = (name: string, value: string) => `--XYZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
    const body = `${part('DIALOG_ID', '3')}\r\n${part('MESSAGE', 'cut of')}`;
    const res = await http(`${anna}im.message.add`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=XYZ' }, body });
    expectError(res, 400, 'MESSAGE_EMPTY');
  });

  test('the JS SDK tags (bx24_request_id, bx24_sdk_*) in the query are ignored', async () => {
    const tags = 'bx24_request_id=abc123&bx24_sdk_ver=2.2.0&bx24_sdk_type=b24-js-sdk';
    assert.equal(expectOk(await restJson(rest, `im.user.get?${tags}`, { auth: token, ID: 3 })).id, 3);
    expectError(await restJson(rest, `im.message.add?${tags}`, { auth: token }), 400, 'USER_ID_EMPTY');
  });

  test('a trailing slash (and phpsdk double slash) after the method', async () => {
    assert.equal(expectOk(await restForm(anna, 'im.user.get/', { ID: 3 })).id, 3);
    assert.equal(expectOk(await restForm(`${anna}/`, 'im.user.get/', { ID: 3 })).id, 3);
    assert.equal(expectOk(await restJson(rest, 'user.current/', { auth: token })).ID, '1');
  });

  test('Authorization: Bearer is looked up before the auth parameter', async () => {
    const headers = { authorization: `Bearer ${token}` };
    assert.equal(expectOk(await http(`${rest}user.current`, { headers })).ID, '1');
    const both = await http(`${rest}im.user.get?auth=xyz&ID=3`, { headers });
    assert.equal(expectOk(both).id, 3);
  });

  test('a success carries the full 8-key time block', async () => {
    const res = await restForm(anna, 'server.time');
    expectOk(res);
    assert.deepEqual(Object.keys(res.body).sort(), ['result', 'time']);
    const t = res.body.time;
    assert.deepEqual(Object.keys(t).sort(), ['date_finish', 'date_start', 'duration', 'finish', 'operating', 'operating_reset_at', 'processing', 'start']);
    for (const k of ['start', 'finish', 'duration', 'processing', 'operating']) assert.equal(typeof t[k], 'number', k);
    assert.ok(Math.abs(t.start - Date.now() / 1000) < 60);
    assert.ok(t.finish >= t.start);
    assert.ok(Math.abs(t.duration - (t.finish - t.start)) < 0.001);
    assert.ok(t.processing >= 0 && t.processing <= t.duration + 0.001);
    assert.ok(Number.isInteger(t.operating_reset_at) && t.operating_reset_at >= Math.floor(t.finish));
    for (const k of ['date_start', 'date_finish']) assert.match(t[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/, k);
  });

  test('answers are JSON with the CORS headers, errors included', async () => {
    for (const url of [`${anna}server.time`, `${rest}server.time`]) {
      const res = await fetch(url);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      await res.arrayBuffer();
    }
  });
});
