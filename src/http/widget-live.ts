/**
 * The live chat's socket: `GET /widget/<code>/live` upgraded to a WebSocket, the visitor's token in
 * the subprotocol list (`new WebSocket(url, ['parley-widget', token])`: a browser cannot set an
 * Authorization header on a WebSocket, and a token in the URL would land in access logs). The server
 * only sends, as JSON: `hello`; `message` / `message.update` (a WidgetMessage of livechat-store.ts) for
 * what the visitor may see of their own line chat; `typing` of the operator or bot there; `read`
 * (a VisitorReadState) when someone's reading position in the chat moved.
 *
 * A socket whose line is deactivated (or gets a new live-chat code) is closed with 4404 within a tick
 * of the line clocks (`linesTickMs`, 1 s by default): one query per tick for all the lines with open
 * sockets, so it holds on every node whichever node changed the line.
 *
 * It reuses the realtime hub (src/realtime/hub.ts): the visitor's customer user is a member of the
 * line chat, so the pushes already name it; this socket listens to that user's pushes and passes on
 * only those of its chat, read again through the visitor's own view (an internal line or a silent
 * operator message is never linked, so never sent). Admission shares /realtime's caps per address
 * and in all (src/realtime/limits.ts), and one visitor's sockets count as one credential.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Portal } from '../portal.ts';
import { RestError, restError } from '../errors.ts';
import type { Hub } from '../realtime/hub.ts';
import type { Push } from '../realtime/push-log.ts';
import type { SocketLimits } from '../realtime/limits.ts';
import { fullName } from '../wire/names.ts';
import { findUser } from '../domain/users.ts';
import { visitorByToken, visitorReadState, type Visitor } from '../domain/lines/livechat-store.ts';
import { widgetMessages } from '../domain/lines/livechat-files.ts';
import { lineByLivechatCode, originAllowed, widgetSettings } from '../domain/lines/livechat.ts';
import type { Line } from '../domain/lines/config.ts';
import { clientAddress } from './client-address.ts';
import { fromPortal } from './widget.ts';

/** The subprotocol the widget names beside its token (and the one the server answers with). */
export const WIDGET_PROTOCOL = 'parley-widget';

/** The close code of a socket whose line no longer takes visitors (the widget then stops reconnecting). */
export const LINE_CLOSED = 4404;

/** What the widget socket answers a refused upgrade with: a status and a JSON error body. */
export type UpgradeAnswer = (socket: Duplex, err: RestError) => void;

/** The handler of `/widget/<code>/live` upgrades (src/http/realtime.ts hands them over). */
export function widgetUpgrade(portal: Portal, hub: Hub, limits: SocketLimits, refuse: UpgradeAnswer) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024, handleProtocols: () => WIDGET_PROTOCOL });
  // Each open socket with its line and the code it was opened with, for the sweep.
  const open = new Map<WebSocket, { lineId: number; code: string }>();
  const sweep = setInterval(() => {
    if (!open.size) return;
    const ids = [...new Set([...open.values()].map((o) => o.lineId))];
    void portal.inFlight.track(portal.db.selectFrom('ol_lines').select(['id', 'active', 'livechat_code']).where('id', 'in', ids).execute().then((rows) => {
      const live = new Map(rows.filter((r) => r.active).map((r) => [Number(r.id), r.livechat_code]));
      for (const [ws, o] of open) if (live.get(o.lineId) !== o.code) ws.close(LINE_CLOSED, 'line closed');
    }).catch(() => { /* the next sweep tries again */ }));
  }, portal.config.linesTickMs);
  sweep.unref();
  wss.on('close', () => clearInterval(sweep));
  return {
    wss,
    handle(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
      const m = /^\/widget\/([^/]+)\/live$/.exec(url.pathname.replace(/\/+$/, ''));
      if (!m) return refuse(socket, restError('NOT_FOUND'));
      const slot = limits.admit(clientAddress(req, portal.config));
      if (slot instanceof RestError) return refuse(socket, slot);
      socket.once('close', () => slot.release());
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      const token = protocols.includes(WIDGET_PROTOCOL) ? protocols.find((p) => p !== WIDGET_PROTOCOL) ?? '' : '';
      void portal.inFlight.track((async () => {
        const line = await lineByLivechatCode(portal.db, m[1]);
        if (!line) throw restError('WIDGET_LINE_NOT_FOUND');
        const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
        if (!fromPortal(req.headers) && !originAllowed(widgetSettings(line), origin)) throw restError('WIDGET_ORIGIN');
        const found = await visitorByToken(portal.db, token);
        if (!found || found.line.id !== line.id) throw restError('NO_AUTH_FOUND');
        return { line, visitor: found.visitor };
      })().then(({ line, visitor }) => {
        if (socket.destroyed) return;
        const over = limits.claim(slot, `livechat:${visitor.id}`);
        if (over) return refuse(socket, over);
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', () => ws.terminate());
          // The widget only listens: anything it sends is ignored (maxPayload bounds it).
          const stop = hub.listen(Number(visitor.user_id), relay(portal, ws, line, visitor));
          open.set(ws, { lineId: Number(line.id), code: m[1] });
          ws.on('close', () => {
            stop();
            open.delete(ws);
          });
          ws.send(JSON.stringify({ type: 'hello' }));
        });
      }, (err: unknown) => refuse(socket, err instanceof RestError ? err : restError('ERROR_CORE'))));
    },
  };
}

/** What passes a push of the visitor's user on to the widget: its chat's messages as the visitor sees them, typing of others. */
function relay(portal: Portal, ws: WebSocket, line: Line, visitor: Visitor): (push: Push) => void {
  const chatId = Number(visitor.chat_id);
  // One at a time, in the order the hub sent them: a message is read again before it goes out.
  let queue = Promise.resolve();
  const send = (data: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(data));
  };
  return (push) => {
    if (push.chatId !== chatId) return;
    queue = queue.then(async () => {
      if (push.type === 'message.add' || push.type === 'message.update') {
        const [message] = await widgetMessages(portal, visitor, line, { ids: [Number(push.messageId)], limit: 1 });
        if (message) send({ type: push.type === 'message.add' ? 'message' : 'message.update', message });
      } else if (push.type === 'dialog.read') {
        send({ type: 'read', read: await visitorReadState(portal.db, visitor) });
      } else if (push.type === 'typing' && push.userId !== Number(visitor.user_id)) {
        const u = await findUser(portal.db, Number(push.userId));
        if (u) send({ type: 'typing', author: { kind: u.is_bot ? 'bot' : 'operator', name: u.is_bot ? line.name : fullName(u) } });
      }
    }).catch(() => ws.close(1011, 'relay failed'));
  };
}
