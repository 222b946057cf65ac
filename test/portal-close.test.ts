/**
 * Closing a portal does not wait for connections with nothing to do (issue 9). Node's server.close()
 * waits for every connection and ends by itself only those idle between two requests at that moment;
 * a connection opened but silent (a browser's preconnect, over HTTP or TLS), a keep-alive one that
 * has sent part of its next request, or one whose request is answered after close began would each
 * hold close() for a minute or more. A request in flight when close begins still gets its answer.
 * Under load, a closing portal lets every call in flight finish before it closes the store — also a
 * call whose client went away, whose handler goes on with its queries — and nothing it logs says it
 * queried a closed store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import pg from 'pg';
import { inTime, restForm, testPortal, waitFor } from './helpers/portal.ts';
import { portalSuite, webhookFor } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { logLines } from './helpers/log-lines.ts';

/** A raw connection and everything the server sent on it; `ended` resolves when the server ends it. */
interface Raw { socket: net.Socket; text(): string; ended: Promise<void> }

function raw(socket: net.Socket): Raw {
  let got = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (got += c));
  socket.on('error', () => {});
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, text: () => got, ended };
}

async function connect(url: string, ca?: Buffer): Promise<Raw> {
  const { hostname, port } = new URL(url);
  const socket = ca ? tls.connect({ host: hostname, port: Number(port), ca }) : net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once(ca ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  return raw(socket);
}

/** Wait until the socket has received `pattern`. */
function heard(r: Raw, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!pattern.test(r.text())) return;
      r.socket.off('data', check);
      resolve();
    };
    r.socket.on('data', check);
    check();
  });
}


test('close ends silent, half-sent and finished keep-alive connections, after answering the request in flight', async () => {
  const portal = await testPortal();
  const conns: Raw[] = [];
  try {
    // Opened and never used, as a browser's preconnect.
    const silent = await connect(portal.url);
    // Kept alive after a request, then part of the next request's headers.
    const halfSent = await connect(portal.url);
    halfSent.socket.write('GET /health HTTP/1.1\r\nHost: portal\r\n\r\n');
    await heard(halfSent, /"status":"ok"/);
    halfSent.socket.write('GET /health HTTP/1.1\r\nHost: por');
    // A request in flight: headers read (the 100 Continue says so), the body still to come.
    const inFlight = await connect(portal.url);
    inFlight.socket.write('POST /rest/server.time HTTP/1.1\r\nHost: portal\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n');
    await heard(inFlight, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
    conns.push(silent, halfSent, inFlight);

    const closing = portal.close();
    await inTime(Promise.all([silent.ended, halfSent.ended]), 5000, 'idle connections still open');
    inFlight.socket.write('a=1');
    await inTime(inFlight.ended, 5000, 'the answered connection still open');
    assert.match(inFlight.text(), /HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 \d{3} /, 'the request in flight was answered');
    assert.match(inFlight.text(), /"error":"NO_AUTH_FOUND"/);
    await inTime(closing, 5000, 'close() still waiting');
  } finally {
    for (const c of conns) c.socket.destroy();
  }
});

test('close does not wait for a silent TLS connection', async () => {
  const portal = await testPortal({ https: true });
  let silent: Raw | undefined;
  try {
    silent = await connect(portal.url, fs.readFileSync(portal.caCertPath!));
    await inTime(portal.close(), 5000, 'close() still waiting');
    await inTime(silent.ended, 5000, 'the TLS connection still open');
  } finally {
    silent?.socket.destroy();
  }
});

/** What a REST call got: its answer (status and body text), or the network error that ended it. */
type Outcome = { status: number; text: string } | { error: string };

function restCall(base: string, method: string, form: Record<string, string>, signal?: AbortSignal): Promise<Outcome> {
  return fetch(`${base}${method}`, { method: 'POST', body: new URLSearchParams(form), signal }).then(
    async (res) => ({ status: res.status, text: await res.text() }),
    (err: Error & { cause?: { code?: string; message?: string } }) => ({ error: `${err.name}: ${err.cause?.code ?? err.cause?.message ?? err.message}` }),
  );
}

/** Whether the portal's listener refuses new connections (close has begun). */
function refuses(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`closing under load on ${dialect}: calls in flight are answered or their connections closed, and the store outlasts calls whose clients left`, async (t) => {
    const log = logLines();
    const portal = await portalSuite(dialect, {}, { logTo: log.destination });
    if ('skip' in portal) return t.skip(portal.skip);
    let admin: pg.Client | undefined;
    let closing: Promise<void> | undefined;
    try {
      const anna = await webhookFor(portal, 2);
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: '1', MESSAGE: 'hello' }));
      const toIvan = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: '3', MESSAGE: 'hello' }));
      if (dialect === 'postgres') {
        // Calls whose clients leave in the middle: a lock of this test's on the chat with Ivan holds
        // their transactions, then their clients go away (a load generator stopped with the portal).
        // SQLite cannot hold one this way: its lock would stop this whole process.
        admin = new pg.Client({ connectionString: portal.db });
        await admin.connect();
        await admin.query('BEGIN');
        await admin.query('SELECT c.id FROM chats c JOIN messages m ON m.chat_id = c.id WHERE m.id = $1 FOR UPDATE OF c', [toIvan]);
        const leaving = Array.from({ length: 5 }, () => new AbortController());
        const left = leaving.map((c, i) => restCall(anna, 'im.message.add', { DIALOG_ID: '3', MESSAGE: `leaving ${i}` }, c.signal));
        await waitFor('the leaving calls held in their transactions', async () => {
          // Within a transaction the activity view is read once: read it afresh each time.
          await admin!.query('SELECT pg_stat_clear_snapshot()');
          return Number((await admin!.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          )).rows[0].n) === leaving.length;
        });
        for (const c of leaving) c.abort();
        for (const outcome of await Promise.all(left)) assert.match('error' in outcome ? outcome.error : '', /^AbortError/);
      }
      // A burst in flight as close begins: the first of its answers is back, the others are on their way.
      let answered!: () => void;
      const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
      const burst = Array.from({ length: 30 }, (_, i) => restCall(anna, 'im.message.add', { DIALOG_ID: '1', MESSAGE: `burst ${i}` })
        .then((outcome) => {
          if (!('error' in outcome)) answered();
          return outcome;
        }));
      await inTime(firstAnswer, 10_000, 'no answer to the burst');
      closing = portal.close();
      const outcomes = await Promise.all(burst);
      // Every client still there has its answer (or its connection closed): only the calls whose
      // clients left are still running, held until now.
      await waitFor('the listener closed', () => refuses(portal.url));
      await admin?.query('COMMIT');
      await admin?.end();
      admin = undefined;
      t.diagnostic(`of the burst: ${outcomes.filter((o) => !('error' in o)).length} answered, ${outcomes.filter((o) => 'error' in o).length} connections closed`);
      for (const outcome of outcomes) {
        if ('error' in outcome) {
          assert.match(outcome.error, /ECONNRESET|ECONNREFUSED|UND_ERR_SOCKET|other side closed/, 'a closed connection');
          continue;
        }
        const body = JSON.parse(outcome.text);
        if (outcome.status === 200) expectOk({ status: outcome.status, body });
        else assert.equal(typeof body.error, 'string', `a well-formed error: ${outcome.text}`);
      }
      await inTime(closing, 20_000, 'close() still waiting');
      const bad = log.lines.filter((l) => l.level >= 50 || /destroyed/.test(JSON.stringify(l)));
      assert.deepEqual(bad, [], 'nothing logged an error while closing');
    } finally {
      await admin?.end();
      await (closing ?? portal.close());
    }
  });
}
