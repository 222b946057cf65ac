/**
 * CSRF protection for the portal's own HTML forms (/oauth/authorize/). A random pre-session cookie
 * (HttpOnly, SameSite=Strict, `__Host-` on HTTPS so no other host can plant it) keys an HMAC over
 * what the form is for; the form carries the HMAC. Another site can neither read the cookie nor
 * compute the token, and a browser also tells us where a POST came from: a foreign `Origin` or a
 * `Sec-Fetch-Site` other than same-origin is refused whatever the token says.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Portal } from '../portal.ts';
import { readCookie } from './sessions.ts';

/** The name of the hidden form field carrying the token. */
export const CSRF_FIELD = 'csrf_token';

function cookieName(portal: Portal): string {
  return portal.config.https ? '__Host-parley_csrf' : 'parley_csrf';
}

function mac(key: string, purpose: string): string {
  return crypto.createHmac('sha256', key).update(purpose).digest('base64url');
}

/**
 * The token for a form about `purpose` (e.g. `login|client_id`), setting the pre-session cookie on
 * the reply when the request has none.
 */
export function csrfToken(portal: Portal, req: FastifyRequest, reply: FastifyReply, purpose: string): string {
  let key = readCookie(req.headers.cookie, cookieName(portal));
  if (!key || !/^[\w-]{32,64}$/.test(key)) {
    key = crypto.randomBytes(24).toString('base64url');
    const secure = portal.config.https ? '; Secure' : '';
    reply.header('set-cookie', `${cookieName(portal)}=${key}; Path=/; HttpOnly; SameSite=Strict${secure}`);
  }
  return mac(key, purpose);
}

/** Whether a POST carries the token for `purpose` that matches its pre-session cookie. */
export function csrfValid(portal: Portal, req: FastifyRequest, token: string | undefined, purpose: string): boolean {
  const key = readCookie(req.headers.cookie, cookieName(portal));
  if (!key || !token) return false;
  const want = Buffer.from(mac(key, purpose));
  const got = Buffer.from(token);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

/**
 * Whether the browser says the request came from another site: an `Origin` that is neither the
 * portal's public origin nor the origin of the Host it was sent to, or a `Sec-Fetch-Site` of
 * `cross-site` or `same-site`. Clients that send neither header are judged by the token alone.
 */
export function crossSite(portal: Portal, req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  const own = [new URL(portal.publicUrl).origin];
  if (req.headers.host) own.push(`${portal.config.https ? 'https' : 'http'}://${req.headers.host}`.toLowerCase());
  return !own.includes(origin.toLowerCase());
}
