/** Realtime test clients: a /realtime socket that records every push it hears. */
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { waitFor } from './portal.ts';

/** An open socket and the pushes heard on it. */
export interface Listener { ws: WebSocket; pushes: any[]; close(): Promise<void> }

/** Open a socket; rejects with the refusal's status and body when the upgrade is refused. */
export function listen(url: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const pushes: any[] = [];
    ws.on('message', (data) => pushes.push(JSON.parse(String(data))));
    ws.once('open', () => resolve({
      ws, pushes,
      close: () => new Promise<void>((done) => {
        if (ws.readyState === ws.CLOSED) return done();
        ws.once('close', () => done());
        ws.close();
      }),
    }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body) })));
    });
    ws.once('error', reject);
  });
}

/** ws://…/realtime?webhook=USER:CODE for a webhook base URL `http://…/rest/USER/CODE/`. */
export function socketUrl(hook: string, since?: number): string {
  const m = /^http(s?):\/\/([^/]+)\/rest\/(\d+)\/(\w+)\/$/.exec(hook)!;
  return `ws${m[1]}://${m[2]}/realtime?webhook=${m[3]}:${m[4]}${since === undefined ? '' : `&since=${since}`}`;
}

/** The `hello` push a socket gets first (where the push log stands). */
export const hello = (l: Listener) => waitFor('hello', async () => l.pushes.find((p) => p.type === 'hello'));

/**
 * Read an upgrade the portal refused (`unexpected-response`): `done` gets its status and JSON body,
 * then the socket is ended (`done` first: ending it emits an error a caller may be listening for).
 */
export function readRefusal(ws: WebSocket, res: IncomingMessage, done: (refusal: { status: number; body: any }) => void): void {
  let text = '';
  res.on('data', (c) => (text += c));
  res.on('end', () => {
    done({ status: res.statusCode ?? 0, body: JSON.parse(text) });
    ws.terminate();
  });
}
