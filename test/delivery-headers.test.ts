/**
 * What a handler can rely on in every event POST (src/events/delivery-headers.ts): the delivery's
 * id, the attempt's number and an HMAC signature of the body keyed by the app's client_secret; and
 * that an attempt is never started while an earlier attempt of the same event may still be running
 * — a timed-out one counts as running until PARLEY_EVENT_GRACE_MS has passed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { waitFor } from './helpers/portal.ts';
import { addApp, sqlitePortalFor } from './helpers/suite.ts';

/** A POST as the handler saw it, and when the handler finished answering it. */
interface Seen { headers: http.IncomingHttpHeaders; body: string; startedAt: number; endedAt?: number }

/** A handler whose answer to each POST is decided by `answer` (status and how long it works first). */
async function handler(answer: (n: number) => { status: number; workMs: number }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const s: Seen = { headers: req.headers, body: '', startedAt: performance.now() };
    seen.push(s);
    const { status, workMs } = answer(seen.length);
    req.on('data', (c) => (s.body += c));
    req.on('end', () => setTimeout(() => {
      s.endedAt = performance.now();
      // The dispatcher may have given up on this attempt already; the "work" is done all the same.
      if (!res.destroyed) res.writeHead(status).end('ok');
    }, workMs));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { seen, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() };
}

const TIMEOUT_MS = 400;
const GRACE_MS = 1200;

describe('event delivery headers and attempts', () => {
  const portal = sqlitePortalFor({ eventTimeoutMs: TIMEOUT_MS, eventGraceMs: GRACE_MS, eventFirstDelayMs: 50, eventMaxDelayMs: 50 });

  async function outboxId(appId: number): Promise<number> {
    const row = await portal().portal.db.selectFrom('outbox').select('id').where('app_id', '=', appId).where('event', '=', 'ONAPPINSTALL').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  test('every POST names its delivery and attempt and is signed with the app\'s client_secret', async () => {
    // The first attempt fails (HTTP 500), the second is answered.
    const h = await handler((n) => ({ status: n === 1 ? 500 : 200, workMs: 0 }));
    try {
      const app = await addApp(portal(), { name: 'Signed', handler: h.url, scope: 'im' });
      await waitFor('two attempts', async () => h.seen.length >= 2 && h.seen[1].endedAt !== undefined);
      const id = String(await outboxId(app.id));
      assert.deepEqual(h.seen.map((s) => [s.headers['x-parley-delivery'], s.headers['x-parley-attempt']]), [[id, '1'], [id, '2']]);
      for (const s of h.seen) {
        const expected = `sha256=${crypto.createHmac('sha256', app.client_secret).update(s.body).digest('hex')}`;
        assert.equal(s.headers['x-parley-signature'], expected);
        assert.notEqual(crypto.createHmac('sha256', 'another secret').update(s.body).digest('hex'), expected.slice(7));
        assert.equal(new URLSearchParams(s.body).get('event'), 'ONAPPINSTALL');
      }
    } finally {
      h.close();
    }
  });

  test('a timed-out attempt is waited out: the next one starts only after the grace, never beside it', async () => {
    // The first attempt works three times longer than the timeout; the second answers at once.
    const h = await handler((n) => ({ status: 200, workMs: n === 1 ? 3 * TIMEOUT_MS : 0 }));
    try {
      const app = await addApp(portal(), { name: 'Slow', handler: h.url, scope: 'im' });
      await waitFor('the second attempt answered', async () => h.seen.length >= 2 && h.seen[1].endedAt !== undefined, 15_000);
      const [first, second] = h.seen;
      assert.ok(first.endedAt! <= second.startedAt, 'the first attempt had finished when the second began');
      assert.ok(second.startedAt - first.startedAt >= TIMEOUT_MS + GRACE_MS - 50, `${Math.round(second.startedAt - first.startedAt)} ms apart`);
      assert.equal(second.headers['x-parley-attempt'], '2');
      // The handler has answered; the dispatcher records the outcome just after.
      const id = await outboxId(app.id);
      const row = await waitFor('recorded as delivered', async () => {
        const r = await portal().portal.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        return r.status !== 'pending' && r;
      });
      assert.equal(row.status, 'delivered');
      assert.equal(row.attempts, 2);
      assert.equal(h.seen.length, 2, 'no third attempt');
    } finally {
      h.close();
    }
  });
});
