/**
 * The website live chat's visitor API over real HTTP and a real WebSocket, on SQLite and PostgreSQL:
 * the widget's config (404 for an unknown or inactive line), visitors and the form's rules, a visitor
 * writes → the session is offered to the line's operator → the operator answers with im.message.add →
 * the visitor gets it live and in history; a second visitor sees nothing of the first; the rating;
 * CORS for allowed and refused origins; size and rate limits; /rest refuses a visitor's token; hostile
 * names and messages come back as data.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { restForm, restJson, waitFor } from './helpers/portal.ts';
import { addUser, portalSuite, webhookFor, type Dialect, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { WIDGET_LIMITS } from '../src/http/widget.ts';

const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example.net';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`website live chat on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    let admin: string;
    let annId: number;
    let ann: string;
    let lineId: number;
    let code: string;
    let inactiveCode: string;
    let otherCode: string;

    before(async () => {
      const s = await portalSuite(dialect);
      if ('skip' in s) return void (skip = s.skip);
      p = s;
      admin = await webhookFor(p, 1, 'imopenlines,im');
      annId = await addUser(p, { name: 'Ann', lastName: 'Support' });
      ann = await webhookFor(p, annId, 'imopenlines,im');
      lineId = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: {
        LINE_NAME: 'Shop help', QUEUE: [annId], WELCOME_MESSAGE_TEXT: 'Hello from the shop!', LIVECHAT_TITLE: 'Ask us', LIVECHAT_COLOR: '#ff8800',
        LIVECHAT_POSITION: 'bottom-left', LIVECHAT_FORM_NAME: 'required', LIVECHAT_FORM_EMAIL: 'optional', LIVECHAT_ORIGINS: [SHOP],
      } }));
      const got = expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: lineId }));
      code = got.LIVECHAT_CODE;
      const off = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Closed', ACTIVE: 'N' } }));
      inactiveCode = expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: off })).LIVECHAT_CODE;
      const other = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Other', QUEUE: [annId] } }));
      otherCode = expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: other })).LIVECHAT_CODE;
    });
    after(() => p?.close());

    const call = async (method: string, path: string, opts: { code?: string; token?: string; body?: unknown; origin?: string; raw?: string } = {}) => {
      const headers: Record<string, string> = { origin: opts.origin ?? SHOP };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${p.url}/widget/${opts.code ?? code}/${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    };
    const newVisitor = async (name: string, extra: Record<string, string> = {}) => {
      const r = await call('POST', 'visitor', { body: { name, ...extra } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { token: string; visitorId: number; name: string };
    };
    const live = (token: string, origin = SHOP, c = code) => new Promise<{ ws: WebSocket; got: any[] }>((resolve, reject) => {
      const ws = new WebSocket(`${p.url.replace(/^http/, 'ws')}/widget/${c}/live`, ['parley-widget', token], { headers: { origin } });
      const got: any[] = [];
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      ws.once('open', () => resolve({ ws, got }));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode })));
      ws.once('error', reject);
    });
    const lineChatOf = (visitorId: number) => p.portal.db.selectFrom('ol_livechat_visitors').select('chat_id').where('id', '=', visitorId).executeTakeFirstOrThrow().then((r) => Number(r.chat_id));

    test('config: the widget\'s look for an allowed site; 404 for an unknown or inactive line; 403 for another site', async (t) => {
      if (skip) return t.skip(skip);
      assert.match(code, /^[0-9a-f]{24}$/);
      const r = await call('GET', 'config');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('access-control-allow-origin'), SHOP);
      assert.deepEqual(r.body, { title: 'Ask us', color: '#ff8800', greeting: '', position: 'bottom-left', form: { name: 'required', email: 'optional', phone: 'off' }, operatorAvailable: false,
        files: { maxBytes: Math.min(10 * 1024 * 1024, p.portal.config.fileMaxBytes), maxCount: 5 } });
      assert.equal((await call('GET', 'config', { code: 'ab'.repeat(12) })).status, 404);
      assert.equal((await call('GET', 'config', { code: inactiveCode })).body.error, 'WIDGET_LINE_NOT_FOUND');
      assert.equal((await call('GET', 'config', { code: 'not-a-code' })).status, 404);
      const refused = await call('GET', 'config', { origin: EVIL });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, 'WIDGET_ORIGIN');
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      // A line with no LIVECHAT_ORIGINS takes any site.
      assert.equal((await call('GET', 'config', { code: otherCode, origin: EVIL })).headers.get('access-control-allow-origin'), EVIL);
    });

    test('CORS preflight: answered for the allowed origin only', async (t) => {
      if (skip) return t.skip(skip);
      const pre = (origin: string) => fetch(`${p.url}/widget/${code}/messages`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
      const ok = await pre(SHOP);
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get('access-control-allow-origin'), SHOP);
      assert.match(ok.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      const no = await pre(EVIL);
      assert.equal(no.status, 403);
      assert.equal(no.headers.get('access-control-allow-origin'), null);
    });

    test('visitors: the form\'s rules; the token is stored only as its hash', async (t) => {
      if (skip) return t.skip(skip);
      const missing = await call('POST', 'visitor', { body: {} });
      assert.deepEqual([missing.status, missing.body.error], [400, 'WIDGET_FORM']);
      assert.equal((await call('POST', 'visitor', { body: { name: 'Vic', email: 'not-an-address' } })).body.error, 'WIDGET_FORM');
      const v = await newVisitor('Vic', { email: 'vic@example.com', phone: '+1 555 0100' });
      assert.match(v.token, /^[0-9a-f]{64}$/);
      const row = await p.portal.db.selectFrom('ol_livechat_visitors').selectAll().where('id', '=', v.visitorId).executeTakeFirstOrThrow();
      assert.notEqual(row.token_hash, v.token);
      assert.equal(row.email, 'vic@example.com');
      assert.equal(row.phone, '', 'the phone is off on this line: not kept');
      assert.equal(row.origin, SHOP);
      const user = await p.portal.db.selectFrom('users').selectAll().where('id', '=', Number(row.user_id)).executeTakeFirstOrThrow();
      assert.equal(user.external_auth_id, 'imconnector');
    });

    test('a visitor writes, the operator answers: live on the socket and in history; typing; the rating', async (t) => {
      if (skip) return t.skip(skip);
      const v = await newVisitor('Mia');
      const sock = await live(v.token);
      await waitFor('hello', async () => sock.got.find((m) => m.type === 'hello'));
      const sent = await call('POST', 'messages', { token: v.token, body: { text: 'Where is my order? [b]#42[/b]' } });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const chatId = await lineChatOf(v.visitorId);
      // The session is offered to Ann: she is a member of the visitor's line chat.
      await waitFor('Ann in the line chat', async () => (await p.portal.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).where('user_id', '=', annId).executeTakeFirst()));
      expectOk(await restForm(ann, 'im.dialog.writing', { DIALOG_ID: `chat${chatId}` }));
      const typing = await waitFor('typing', async () => sock.got.find((m) => m.type === 'typing'));
      assert.deepEqual(typing.author, { kind: 'operator', name: 'Ann Support' });
      expectOk(await restForm(ann, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'It ships [i]today[/i]' }));
      const answer = await waitFor('the answer, live', async () => sock.got.find((m) => m.type === 'message' && m.message.author.kind === 'operator'));
      assert.deepEqual({ ...answer.message, id: 0, date: '' }, { id: 0, date: '', author: { kind: 'operator', name: 'Ann Support' }, text: 'It ships [i]today[/i]' });
      // The internal line "Ann … joined" went to the visitor's user on /realtime's log, but never to the widget.
      assert.ok(!sock.got.some((m) => m.type === 'message' && /joined/.test(m.message.text)));

      const history = await call('GET', 'history', { token: v.token });
      assert.deepEqual(history.body.messages.map((m: any) => [m.author.kind, m.text]), [
        ['system', 'Hello from the shop!'], ['visitor', 'Where is my order? [b]#42[/b]'], ['operator', 'It ships [i]today[/i]'],
      ]);
      assert.equal(history.body.messages[1].author.name, 'Mia');
      assert.ok(!Number.isNaN(Date.parse(history.body.messages[0].date)));

      expectOk(await restForm(ann, 'imopenlines.operator.finish', { CHAT_ID: chatId }));
      await waitFor('the rating request, live', async () => sock.got.find((m) => m.type === 'message' && m.message.text.startsWith('Please rate')));
      assert.equal((await call('POST', 'rate', { token: v.token, body: { vote: 'like' } })).status, 200);
      const again = await call('POST', 'rate', { token: v.token, body: { vote: 'dislike' } });
      assert.deepEqual([again.status, again.body.error], [400, 'WIDGET_NO_VOTE']);
      const session = await p.portal.db.selectFrom('ol_sessions').select('vote').where('chat_id', '=', chatId).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(session.vote, 'like');
      await waitFor('the thanks in history', async () => (await call('GET', 'history', { token: v.token })).body.messages.some((m: any) => m.text === 'Thank you for your feedback!'));
      sock.ws.close();
    });

    test('a second visitor sees nothing of the first; a token is good for its own line only', async (t) => {
      if (skip) return t.skip(skip);
      const a = await newVisitor('Alice');
      const b = await newVisitor('Bob');
      const sockB = await live(b.token);
      assert.equal((await call('POST', 'messages', { token: a.token, body: { text: 'secret of Alice' } })).status, 200);
      const chatA = await lineChatOf(a.visitorId);
      await waitFor('Ann in Alice\'s chat', async () => (await p.portal.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatA).where('user_id', '=', annId).executeTakeFirst()));
      expectOk(await restForm(ann, 'im.message.add', { DIALOG_ID: `chat${chatA}`, MESSAGE: 'for Alice only' }));
      // Sentinel: Bob's own message comes to his socket after anything of Alice's would have.
      assert.equal((await call('POST', 'messages', { token: b.token, body: { text: 'Bob here' } })).status, 200);
      await waitFor('Bob\'s own message', async () => sockB.got.find((m) => m.type === 'message' && m.message.text === 'Bob here'));
      assert.ok(!sockB.got.some((m) => m.type === 'message' && /Alice/.test(m.message.text)));
      const hb = await call('GET', 'history', { token: b.token });
      assert.ok(hb.body.messages.every((m: any) => !/Alice/.test(m.text)));
      // Alice's token on another line, and no token or a wrong one: refused.
      assert.equal((await call('GET', 'history', { token: a.token, code: otherCode })).status, 401);
      assert.equal((await call('GET', 'history', {})).status, 401);
      assert.equal((await call('GET', 'history', { token: 'f'.repeat(64) })).status, 401);
      await assert.rejects(live('f'.repeat(64)), (e: any) => e.status === 401);
      await assert.rejects(live(a.token, EVIL), (e: any) => e.status === 403);
      sockB.ws.close();
    });

    test('/rest refuses a visitor\'s token', async (t) => {
      if (skip) return t.skip(skip);
      const v = await newVisitor('Rex');
      const byAuth = await fetch(`${p.url}/rest/im.message.add?auth=${v.token}&DIALOG_ID=1&MESSAGE=hi`);
      assert.equal(byAuth.status, 401);
      const byBearer = await fetch(`${p.url}/rest/user.current`, { headers: { authorization: `Bearer ${v.token}` } });
      assert.equal(byBearer.status, 401);
      const rows = await p.portal.db.selectFrom('tokens').select('user_id').where('user_id', '=', (await p.portal.db.selectFrom('ol_livechat_visitors').select('user_id').where('id', '=', v.visitorId).executeTakeFirstOrThrow()).user_id).execute();
      assert.equal(rows.length, 0, 'the customer user has no token');
    });

    test('limits: text length, body size, requests per visitor', async (t) => {
      if (skip) return t.skip(skip);
      const v = await newVisitor('Lim');
      const long = await call('POST', 'messages', { token: v.token, body: { text: 'x'.repeat(4001) } });
      assert.deepEqual([long.status, long.body.error], [400, 'WIDGET_MESSAGE']);
      assert.equal((await call('POST', 'messages', { token: v.token, body: { text: '   ' } })).body.error, 'WIDGET_MESSAGE');
      const big = await call('POST', 'messages', { token: v.token, raw: JSON.stringify({ text: 'y'.repeat(40_000) }) });
      assert.equal(big.status, 413);
      const statuses: number[] = [];
      const t0 = Date.now();
      // The five requests above count too; the bucket drains while these run.
      for (let i = 0; i < WIDGET_LIMITS.visitor.burst + 20; i++) statuses.push((await call('POST', 'typing', { token: v.token })).status);
      const leaked = Math.ceil(((Date.now() - t0) / 1000) * WIDGET_LIMITS.visitor.drain);
      const passed = statuses.filter((s) => s === 200).length;
      assert.ok(statuses.includes(429), statuses.join(','));
      assert.ok(passed >= WIDGET_LIMITS.visitor.burst - 5 && passed <= WIDGET_LIMITS.visitor.burst + leaked, `${passed} passed, ${leaked} leaked: ${statuses.join(',')}`);
      assert.ok(statuses.indexOf(429) >= WIDGET_LIMITS.visitor.burst - 5, 'nothing refused within the burst');
    });

    test('keyboard presses: only a bot\'s button on a message the visitor sees; the portal\'s own pages pass the origin rule', async (t) => {
      if (skip) return t.skip(skip);
      const v = await newVisitor('Kai');
      assert.equal((await call('POST', 'messages', { token: v.token, body: { text: 'hi' } })).status, 200);
      const chatId = await lineChatOf(v.visitorId);
      await waitFor('Ann in Kai\'s chat', async () => (await p.portal.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).where('user_id', '=', annId).executeTakeFirst()));
      const kb = Number(expectOk(await restForm(ann, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'buttons', KEYBOARD: JSON.stringify([{ TEXT: 'Go', COMMAND: 'go' }]) })));
      const h = await call('GET', 'history', { token: v.token });
      assert.equal(h.body.voteAsked, false);
      assert.deepEqual(h.body.messages.find((m: any) => m.id === kb)?.keyboard?.[0]?.COMMAND, 'go');
      // A person's button is no bot's command; a message of another chat, an absent one, a malformed press: refused.
      const press = (messageId: unknown, command = 'go') => call('POST', 'command', { token: v.token, body: { messageId, command, params: '' } });
      assert.deepEqual([(await press(kb)).status, (await press(kb)).body.error], [400, 'WIDGET_COMMAND']);
      const other = await newVisitor('Lou');
      assert.equal((await call('POST', 'messages', { token: other.token, body: { text: 'mine' } })).status, 200);
      const theirs = (await call('GET', 'history', { token: other.token })).body.messages.find((m: any) => m.text === 'mine').id;
      assert.equal((await press(theirs)).body.error, 'WIDGET_COMMAND');
      assert.equal((await press(9_999_999)).body.error, 'WIDGET_COMMAND');
      assert.equal((await press('1')).body.error, 'ERROR_ARGUMENT');
      assert.equal((await press(kb, '')).body.error, 'ERROR_ARGUMENT');

      // The conversation page is the portal's own: its requests pass though LIVECHAT_ORIGINS lists only the shop.
      const host = new URL(p.url).host;
      const own = await fetch(`${p.url}/widget/${code}/config`, { headers: { origin: p.url } });
      assert.equal(own.status, 200);
      assert.equal((await fetch(`${p.url}/widget/${code}/config`, { headers: { 'sec-fetch-site': 'same-origin' } })).status, 200);
      assert.equal((await fetch(`${p.url}/widget/${code}/config`)).status, 403, 'no Origin and no same-origin mark: refused as before');
      assert.equal((await fetch(`${p.url}/widget/${code}/config`, { headers: { origin: `http://x${host}` } })).status, 403);
    });

    test('hostile names and messages are stored and returned as data', async (t) => {
      if (skip) return t.skip(skip);
      const corpus = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[url=javascript:alert(1)]x[/url]', '"><svg onload=alert(1)>', '\u202e<b>x</b>'];
      const v = await newVisitor('<img src=x onerror=alert(1)>Eve');
      assert.equal(v.name, 'img src=x onerror=alert(1)Eve', 'angle brackets never reach a name');
      for (const text of corpus) assert.equal((await call('POST', 'messages', { token: v.token, body: { text } })).status, 200);
      const h = await call('GET', 'history', { token: v.token });
      const mine = h.body.messages.filter((m: any) => m.author.kind === 'visitor').map((m: any) => m.text);
      assert.deepEqual(mine, corpus, 'byte for byte, as data');
      assert.match(h.headers.get('content-type') ?? '', /^application\/json/);
      const chatId = await lineChatOf(v.visitorId);
      const title = (await p.portal.db.selectFrom('chats').select('title').where('id', '=', chatId).executeTakeFirstOrThrow()).title;
      assert.ok(!title.includes('<'));
    });
  });
}
