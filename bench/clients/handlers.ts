/**
 * Bot handlers on loopback for the delivery scenarios: each records when an ONIMBOTMESSAGEADD for a
 * given message text arrived. A handler answers at once, or — switched to `stall` — never answers,
 * holding the portal's request open as a hung bot would.
 */
import http from 'node:http';
import { parseQuery } from '../../src/wire/php-query.ts';

/** A handler server and what it heard. */
export interface Handler {
  url: string;
  /** Message text → performance.now() when its event arrived. */
  arrived: Map<string, number>;
  /** Called on every arrival (the closed loop waits on it). */
  onArrive?: (text: string) => void;
  /** The last event body received, to replay as the bare POST. */
  lastBody?: string;
  stall: boolean;
  close(): void;
}

/** Start a handler on a free loopback port. */
export async function startHandler(): Promise<Handler> {
  const held = new Set<http.ServerResponse>();
  const h: Handler = {
    url: '', arrived: new Map(), stall: false,
    close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const now = performance.now();
      const ev = parseQuery(body) as { event?: string; data?: { PARAMS?: { MESSAGE?: string } } };
      const text = ev.data?.PARAMS?.MESSAGE;
      if (ev.event === 'ONIMBOTMESSAGEADD' && text) {
        h.arrived.set(text, now);
        h.lastBody = body;
        h.onArrive?.(text);
      }
      if (h.stall && ev.event) held.add(res);
      else res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  h.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return h;
}
