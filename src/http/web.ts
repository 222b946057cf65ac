/**
 * The web messenger's HTTP side: the built SPA (ui/dist) served at `/` with a fallback to its
 * index.html for client-side routes, and the small endpoints that turn a login and password into a
 * session cookie and the session into an access token of the built-in web app, and that change the
 * password of the session's user. Everything else the SPA does goes through /rest and /realtime like
 * any other client: a password belongs to the session, which no app or webhook token has.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Portal } from '../portal.ts';
import { RestError, restError, type ErrorCode } from '../errors.ts';
import { signIn } from '../auth/signin.ts';
import { createSession, endSession, readCookie, sessionCookie, sessionUser, SESSION_COOKIE } from '../auth/sessions.ts';
import { ensureWebApp, revokeWebTokens, webToken } from '../domain/web-app.ts';
import { clientAddress } from './client-address.ts';
import { placementOrigins } from '../domain/placements.ts';
import { checkNewPassword, passwordOwner, replacePassword } from '../domain/account-passwords.ts';

/** Where `npm run build:ui` (scripts/build-ui.js) puts the SPA. */
// PARLEY_UI_DIST points elsewhere when several builds must not share ui/dist (parallel UI work).
export const UI_DIST = path.resolve(process.env.PARLEY_UI_DIST || path.join(import.meta.dirname, '../../ui/dist'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
  '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

/**
 * Defence in depth behind the escaping renderer: no inline or foreign script can run even if some
 * markup slipped through. Styles stay inline-capable because the BB-code renderer emits colour and
 * size as style attributes; pictures may come from any http(s) host (bots link them). Frames may
 * too: chat apps (imbot.app.*) open their IFRAME page from the app's own host, and placements their
 * handler, each in a sandbox. Form posts may go only to the origins of installed apps' placement
 * handlers (ui/src/apps posts a placement's form into its frame), read when the page is served: a
 * placement bound later opens after a reload.
 */
function pageCsp(placementOrigins: string[]): string {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", 'img-src http: https: data: blob:',
    "connect-src 'self' ws: wss:", 'frame-src http: https:', "object-src 'none'", "base-uri 'none'",
    `form-action 'self' ${placementOrigins.join(' ')}`.trim(), "frame-ancestors 'none'",
  ].join('; ');
}

// Paths owned by other routes: an unknown one there is a 404, not the SPA.
const NOT_SPA = /^\/(?:rest|oauth|realtime|web|disk|avatar|chat-avatar|chat-app-icon|assets|health|livechat|online|widget)(?:\/|$)/;

function json(reply: FastifyReply, status: number, body: unknown) {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(body));
}

// An error of the catalogue (src/errors.ts), with its status.
function error(reply: FastifyReply, code: ErrorCode, description?: string) {
  const e = restError(code, description);
  return json(reply, e.status, e.body());
}

// Sign-in and sign-out take JSON only: a cross-site HTML form cannot send it without a CORS preflight.
function isJson(req: FastifyRequest): boolean {
  return /^application\/json\b/i.test(String(req.headers['content-type'] ?? ''));
}

/**
 * Send a file from ui/dist; false when there is none. A boolean, not the reply: an async function
 * returning Fastify's reply (a thenable) resolves to what its send resolves to, undefined, and the
 * caller took a sent file for a missing one and sent again.
 */
async function sendFile(reply: FastifyReply, file: string, immutable: boolean, csp = pageCsp([])): Promise<boolean> {
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    return false;
  }
  reply.header('content-type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream')
    .header('x-content-type-options', 'nosniff')
    // Built assets carry a content hash in their name; everything else must be revalidated.
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (file.endsWith('.html')) reply.header('content-security-policy', csp).header('referrer-policy', 'same-origin');
  reply.send(body);
  return true;
}

async function serveUi(portal: Portal, req: FastifyRequest, reply: FastifyReply) {
  const url = new URL(req.raw.url ?? '/', 'http://x');
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return error(reply, 'INVALID_REQUEST', 'Bad path');
  }
  const file = path.resolve(UI_DIST, `.${path.posix.normalize(rel)}`);
  // Never outside ui/dist, whatever the path says.
  if (file.startsWith(UI_DIST + path.sep) && !file.endsWith('index.html')) {
    if (await sendFile(reply, file, rel.startsWith('/assets/'))) return reply;
  }
  // Server paths are never the app: they get the portal's own 404 (Bitrix24-shaped under /rest/).
  if (NOT_SPA.test(rel)) return reply.callNotFound();
  if (await sendFile(reply, path.join(UI_DIST, 'index.html'), false, pageCsp(await placementOrigins(portal.db)))) return reply;
  return reply.code(503).header('content-type', 'text/plain; charset=utf-8')
    .send('The web messenger is not built. Run `npm run build:ui` (npm start does it for you).\n');
}

/**
 * POST /web/password {current_password, new_password}: the signed-in user's own change. The current
 * password is checked as a sign-in is (paced and throttled, src/auth/signin.ts), so a borrowed
 * session cannot guess it faster than a sign-in form could; this browser's session stays, the
 * user's other sessions and messenger tokens end (src/domain/account-passwords.ts).
 */
async function changeOwnPassword(portal: Portal, req: FastifyRequest, reply: FastifyReply) {
  if (!isJson(req)) return error(reply, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON');
  const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
  const userId = await sessionUser(portal.db, sid, portal.clock.now());
  if (!userId) return error(reply, 'NO_SESSION');
  const body = (req.body ?? {}) as Record<string, unknown>;
  const current = typeof body.current_password === 'string' ? body.current_password : '';
  const next = typeof body.new_password === 'string' ? body.new_password : '';
  try {
    const user = await passwordOwner(portal, userId);
    // The policy first: a refused new password costs no hash and no attempt.
    checkNewPassword(user, next);
    const checked = await signIn(portal, user.login ?? '', current, clientAddress(req.raw, portal.config));
    if (!checked.ok) {
      if (checked.retryAfterS) reply.header('retry-after', String(checked.retryAfterS));
      return error(reply, checked.error === 'WRONG_CREDENTIALS' ? 'WRONG_PASSWORD' : checked.error);
    }
    if (checked.user.id !== user.id) return error(reply, 'WRONG_PASSWORD');
    if (next === current) return error(reply, 'PASSWORD_UNCHANGED');
    await replacePassword(portal, user, next, sid);
  } catch (err) {
    if (!(err instanceof RestError)) throw err;
    // Too many hashes waiting (the new password's): as a busy sign-in, worth a retry in a second.
    if (err.code === 'SIGNIN_BUSY') reply.header('retry-after', '1');
    return json(reply, err.status, err.body());
  }
  return json(reply, 200, { result: true });
}

/** Register the SPA and /web/login, /web/logout, /web/token, /web/password. */
export function registerWebRoutes(app: FastifyInstance, portal: Portal): void {
  const secure = portal.config.https ? '; Secure' : '';

  app.post('/web/login', async (req, reply) => {
    if (!isJson(req)) return error(reply, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const login = typeof body.login === 'string' ? body.login.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const result = await signIn(portal, login, password, clientAddress(req.raw, portal.config));
    if (!result.ok) {
      if (result.retryAfterS) reply.header('retry-after', String(result.retryAfterS));
      return error(reply, result.error);
    }
    const user = result.user;
    await ensureWebApp(portal);
    const sid = await createSession(portal.db, user.id, portal.clock.now());
    reply.header('set-cookie', sessionCookie(sid, portal.config.https));
    return json(reply, 200, { user_id: user.id });
  });

  app.post('/web/logout', async (req, reply) => {
    if (!isJson(req)) return error(reply, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON');
    const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
    const userId = await sessionUser(portal.db, sid, portal.clock.now());
    if (sid) await endSession(portal.db, sid);
    if (userId) await revokeWebTokens(portal, userId);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`);
    return json(reply, 200, { result: true });
  });

  app.post('/web/password', (req, reply) => changeOwnPassword(portal, req, reply));

  app.get('/web/token', async (req, reply) => {
    const userId = await sessionUser(portal.db, readCookie(req.headers.cookie, SESSION_COOKIE), portal.clock.now());
    if (!userId) return error(reply, 'NO_SESSION');
    const user = await portal.db.selectFrom('users').select(['active']).where('id', '=', userId).executeTakeFirst();
    if (!user?.active) return error(reply, 'NO_SESSION');
    return json(reply, 200, await webToken(portal, userId));
  });

  // Bitrix24's messenger address (bot-context.md's links: /online/?IM_DIALOG=…&BOT_CONTEXT=…) is the
  // messenger here: the query goes along to the SPA, which opens the dialog and hands the context on.
  // (One route: the server ignores a trailing slash.)
  app.get('/online', (req, reply) => reply.redirect(`/${(req.raw.url ?? '').replace(/^[^?]*/, '')}`, 302));
  app.get('/', (req, reply) => serveUi(portal, req, reply));
  app.get('/*', (req, reply) => serveUi(portal, req, reply));
}
