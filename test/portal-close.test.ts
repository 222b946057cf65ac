/**
 * Closing a portal does not wait for connections with nothing to do (issue 9). Node's server.close()
 * waits for every connection and ends by itself only those idle between two requests at that moment;
 * a connection opened but silent (a browser's preconnect, over HTTP or TLS), a keep-alive one that
 * has sent part of its next request, or one whose request is answered after close began would each
 * hold close() for a minute or more. A request in flight when close begins still gets its answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { inTime, testPortal } from './helpers/portal.ts';

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
