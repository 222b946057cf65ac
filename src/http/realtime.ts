/**
 * The realtime socket: `GET /realtime?auth=ACCESS_TOKEN[&since=PUSH_ID]` upgraded to a WebSocket
 * (an incoming webhook works too: `?webhook=USER_ID:CODE`, for scripts and CI). Credentials are
 * checked exactly as a REST call checks them, and the `im` scope is required. The server only
 * sends: JSON pushes `{type, id?, …ids}` from src/realtime/hub.ts (message.add also names its
 * authorId, 0 for a system line).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Portal } from '../portal.ts';
import { authenticate, type Credentials } from '../rest/auth.ts';
import { RestError, restError } from '../rest/errors.ts';
import type { Hub } from '../realtime/hub.ts';

/** Serve /realtime on the portal's HTTP(S) server. */
export function registerRealtime(server: { on(event: 'upgrade', fn: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown }, portal: Portal, hub: Hub): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.replace(/\/+$/, '') !== '/realtime') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    accept(portal, url).then((userId) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        const since = url.searchParams.has('since') ? Number(url.searchParams.get('since')) : undefined;
        hub.attach(userId, ws, Number.isSafeInteger(since) ? since : undefined).catch(() => ws.close(1011, 'replay failed'));
      });
    }, (err: unknown) => {
      const e = err instanceof RestError ? err : new RestError('ERROR_CORE', 'Internal server error', 500);
      const body = JSON.stringify(e.body());
      socket.end(`HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  return wss;
}

async function accept(portal: Portal, url: URL): Promise<number> {
  const creds: Credentials = {};
  const hook = /^(\d+):(\w+)$/.exec(url.searchParams.get('webhook') ?? '');
  if (hook) creds.webhook = { userId: Number(hook[1]), code: hook[2] };
  else creds.token = url.searchParams.get('auth') ?? undefined;
  const ctx = await authenticate(portal, creds, Date.now());
  if (!ctx.scopes.includes('im')) throw restError('insufficient_scope', 'The realtime channel needs the im scope');
  return ctx.user.id;
}
