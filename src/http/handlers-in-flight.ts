/**
 * Every route's handler is followed until it has finished, not only until its answer went out: a
 * client that goes away (a load generator stopped with the portal, a browser tab closed) ends its
 * connection, but its handler goes on with its queries and its call-log record. A closing portal
 * waits for these (Portal.inFlight) before it closes the store, where following connections alone
 * (src/http/connections.ts) let it close the store under them.
 */
import type { FastifyInstance } from 'fastify';
import type { InFlight } from '../portal.ts';

/** Follow the handlers of the routes registered on `app` from now on. */
export function trackHandlers(app: FastifyInstance, inFlight: InFlight): void {
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: unknown, req, reply) {
      const out: unknown = handler.call(this as never, req, reply);
      // What the handler answers is passed on untouched: Fastify treats a promise and a plain
      // return differently (a callback-style handler sends later by itself).
      if (out instanceof Promise) inFlight.track(out);
      return out as never;
    };
  });
}
