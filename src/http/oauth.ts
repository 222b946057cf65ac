/**
 * The OAuth 2.0 server of the portal: /oauth/authorize/ gives a signed-in user's code to an
 * installed app, /oauth/token/ trades codes and refresh tokens for token pairs (GET or POST).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Portal } from '../portal.ts';
import { findApp } from '../domain/apps.ts';
import { checkPassword } from '../domain/users.ts';
import { mintToken, refreshToken, tokenBlock } from '../auth/tokens.ts';
import { issueCode, redeemCode } from '../auth/oauth-codes.ts';
import { createSession, readCookie, sessionUser, SESSION_COOKIE } from '../auth/sessions.ts';
import { normalize, parseQuery } from '../rest/php-query.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function params(req: FastifyRequest): Record<string, string> {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  const merged = { ...parseQuery(q < 0 ? '' : url.slice(q + 1)), ...(req.body && typeof req.body === 'object' ? req.body : {}) };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(normalize(merged) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`);
}

function loginForm(p: Record<string, string>, error = '') {
  const hidden = ['client_id', 'state', 'redirect_uri'].filter((k) => p[k]).map((k) => `<input type="hidden" name="${k}" value="${esc(p[k])}">`).join('');
  return `${error ? `<p role="alert">${esc(error)}</p>` : ''}<form method="post">${hidden}
<label>Login <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>`;
}

function tokenError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send({ error, error_description: description });
}

/** Register /oauth/authorize/ and /oauth/token/. */
export function registerOAuthRoutes(app: FastifyInstance, portal: Portal): void {
  const authorize = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const target = p.client_id ? await findApp(portal.db, p.client_id) : undefined;
    if (!target || !target.installed) return page(reply, 400, 'Application not found', '<p>The application is not installed on this portal.</p>');
    let userId = await sessionUser(portal.db, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!userId && req.method === 'POST' && p.login) {
      const user = await portal.db.selectFrom('users').selectAll().where('login', '=', p.login).where('active', '=', 1).executeTakeFirst();
      if (!user || !checkPassword(p.password ?? '', user.password_hash)) return page(reply, 401, 'Sign in', loginForm(p, 'Wrong login or password'));
      userId = user.id;
      const sid = await createSession(portal.db, user.id);
      reply.header('set-cookie', `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`);
    }
    if (!userId) return page(reply, 200, 'Sign in', loginForm(p));
    const code = await issueCode(portal.db, target.id, userId);
    // Only a redirect_uri on the app's own origin is honoured; otherwise the registered handler URL.
    let redirect = target.handler_url;
    try {
      if (p.redirect_uri && new URL(p.redirect_uri).origin === new URL(target.handler_url).origin) redirect = p.redirect_uri;
    } catch { /* keep the registered URL */ }
    const url = new URL(redirect);
    const extra = { code, state: p.state ?? '', domain: portal.domain, member_id: portal.memberId, scope: target.scope, server_domain: portal.domain };
    for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
    return reply.redirect(url.toString(), 302);
  };

  const token = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const target = p.client_id ? await findApp(portal.db, p.client_id) : undefined;
    if (!target || !target.installed || target.client_secret !== p.client_secret) return tokenError(reply, 401, 'invalid_client', 'Invalid client credentials');
    if (p.grant_type === 'authorization_code') {
      const codeUser = await redeemCode(portal.db, p.code ?? '', target.id);
      if (!codeUser) return tokenError(reply, 400, 'invalid_grant', 'Invalid authorization code');
      return reply.send(tokenBlock(portal, target, await mintToken(portal, portal.db, target, codeUser)));
    }
    if (p.grant_type === 'refresh_token') {
      const t = await refreshToken(portal, target, p.refresh_token ?? '');
      if (!t) return tokenError(reply, 400, 'invalid_grant', 'Invalid refresh token');
      return reply.send(tokenBlock(portal, target, t));
    }
    return tokenError(reply, 400, 'invalid_request', 'grant_type must be authorization_code or refresh_token');
  };

  app.route({ method: ['GET', 'POST'], url: '/oauth/authorize/', handler: authorize });
  app.route({ method: ['GET', 'POST'], url: '/oauth/token/', handler: token });
}
