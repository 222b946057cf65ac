/**
 * The website live chat's reading and its life around the line, over real HTTP and a real WebSocket:
 * read marks both ways (the operator's reading reaches the widget's socket and history as `read`, the
 * visitor's POST read moves their position in the line chat, as the messenger's receipts read it);
 * the site a visitor came from is recorded (the portal's own conversation page names it in `site`,
 * another origin's request by its Origin); a socket whose line is deactivated is closed with 4404;
 * and, on two nodes sharing Redis, a visitor's rate limit is one budget for the portal, not one per node.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { restForm, restJson, testPortal, waitFor } from './helpers/portal.ts';
import { addUser, portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { freshDatabase } from './helpers/postgres.ts';
import { sharedRedis } from './helpers/redis.ts';
import { WIDGET_LIMITS } from '../src/http/widget.ts';

const SHOP = 'https://shop.example.com';

/** A client of one portal's visitor API for one line. */
function widgetClient(url: string, code: string) {
  const call = async (method: string, path: string, opts: { token?: string; body?: unknown; origin?: string } = {}) => {
    const headers: Record<string, string> = { origin: opts.origin ?? SHOP };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}/widget/${code}/${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const newVisitor = async (body: Record<string, unknown> = {}, origin = SHOP) => {
    const r = await call('POST', 'visitor', { body, origin });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { token: string; visitorId: number };
  };
  const live = (token: string) => new Promise<{ ws: WebSocket; got: any[]; closed: Promise<number> }>((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/widget/${code}/live`, ['parley-widget', token], { headers: { origin: SHOP } });
    const got: any[] = [];
    const closed = new Promise<number>((r) => ws.once('close', (c) => r(c)));
    ws.on('message', (d) => got.push(JSON.parse(String(d))));
    ws.once('open', () => resolve({ ws, got, closed }));
    ws.once('error', reject);
  });
  return { call, newVisitor, live };
}

describe('live chat reading, the visitor\'s site, a deactivated line', () => {
  let p: TestPortal;
  let admin: string;
  let annId: number;
  let ann: string;
  let lineId: number;
  let w: ReturnType<typeof widgetClient>;

  before(async () => {
    const s = await portalSuite('sqlite');
    if ('skip' in s) throw new Error(s.skip);
    p = s;
    admin = await webhookFor(p, 1, 'imopenlines,im');
    annId = await addUser(p, { name: 'Ann', lastName: 'Support' });
    ann = await webhookFor(p, annId, 'imopenlines,im');
    lineId = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Shop help', QUEUE: [annId], LIVECHAT_ORIGINS: [SHOP] } }));
    w = widgetClient(p.url, expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: lineId })).LIVECHAT_CODE);
  });
  after(() => p?.close());

  const visitorRow = (id: number) => p.portal.db.selectFrom('ol_livechat_visitors').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const readPosition = async (chatId: number, userId: number) =>
    Number((await p.portal.db.selectFrom('chat_members').select('last_read_id').where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirstOrThrow()).last_read_id);

  test('read marks: the operator\'s reading reaches the widget live and in history; the visitor\'s moves their position', async () => {
    const v = await w.newVisitor();
    const row = await visitorRow(v.visitorId);
    const chatId = Number(row.chat_id);
    const sock = await w.live(v.token);
    const mine = (await w.call('POST', 'messages', { token: v.token, body: { text: 'Is the lamp in stock?' } })).body.id as number;
    await waitFor('Ann in the line chat', async () => (await p.portal.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).where('user_id', '=', annId).executeTakeFirst()));
    const before = (await w.call('GET', 'history', { token: v.token })).body.read;
    assert.ok(before.readId < mine, `nobody read it yet: ${JSON.stringify(before)}`);

    expectOk(await restForm(ann, 'im.dialog.read', { DIALOG_ID: `chat${chatId}` }));
    const told = await waitFor('read, live', async () => sock.got.find((m) => m.type === 'read' && m.read.readId >= mine));
    assert.equal(told.read.unread, 0);
    assert.ok((await w.call('GET', 'history', { token: v.token })).body.read.readId >= mine);

    const answer = Number(expectOk(await restForm(ann, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Yes, three left' })));
    const h = (await w.call('GET', 'history', { token: v.token })).body;
    assert.equal(h.read.unread, 1, 'Ann\'s answer is not read yet');
    assert.ok(h.read.myReadId < answer);
    const r = await w.call('POST', 'read', { token: v.token, body: { lastId: answer } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.unread, r.body.myReadId], [0, answer]);
    assert.equal(await readPosition(chatId, Number(row.user_id)), answer);
    // Reading never moves back; another chat's message, a string, nothing: refused.
    assert.equal((await w.call('POST', 'read', { token: v.token, body: { lastId: mine } })).status, 200);
    assert.equal(await readPosition(chatId, Number(row.user_id)), answer);
    const other = await w.newVisitor();
    const theirs = (await w.call('POST', 'messages', { token: other.token, body: { text: 'mine' } })).body.id as number;
    for (const lastId of [theirs, String(answer), 0, undefined]) {
      const bad = await w.call('POST', 'read', { token: v.token, body: { lastId } });
      assert.deepEqual([bad.status, bad.body.error], [400, 'WIDGET_READ'], `lastId ${String(lastId)}`);
    }
    sock.ws.close();
  });

  test('the visitor\'s site: named by the portal\'s own page in `site`, else the request\'s Origin', async () => {
    const own = await w.newVisitor({ site: 'https://Blog.Example.org/path?q=1' }, p.url);
    assert.equal((await visitorRow(own.visitorId)).origin, 'https://blog.example.org');
    const junk = await w.newVisitor({ site: 'javascript:alert(1)' }, p.url);
    assert.equal((await visitorRow(junk.visitorId)).origin, '');
    // Another origin's request is recorded by its Origin, whatever it says in `site`.
    const direct = await w.newVisitor({ site: 'https://elsewhere.example' });
    assert.equal((await visitorRow(direct.visitorId)).origin, SHOP);
  });

  test('a deactivated line closes its visitors\' sockets with 4404; its API answers 404', async () => {
    const v = await w.newVisitor();
    const sock = await w.live(v.token);
    const t0 = Date.now();
    expectOk(await restJson(admin, 'imopenlines.config.update', { CONFIG_ID: lineId, PARAMS: { ACTIVE: 'N' } }));
    assert.equal(await sock.closed, 4404);
    assert.ok(Date.now() - t0 < 5_000, `closed after ${Date.now() - t0} ms`);
    assert.equal((await w.call('GET', 'config')).status, 404);
    expectOk(await restJson(admin, 'imopenlines.config.update', { CONFIG_ID: lineId, PARAMS: { ACTIVE: 'Y' } }));
  });
});

describe('two nodes sharing Redis: one visitor budget for the portal', { timeout: 120_000 }, () => {
  let skip: string | undefined;
  let drop = async () => {};
  const nodes: Awaited<ReturnType<typeof testPortal>>[] = [];

  before(async () => {
    const redis = await sharedRedis();
    if ('skip' in redis) return void (skip = redis.skip);
    const fresh = await freshDatabase();
    if ('skip' in fresh) return void (skip = fresh.skip);
    drop = fresh.drop;
    // No REST rate limit: the widget's limits are counted in Redis whenever --redis is given.
    const config = { db: fresh.url, redis: redis.url, rateLimit: 'off' };
    nodes.push(await testPortal(config));
    nodes.push(await testPortal(config));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await drop();
  });

  test('requests of one visitor spread over both nodes fill one bucket', async (t) => {
    if (skip) return t.skip(skip);
    const admin = await webhookFor(nodes[0], 1, 'imopenlines,im');
    const lineId = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Shared', QUEUE: [1] } }));
    const code = expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: lineId })).LIVECHAT_CODE;
    const [a, b] = nodes.map((n) => widgetClient(n.url, code));
    const v = await a.newVisitor();
    const statuses: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < WIDGET_LIMITS.visitor.burst * 2; i++) statuses.push((await (i % 2 ? b : a).call('POST', 'typing', { token: v.token })).status);
    // Counted per node, all of them would pass; shared, the burst and what leaked out meanwhile.
    const leaked = Math.ceil(((Date.now() - t0) / 1000) * WIDGET_LIMITS.visitor.drain);
    const passed = statuses.filter((s) => s === 200).length;
    assert.ok(passed >= WIDGET_LIMITS.visitor.burst && passed <= WIDGET_LIMITS.visitor.burst + leaked, `${passed} passed, ${leaked} leaked: ${statuses.join(',')}`);
    assert.ok(statuses.indexOf(429) >= WIDGET_LIMITS.visitor.burst, 'nothing refused within the burst');
  });
});
