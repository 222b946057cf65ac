/**
 * Chat apps (imbot.app.register / unregister / update) and what the messenger asks of them
 * (parley.chatapp.list / launch), over real HTTP: every documented error with its status, the icon
 * checks and the icon route, the contexts each app is offered in, the IFRAME address's query with
 * its hashes checked as the docs' PHP check computes them (run with php-cli), context mode from a
 * bot's KEYBOARD and MENU buttons, and that uninstalling an app or unregistering its bot removes them;
 * on SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { restForm, testPortal } from './helpers/portal.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { makePng } from './helpers/png.ts';
import { connector, customerSays } from './helpers/lines.ts';
import { createApp } from '../src/domain/apps.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { createLine } from '../src/domain/lines/lines.ts';
import { setPublicUrl } from '../src/portal.ts';
import { webToken } from '../src/domain/web-app.ts';
import type { App } from '../src/domain/types.ts';

const [ADMIN, ANNA, IVAN, MARIA] = [1, 2, 3, 4];
const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const PNG = makePng(108, 66).toString('base64');
const GIF = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const HASH = 'd1ab17949a572b0979d8db0d5b349cd2';
const EN = [{ LANGUAGE_ID: 'en', TITLE: 'Echo frame', DESCRIPTION: 'Open the echo frame', COPYRIGHT: 'Parley' }];

let portal: TestPortal;
let rest: string;
let appX: App;
/** App X's and app Y's tokens for Anna, their bots bx and by. */
let xTok: string;
let yTok: string;
let bx: number;
let by: number;
const hook: Record<string, string> = {};
/** The web messenger's session tokens by name: parley.chatapp.launch answers only those. */
const web: Record<string, string> = {};
let seq = 0;

const launchAs = (who: string, params: Record<string, unknown>) => restForm(rest, 'parley.chatapp.launch', { auth: web[who], ...params });

const asX = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { auth: xTok, ...params });
const asY = (method: string, params: Record<string, unknown> = {}) => restForm(rest, method, { auth: yTok, ...params });
const frame = (extra: Record<string, unknown> = {}) => ({
  BOT_ID: bx, CODE: `frame${++seq}`, IFRAME: 'https://apps.example.test/frame.php?x=1', IFRAME_WIDTH: 350, IFRAME_HEIGHT: 150, HASH, LANG: EN, ...extra,
});
const jsApp = (extra: Record<string, unknown> = {}) => ({
  BOT_ID: bx, CODE: `js${++seq}`, JS_METHOD: 'SEND', JS_PARAM: '/help', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Help' }], ...extra,
});

async function installed(name: string): Promise<App> {
  const db = portal.portal.db;
  const a = await createApp(db, { name, handlerUrl: 'http://127.0.0.1:9/app', scopes: ['imbot', 'im'], installUserId: 1 });
  await db.updateTable('apps').set({ installed: 1 }).where('id', '=', a.id).execute();
  return { ...a, installed: 1 };
}

/** The apps `who` is offered in `dialog`, by code. */
async function offered(who: string, dialog: string | number, language = 'en'): Promise<Record<string, any>> {
  const list = expectOk(await restForm(who, 'parley.chatapp.list', { DIALOG_ID: dialog, LANGUAGE_ID: language })) as any[];
  return Object.fromEntries(list.map((a) => [a.code, a]));
}

const codeOf = async (id: number) => (await portal.portal.db.selectFrom('chat_apps').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code;

// The rules are SQL as much as code (owners, contexts, the button's message): on both stores.
for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`chat apps on ${dialect}`, () => {
  let skip: string | undefined;

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    rest = `${portal.url}/rest/`;
    appX = await installed('X');
    const appY = await installed('Y');
    xTok = (await mintToken(portal.portal, portal.portal.db, appX, ANNA)).access_token;
    yTok = (await mintToken(portal.portal, portal.portal.db, appY, ANNA)).access_token;
    bx = expectOk(await asX('imbot.register', { CODE: 'bx', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'BX' } }));
    by = expectOk(await asY('imbot.register', { CODE: 'by', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'BY' } }));
    for (const [name, id] of [['admin', ADMIN], ['anna', ANNA], ['ivan', IVAN], ['maria', MARIA]] as const) {
      hook[name] = await webhookFor(portal, id, 'im,imbot');
      web[name] = (await webToken(portal.portal, id)).access_token;
    }
  });

  after(async () => {
    await portal?.close();
  });

  describe('imbot.app.register', () => {
    test('a JS command and an IFRAME app answer their numeric APP_ID; a CODE registered again answers the same id', async (t) => {
      if (skip) return t.skip(skip);
      const js = expectOk(await asX('imbot.app.register', jsApp({ CODE: 'echo' })));
      assert.equal(typeof js, 'number');
      assert.ok(js > 0);
      assert.equal(expectOk(await asX('imbot.app.register', jsApp({ CODE: 'echo', JS_PARAM: '/other' }))), js);
      const iframe = expectOk(await asX('imbot.app.register', frame({ ICON_FILE: PNG })));
      assert.ok(iframe > js);
      // The developer console lists what the app put into the messenger.
      const listed = expectOk(await restForm(await webhookFor(portal, ADMIN, 'parley'), 'parley.app.list')).find((a: any) => a.id === appX.id);
      const mine = listed.chat_apps.filter((c: any) => c.id === js || c.id === iframe).map((c: any) => [c.id, c.code, c.type]);
      assert.deepEqual(mine, [[js, 'echo', 'js'], [iframe, await codeOf(iframe), 'iframe']].sort((a, b) => String(a[1]).localeCompare(String(b[1]))));
    });

    test('an app without a bot (BOT_ID absent or 0), and a webhook naming its bot family with CLIENT_ID', async (t) => {
      if (skip) return t.skip(skip);
      const bare = expectOk(await asX('imbot.app.register', jsApp({ BOT_ID: 0 })));
      const row = await portal.portal.db.selectFrom('chat_apps').selectAll().where('id', '=', bare).executeTakeFirstOrThrow();
      assert.equal(Number(row.bot_id), 0);
      assert.equal(Number(row.app_id), appX.id);
      expectError(await restForm(hook.anna, 'imbot.app.register', jsApp({ BOT_ID: 0 })), 403, 'ACCESS_DENIED');
    });

    test('BOT_ID_ERROR for a missing bot, APP_ID_ERROR for a bot of another application', async (t) => {
      if (skip) return t.skip(skip);
      expectError(await asX('imbot.app.register', jsApp({ BOT_ID: 99999 })), 400, 'BOT_ID_ERROR');
      expectError(await asX('imbot.app.register', jsApp({ BOT_ID: ANNA })), 400, 'BOT_ID_ERROR');
      expectError(await asY('imbot.app.register', jsApp({ BOT_ID: bx })), 400, 'APP_ID_ERROR');
    });

    test('IFRAME_HTTPS for a scheme other than https (http is allowed on this loopback http portal)', async (t) => {
      if (skip) return t.skip(skip);
      expectError(await asX('imbot.app.register', frame({ IFRAME: 'ftp://apps.example.test/f' })), 400, 'IFRAME_HTTPS');
      expectError(await asX('imbot.app.register', frame({ IFRAME: 'javascript:alert(1)' })), 400, 'IFRAME_HTTPS');
      expectOk(await asX('imbot.app.register', frame({ IFRAME: 'http://127.0.0.1:9/frame' })));
      expectError(await asX('imbot.app.register', frame({ IFRAME: 'not a url' })), 400, 'PARAMS_ERROR');
    });

    test('HASH_ERROR, PARAMS_ERROR and LANG_ERROR as documented', async (t) => {
      if (skip) return t.skip(skip);
      expectError(await asX('imbot.app.register', frame({ HASH: '' })), 400, 'HASH_ERROR');
      expectError(await asX('imbot.app.register', jsApp({ JS_METHOD: 'RUN' })), 400, 'PARAMS_ERROR');
      expectError(await asX('imbot.app.register', { BOT_ID: bx, CODE: 'neither', LANG: EN }), 400, 'PARAMS_ERROR');
      expectError(await asX('imbot.app.register', jsApp({ JS_METHOD: 'SUPPORT', JS_PARAM: 'not-a-line-code' })), 400, 'PARAMS_ERROR');
      expectError(await asX('imbot.app.register', jsApp({ JS_METHOD: 'CALL', JS_PARAM: 'call me' })), 400, 'PARAMS_ERROR');
      expectError(await asX('imbot.app.register', jsApp({ CODE: '' })), 400, 'PARAMS_ERROR');
      expectError(await asX('imbot.app.register', jsApp({ CONTEXT: 'EVERYWHERE' })), 400, 'PARAMS_ERROR');
      expectError(await asX('imbot.app.register', jsApp({ LANG: [] })), 400, 'LANG_ERROR');
      expectError(await asX('imbot.app.register', frame({ LANG: [{ LANGUAGE_ID: 'en', TITLE: '' }] })), 400, 'LANG_ERROR');
      // A hidden app (opened only from buttons) needs no title.
      expectOk(await asX('imbot.app.register', frame({ HIDDEN: 'Y', LANG: [] })));
    });

    test('ICON_FILE must be a PNG within 256 KB and 512 pixels a side', async (t) => {
      if (skip) return t.skip(skip);
      const refused = async (icon: string, words: RegExp) => {
        const res = await asX('imbot.app.register', frame({ ICON_FILE: icon }));
        expectError(res, 400, 'PARAMS_ERROR');
        assert.match(res.body.error_description, words);
      };
      await refused(GIF, /PNG/);
      await refused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'), /PNG/);
      await refused('%%%not base64%%%', /base64/);
      await refused(makePng(300, 300).toString('base64'), /256 KB/);
      await refused(makePng(600, 10).toString('base64'), /512 pixels/);
      // A PNG signature without its IHDR chunk.
      await refused(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(40)]).toString('base64'), /IHDR/);
    });

    test('the icon is served as image/png with cache headers and nosniff; an app without one has none', async (t) => {
      if (skip) return t.skip(skip);
      const id = expectOk(await asX('imbot.app.register', frame({ ICON_FILE: `data:image/png;base64,${PNG}` })));
      const res = await fetch(`${portal.url}/chat-app-icon/${id}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), Buffer.from(PNG, 'base64'));
      const bare = expectOk(await asX('imbot.app.register', frame()));
      assert.equal((await fetch(`${portal.url}/chat-app-icon/${bare}`)).status, 404);
      assert.equal((await fetch(`${portal.url}/chat-app-icon/x`)).status, 404);
    });
  });

  describe('imbot.app.unregister and update', () => {
    test('unregister answers true; CHAT_APP_ID_ERROR for an unknown app, APP_ID_ERROR for another application\'s', async (t) => {
      if (skip) return t.skip(skip);
      const id = expectOk(await asX('imbot.app.register', jsApp()));
      expectError(await asY('imbot.app.unregister', { APP_ID: id }), 400, 'APP_ID_ERROR');
      assert.equal(expectOk(await asX('imbot.app.unregister', { APP_ID: id })), true);
      expectError(await asX('imbot.app.unregister', { APP_ID: id }), 400, 'CHAT_APP_ID_ERROR');
      expectError(await asX('imbot.app.unregister', {}), 400, 'CHAT_APP_ID_ERROR');
    });

    test('update answers true and changes only what FIELDS sends; JS wins over IFRAME sent with it', async (t) => {
      if (skip) return t.skip(skip);
      const id = expectOk(await asX('imbot.app.register', frame({ CONTEXT: 'all' })));
      const code = await codeOf(id);
      const chat = expectOk(await restForm(hook.anna, 'im.chat.add', { USERS: [IVAN], TITLE: 'Update room' }));
      assert.equal((await offered(hook.anna, `chat${chat}`))[code].type, 'iframe');
      assert.equal(expectOk(await asX('imbot.app.update', { APP_ID: id, FIELDS: { IFRAME_WIDTH: 100, IFRAME_HEIGHT: 20, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Renamed' }] } })), true);
      let seen = (await offered(hook.anna, `chat${chat}`))[code];
      // Below the documented minimums the size is raised to them.
      assert.deepEqual([seen.title, seen.width, seen.height, seen.type], ['Renamed', 250, 50, 'iframe']);
      expectOk(await asX('imbot.app.update', { APP_ID: id, FIELDS: { JS_METHOD: 'PUT', JS_PARAM: '/put this', IFRAME: 'https://apps.example.test/other' } }));
      seen = (await offered(hook.anna, `chat${chat}`))[code];
      assert.deepEqual([seen.type, seen.js_method, seen.js_param], ['js', 'PUT', '/put this']);
      // Back to a frame: its HASH is kept from before.
      expectOk(await asX('imbot.app.update', { APP_ID: id, FIELDS: { IFRAME: 'https://apps.example.test/back' } }));
      assert.equal((await offered(hook.anna, `chat${chat}`))[code].type, 'iframe');
    });

    test('update errors: CHAT_APP_ID_ERROR, APP_ID_ERROR, IFRAME_HTTPS, HASH_ERROR, LANG_ERROR, WRONG_REQUEST', async (t) => {
      if (skip) return t.skip(skip);
      const id = expectOk(await asX('imbot.app.register', frame()));
      const js = expectOk(await asX('imbot.app.register', jsApp()));
      expectError(await asX('imbot.app.update', { APP_ID: 99999, FIELDS: { HIDDEN: 'Y' } }), 400, 'CHAT_APP_ID_ERROR');
      expectError(await asY('imbot.app.update', { APP_ID: id, FIELDS: { HIDDEN: 'Y' } }), 400, 'APP_ID_ERROR');
      expectError(await asX('imbot.app.update', { APP_ID: id, FIELDS: { IFRAME: 'ftp://apps.example.test/' } }), 400, 'IFRAME_HTTPS');
      expectError(await asX('imbot.app.update', { APP_ID: js, FIELDS: { IFRAME: 'https://apps.example.test/' } }), 400, 'HASH_ERROR');
      expectError(await asX('imbot.app.update', { APP_ID: id, FIELDS: { LANG: [{ LANGUAGE_ID: 'en', TITLE: '' }] } }), 400, 'LANG_ERROR');
      expectError(await asX('imbot.app.update', { APP_ID: id, FIELDS: { ICON_FILE: GIF } }), 400, 'PARAMS_ERROR');
      expectError(await asX('imbot.app.update', { APP_ID: id, FIELDS: {} }), 400, 'WRONG_REQUEST');
      // FIELDS with nothing a chat app has changes nothing.
      expectError(await asX('imbot.app.update', { APP_ID: id, FIELDS: { NOTHING: 'Y' } }), 400, 'WRONG_REQUEST');
      expectError(await restForm(hook.anna, 'imbot.app.update', { APP_ID: id, FIELDS: { HIDDEN: 'Y' } }), 403, 'ACCESS_DENIED');
    });

    test('unregistering the bot removes its chat apps; uninstalling the application removes the rest', async (t) => {
      if (skip) return t.skip(skip);
      const appZ = await installed('Z');
      const zTok = (await mintToken(portal.portal, portal.portal.db, appZ, ANNA)).access_token;
      const bz = expectOk(await restForm(rest, 'imbot.register', { auth: zTok, CODE: 'bz', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'BZ' } }));
      const withBot = expectOk(await restForm(rest, 'imbot.app.register', { auth: zTok, ...jsApp({ BOT_ID: bz }) }));
      const bare = expectOk(await restForm(rest, 'imbot.app.register', { auth: zTok, ...jsApp({ BOT_ID: 0 }) }));
      expectOk(await restForm(rest, 'imbot.unregister', { auth: zTok, BOT_ID: bz }));
      const left = async () => (await portal.portal.db.selectFrom('chat_apps').select('id').where('app_id', '=', appZ.id).execute()).map((r) => Number(r.id));
      assert.deepEqual(await left(), [bare]);
      assert.ok(withBot);
      const { changeInstallation } = await import('../src/domain/apps.ts');
      await changeInstallation(portal.portal, appZ, 'uninstall');
      assert.deepEqual(await left(), []);
    });
  });

  describe('parley.chatapp.list: contexts', () => {
    const codes: Record<string, string> = {};
    before(async () => {
      if (skip) return;
      const reg = async (name: string, extra: Record<string, unknown>) => {
        codes[name] = `ctx_${name}_${++seq}`;
        expectOk(await asX('imbot.app.register', jsApp({ CODE: codes[name], ...extra })));
      };
      await reg('all', { CONTEXT: 'ALL', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Everywhere' }, { LANGUAGE_ID: 'ru', TITLE: 'Везде' }], ICON_FILE: PNG });
      await reg('user', { CONTEXT: 'user' });
      await reg('chat', { CONTEXT: 'Chat' });
      await reg('bot', { CONTEXT: 'BOT' });
      await reg('lines', { CONTEXT: 'LINES' });
      await reg('call', { CONTEXT: 'CALL' });
      await reg('admin', { CONTEXT: 'chat-admin' });
      await reg('hidden', { CONTEXT: 'ALL', HIDDEN: 'Y' });
      await reg('nobot', { CONTEXT: 'BOT', BOT_ID: 0 });
      await reg('extranet', { CONTEXT: 'ALL', EXTRANET_SUPPORT: 'Y' });
    });

    const shown = (list: Record<string, any>) => Object.entries(codes).filter(([, code]) => code in list).map(([name]) => name).sort();

    test('a group chat: ALL and CHAT; CHAT-ADMIN for an administrator only; never HIDDEN, CALL', async (t) => {
      if (skip) return t.skip(skip);
      const chat = expectOk(await restForm(hook.anna, 'im.chat.add', { USERS: [IVAN, ADMIN], TITLE: 'Context room' }));
      assert.deepEqual(shown(await offered(hook.anna, `chat${chat}`)), ['all', 'chat', 'extranet']);
      assert.deepEqual(shown(await offered(hook.admin, `chat${chat}`)), ['admin', 'all', 'chat', 'extranet']);
    });

    test('a private chat with a person: ALL and USER; with the app\'s own bot: ALL and BOT; with another bot: ALL', async (t) => {
      if (skip) return t.skip(skip);
      assert.deepEqual(shown(await offered(hook.anna, IVAN)), ['all', 'extranet', 'user']);
      assert.deepEqual(shown(await offered(hook.anna, bx)), ['all', 'bot', 'extranet']);
      assert.deepEqual(shown(await offered(hook.anna, by)), ['all', 'extranet']);
    });

    test('an open-line chat: ALL and LINES', async (t) => {
      if (skip) return t.skip(skip);
      const line = await createLine(portal.portal.db, 1, { name: 'Apps line', queue: [{ type: 'user', id: ANNA }] });
      const got = await customerSays(portal, await connector(portal, 'apps_conn'), line, 'c1', 'hello');
      assert.deepEqual(shown(await offered(hook.anna, `chat${got.chat.id}`)), ['all', 'extranet', 'lines']);
    });

    test('each app in the user\'s language, with its icon URL or none, type and size', async (t) => {
      if (skip) return t.skip(skip);
      const ru = (await offered(hook.anna, IVAN, 'ru'))[codes.all];
      assert.equal(ru.title, 'Везде');
      assert.equal((await offered(hook.anna, IVAN, 'de'))[codes.all].title, 'Everywhere');
      assert.match(ru.icon, new RegExp(`^${portal.url}/chat-app-icon/\\d+\\?v=\\d+$`));
      assert.equal((await fetch(ru.icon)).headers.get('content-type'), 'image/png');
      const user = (await offered(hook.anna, IVAN))[codes.user];
      assert.deepEqual({ ...user, id: 0 }, { id: 0, code: codes.user, bot_id: bx, type: 'js', title: 'Help', description: '', copyright: '', icon: null, js_method: 'SEND', js_param: '/help' });
    });

    test('a closed chat of others is ACCESS_ERROR; an open chat is readable by anyone', async (t) => {
      if (skip) return t.skip(skip);
      const closed = expectOk(await restForm(hook.anna, 'im.chat.add', { USERS: [IVAN], TITLE: 'Closed' }));
      expectError(await restForm(hook.maria, 'parley.chatapp.list', { DIALOG_ID: `chat${closed}` }), 403, 'ACCESS_ERROR');
      const open = expectOk(await restForm(hook.anna, 'im.chat.add', { USERS: [IVAN], TITLE: 'Open', TYPE: 'OPEN' }));
      assert.ok(codes.all in (await offered(hook.maria, `chat${open}`)));
      expectError(await restForm(hook.maria, 'parley.chatapp.list', {}), 400, 'DIALOG_ID_EMPTY');
    });
  });

  describe('parley.chatapp.launch', () => {
    let frameId: number;
    let frameCode: string;
    let chat: number;
    before(async () => {
      if (skip) return;
      frameCode = `launch${++seq}`;
      frameId = expectOk(await asX('imbot.app.register', frame({ CODE: frameCode, CONTEXT: 'ALL', IFRAME_POPUP: 'Y', IFRAME_WIDTH: 400, IFRAME_HEIGHT: 300 })));
      chat = expectOk(await restForm(hook.anna, 'im.chat.add', { USERS: [IVAN, bx], TITLE: 'Launch room' }));
    });

    /** The PHP check of the docs (iframe.md, "Registration and security"), run on the frame's query. */
    function phpCheck(url: string, hash: string): string {
      const script = `parse_str(parse_url($argv[1], PHP_URL_QUERY), $_GET); $hash = $argv[2]; $check = parse_url($_GET['DOMAIN']);
        echo ($_GET['DOMAIN_HASH'] == md5($check['host'].$hash)) ? 'DOMAIN OK ' : 'DOMAIN BAD ';
        echo ($_GET['USER_HASH'] == md5($_GET['USER_ID'].$hash)) ? 'USER OK' : 'USER BAD';`;
      return execFileSync('php', ['-r', script, url, hash], { encoding: 'utf8' });
    }

    test('from the composer: the IFRAME URL with the documented query, in order, and hashes the docs\' check accepts', async (t) => {
      if (skip) return t.skip(skip);
      const res = expectOk(await launchAs('anna', { DIALOG_ID: `chat${chat}`, APP_ID: frameId, LANGUAGE_ID: 'ru', IS_CHROME: 'Y' }));
      // Only the messenger's own session: Anna's webhook, or another app holding her token, would sign her to app X's frame.
      expectError(await restForm(hook.anna, 'parley.chatapp.launch', { DIALOG_ID: `chat${chat}`, APP_ID: frameId }), 403, 'WRONG_AUTH_TYPE');
      expectError(await asY('parley.chatapp.launch', { DIALOG_ID: `chat${chat}`, APP_ID: frameId }), 403, 'WRONG_AUTH_TYPE');
      assert.deepEqual({ ...res, url: '' }, { url: '', width: 400, height: 300, popup: true, context: 'textarea' });
      const url = new URL(res.url);
      assert.equal(`${url.origin}${url.pathname}`, 'https://apps.example.test/frame.php');
      const q = Object.fromEntries(url.searchParams);
      assert.deepEqual([...url.searchParams.keys()], [
        'x', 'BOT_ID', 'BOT_CODE', 'APP_ID', 'APP_CODE', 'DOMAIN', 'DOMAIN_HASH', 'USER_ID', 'USER_HASH', 'DIALOG_ID', 'CONTEXT', 'LANG', 'IS_CHROME',
        'DIALOG_ENTITY_ID', 'DIALOG_ENTITY_DATA_1', 'DIALOG_CONTEXT',
      ]);
      assert.deepEqual(q, {
        x: '1', BOT_ID: String(bx), BOT_CODE: 'bx', APP_ID: String(frameId), APP_CODE: frameCode, DOMAIN: portal.url,
        DOMAIN_HASH: md5(`127.0.0.1${HASH}`), USER_ID: String(ANNA), USER_HASH: md5(`${ANNA}${HASH}`), DIALOG_ID: `chat${chat}`,
        CONTEXT: 'textarea', LANG: 'ru', IS_CHROME: 'Y', DIALOG_ENTITY_ID: '', DIALOG_ENTITY_DATA_1: '', DIALOG_CONTEXT: 'chat',
      });
      assert.equal(phpCheck(res.url, HASH), 'DOMAIN OK USER OK');
      assert.equal(phpCheck(res.url, 'another hash'), 'DOMAIN BAD USER BAD');
    });

    test('from a bot\'s KEYBOARD or MENU button: MESSAGE_ID and that button\'s APP_PARAMS, never a popup', async (t) => {
      if (skip) return t.skip(skip);
      const msg = expectOk(await asX('imbot.message.add', {
        BOT_ID: bx, DIALOG_ID: `chat${chat}`, MESSAGE: 'Pick one',
        KEYBOARD: [{ TEXT: 'Open', APP_ID: frameId, APP_PARAMS: 'from keyboard' }], MENU: [{ TEXT: 'Open too', APP_ID: frameId, APP_PARAMS: 'from menu' }],
      }));
      for (const params of ['from keyboard', 'from menu']) {
        const res = expectOk(await launchAs('ivan', { DIALOG_ID: `chat${chat}`, APP_ID: frameId, MESSAGE_ID: msg, BUTTON_PARAMS: params }));
        assert.equal(res.popup, false);
        assert.equal(res.context, 'button');
        const q = new URL(res.url).searchParams;
        assert.deepEqual([q.get('CONTEXT'), q.get('MESSAGE_ID'), q.get('BUTTON_PARAMS'), q.get('USER_ID')], ['button', String(msg), params, String(IVAN)]);
        assert.equal(phpCheck(res.url, HASH), 'DOMAIN OK USER OK');
      }
      // Without BUTTON_PARAMS: the first button naming the app.
      const first = expectOk(await launchAs('ivan', { DIALOG_ID: `chat${chat}`, APP_ID: frameId, MESSAGE_ID: msg }));
      assert.equal(new URL(first.url).searchParams.get('BUTTON_PARAMS'), 'from keyboard');
      // Parameters no button carries are not taken from the caller.
      expectError(await launchAs('ivan', { DIALOG_ID: `chat${chat}`, APP_ID: frameId, MESSAGE_ID: msg, BUTTON_PARAMS: 'forged' }), 400, 'MESSAGE_ID_ERROR');
    });

    test('a hidden app opens from its button but not from the composer', async (t) => {
      if (skip) return t.skip(skip);
      const hidden = expectOk(await asX('imbot.app.register', frame({ HIDDEN: 'Y', LANG: [] })));
      const msg = expectOk(await asX('imbot.message.add', { BOT_ID: bx, DIALOG_ID: `chat${chat}`, MESSAGE: 'Hidden', KEYBOARD: [{ TEXT: 'Open', APP_ID: hidden }] }));
      expectError(await launchAs('anna', { DIALOG_ID: `chat${chat}`, APP_ID: hidden }), 400, 'CHAT_APP_ID_ERROR');
      const res = expectOk(await launchAs('anna', { DIALOG_ID: `chat${chat}`, APP_ID: hidden, MESSAGE_ID: msg }));
      assert.equal(new URL(res.url).searchParams.get('BUTTON_PARAMS'), '');
    });

    test('refusals: a dialog not one\'s own, an unknown app, a JS command, a message elsewhere or not the app\'s bot\'s', async (t) => {
      if (skip) return t.skip(skip);
      expectError(await launchAs('maria', { DIALOG_ID: `chat${chat}`, APP_ID: frameId }), 403, 'ACCESS_ERROR');
      expectError(await launchAs('anna', { DIALOG_ID: `chat${chat}`, APP_ID: 99999 }), 400, 'CHAT_APP_ID_ERROR');
      expectError(await launchAs('anna', { DIALOG_ID: `chat${chat}` }), 400, 'CHAT_APP_ID_ERROR');
      const js = expectOk(await asX('imbot.app.register', jsApp()));
      expectError(await launchAs('anna', { DIALOG_ID: `chat${chat}`, APP_ID: js }), 400, 'PARAMS_ERROR');
      // A keyboard naming the app on a person's message (a user may attach one naming a bot).
      const forged = expectOk(await restForm(hook.anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'mine', KEYBOARD: [{ TEXT: 'Open', APP_ID: frameId, APP_PARAMS: 'evil', BOT_ID: bx }] }));
      expectError(await launchAs('ivan', { DIALOG_ID: `chat${chat}`, APP_ID: frameId, MESSAGE_ID: forged }), 400, 'MESSAGE_ID_ERROR');
      // Another application's bot's button naming this app.
      const other = expectOk(await restForm(hook.anna, 'im.chat.add', { USERS: [by], TITLE: 'Other bot' }));
      const byMsg = expectOk(await asY('imbot.message.add', { BOT_ID: by, DIALOG_ID: `chat${other}`, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'Open', APP_ID: frameId }] }));
      expectError(await launchAs('anna', { DIALOG_ID: `chat${other}`, APP_ID: frameId, MESSAGE_ID: byMsg }), 400, 'MESSAGE_ID_ERROR');
      // A message of another dialog, named from this one.
      const msg = expectOk(await asX('imbot.message.add', { BOT_ID: bx, DIALOG_ID: `chat${chat}`, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'Open', APP_ID: frameId }] }));
      expectError(await launchAs('anna', { DIALOG_ID: `chat${other}`, APP_ID: frameId, MESSAGE_ID: msg }), 400, 'MESSAGE_ID_ERROR');
    });

    test('an open-line chat carries its entity fields and DIALOG_CONTEXT lines', async (t) => {
      if (skip) return t.skip(skip);
      const line = await createLine(portal.portal.db, 1, { name: 'Launch line', queue: [{ type: 'user', id: ANNA }] });
      const got = await customerSays(portal, await connector(portal, 'launch_conn'), line, 'c2', 'hello');
      const res = expectOk(await launchAs('anna', { DIALOG_ID: `chat${got.chat.id}`, APP_ID: frameId }));
      const q = new URL(res.url).searchParams;
      const row = await portal.portal.db.selectFrom('chats').select(['entity_id', 'entity_data_1']).where('id', '=', got.chat.id).executeTakeFirstOrThrow();
      assert.match(row.entity_id, /^launch_conn\|/);
      assert.deepEqual([q.get('DIALOG_ENTITY_ID'), q.get('DIALOG_ENTITY_DATA_1'), q.get('DIALOG_CONTEXT')], [row.entity_id, row.entity_data_1, 'lines']);
    });
  });
});
}

describe('a portal that is not in local development mode', () => {
  let remote: Awaited<ReturnType<typeof testPortal>>;
  before(async () => {
    // Served on loopback as every test portal is, but known to the world by an https address.
    remote = await testPortal();
    await setPublicUrl(remote.portal, 'https://parley.example.test');
  });
  after(async () => {
    await remote?.close();
  });

  test('an http IFRAME is IFRAME_HTTPS; the frame\'s DOMAIN and DOMAIN_HASH are the public URL\'s', async () => {
    const a = await createApp(remote.portal.db, { name: 'R', handlerUrl: 'http://127.0.0.1:9/app', scopes: ['imbot', 'im'], installUserId: 1 });
    await remote.portal.db.updateTable('apps').set({ installed: 1 }).where('id', '=', a.id).execute();
    const tok = (await mintToken(remote.portal, remote.portal.db, { ...a, installed: 1 }, ANNA)).access_token;
    const r = (m: string, p: Record<string, unknown>) => restForm(`${remote.url}/rest/`, m, { auth: tok, ...p });
    expectError(await r('imbot.app.register', { CODE: 'f', IFRAME: 'http://apps.example.test/f', HASH, LANG: EN }), 400, 'IFRAME_HTTPS');
    const id = expectOk(await r('imbot.app.register', { CODE: 'f', IFRAME: 'https://apps.example.test/f', HASH, LANG: EN }));
    expectError(await r('imbot.app.update', { APP_ID: id, FIELDS: { IFRAME: 'http://apps.example.test/f' } }), 400, 'IFRAME_HTTPS');
    const web = (await webToken(remote.portal, ANNA)).access_token;
    const res = expectOk(await restForm(`${remote.url}/rest/`, 'parley.chatapp.launch', { auth: web, DIALOG_ID: IVAN, APP_ID: id }));
    const q = new URL(res.url).searchParams;
    assert.deepEqual([q.get('DOMAIN'), q.get('DOMAIN_HASH'), q.get('BOT_ID'), q.get('BOT_CODE'), q.get('DIALOG_CONTEXT')],
      ['https://parley.example.test', md5(`parley.example.test${HASH}`), '0', '', 'user']);
  });
});
