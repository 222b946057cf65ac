/**
 * The `/rest/…` endpoint: method calls with OAuth tokens (`/rest/{method}[.json]`) and incoming
 * webhooks (`/rest/{user}/{code}/{method}`), GET or POST, answered in Bitrix24's envelope.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Portal } from '../portal.ts';
import type { Credentials } from '../auth/credentials.ts';
import type { CallerCache } from '../auth/caller-cache.ts';
import { callMethod } from '../rest/call.ts';
import { RestError, restError } from '../errors.ts';
import { timeBlock } from '../rest/envelope.ts';
import { normalize, parseQuery, phpArray } from '../wire/php-query.ts';
import { bodyOf } from './body.ts';
import type { Params } from '../rest/params.ts';
import { findMethod, type CallContext } from '../rest/registry.ts';
import { recordCall } from '../domain/call-log.ts';
import type { RateLimits } from '../rest/rate-limits.ts';
import { WEB_APP_CODE } from '../domain/web-app.ts';
import type { Logger } from '../log.ts';
import { touchActivity } from '../domain/presence.ts';
import { clientAddress } from './client-address.ts';
import { withCallSource } from '../events/call-source.ts';

/** Parameters the transport consumes before a method sees its own. */
// auth_connector is also a parameter (event.bind, event.offline.*), and the call's source key.
const TRANSPORT_KEYS = new Set(['auth', 'access_token', 'start', 'state']);

/**
 * Methods that read the logs themselves and are not logged: the developer console polls them every
 * few seconds, and recording those polls would bury the calls a developer came to see.
 */
const UNLOGGED = new Set(['parley.event.list', 'parley.call.list']);

interface Target { method: string; webhook?: { userId: number; code: string } }

/** Split the path after /rest/ into the method and, for webhooks, the user and code. */
export function parseRestPath(path: string): Target | null {
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  let method: string | undefined;
  let webhook: Target['webhook'];
  if (parts.length >= 3 && /^\d+$/.test(parts[0])) {
    webhook = { userId: Number(parts[0]), code: parts[1] };
    method = parts[2];
  } else if (parts.length === 1) {
    method = parts[0];
  }
  if (!method) return null;
  return { method: method.replace(/\.(json|xml)$/i, '').toLowerCase(), webhook };
}

/** $_REQUEST: the query string and the body, body keys replacing query keys at the top level. */
function mergeParams(req: FastifyRequest): Record<string, unknown> {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  return Object.assign(phpArray(), parseQuery(q < 0 ? '' : url.slice(q + 1)), bodyOf(req));
}

function send(reply: FastifyReply, status: number, body: unknown) {
  return reply.code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('access-control-allow-origin', '*')
    .header('access-control-allow-headers', 'origin, content-type, accept')
    .header('x-content-type-options', 'nosniff')
    .send(JSON.stringify(body));
}

function sendError(reply: FastifyReply, error: RestError) {
  return send(reply, error.status, error.body());
}

/** Record a call in the REST call log (after the answer, never awaited by it). */
function logCall(
  portal: Portal, target: Target, ctx: CallContext | undefined, params: Params, status: number, body: Record<string, unknown>,
  startMs: number, credentials: (string | undefined)[],
): void {
  if (!portal.config.callLog || UNLOGGED.has(target.method)) return;
  recordCall(portal.db, {
    method: target.method, userId: ctx?.user.id ?? target.webhook?.userId ?? 0, appId: ctx?.app?.id ?? 0,
    webhookId: ctx?.webhook?.id ?? 0, params, status, error: typeof body.error === 'string' ? body.error : '',
    result: 'result' in body ? body.result : body, durationMs: Date.now() - startMs,
    // The caller's own secrets are hidden by value wherever they appear (a bot echoing its token).
    secrets: [...credentials, ctx?.app?.client_secret, ctx?.app?.application_token],
  }, portal.log);
}

/** The call in the metrics: by method (a registered name, else "unknown": labels stay bounded), status and error code. */
function countCall(portal: Portal, method: string, status: number, body: Record<string, unknown>, startMs: number): void {
  const name = findMethod(method)?.name ?? 'unknown';
  portal.metrics.restCalls.inc({ method: name, status });
  portal.metrics.restSeconds.observe({ method: name }, (Date.now() - startMs) / 1000);
  if (typeof body.error === 'string') portal.metrics.restErrors.inc({ code: body.error });
}

/** Register the REST routes. */
export function registerRestRoutes(app: FastifyInstance, portal: Portal, limits: RateLimits, callers: CallerCache): void {
  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const startMs = Date.now();
    const path = (req.raw.url ?? '').split('?')[0].replace(/^\/rest\/?/, '');
    const target = parseRestPath(path);
    if (!target) return sendError(reply, restError('ERROR_METHOD_NOT_FOUND'));
    const creds: Credentials = { webhook: target.webhook };
    const params: Params = phpArray();
    let start = 0;
    let ctx: CallContext | undefined;
    let status = 200;
    let body: Record<string, unknown>;
    try {
      // The query string is parsed here, inside the envelope: its limits answer like any other error.
      const raw = mergeParams(req);
      const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '');
      const authParam = raw.auth ?? raw.access_token;
      creds.token = bearer?.[1] ?? (typeof authParam === 'string' ? authParam : undefined);
      for (const [k, v] of Object.entries(raw)) {
        // bx24_* are the JS SDK's request tags; they are not method parameters.
        if (TRANSPORT_KEYS.has(k) || k.startsWith('bx24_')) continue;
        params[k] = normalize(v);
      }
      // -1 is kept: it is Bitrix24's "skip the count" paging mode (the JS SDK's list helpers send it).
      start = Number(raw.start) === -1 ? -1 : Math.max(0, Number(raw.start) || 0);
      ctx = { portal, start, log: req.log as Logger, ...(await callers.authenticate(portal.db, creds, portal.clock.now())) };
      // The cloud limits hold apps and webhooks, not the built-in web messenger (Bitrix24's own UI
      // does not spend an app's REST budget either).
      if (limits.on && ctx.app?.client_id !== WEB_APP_CODE) {
        ctx.limits = limits;
        // The portal's clock, like every limit's time (a test moves it to drain the bucket).
        await limits.admitRequest(clientAddress(req.raw, portal.config), portal.clock.now());
      }
      // last_activity_date of the user object: every authenticated call counts as activity (stored at
      // most once a minute), before the method runs, so im.user.get already shows the caller's own call.
      await touchActivity(portal.db, ctx.user).catch((err) => req.log.error({ err }, 'recording activity failed'));
      // A modifying call with auth_connector does not queue its own changes back to that key.
      const connector = typeof raw.auth_connector === 'string' ? raw.auth_connector.trim() : '';
      const source = connector && ctx.app ? { appId: ctx.app.id, connector } : undefined;
      const called = ctx;
      const out = await withCallSource(source, () => callMethod(called, target.method, params));
      body = { result: out.result };
      if (out.next !== undefined) body.next = out.next;
      if (out.total !== undefined) body.total = out.total;
      body.time = timeBlock(startMs, out.processingMs, Date.now(), out.operating);
    } catch (err) {
      if (err instanceof RestError) {
        status = err.status;
        body = err.body();
      } else {
        req.log.error({ err }, 'unexpected failure of a REST call');
        const internal = restError('INTERNAL_SERVER_ERROR');
        status = internal.status;
        body = internal.body();
      }
    }
    const sent = send(reply, status, body);
    countCall(portal, target.method, status, body, startMs);
    logCall(portal, target, ctx, params, status, body, startMs, [creds.token, creds.webhook?.code]);
    return sent;
  };
  app.route({ method: ['GET', 'POST'], url: '/rest/*', handler: handle });
  app.options('/rest/*', (_req, reply) => send(reply, 200, {}));
  // Failures before a handler runs (bad URL encoding, oversized body, other verbs) still answer in
  // Bitrix24's error shape on /rest, so clients parse them like any other error.
  app.setNotFoundHandler((req, reply) => {
    if (!(req.raw.url ?? '').startsWith('/rest/')) {
      const notFound = restError('NOT_FOUND');
      return reply.code(notFound.status).send(notFound.body());
    }
    return sendError(reply, restError('ERROR_METHOD_NOT_FOUND'));
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    // Body parsers fail with a RestError (PHP's input limits, the body limit): answer it as such.
    let error: RestError;
    if (err instanceof RestError) error = err;
    else if (err.statusCode === 413) error = restError('ERROR_REQUEST_TOO_LARGE', err.message);
    else if (err.statusCode === 415) error = restError('UNSUPPORTED_MEDIA_TYPE', err.message);
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) error = restError('INVALID_REQUEST', err.message);
    else {
      req.log.error({ err }, 'unexpected failure');
      error = restError('INTERNAL_SERVER_ERROR');
    }
    // The rest of an oversized body is not read: close the connection instead of draining it.
    if (error.status === 413) reply.header('connection', 'close');
    const url = req.raw.url ?? '';
    if (!url.startsWith('/rest/')) return reply.code(error.status).send(error.body());
    // A call refused by the body parsers is still a call a developer wants to see in the log.
    const target = parseRestPath(url.split('?')[0].replace(/^\/rest\/?/, ''));
    if (target) logCall(portal, target, undefined, phpArray(), error.status, error.body(), Date.now(), [target.webhook?.code]);
    return sendError(reply, error);
  });
}
