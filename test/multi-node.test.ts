/**
 * Scale-out (issue 10): three `parley start` processes on one fresh PostgreSQL database and one Redis.
 * They start together (one seed, one portal identity); a message or typing through node A reaches a
 * socket on node C through Redis (the nodes' hub poll is set to 60 s, so nothing else could carry it
 * in time); a credential deleted through A closes its socket on C at once (re-check every 60 s);
 * malformed messages on the channel are dropped; bot events are delivered exactly once across the
 * nodes, in order per dialog; and an event whose node is killed with SIGKILL in the middle of its
 * POST is delivered by another node once its lease expires.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { freePort, portalProcess, restForm, tempDir, waitFor, type Child } from './helpers/portal.ts';
import { webhookOn as hookOn } from './helpers/suite.ts';
import { hello, listen, socketUrl } from './helpers/realtime.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { freshDatabase } from './helpers/postgres.ts';
import { sharedRedis } from './helpers/redis.ts';
import { eventRecorder, type EventRecorder, type Received } from './helpers/event-recorder.ts';

/** The same webhook, called through another node (every node accepts every credential of the database). */
const at = (node: Child, hook: string) => hook.replace(/^https?:\/\/[^/]+\//, node.url);

describe('three nodes on one PostgreSQL and one Redis', () => {
  let skip: string | undefined;
  let drop = async () => {};
  let db = '';
  let dataDirs: string[] = [];
  let nodes: Child[] = [];
  let recorder: EventRecorder;
  let hooks: { admin: string; anna: string; ivan: string; maria: string; john: string };
  let botId = 0;
  let redisUrl = '';

  before(async () => {
    const redis = await sharedRedis();
    if ('skip' in redis) return void (skip = redis.skip);
    redisUrl = redis.url;
    const fresh = await freshDatabase();
    if ('skip' in fresh) return void (skip = fresh.skip);
    db = fresh.url;
    drop = fresh.drop;
    const env = {
      PARLEY_DB: db, PARLEY_REDIS: redis.url,
      // Long polls: within a test's wait, only Redis can bring another node's pushes and revocations.
      PARLEY_REALTIME_POLL_MS: '60000', PARLEY_REALTIME_RECHECK_MS: '60000',
      // A short POST timeout and grace keep the lease of a killed node's event (timeout + grace + 5 s) short.
      PARLEY_EVENT_TIMEOUT_MS: '3000', PARLEY_EVENT_GRACE_MS: '300', PARLEY_EVENT_FIRST_DELAY_MS: '100', PARLEY_EVENT_MAX_DELAY_MS: '300',
    };
    dataDirs = [tempDir(), tempDir(), tempDir()];
    // Started together on the empty database: migrations, the seed and the identity must not race.
    nodes = await Promise.all(dataDirs.map(async (dir) => portalProcess(dir, await freePort(), env)));
    // The first delivery of "hold me" is left hanging: its node is killed in the middle of it.
    recorder = await eventRecorder((r) => r.message === 'hold me' && !recorder.received.some((x) => x.message === 'hold me'));
    const where = { dataDir: dataDirs[0], db };
    const [admin, anna, ivan, maria, john] = await Promise.all([1, 2, 3, 4, 5].map((id) => hookOn(where, id, id === 1 ? 'im,imbot,parley' : 'im,imbot')));
    hooks = { admin, anna, ivan, maria, john };
    botId = expectOk(await restForm(at(nodes[0], admin), 'imbot.register', {
      CLIENT_ID: 'multinode', CODE: 'recorder', TYPE: 'B', EVENT_HANDLER: recorder.url, PROPERTIES: { NAME: 'Recorder' },
    }));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await recorder?.close();
    await drop();
  });

  test('nodes started together on an empty database agree: one seed, one portal', async (t) => {
    if (skip) return t.skip(skip);
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const users = await client.query(`SELECT login FROM users WHERE login IS NOT NULL ORDER BY id`);
      assert.deepEqual(users.rows.map((r) => r.login), ['admin', 'anna', 'ivan', 'maria', 'john']);
    } finally {
      await client.end();
    }
    const seededBy = dataDirs.filter((dir) => fs.existsSync(path.join(dir, 'credentials.txt')));
    assert.equal(seededBy.length, 1, 'exactly one start seeded the portal and wrote its logins');
    // The Redis link's notice, a line of each node's JSON log.
    for (const node of nodes) assert.match(node.output(), /^\{.*"component":"redis".*"msg":"connected to 127\.0\.0\.1:\d+/m);
  });

  test('a message posted through A reaches a socket on C through Redis (hub poll: 60 s)', async (t) => {
    if (skip) return t.skip(skip);
    const [a, , c] = nodes;
    const ivanOnC = await listen(socketUrl(at(c, hooks.ivan)));
    await hello(ivanOnC);
    const t0 = Date.now();
    const id = expectOk(await restForm(at(a, hooks.anna), 'im.message.add', { DIALOG_ID: 3, MESSAGE: 'across nodes' }));
    const push = await waitFor('message.add on node C', async () => ivanOnC.pushes.find((p) => p.type === 'message.add' && p.messageId === id), 20_000);
    t.diagnostic(`A → C: ${Date.now() - t0} ms from the call to the push`);
    assert.equal(push.authorId, 2);
    assert.equal(typeof push.id, 'number', 'a logged push, with its id for resuming');
    await ivanOnC.close();
  });

  test('typing through A reaches a socket on C (typing is never logged: Redis is its only way)', async (t) => {
    if (skip) return t.skip(skip);
    const [a, b, c] = nodes;
    const annaOnC = await listen(socketUrl(at(c, hooks.anna)));
    const annaOnB = await listen(socketUrl(at(b, hooks.anna)));
    await Promise.all([hello(annaOnC), hello(annaOnB)]);
    expectOk(await restForm(at(a, hooks.ivan), 'im.dialog.writing', { DIALOG_ID: 2 }));
    for (const socket of [annaOnC, annaOnB]) {
      const typing = await waitFor('typing on another node', async () => socket.pushes.find((p) => p.type === 'typing'), 20_000);
      assert.equal(typing.userId, 3);
      assert.equal(typing.id, undefined, 'ephemeral: no log id');
    }
    await Promise.all([annaOnC.close(), annaOnB.close()]);
  });

  test('a webhook deleted through A closes its socket on C at once (credential re-check: 60 s)', async (t) => {
    if (skip) return t.skip(skip);
    const [a, , c] = nodes;
    const doomed = await hookOn({ dataDir: dataDirs[0], db }, 4, 'im');
    const socket = await listen(socketUrl(at(c, doomed)));
    await hello(socket);
    const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
    const list = expectOk(await restForm(at(a, hooks.admin), 'parley.webhook.list'));
    const id = list.filter((w: any) => w.user_id === 4).map((w: any) => w.id).sort((x: number, y: number) => y - x)[0];
    expectOk(await restForm(at(a, hooks.admin), 'parley.webhook.delete', { ID: id }));
    const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still open after 20 s'), 20_000).unref())]);
    assert.equal(code, 4401);
  });

  test('malformed messages on the channel are dropped: the nodes keep serving and fanning out', async (t) => {
    if (skip) return t.skip(skip);
    const [a, , c] = nodes;
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    const memberId = (await client.query(`SELECT value FROM settings WHERE key = 'member_id'`)).rows[0].value;
    await client.end();
    const ivanOnA = await listen(socketUrl(at(a, hooks.ivan)));
    const ivanOnC = await listen(socketUrl(at(c, hooks.ivan)));
    await Promise.all([hello(ivanOnA), hello(ivanOnC)]);
    const writer = new Redis(redisUrl);
    try {
      const channel = `parley:${memberId}`;
      const signal = (users: unknown, push: unknown) => JSON.stringify({ kind: 'signal', from: 'test', users, push });
      for (const text of [
        'not json', 'null', '[]', '{"kind":"wake"}', '{"kind":"wake","from":7}', '{"kind":"shout","from":"test"}',
        signal('all', { type: 'typing' }), signal([3, -1], { type: 'typing' }), signal([3], { type: 'typing', nested: { a: 1 } }),
        signal([3], JSON.parse('{"type":"typing","__proto__":{"polluted":true}}')), signal([3], { chatId: 1 }),
        signal([3], { type: 'x'.repeat(300) }), signal([3], { type: 'typing', pad: 'x'.repeat(2 * 1024 * 1024) }),
      ]) await writer.publish(channel, text);
      // The last one is well formed: its arrival shows the nodes read on past what they dropped.
      await writer.publish(channel, signal([3], { type: 'typing', chatId: 1, userId: 2 }));
    } finally {
      writer.disconnect();
    }
    for (const socket of [ivanOnA, ivanOnC]) {
      await waitFor('the well-formed signal', async () => socket.pushes.some((p) => p.type === 'typing'), 20_000);
      assert.deepEqual(socket.pushes.filter((p) => p.type !== 'hello'), [{ type: 'typing', chatId: 1, userId: 2 }], 'nothing of the malformed ones');
    }
    for (const node of nodes) expectOk(await restForm(at(node, hooks.anna), 'user.current'));
    assert.equal(({} as any).polluted, undefined);
    await Promise.all([ivanOnA.close(), ivanOnC.close()]);
  });

  test('bot events: each delivered exactly once across the three nodes, in order per dialog', async (t) => {
    if (skip) return t.skip(skip);
    const senders = [hooks.anna, hooks.ivan, hooks.maria];
    const perUser = 8;
    // Every user writes through all three nodes in turn, the users at the same time: the nodes race
    // to claim (each wakes on its own commits at once, and on the others' through Redis).
    const sent = await Promise.all(senders.map(async (hook, u) => {
      const ids: number[] = [];
      for (let i = 0; i < perUser; i++) {
        ids.push(expectOk(await restForm(at(nodes[(u + i) % 3], hook), 'im.message.add', { DIALOG_ID: botId, MESSAGE: `u${u} #${i}` })));
      }
      return ids;
    }));
    const all = new Set(sent.flat());
    const mine = () => recorder.received.filter((r) => r.event === 'ONIMBOTMESSAGEADD' && all.has(r.messageId));
    await waitFor('every event delivered', async () => new Set(mine().map((r) => r.messageId)).size === all.size, 30_000);
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const rows = await waitFor('outbox rows settled', async () => {
        const r = await client.query(`SELECT status, attempts FROM outbox WHERE event = 'ONIMBOTMESSAGEADD' AND handler_url = $1`, [recorder.url]);
        return r.rows.length === all.size && r.rows.every((x) => x.status === 'delivered') && r.rows;
      });
      assert.ok(rows.every((x: any) => x.attempts === 1), 'no event needed a second attempt');
    } finally {
      await client.end();
    }
    // A second claim would have posted at the same moment as the first: a short grace catches it.
    await new Promise((r) => setTimeout(r, 500));
    const got = mine();
    const counts = new Map<number, number>();
    for (const r of got) counts.set(r.messageId, (counts.get(r.messageId) ?? 0) + 1);
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), [], 'every message id exactly once');
    sent.forEach((ids, u) => {
      const order = got.filter((r) => r.message.startsWith(`u${u} `)).map((r) => r.messageId);
      assert.deepEqual(order, ids, `user ${u}'s events in the order written`);
    });
    const byNode = new Map<string, number>();
    for (const r of got) byNode.set(r.domain, (byNode.get(r.domain) ?? 0) + 1);
    t.diagnostic(`deliveries per node: ${JSON.stringify(Object.fromEntries(byNode))}`);
    assert.ok([...byNode.keys()].every((d) => nodes.some((n) => n.url === `http://${d}/`)), 'only the three nodes delivered');
  });

  test('a node killed (SIGKILL) in the middle of a delivery: another node delivers the event after its lease', async (t) => {
    if (skip) return t.skip(skip);
    const id = expectOk(await restForm(at(nodes[0], hooks.john), 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hold me' }));
    const first = await waitFor('the held delivery', async () => recorder.received.find((r) => r.messageId === id));
    assert.ok(first.held);
    const victim = nodes.find((n) => n.url === `http://${first.domain}/`)!;
    assert.ok(victim, `the delivering node ${first.domain} is one of ours`);
    victim.proc.kill('SIGKILL');
    await victim.stop();
    const survivors = nodes.filter((n) => n !== victim);

    const again = await waitFor('the event delivered by another node', async () => recorder.received.find((r) => r.messageId === id && !r.held), 30_000);
    assert.notEqual(again.domain, first.domain);
    assert.ok(survivors.some((n) => n.url === `http://${again.domain}/`));
    // The dialog goes on behind it, exactly once.
    const next = expectOk(await restForm(at(survivors[0], hooks.john), 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'after the kill' }));
    await waitFor('the next event', async () => recorder.received.some((r) => r.messageId === next));
    await new Promise((r) => setTimeout(r, 500));
    const seen = (messageId: number): Received[] => recorder.received.filter((r) => r.messageId === messageId);
    assert.equal(seen(id).length, 2, 'the killed node\'s attempt and the one that was answered');
    assert.equal(seen(next).length, 1);
  });
});
