/**
 * The OAuth 2.0 server of the portal: /oauth/authorize/ gives a signed-in user's code to an
 * installed app once the user has allowed it, /oauth/token/ trades codes and refresh tokens for
 * token pairs (GET or POST). Authorize's POSTs (sign-in, Allow/Deny) need the CSRF token of the
 * form they came from; its GETs never sign in and never consent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Portal } from '../portal.ts';
import type { App } from '../domain/types.ts';
import { findApp } from '../domain/apps.ts';
import { mintToken, refreshToken, tokenBlock } from '../auth/tokens.ts';
import { issueCode, redeemCode } from '../auth/oauth-codes.ts';
import { createSession, readCookie, sessionCookie, sessionUser, SESSION_COOKIE } from '../auth/sessions.ts';
import { signIn } from '../auth/signin.ts';
import { restError, type ErrorCode } from '../errors.ts';
import { hasConsent, recordConsent, scopeList } from '../auth/consent.ts';
import { crossSite, csrfToken, csrfValid, CSRF_FIELD } from '../auth/csrf.ts';
import { normalize, parseQuery } from '../wire/php-query.ts';
import { consentForm, loginForm, page, restartLink } from './oauth-pages.ts';
import { clientAddress } from './client-address.ts';


function params(req: FastifyRequest): Record<string, string> {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  const merged = { ...parseQuery(q < 0 ? '' : url.slice(q + 1)), ...(req.body && typeof req.body === 'object' ? req.body : {}) };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(normalize(merged) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

function tokenError(reply: FastifyReply, code: ErrorCode, description?: string) {
  const e = restError(code, description);
  return reply.code(e.status).header('content-type', 'application/json; charset=utf-8').send(e.body());
}

// Only a redirect_uri on the app's own origin is honoured; otherwise the registered handler URL.
// Undefined when the app has no usable handler URL (nowhere to send the user back to).
function redirectTo(target: App, p: Record<string, string>): URL | undefined {
  let registered: URL;
  try {
    registered = new URL(target.handler_url);
  } catch {
    return undefined;
  }
  try {
    if (p.redirect_uri && new URL(p.redirect_uri).origin === registered.origin) return new URL(p.redirect_uri);
  } catch { /* keep the registered URL */ }
  return registered;
}

// What each form's token is bound to: the app, and for the consent form the signed-in user too.
const loginPurpose = (target: App) => `login|${target.client_id}`;
const consentPurpose = (target: App, userId: number) => `consent|${target.client_id}|${userId}`;

/** Register /oauth/authorize/ and /oauth/token/. */
export function registerOAuthRoutes(app: FastifyInstance, portal: Portal): void {
  const redirectWithCode = async (reply: FastifyReply, target: App, userId: number, p: Record<string, string>) => {
    const url = redirectTo(target, p)!; // authorize() refused apps without a handler URL
    const code = await issueCode(portal.db, target.id, userId, portal.clock.now());
    const extra = { code, state: p.state ?? '', domain: portal.domain, member_id: portal.memberId, scope: target.scope, server_domain: portal.domain };
    for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
    return reply.redirect(url.toString(), 302);
  };

  // OAuth 2.0 (RFC 6749 §4.1.2.1): a refusal goes back to the client with error=access_denied.
  const deny = (reply: FastifyReply, target: App, p: Record<string, string>) => {
    const url = redirectTo(target, p)!; // authorize() refused apps without a handler URL
    const denied = restError('access_denied');
    url.searchParams.set('error', denied.code);
    url.searchParams.set('error_description', denied.description);
    if (p.state) url.searchParams.set('state', p.state);
    return reply.redirect(url.toString(), 302);
  };

  const signInPage = (req: FastifyRequest, reply: FastifyReply, target: App, p: Record<string, string>, status = 200, error = '') =>
    page(reply, status, 'Sign in', loginForm(p, csrfToken(portal, req, reply, loginPurpose(target)), error));

  // Signed in: a code at once when the user already allowed this app, otherwise the question.
  const proceed = async (req: FastifyRequest, reply: FastifyReply, target: App, userId: number, p: Record<string, string>) => {
    if (await hasConsent(portal.db, target, userId)) return redirectWithCode(reply, target, userId, p);
    const token = csrfToken(portal, req, reply, consentPurpose(target, userId));
    return page(reply, 200, `Allow ${target.name}?`, consentForm(p, token, target, scopeList(target.scope)));
  };

  const authorize = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const target = p.client_id ? await findApp(portal.db, p.client_id) : undefined;
    if (!target || !target.installed) return page(reply, 400, 'Application not found', '<p>The application is not installed on this portal.</p>');
    // A bot registered through a webhook has an app record but no handler URL: nowhere to return to.
    if (!redirectTo(target, {})) return page(reply, 400, 'Application not found', '<p>The application has no address to return to.</p>');
    const userId = await sessionUser(portal.db, readCookie(req.headers.cookie, SESSION_COOKIE), portal.clock.now());
    if (req.method !== 'POST') return userId ? proceed(req, reply, target, userId, p) : signInPage(req, reply, target, p);

    // A POST changes something (a session, a consent): only from this portal's own forms.
    const refused = (why: string) => page(reply, 403, 'Request refused', `<p>${why}</p>${restartLink(p)}`);
    if (crossSite(portal, req)) return refused('The form was sent from another site.');
    if (p.decision !== undefined) {
      if (!userId) return signInPage(req, reply, target, p);
      if (!csrfValid(portal, req, p[CSRF_FIELD], consentPurpose(target, userId))) return refused('The form has expired or did not come from this portal.');
      if (p.decision !== 'allow') return deny(reply, target, p);
      await recordConsent(portal.db, target, userId);
      return redirectWithCode(reply, target, userId, p);
    }
    if (!csrfValid(portal, req, p[CSRF_FIELD], loginPurpose(target))) return refused('The form has expired or did not come from this portal.');
    if (!p.login) return userId ? proceed(req, reply, target, userId, p) : signInPage(req, reply, target, p);
    const result = await signIn(portal, p.login.trim(), p.password ?? '', clientAddress(req.raw, portal.config));
    if (!result.ok) {
      if (result.retryAfterS) reply.header('retry-after', String(result.retryAfterS));
      const refusal = restError(result.error);
      return signInPage(req, reply, target, p, refusal.status, refusal.description);
    }
    reply.header('set-cookie', sessionCookie(await createSession(portal.db, result.user.id, portal.clock.now()), portal.config.https));
    return proceed(req, reply, target, result.user.id, p);
  };

  const token = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const target = p.client_id ? await findApp(portal.db, p.client_id) : undefined;
    if (!target || !target.installed || target.client_secret !== p.client_secret) return tokenError(reply, 'invalid_client');
    if (p.grant_type === 'authorization_code') {
      const codeUser = await redeemCode(portal.db, p.code ?? '', target.id, portal.clock.now());
      if (!codeUser) return tokenError(reply, 'invalid_grant', 'Invalid authorization code');
      return reply.send(tokenBlock(portal, target, await mintToken(portal, portal.db, target, codeUser)));
    }
    if (p.grant_type === 'refresh_token') {
      const t = await refreshToken(portal, target, p.refresh_token ?? '');
      if (!t) return tokenError(reply, 'invalid_grant', 'Invalid refresh token');
      return reply.send(tokenBlock(portal, target, t));
    }
    return tokenError(reply, 'invalid_request', 'grant_type must be authorization_code or refresh_token');
  };

  app.route({ method: ['GET', 'POST'], url: '/oauth/authorize/', handler: authorize });
  app.route({ method: ['GET', 'POST'], url: '/oauth/token/', handler: token });
}
