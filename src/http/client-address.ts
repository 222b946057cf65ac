/**
 * The address a request is counted by: the REST rate limit's bucket, the sign-in throttle, the
 * realtime socket cap and the request log all take it from here, so they cannot disagree.
 *
 * Without `--trust-proxy` it is the connection's peer and X-Forwarded-For is never read: a client
 * must not pick the address its limits are kept under. With it, a request whose peer is a trusted
 * proxy is counted by the address X-Forwarded-For names, read from the right past every trusted hop
 * (the first one that is not a trusted proxy, or the leftmost): Fastify's `trustProxy` rule, from
 * the same @fastify/proxy-addr, and the server hands Fastify this same trust so `req.ip` agrees.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Config } from '../config.ts';

/** Whether an address (a peer, or an X-Forwarded-For hop) is a trusted proxy; proxy-addr's shape. */
export type ProxyTrust = (address: string, hop: number) => boolean;

// Compiled once per configuration (its list is one array for the portal's life), not per request.
const compiled = new WeakMap<readonly string[], ProxyTrust>();

/** The compiled `trustProxy` list, or undefined when no proxy is trusted (the list was checked by loadConfig). */
export function proxyTrust(config: Pick<Config, 'trustProxy'>): ProxyTrust | undefined {
  const list = config.trustProxy;
  if (list.length === 0) return undefined;
  let trust = compiled.get(list);
  if (!trust) {
    trust = proxyAddr.compile([...list]);
    compiled.set(list, trust);
  }
  return trust;
}

/** The client address of a request (a raw one too: a realtime upgrade never reaches Fastify). */
export function clientAddress(req: IncomingMessage, config: Pick<Config, 'trustProxy'>): string {
  const trust = proxyTrust(config);
  // A socket already closed has no remoteAddress: '' is counted as one address, never as none.
  return (trust ? proxyAddr(req, trust) : req.socket.remoteAddress) ?? '';
}
