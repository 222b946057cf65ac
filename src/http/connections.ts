/**
 * The HTTP connections of the portal's server and the requests in flight on them, so that closing
 * the portal does not wait for connections that have nothing to do. Node's server.close() waits for
 * every connection to end and ends by itself only those idle between two requests at that moment: a
 * connection opened but silent (a browser's preconnect), one that has sent part of its next request,
 * or a keep-alive one whose last response goes out after close began would each hold the close until
 * a timeout a minute or more away.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** What the server's close uses. */
export interface Connections {
  /** Close has begun: end every connection with no request in flight now, and the others as their requests finish. */
  endIdle(): void;
}

/** Follow the connections of `server` (for HTTPS, the TLS sockets the HTTP layer reads). */
export function trackConnections(server: Server, tls: boolean): Connections {
  // Connection -> its requests in flight. Upgraded (/realtime) sockets leave it: the realtime hub
  // closes those itself, with a close frame.
  const inFlight = new Map<Socket, number>();
  let closing = false;
  const end = (s: Socket) => {
    inFlight.delete(s);
    // end() first, so a response just written is flushed before the socket goes.
    s.end(() => s.destroy());
  };
  server.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    // Accepted in the few ticks before the listener closes: nothing will be served on it.
    if (closing) return end(s);
    inFlight.set(s, 0);
    s.once('close', () => inFlight.delete(s));
  });
  server.on('request', (req, res) => {
    const s = req.socket;
    if (!inFlight.has(s)) return;
    inFlight.set(s, inFlight.get(s)! + 1);
    res.once('close', () => {
      if (!inFlight.has(s)) return;
      const left = inFlight.get(s)! - 1;
      inFlight.set(s, left);
      if (closing && left === 0) end(s);
    });
  });
  server.on('upgrade', (req) => inFlight.delete(req.socket));
  return {
    endIdle() {
      closing = true;
      for (const [s, n] of inFlight) if (n === 0) end(s);
    },
  };
}
