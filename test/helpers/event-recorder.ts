/**
 * An event handler in the test process, on loopback: it records every POST a portal makes to it (the
 * event, its message, and which node sent it: `auth[domain]` is the sending node's host:port), and can
 * hold a request open without answering, as a stuck bot would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';

/** One POST as the handler saw it. */
export interface Received {
  event: string;
  message: string;
  messageId: number;
  dialogId: string;
  /** The host:port of the node that delivered it. */
  domain: string;
  held: boolean;
}

/** The running handler: its URL, what it received, and a way to stop it. */
export interface EventRecorder { url: string; received: Received[]; close(): Promise<void> }

/** Start a handler; `hold(r)` true leaves that request unanswered until the sender goes away. */
export async function eventRecorder(hold: (r: Received) => boolean = () => false): Promise<EventRecorder> {
  const received: Received[] = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const ev = qs.parse(body, { depth: 20, parseArrays: false }) as any;
      const params = ev.data?.PARAMS ?? {};
      const r: Received = {
        event: String(ev.event ?? ''), message: String(params.MESSAGE ?? ''), messageId: Number(params.MESSAGE_ID ?? 0),
        dialogId: String(params.DIALOG_ID ?? ''), domain: String(ev.auth?.domain ?? ''), held: false,
      };
      r.held = hold(r);
      received.push(r);
      if (!r.held) return res.end('ok');
      open.add(res);
      res.on('close', () => open.delete(res));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    close: () => new Promise<void>((resolve) => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
