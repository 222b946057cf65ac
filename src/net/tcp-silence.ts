/**
 * Whether anything listens at a URL's host and port, by opening a TCP connection and closing it at
 * once: no request is sent (a GET could set a bot's handler to work on an empty request). Used where
 * a handler URL is named before its server may be up (`parley app add`, `parley test`).
 */
import net from 'node:net';

/** Why nothing listens there (refused, no such host, silent for `timeoutMs`), or undefined when something accepts a connection. */
export function tcpSilence(target: URL, timeoutMs: number): Promise<string | undefined> {
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(`no answer within ${timeoutMs / 1000} s`);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
