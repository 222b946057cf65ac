/**
 * One event POST to a handler, through the handler policy (events/handler-policy.ts): the host is
 * resolved, every address checked, and the connection made to the checked addresses only; redirects
 * are not followed (a 3xx is a failed delivery); the answer is read up to what the event log keeps.
 */
import http from 'node:http';
import https from 'node:https';
import type { Config } from '../config.ts';
import { checkHost, pinnedLookup } from '../net/checked-hosts.ts';
import { handlerAddressAllowed, policyHint } from './handler-policy.ts';

/** Characters of a handler's answer kept in the event log. */
export const RESPONSE_CHARS = 4000;
// Bytes read at most to get them (UTF-8 takes up to 4 per character).
const RESPONSE_BYTES = RESPONSE_CHARS * 4;

/** The handler's address is not allowed: the delivery is dead-lettered at once, never retried. */
export class HandlerRefused extends Error {}

/**
 * The handler did not answer within the timeout. It may still be running the attempt (a PHP
 * script is not stopped by the connection closing), which is why the next attempt waits.
 */
export class HandlerTimedOut extends Error {}

/** How a timed-out attempt's error starts in the event log (the dispatcher tells those apart by it). */
export const TIMED_OUT = 'no answer within';

// Kept-alive connections per protocol; a pooled socket was connected to a checked address.
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** What goes in the POST: the form body and the headers that depend on it (the signature). */
export interface HandlerRequest { body: string; headers: Record<string, string> }

/**
 * POST a form body to a handler URL; resolves with the HTTP status and the start of the answer.
 * `makeRequest` runs only after the address is allowed (it mints the event's tokens); `sent` is told
 * the request exactly as it goes out (every header, the body), before the answer.
 */
export async function postToHandler(config: Pick<Config, 'eventNetworks' | 'eventTimeoutMs'>, target: string, makeRequest: () => Promise<HandlerRequest>,
  sent?: (request: { headers: Record<string, string | number>; body: string }) => void): Promise<{ status: number; text: string }> {
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HandlerRefused(`Handler URL refused: ${url.protocol} is not http or https`);
  const signal = AbortSignal.timeout(config.eventTimeoutMs);
  const checked = await checkHost(url.hostname, (c) => handlerAddressAllowed(config, c), config.eventTimeoutMs);
  if ('refused' in checked) throw new HandlerRefused(`Handler URL refused: ${checked.refused}; ${policyHint(config)}`);
  const lib = url.protocol === 'https:' ? https : http;
  const { body, headers } = await makeRequest();
  const all = { host: url.host, ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'user-agent': 'Parley event dispatcher' };
  sent?.({ headers: all, body });
  return new Promise((resolve, reject) => {
    // Aborted by the timeout, before or during the answer: the handler may still be at work.
    const fail = (err: Error) => reject(signal.aborted ? new HandlerTimedOut(`${TIMED_OUT} ${config.eventTimeoutMs} ms`) : err);
    const req = lib.request(url, {
      method: 'POST', signal, lookup: pinnedLookup(checked.addresses), agent: url.protocol === 'https:' ? agents.https : agents.http,
      headers: all,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_CHARS) });
      res.on('data', (c: Buffer) => {
        if (size >= RESPONSE_BYTES) return;
        chunks.push(c);
        size += c.length;
        // Enough for the log: stop reading a long (or endless) answer instead of waiting for its end.
        if (size >= RESPONSE_BYTES) {
          res.destroy();
          done();
        }
      });
      res.on('end', done);
      res.on('error', (e) => (size >= RESPONSE_BYTES ? done() : fail(e)));
    });
    req.on('error', fail);
    req.end(body);
  });
}
