/**
 * The realtime socket: `GET /realtime?auth=ACCESS_TOKEN[&since=PUSH_ID]` upgraded to a WebSocket
 * (an incoming webhook works too: `?webhook=USER_ID:CODE`, for scripts and CI). Credentials are
 * checked exactly as a REST call checks them, and the `im` scope is required. The server only
 * sends: JSON pushes `{type, id?, …ids}` from src/realtime/hub.ts (message.add also names its
 * authorId, 0 for a system line).
 *
 * Admission, before the handshake: an upgrade first takes a slot of its client address and of the
 * portal-wide cap (no database work for a refused one), is authenticated within
 * `realtimeAuthTimeoutMs`, then counts against its credential's cap (src/realtime/limits.ts).
 * Refusals are HTTP errors in Bitrix24's `{error, error_description}` shape. Once open, a socket is
 * closed with 4401 when its credentials stop being valid (src/realtime/credential-watch.ts).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Portal } from '../portal.ts';
import type { Credentials } from '../auth/credentials.ts';
import { RestError, restError } from '../errors.ts';
import type { Hub } from '../realtime/hub.ts';
import { AuthGate, type SocketLimits } from '../realtime/limits.ts';
import { authorizeRealtime, holderOf, type CredentialWatch } from '../realtime/credential-watch.ts';
import { clientAddress } from './client-address.ts';

/** Upgrades authenticated at once; more wait (within the timeout), leaving database connections to REST. */
const AUTH_IN_FLIGHT = 4;

/** What /realtime works with besides the portal; `widget`: the live chat's socket (/widget/<code>/live, src/http/widget-live.ts). */
export interface RealtimeParts { hub: Hub; limits: SocketLimits; watch: CredentialWatch; widget?: (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => void }

/** Serve /realtime on the portal's HTTP(S) server. */
export function registerRealtime(server: { on(event: 'upgrade', fn: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown }, portal: Portal, parts: RealtimeParts): WebSocketServer {
  const { hub, limits, watch } = parts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const gate = new AuthGate(AUTH_IN_FLIGHT);
  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without an error listener: a client that resets it while it is
    // being authenticated would otherwise crash the process.
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return refuse(socket, restError('INVALID_REQUEST', 'Bad request target'));
    }
    if (parts.widget && url.pathname.startsWith('/widget/')) return parts.widget(req, socket, head, url);
    if (url.pathname.replace(/\/+$/, '') !== '/realtime') return answer(socket, 404);
    const slot = limits.admit(clientAddress(req, portal.config));
    if (slot instanceof RestError) return refuse(socket, slot);
    socket.once('close', () => slot.release());
    const creds = credentialsOf(url);
    const authorized = gate.run(() => authorizeRealtime(portal, creds), () => socket.destroyed, restError('REALTIME_BUSY', 'The client left'));
    // Followed like a REST call (Portal.inFlight): a closing portal lets its queries end first.
    void portal.inFlight.track(within(authorized, portal.config.realtimeAuthTimeoutMs).then((ctx) => {
      // The client left while it was being authenticated; its slot went with its socket.
      if (socket.destroyed) return;
      const over = limits.claim(slot, holderOf(ctx));
      if (over) return refuse(socket, over);
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        watch.track(ws, creds);
        const since = url.searchParams.has('since') ? Number(url.searchParams.get('since')) : undefined;
        void portal.inFlight.track(hub.attach(ctx.user.id, ws, Number.isSafeInteger(since) ? since : undefined).catch(() => ws.close(1011, 'replay failed')));
      });
    }, (err: unknown) => refuse(socket, err instanceof RestError ? err : restError('ERROR_CORE'))));
  });
  return wss;
}

function credentialsOf(url: URL): Credentials {
  const hook = /^(\d+):(\w+)$/.exec(url.searchParams.get('webhook') ?? '');
  if (hook) return { webhook: { userId: Number(hook[1]), code: hook[2] } };
  return { token: url.searchParams.get('auth') ?? undefined };
}

/** The promise, or REALTIME_BUSY once `ms` passed: a stalled database must not let upgrades pile up. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(restError('REALTIME_BUSY', 'Authentication took too long; try again later')), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Answer a refused upgrade with the error's status and body, and free the socket. */
export function refuse(socket: Duplex, err: RestError): void {
  answer(socket, err.status, JSON.stringify(err.body()));
}

/** Answer the upgrade request with a plain HTTP response and free the socket. */
function answer(socket: Duplex, status: number, json?: string): void {
  if (socket.destroyed) return;
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, 'Connection: close'];
  if (json !== undefined) head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(json)}`);
  // Destroyed once written: a client that never closes its side must not keep the descriptor.
  socket.end(`${head.join('\r\n')}\r\n\r\n${json ?? ''}`, () => socket.destroy());
}
