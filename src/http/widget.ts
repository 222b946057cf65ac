/**
 * The website live chat's visitor API, `/widget/<live-chat code>/…` (not /rest: a visitor is no user
 * of the portal and its token opens nothing there). JSON in and out; errors in the catalogue's
 * `{error, error_description}` shape. The token goes in `Authorization: Bearer`; it names one visitor
 * of one line, and every route reads that visitor's own line chat only (no route takes a chat id).
 *
 * - GET config: the widget's look, the visitor form, whether an operator is available now, the file caps
 * - POST visitor {name?, email?, phone?}: a new anonymous visitor; answers {token, visitorId}
 * - GET history[?after=ID&limit=N]: the visitor's messages across sessions (livechat-store.ts)
 * - POST messages {text}: the visitor writes; POST rate {vote: like|dislike}; POST typing
 * - POST read {lastId}: the visitor has seen their conversation up to a message (history and the live
 *   socket tell the widget how far the line's people read, and how much the visitor has not)
 * - POST files (multipart), GET files/<id>/<name>?token=…: files both ways (src/http/widget-files.ts)
 * - POST command {messageId, command, params}: the visitor presses a bot's keyboard button
 *   (livechat-press.ts: what im.message.command does for a user)
 *
 * The widget's own conversation page (/online/<code>, widget-page.ts) is served by the portal and
 * calls these routes same-origin: a request whose Origin is the portal itself is always allowed.
 *
 * CORS for these routes only: the line's LIVECHAT_ORIGINS (any when empty); a browser request from
 * another origin is refused 403 WIDGET_ORIGIN, its preflight gets no CORS headers. Sizes are checked
 * before any work (route body limit, text length); rate limits per visitor, per line and per client
 * address for new visitors (leaky buckets: with --redis shared by the portal's nodes, else this node's;
 * src/rest/rate-limits.ts, src/rest/fallback-counters.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Portal } from '../portal.ts';
import { RestError, restError } from '../errors.ts';
import type { LimitCounters } from '../rest/rate-limits.ts';
import { clientNetwork } from '../net/addresses.ts';
import { runAction } from '../domain/action.ts';
import type { Line } from '../domain/lines/config.ts';
import { visitorByToken, visitorReadState, type Visitor } from '../domain/lines/livechat-store.ts';
import { LIVECHAT_FILE_CAPS, widgetFileMax, widgetMessages } from '../domain/lines/livechat-files.ts';
import { registerWidgetFileRoutes } from './widget-files.ts';
import { visitorPresses } from '../domain/lines/livechat-press.ts';
import { lastSession } from '../domain/lines/sessions.ts';
import {
  createVisitor, LIVECHAT_CAPS, lineByLivechatCode, operatorAvailable, originAllowed, readForm, visitorRates, visitorReads, visitorSays, visitorTyping, widgetSettings,
  type VisitorForm,
} from '../domain/lines/livechat.ts';

/** The largest request body a widget route reads (a message of LIVECHAT_CAPS.text characters fits with room). */
export const WIDGET_BODY_LIMIT = 32 * 1024;

/** The leaky buckets (burst, drained per second) of the visitor API. */
export const WIDGET_LIMITS = {
  /** Every request of one visitor (a message, its read mark and typing each count). */
  visitor: { burst: 60, drain: 5 },
  /** Every visitor request to one line. */
  line: { burst: 600, drain: 60 },
  /** New visitors from one client address (IPv6 by /64). */
  newVisitor: { burst: 20, drain: 0.2 },
} as const;

type Req = FastifyRequest<{ Params: { code: string } }>;

function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const e = err instanceof RestError ? err : restError('ERROR_CORE');
  if (!(err instanceof RestError)) reply.log.error({ err }, 'widget request failed');
  return reply.code(e.status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(e.body()));
}

/** The Origin header as sent (a browser sends it on cross-origin requests and on every POST). */
const originOf = (req: FastifyRequest) => (typeof req.headers.origin === 'string' ? req.headers.origin : undefined);

/**
 * Whether a request comes from the portal's own pages (its widget page, which frame-ancestors guards):
 * an Origin naming the host the request came to, or, for a same-origin GET that sends no Origin, the
 * browser's `Sec-Fetch-Site: same-origin`. (Like Origin, only a browser's word: the origin rule is
 * a browser-side control, and a script outside any browser may send anything.)
 */
export function fromPortal(headers: Record<string, string | string[] | undefined>): boolean {
  const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
  const host = typeof headers.host === 'string' ? headers.host : undefined;
  if (!origin) return headers['sec-fetch-site'] === 'same-origin';
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/** The bearer token of the request, '' when there is none. */
export function bearerOf(header: unknown): string {
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m ? m[1] : '';
}

/** Serve /widget/<code>/… on the portal's HTTP server. */
export function registerWidgetRoutes(app: FastifyInstance, portal: Portal, counters: LimitCounters): void {
  const admit = async (key: string, l: { burst: number; drain: number }) => {
    if (!(await counters.admit(`widget:${key}`, portal.clock.now(), l.burst, l.drain))) throw restError('WIDGET_LIMIT');
  };

  // The line the code names, and the CORS answer for the request's origin (refused before any other work).
  async function lineOf(req: Req, reply: FastifyReply): Promise<Line> {
    const line = await lineByLivechatCode(portal.db, req.params.code);
    if (!line) throw restError('WIDGET_LINE_NOT_FOUND');
    const origin = originOf(req);
    if (!fromPortal(req.headers) && !originAllowed(widgetSettings(line), origin)) throw restError('WIDGET_ORIGIN');
    if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    return line;
  }

  // The visitor the bearer token names, on this line; counted against the visitor's and the line's limits.
  async function visitorOf(req: Req, line: Line): Promise<Visitor> {
    const found = await visitorByToken(portal.db, bearerOf(req.headers.authorization));
    if (!found || found.line.id !== line.id) throw restError('NO_AUTH_FOUND');
    await admit(`visitor:${found.visitor.id}`, WIDGET_LIMITS.visitor);
    await admit(`line:${line.id}`, WIDGET_LIMITS.line);
    return found.visitor;
  }

  const route = (method: 'GET' | 'POST', path: string, fn: (req: Req, reply: FastifyReply, line: Line) => Promise<unknown>) => {
    app.route<{ Params: { code: string } }>({
      method, url: `/widget/:code/${path}`, bodyLimit: WIDGET_BODY_LIMIT,
      handler: async (req, reply) => {
        try {
          const line = await lineOf(req, reply);
          const result = await fn(req, reply, line);
          return reply.header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(result));
        } catch (err) {
          return sendError(reply, err);
        }
      },
    });
  };

  app.options<{ Params: { code: string } }>('/widget/:code/*', async (req, reply) => {
    try {
      await lineOf(req, reply);
      return reply.code(204).header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'Authorization, Content-Type').header('access-control-max-age', '600').send();
    } catch (err) {
      return sendError(reply, err);
    }
  });

  registerWidgetFileRoutes(app, portal, { lineOf, visitorOf, sendError });

  route('GET', 'config', async (_req, _reply, line) => {
    const s = widgetSettings(line);
    return {
      title: s.title, color: s.color, greeting: s.greeting, position: s.position, form: s.form, operatorAvailable: await operatorAvailable(portal.db, line),
      // What POST files takes, so the widget can say so in its refusal.
      files: { maxBytes: widgetFileMax(portal), maxCount: LIVECHAT_FILE_CAPS.count },
    };
  });

  route('POST', 'visitor', async (req, _reply, line) => {
    await admit(`new:${clientNetwork(req.ip)}`, WIDGET_LIMITS.newVisitor);
    await admit(`line:${line.id}`, WIDGET_LIMITS.line);
    const form = readForm(widgetSettings(line), bodyOf(req) as VisitorForm);
    const { visitor, token } = await runAction(portal, (trx) => createVisitor(trx, line, form, siteOf(req)));
    return { token, visitorId: Number(visitor.id), name: visitor.name };
  });

  route('GET', 'history', async (req, _reply, line) => {
    const visitor = await visitorOf(req, line);
    const q = req.query as Record<string, unknown>;
    const after = typeof q.after === 'string' && /^\d{1,15}$/.test(q.after) ? Number(q.after) : undefined;
    const limit = typeof q.limit === 'string' && /^\d{1,3}$/.test(q.limit) ? Math.min(200, Math.max(1, Number(q.limit))) : 100;
    const messages = await widgetMessages(portal, visitor, line, { afterId: after, limit });
    // Whether the last finished session waits for the visitor's rating (the widget then offers like / dislike).
    const voteAsked = (await lastSession(portal.db, visitor.chat_id))?.vote === 'asked';
    return { messages, voteAsked, read: await visitorReadState(portal.db, visitor) };
  });

  route('POST', 'messages', async (req, _reply, line) => {
    const visitor = await visitorOf(req, line);
    const text = bodyOf(req).text;
    if (typeof text !== 'string' || !text.trim() || text.length > LIVECHAT_CAPS.text) {
      throw restError('WIDGET_MESSAGE', `A message is text of 1 to ${LIVECHAT_CAPS.text} characters`);
    }
    const id = await runAction(portal, (trx) => visitorSays(portal, trx, visitor, line, text));
    return { id };
  });

  route('POST', 'rate', async (req, _reply, line) => {
    const visitor = await visitorOf(req, line);
    const vote = bodyOf(req).vote;
    if (vote !== 'like' && vote !== 'dislike') throw restError('ERROR_ARGUMENT', 'vote is like or dislike');
    await runAction(portal, (trx) => visitorRates(portal, trx, visitor, vote));
    return { result: true };
  });

  route('POST', 'command', async (req, _reply, line) => {
    const visitor = await visitorOf(req, line);
    const b = bodyOf(req);
    const messageId = typeof b.messageId === 'number' ? b.messageId : Number.NaN;
    const command = typeof b.command === 'string' ? b.command.slice(0, 100) : '';
    const params = typeof b.params === 'string' ? b.params.slice(0, 1000) : '';
    if (!Number.isSafeInteger(messageId) || !command) throw restError('ERROR_ARGUMENT', 'messageId and command are required');
    await runAction(portal, (trx) => visitorPresses(trx, visitor, messageId, command, params));
    return { result: true };
  });

  route('POST', 'read', async (req, _reply, line) => {
    const visitor = await visitorOf(req, line);
    const lastId = bodyOf(req).lastId;
    if (typeof lastId !== 'number' || !Number.isSafeInteger(lastId) || lastId < 1) throw restError('WIDGET_READ', 'lastId is the id of a message of this conversation');
    return runAction(portal, (trx) => visitorReads(trx, visitor, lastId));
  });

  route('POST', 'typing', async (req, _reply, line) => {
    const visitor = await visitorOf(req, line);
    await runAction(portal, (trx) => visitorTyping(portal, trx, visitor));
    return { result: true };
  });
}

/**
 * The site a new visitor came from: a request from the portal's own conversation page names the host
 * page in `site` (widget.js puts its origin in the frame's address; only a hint, shown to operators
 * as text), any other request by its Origin.
 */
function siteOf(req: FastifyRequest): string {
  const site = bodyOf(req).site;
  if (fromPortal(req.headers)) return typeof site === 'string' && site.length <= 300 ? site : '';
  return originOf(req) ?? '';
}

/** The parsed body as a plain record (the parsers build prototype-free objects; anything else is empty). */
function bodyOf(req: FastifyRequest): Record<string, unknown> {
  return req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}
