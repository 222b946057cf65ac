/**
 * Messenger placements over real HTTP: placement.bind / unbind / get / list as documented (the app
 * context, administrators, PLACEMENT and HANDLER, the IM places' OPTIONS, the places of a scope), and
 * the messenger's parley.placement.list / launch / auth: who sees which binding in which dialog, the
 * token a frame gets (a real token of the app, for this user, with the app's scopes), the APP_SID that
 * only its own user may refresh with, and an uninstall taking the placements with it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson, waitFor } from './helpers/portal.ts';
import { portalSuite, uninstallApp, webhookFor, type TestPortal } from './helpers/suite.ts';
import { createApp } from '../src/domain/apps.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { webToken } from '../src/domain/web-app.ts';
import type { App } from '../src/domain/types.ts';
import { createLine } from '../src/domain/lines/lines.ts';
import { connector, customerSays } from './helpers/lines.ts';

const ADMIN = 1;
const ANNA = 2;
const IVAN = 3;
const MARIA = 4;
const HANDLER = 'https://apps.example.com/parley';

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`placements on ${dialect}`, () => {
  let skip: string | undefined;
  let portal: TestPortal;
  let rest: string;
  let app: App;
  let adminTok: string;
  let annaTok: string;
  let annaWeb: string;
  let ivanWeb: string;
  let adminWeb: string;
  let annaHook: string;
  let group = 0;
  let botId = 0;
  let lineChat = 0;

  const call = (auth: string, method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { ...params, auth });
  const ok = async (auth: string, method: string, params: Record<string, unknown> = {}) => {
    const res = await call(auth, method, params);
    assert.equal(res.status, 200, `${method}: ${JSON.stringify(res.body)}`);
    return res.body.result;
  };
  const refused = async (res: Promise<{ status: number; body: any }>, status: number, code: string, argument?: string) => {
    const r = await res;
    assert.equal(r.body?.error, code, JSON.stringify(r.body));
    assert.equal(r.status, status);
    if (argument) assert.equal(r.body.argument, argument);
  };
  const installed = async (name: string, scopes: string[]) => {
    const a = await createApp(portal.portal.db, { name, handlerUrl: 'https://apps.example.com/install', scopes, installUserId: ADMIN });
    await portal.portal.db.updateTable('apps').set({ installed: 1 }).where('id', '=', a.id).execute();
    return { ...a, installed: 1 };
  };

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    rest = `${portal.url}/rest/`;
    app = await installed('Widgets', ['placement', 'im', 'user']);
    adminTok = (await mintToken(portal.portal, portal.portal.db, app, ADMIN)).access_token;
    annaTok = (await mintToken(portal.portal, portal.portal.db, app, ANNA)).access_token;
    annaWeb = (await webToken(portal.portal, ANNA)).access_token;
    ivanWeb = (await webToken(portal.portal, IVAN)).access_token;
    adminWeb = (await webToken(portal.portal, ADMIN)).access_token;
    annaHook = await webhookFor(portal, ANNA, 'placement,im,imbot');
    group = await ok(annaWeb, 'im.chat.add', { USERS: [IVAN], TITLE: 'Group' });
    await ok(annaWeb, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: 'hello Ivan' });
    botId = await restForm(annaHook, 'imbot.register', { CODE: 'pbot', CLIENT_ID: 'pl', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Bot' } }).then((r) => r.body.result);
    assert.ok(botId > 0);
    // An open-line chat Anna is an operator of.
    const line = await createLine(portal.portal.db, ADMIN, { name: 'Support', queue: [{ type: 'user', id: ANNA }] });
    const got = await customerSays(portal, await connector(portal, `pl_${dialect}`), line, 'c1', 'I need help');
    lineChat = got.chat.id;
    await ok(annaWeb, 'imopenlines.operator.answer', { CHAT_ID: lineChat });
  });
  after(async () => {
    if (!skip) await portal?.close();
  });

  test('placement.bind: an administrator of the app binds an IM place; get and list answer it as documented', async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(await ok(adminTok, 'placement.bind', {
      PLACEMENT: 'IM_TEXTAREA', HANDLER: `${HANDLER}/textarea`, TITLE: 'Polls',
      LANG_ALL: { ru: { TITLE: 'Опросы' }, en: { TITLE: 'Polls', DESCRIPTION: 'Make a poll' } },
      OPTIONS: { iconName: 'fa-bars', context: 'USER;CHAT', role: 'USER', color: 'graphite', width: '200', height: '150', extranet: 'N' },
    }), true);
    // JSON as well as a form; an unknown option key is not kept.
    const json = await restJson(rest, 'placement.bind', { auth: adminTok, PLACEMENT: 'IM_CONTEXT_MENU', HANDLER: `${HANDLER}/menu`, TITLE: 'Quote it', OPTIONS: { any: 'thing' } });
    assert.equal(json.body.result, true, JSON.stringify(json.body));
    // The developer console lists the app's bindings.
    const listed = (await restForm(await webhookFor(portal, ADMIN, 'parley'), 'parley.app.list')).body.result.find((a: any) => a.id === app.id);
    assert.deepEqual(listed.placements.map((p: any) => [p.placement, p.handler]), [['IM_TEXTAREA', `${HANDLER}/textarea`], ['IM_CONTEXT_MENU', `${HANDLER}/menu`]]);
    const got = await ok(adminTok, 'placement.get');
    assert.deepEqual(got, [
      {
        placement: 'IM_TEXTAREA', userId: 0, handler: `${HANDLER}/textarea`, title: 'Polls', description: '',
        options: { iconName: 'fa-bars', extranet: 'N', context: 'USER;CHAT', role: 'USER', color: 'GRAPHITE', width: '200', height: '150' },
        langAll: { ru: { TITLE: 'Опросы', DESCRIPTION: '', GROUP_NAME: '' }, en: { TITLE: 'Polls', DESCRIPTION: 'Make a poll', GROUP_NAME: '' } },
      },
      { placement: 'IM_CONTEXT_MENU', userId: 0, handler: `${HANDLER}/menu`, title: 'Quote it', description: '', options: { extranet: 'N', context: 'ALL', role: 'USER' }, langAll: [] },
    ]);
    // Binding the same handler again changes it, it does not add a second button.
    await ok(adminTok, 'placement.bind', { PLACEMENT: 'IM_CONTEXT_MENU', HANDLER: `${HANDLER}/menu`, TITLE: 'Quote this', OPTIONS: { context: 'ALL;USER' } });
    const again = await ok(adminTok, 'placement.get');
    assert.equal(again.length, 2);
    assert.equal(again[1].title, 'Quote this');
    assert.equal(again[1].options.context, 'ALL');
    // list: the app's scopes' places and the global one; SCOPE and FULL; any user of the app.
    assert.deepEqual((await ok(annaTok, 'placement.list')).sort(), ['IM_CONTEXT_MENU', 'IM_NAVIGATION', 'IM_SIDEBAR', 'IM_SMILES_SELECTOR', 'IM_TEXTAREA']);
    assert.deepEqual(await ok(annaTok, 'placement.list', { SCOPE: 'placement' }), ['IM_SMILES_SELECTOR']);
    assert.deepEqual(await ok(annaTok, 'placement.list', { SCOPE: 'crm' }), []);
    const bare = await installed('Bare', ['placement']);
    const bareTok = (await mintToken(portal.portal, portal.portal.db, bare, ADMIN)).access_token;
    assert.deepEqual(await ok(bareTok, 'placement.list'), ['IM_SMILES_SELECTOR']);
    assert.equal((await ok(bareTok, 'placement.list', { FULL: 'Y' })).length, 5);
  });

  test('placement.*: the documented refusals', async (t) => {
    if (skip) return t.skip(skip);
    const bind = (params: Record<string, unknown>, auth = adminTok) => call(auth, 'placement.bind', params);
    const textarea = { PLACEMENT: 'IM_TEXTAREA', HANDLER: `${HANDLER}/x`, OPTIONS: { iconName: 'fa-cloud' } };
    // Application context only; administrators only (list: anyone of the app).
    for (const m of ['placement.bind', 'placement.unbind', 'placement.get', 'placement.list']) {
      await refused(restForm(annaHook, m, textarea), 403, 'WRONG_AUTH_TYPE');
    }
    for (const m of ['placement.bind', 'placement.unbind', 'placement.get']) await refused(call(annaTok, m, textarea), 403, 'ACCESS_DENIED');
    // The web messenger's token has no `placement` scope; an app without it neither.
    await refused(call(adminWeb, 'placement.bind', textarea), 401, 'insufficient_scope');
    const noPlacement = await installed('No placement', ['im']);
    await refused(call((await mintToken(portal.portal, portal.portal.db, noPlacement, ADMIN)).access_token, 'placement.get'), 401, 'insufficient_scope');
    // PLACEMENT and HANDLER, named in `argument`.
    await refused(bind({ HANDLER: `${HANDLER}/x` }), 400, 'ERROR_ARGUMENT', 'PLACEMENT');
    await refused(bind({ PLACEMENT: 'IM_TEXTAREA', OPTIONS: { iconName: 'fa-cloud' } }), 400, 'ERROR_ARGUMENT', 'HANDLER');
    await refused(call(adminTok, 'placement.unbind', {}), 400, 'ERROR_ARGUMENT', 'PLACEMENT');
    await refused(bind({ ...textarea, PLACEMENT: 'CRM_DEAL_DETAIL_TAB' }), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    await refused(bind({ ...textarea, PLACEMENT: 'NO_SUCH_PLACE' }), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    // An IM place of the `im` scope needs an app given `im`; the smiles selector is global.
    const bare = await installed('Bare 2', ['placement']);
    const bareTok = (await mintToken(portal.portal, portal.portal.db, bare, ADMIN)).access_token;
    await refused(bind(textarea, bareTok), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    assert.equal((await bind({ PLACEMENT: 'IM_SMILES_SELECTOR', HANDLER: `${HANDLER}/smiles` }, bareTok)).body.result, true);
    // Another app sees and removes only its own bindings.
    assert.deepEqual((await ok(bareTok, 'placement.get')).map((b: any) => b.handler), [`${HANDLER}/smiles`]);
    assert.deepEqual(await ok(bareTok, 'placement.unbind', { PLACEMENT: 'IM_CONTEXT_MENU', HANDLER: `${HANDLER}/menu` }), { count: 0 });
    assert.deepEqual(await ok(bareTok, 'placement.unbind', { PLACEMENT: 'IM_SMILES_SELECTOR' }), { count: 2 });
    // HANDLER: an absolute http(s) URL, not on the portal's own address.
    await refused(bind({ ...textarea, HANDLER: 'javascript:alert(1)' }), 400, 'ERROR_UNSUPPORTED_PROTOCOL');
    await refused(bind({ ...textarea, HANDLER: 'not a url' }), 400, 'ERROR_WRONG_HANDLER_URL');
    await refused(bind({ ...textarea, HANDLER: 'https://user:pw@apps.example.com/' }), 400, 'ERROR_WRONG_HANDLER_URL');
    await refused(bind({ ...textarea, HANDLER: `${portal.url}/evil` }), 400, 'ERROR_WRONG_HANDLER_URL');
    await refused(bind({ ...textarea, HANDLER: `https://apps.example.com/${'a'.repeat(2100)}` }), 400, 'ERROR_WRONG_HANDLER_URL');
    // OPTIONS of the IM places.
    await refused(bind({ ...textarea, OPTIONS: {} }), 400, 'ERROR_ARGUMENT', 'iconName');
    await refused(bind({ PLACEMENT: 'IM_NAVIGATION', HANDLER: `${HANDLER}/n` }), 400, 'ERROR_ARGUMENT', 'iconName');
    await refused(bind({ PLACEMENT: 'IM_SIDEBAR', HANDLER: `${HANDLER}/s`, OPTIONS: { iconName: 'fa-x"><script>' } }), 400, 'ERROR_ARGUMENT', 'iconName');
    await refused(bind({ ...textarea, OPTIONS: { iconName: 'fa-cloud', context: 'USER;GROUPS' } }), 400, 'ERROR_ARGUMENT', 'context');
    await refused(bind({ ...textarea, OPTIONS: { iconName: 'fa-cloud', role: 'OWNER' } }), 400, 'ERROR_ARGUMENT', 'role');
    await refused(bind({ ...textarea, OPTIONS: { iconName: 'fa-cloud', color: 'BLACK' } }), 400, 'ERROR_ARGUMENT', 'color');
    await refused(bind({ ...textarea, OPTIONS: { iconName: 'fa-cloud', extranet: 'maybe' } }), 400, 'ERROR_ARGUMENT', 'extranet');
    await refused(bind({ ...textarea, OPTIONS: { iconName: 'fa-cloud', width: '-3' } }), 400, 'ERROR_ARGUMENT', 'width');
    await refused(bind({ ...textarea, USER_ID: ANNA }), 400, 'ERROR_PLACEMENT_USER_MODE');
    await refused(bind({ ...textarea, LANG_ALL: { 'no such language!': { TITLE: 'x' } } }), 400, 'ERROR_ARGUMENT', 'LANG_ALL');
    await refused(bind({ ...textarea, TITLE: 'x'.repeat(300) }), 400, 'ERROR_ARGUMENT', 'TITLE');
    // Nothing of the refused binds was stored (the smiles selector went to the other app).
    assert.equal((await ok(adminTok, 'placement.get')).length, 2);
  });

  test('parley.placement.list: what a user sees, by role and by the kind of dialog', async (t) => {
    if (skip) return t.skip(skip);
    const bind = (params: Record<string, unknown>) => ok(adminTok, 'placement.bind', params);
    await bind({ PLACEMENT: 'IM_NAVIGATION', HANDLER: `${HANDLER}/nav`, TITLE: 'Board', OPTIONS: { iconName: 'fa-check' } });
    await bind({ PLACEMENT: 'IM_SIDEBAR', HANDLER: `${HANDLER}/admin-side`, TITLE: 'Audit', OPTIONS: { iconName: 'fa-bug', role: 'ADMIN', color: 'AQUA' } });
    await bind({ PLACEMENT: 'IM_SIDEBAR', HANDLER: `${HANDLER}/lines-side`, TITLE: 'Customer', OPTIONS: { iconName: 'fa-user', context: 'LINES' } });
    const names = async (auth: string, dialog?: string) =>
      (await ok(auth, 'parley.placement.list', dialog ? { DIALOG_ID: dialog, LANG: 'ru' } : { LANG: 'ru' })).map((p: any) => `${p.placement}:${p.title}`).sort();
    // Outside a dialog: the navigation only.
    assert.deepEqual(await names(annaWeb), ['IM_NAVIGATION:Board']);
    // A private dialog with a person: USER; the textarea's Russian title.
    assert.deepEqual(await names(annaWeb, String(IVAN)), ['IM_CONTEXT_MENU:Quote this', 'IM_NAVIGATION:Board', 'IM_TEXTAREA:Опросы']);
    // A group chat: CHAT. The administrator also sees the ADMIN-only sidebar item.
    assert.deepEqual(await names(annaWeb, `chat${group}`), ['IM_CONTEXT_MENU:Quote this', 'IM_NAVIGATION:Board', 'IM_TEXTAREA:Опросы']);
    await ok(annaWeb, 'im.chat.user.add', { CHAT_ID: group, USERS: [ADMIN] });
    assert.deepEqual(await names(adminWeb, `chat${group}`), ['IM_CONTEXT_MENU:Quote this', 'IM_NAVIGATION:Board', 'IM_SIDEBAR:Audit', 'IM_TEXTAREA:Опросы']);
    // A dialog with a bot is not USER: only ALL places.
    assert.deepEqual(await names(annaWeb, String(botId)), ['IM_CONTEXT_MENU:Quote this', 'IM_NAVIGATION:Board']);
    // An open-line chat: LINES.
    assert.deepEqual(await names(annaWeb, `chat${lineChat}`), ['IM_CONTEXT_MENU:Quote this', 'IM_NAVIGATION:Board', 'IM_SIDEBAR:Customer']);
    // The item carries what the messenger draws.
    const side = (await ok(adminWeb, 'parley.placement.list', { DIALOG_ID: `chat${group}` })).find((p: any) => p.title === 'Audit');
    assert.deepEqual({ ...side, id: 0, appId: 0 }, {
      id: 0, placement: 'IM_SIDEBAR', appId: 0, appName: 'Widgets', title: 'Audit', iconName: 'fa-bug', color: 'AQUA', width: null, height: null, origin: 'https://apps.example.com',
    });
    // A dialog the user may not read; the callers that are not the messenger.
    const maria = await ok((await webToken(portal.portal, MARIA)).access_token, 'im.chat.add', { USERS: [IVAN], TITLE: 'Maria' });
    await refused(call(annaWeb, 'parley.placement.list', { DIALOG_ID: `chat${maria}` }), 403, 'ACCESS_ERROR');
    await refused(call(annaTok, 'parley.placement.list'), 403, 'WRONG_AUTH_TYPE');
    await refused(restForm(annaHook, 'parley.placement.list', {}), 403, 'WRONG_AUTH_TYPE');
  });

  test('parley.placement.launch: a real token of the app for this user, and the form the handler gets', async (t) => {
    if (skip) return t.skip(skip);
    const list = await ok(annaWeb, 'parley.placement.list', { DIALOG_ID: `chat${group}` });
    const textarea = list.find((p: any) => p.placement === 'IM_TEXTAREA');
    const menu = list.find((p: any) => p.placement === 'IM_CONTEXT_MENU');
    const got = await ok(annaWeb, 'parley.placement.launch', { ID: textarea.id, DIALOG_ID: `chat${group}`, LANG: 'ru' });
    const url = new URL(got.url);
    assert.equal(url.origin + url.pathname, `${HANDLER}/textarea`);
    const domain = new URL(portal.url).host;
    assert.deepEqual(Object.fromEntries(url.searchParams), { DOMAIN: domain, PROTOCOL: '0', LANG: 'ru', APP_SID: got.appSid });
    assert.match(got.appSid, /^[0-9a-f]{32}$/);
    assert.equal(got.frameName, `${domain}|0|${got.appSid}`);
    assert.equal(got.origin, 'https://apps.example.com');
    assert.deepEqual({ ...got.form, AUTH_ID: 'x', REFRESH_ID: 'y', AUTH_EXPIRES: 0 }, {
      AUTH_ID: 'x', AUTH_EXPIRES: 0, REFRESH_ID: 'y', SERVER_ENDPOINT: `${portal.url}/rest/`, APPLICATION_TOKEN: app.application_token,
      APPLICATION_SCOPE: 'placement,im,user', member_id: portal.portal.memberId, status: 'L', PLACEMENT: 'IM_TEXTAREA',
      PLACEMENT_OPTIONS: JSON.stringify({ dialogId: `chat${group}`, URI: '/online/' }),
    });
    assert.ok(got.form.AUTH_EXPIRES > 3000);
    assert.equal(got.init.PATH, '/rest');
    assert.deepEqual(got.init.PLACEMENT_OPTIONS, { dialogId: `chat${group}`, URI: '/online/' });
    assert.equal(got.init.FIRST_RUN, false);
    assert.equal(got.width, 200);
    // The token is the app's, for Anna, with the app's scopes, and it works on /rest.
    assert.equal((await ok(got.form.AUTH_ID, 'user.current')).ID, String(ANNA));
    assert.deepEqual((await ok(got.form.AUTH_ID, 'scope')).sort(), ['im', 'placement', 'user']);
    assert.equal((await ok(got.form.AUTH_ID, 'app.info')).CODE, app.code);
    const sent = await ok(got.form.AUTH_ID, 'im.message.add', { DIALOG_ID: `chat${group}`, MESSAGE: 'from the frame' });
    assert.ok(sent > 0);
    // The call log keeps none of the frame's secrets (tokens, APP_SID, application token), in the answer or the query.
    await ok(annaWeb, 'parley.placement.auth', { APP_SID: got.appSid });
    const logged = await waitFor('the launch in the call log', async () => {
      const page = JSON.stringify(await ok(adminWeb, 'parley.call.list', {}));
      return page.includes('parley.placement.launch') && page.includes('parley.placement.auth') && page;
    });
    for (const secret of [got.form.AUTH_ID, got.form.REFRESH_ID, got.appSid, app.application_token]) assert.ok(!logged.includes(secret), 'a secret in the call log');
    // The context menu gets the message; a message of another dialog is refused.
    const inMenu = await ok(annaWeb, 'parley.placement.launch', { ID: menu.id, DIALOG_ID: `chat${group}`, MESSAGE_ID: sent });
    assert.deepEqual(JSON.parse(inMenu.form.PLACEMENT_OPTIONS), { dialogId: `chat${group}`, messageId: sent, URI: '/online/' });
    const elsewhere = await ok(annaWeb, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: 'private' });
    await refused(call(annaWeb, 'parley.placement.launch', { ID: menu.id, DIALOG_ID: `chat${group}`, MESSAGE_ID: elsewhere }), 403, 'ACCESS_ERROR');
    await refused(call(annaWeb, 'parley.placement.launch', { ID: menu.id, DIALOG_ID: `chat${group}` }), 403, 'ACCESS_ERROR');
    // A dialog place needs its dialog, one the user reads and of a kind it shows in.
    await refused(call(annaWeb, 'parley.placement.launch', { ID: textarea.id }), 400, 'ERROR_ARGUMENT', 'DIALOG_ID');
    await refused(call(annaWeb, 'parley.placement.launch', { ID: textarea.id, DIALOG_ID: `chat${lineChat}` }), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    await refused(call((await webToken(portal.portal, MARIA)).access_token, 'parley.placement.launch', { ID: textarea.id, DIALOG_ID: `chat${group}` }), 403, 'ACCESS_ERROR');
    // The navigation opens anywhere, with URI only; an ADMIN place is nobody else's.
    const nav = (await ok(annaWeb, 'parley.placement.list')).find((p: any) => p.placement === 'IM_NAVIGATION');
    assert.deepEqual(JSON.parse((await ok(annaWeb, 'parley.placement.launch', { ID: nav.id })).form.PLACEMENT_OPTIONS), { URI: '/online/' });
    const audit = (await ok(adminWeb, 'parley.placement.list', { DIALOG_ID: `chat${group}` })).find((p: any) => p.title === 'Audit');
    await refused(call(annaWeb, 'parley.placement.launch', { ID: audit.id, DIALOG_ID: `chat${group}` }), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    await refused(call(annaWeb, 'parley.placement.launch', { ID: 987654 }), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    // Only the messenger launches: an app's token or a webhook would be asking for another app's token.
    await refused(call(annaTok, 'parley.placement.launch', { ID: nav.id }), 403, 'WRONG_AUTH_TYPE');
    await refused(restForm(annaHook, 'parley.placement.launch', { ID: nav.id }), 403, 'WRONG_AUTH_TYPE');
  });

  test('parley.placement.auth: fresh tokens for the frame of this user only', async (t) => {
    if (skip) return t.skip(skip);
    const nav = (await ok(annaWeb, 'parley.placement.list')).find((p: any) => p.placement === 'IM_NAVIGATION');
    const frame = await ok(annaWeb, 'parley.placement.launch', { ID: nav.id });
    const fresh = await ok(annaWeb, 'parley.placement.auth', { APP_SID: frame.appSid });
    assert.deepEqual(Object.keys(fresh).sort(), ['AUTH_EXPIRES', 'AUTH_ID', 'REFRESH_ID']);
    assert.equal((await ok(fresh.AUTH_ID, 'user.current')).ID, String(ANNA));
    // Ivan holding Anna's APP_SID gets nothing; nor does a made-up one, an app or a webhook.
    await refused(call(ivanWeb, 'parley.placement.auth', { APP_SID: frame.appSid }), 403, 'ACCESS_DENIED');
    await refused(call(annaWeb, 'parley.placement.auth', { APP_SID: '0'.repeat(32) }), 403, 'ACCESS_DENIED');
    await refused(call(annaWeb, 'parley.placement.auth', {}), 403, 'ACCESS_DENIED');
    await refused(call(annaTok, 'parley.placement.auth', { APP_SID: frame.appSid }), 403, 'WRONG_AUTH_TYPE');
    // Unbound: its frames may no longer ask. unbind counts each removed handler twice (the docs' count).
    assert.deepEqual(await ok(adminTok, 'placement.unbind', { PLACEMENT: 'IM_NAVIGATION', HANDLER: `${HANDLER}/nav` }), { count: 2 });
    await refused(call(annaWeb, 'parley.placement.auth', { APP_SID: frame.appSid }), 403, 'ACCESS_DENIED');
    assert.deepEqual(await ok(adminTok, 'placement.unbind', { PLACEMENT: 'IM_SIDEBAR' }), { count: 4 });
    assert.deepEqual(await ok(adminTok, 'placement.unbind', { PLACEMENT: 'IM_SIDEBAR' }), { count: 0 });
  });

  test("parley.placement.application: a frame's openApplication opens the app's own page, PLACEMENT DEFAULT, with its params", async (t) => {
    if (skip) return t.skip(skip);
    const textarea = (await ok(annaWeb, 'parley.placement.list', { DIALOG_ID: `chat${group}` })).find((p: any) => p.placement === 'IM_TEXTAREA');
    const frame = await ok(annaWeb, 'parley.placement.launch', { ID: textarea.id, DIALOG_ID: `chat${group}` });
    const page = await ok(annaWeb, 'parley.placement.application', { APP_SID: frame.appSid, PARAMS: JSON.stringify({ view: 'report', id: 7 }) });
    const url = new URL(page.url);
    assert.equal(`${url.origin}${url.pathname}`, 'https://apps.example.com/install', 'the app\'s own page');
    assert.equal(url.searchParams.get('APP_SID'), page.appSid);
    assert.notEqual(page.appSid, frame.appSid, 'a frame of its own');
    assert.equal(page.placement, 'DEFAULT');
    assert.equal(page.form.PLACEMENT, 'DEFAULT');
    assert.deepEqual(JSON.parse(page.form.PLACEMENT_OPTIONS), { view: 'report', id: 7 });
    assert.deepEqual(page.init.PLACEMENT_OPTIONS, { view: 'report', id: 7 });
    assert.equal((await ok(page.form.AUTH_ID, 'user.current')).ID, String(ANNA), 'a token of the app for Anna');
    // The page's own APP_SID refreshes its tokens and may open the app again.
    const fresh = await ok(annaWeb, 'parley.placement.auth', { APP_SID: page.appSid });
    assert.equal((await ok(fresh.AUTH_ID, 'user.current')).ID, String(ANNA));
    assert.deepEqual(JSON.parse((await ok(annaWeb, 'parley.placement.application', { APP_SID: page.appSid })).form.PLACEMENT_OPTIONS), {});
    // Someone else's frame, PARAMS that are not a JSON object, an app's token: refused.
    await refused(call(ivanWeb, 'parley.placement.application', { APP_SID: frame.appSid }), 403, 'ACCESS_DENIED');
    await refused(call(annaWeb, 'parley.placement.application', { APP_SID: frame.appSid, PARAMS: '[1]' }), 400, 'ERROR_ARGUMENT', 'PARAMS');
    await refused(call(annaWeb, 'parley.placement.application', { APP_SID: frame.appSid, PARAMS: '{' }), 400, 'ERROR_ARGUMENT', 'PARAMS');
    await refused(call(annaTok, 'parley.placement.application', { APP_SID: frame.appSid }), 403, 'WRONG_AUTH_TYPE');
    // An app with no page, or one on the portal's own origin (it would be the messenger, scripts and all): nothing to open.
    for (const handlerUrl of ['', `${portal.url}/apps/page`]) {
      await portal.portal.db.updateTable('apps').set({ handler_url: handlerUrl }).where('id', '=', app.id).execute();
      await refused(call(annaWeb, 'parley.placement.application', { APP_SID: frame.appSid }), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    }
    await portal.portal.db.updateTable('apps').set({ handler_url: 'https://apps.example.com/install' }).where('id', '=', app.id).execute();
  });

  test("the messenger's page may post forms to the handlers' origins only; an uninstall takes the placements", async (t) => {
    if (skip) return t.skip(skip);
    const page = await fetch(`${portal.url}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /form-action 'self' https:\/\/apps\.example\.com;/);
    const menu = (await ok(annaWeb, 'parley.placement.list', { DIALOG_ID: `chat${group}` })).find((p: any) => p.placement === 'IM_CONTEXT_MENU');
    const frame = await ok(annaWeb, 'parley.placement.launch', { ID: menu.id, DIALOG_ID: `chat${group}`, MESSAGE_ID: await ok(annaWeb, 'im.message.add', { DIALOG_ID: `chat${group}`, MESSAGE: 'm' }) });
    await uninstallApp(portal, app.id);
    assert.deepEqual(await ok(annaWeb, 'parley.placement.list', { DIALOG_ID: `chat${group}` }), []);
    await refused(call(annaWeb, 'parley.placement.auth', { APP_SID: frame.appSid }), 403, 'ACCESS_DENIED');
    await refused(call(annaWeb, 'parley.placement.launch', { ID: menu.id, DIALOG_ID: `chat${group}` }), 400, 'ERROR_PLACEMENT_NOT_FOUND');
    const left = await portal.portal.db.selectFrom('placements').select('id').where('app_id', '=', app.id).execute();
    assert.deepEqual(left, []);
    // No handler is left on that origin: the page no longer posts there.
    assert.match((await fetch(`${portal.url}/`)).headers.get('content-security-policy') ?? '', /form-action 'self';/);
  });
});
}
