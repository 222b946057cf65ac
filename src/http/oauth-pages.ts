/**
 * The HTML pages of /oauth/authorize/: the sign-in form, the consent question (which app, which
 * scopes, Allow or Deny) and the refusals. Every value is escaped; every form carries the CSRF
 * token and the OAuth parameters it was opened with; the pages cannot be framed (clickjacking).
 */
import type { FastifyReply } from 'fastify';
import { CSRF_FIELD } from '../auth/csrf.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// No script, no foreign resources, no framing. No form-action: after a POST the portal redirects
// to the app, and browsers that apply form-action to redirects would block that.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

/** What people are told each scope lets an app do. */
const SCOPE_TEXT: Record<string, string> = {
  im: 'read and send your messages, chats and notifications',
  imbot: 'add chat bots that talk to you and your colleagues',
  imopenlines: 'use open channels: read their configuration and, for an administrator, change it',
  imconnector: 'connect external messengers to open channels',
  user: 'read the portal’s user profiles',
  user_brief: 'read user names and photos',
  user_basic: 'read basic user profiles',
  department: 'read the company structure',
  task: 'read and create tasks',
  tasks: 'read and create tasks',
  disk: 'read and upload files',
  basic: 'read basic portal information',
  placement: 'add itself to portal pages',
  pull: 'receive live updates',
  crm: 'read and change CRM data',
};

/** Send an HTML page with the headers every authorize page carries. */
export function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store')
    .header('content-security-policy', CSP).header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`);
}

function hidden(p: Record<string, string>, csrf: string): string {
  const fields = ['client_id', 'state', 'redirect_uri'].filter((k) => p[k]).map((k) => `<input type="hidden" name="${k}" value="${esc(p[k])}">`);
  fields.push(`<input type="hidden" name="${CSRF_FIELD}" value="${esc(csrf)}">`);
  return fields.join('');
}

/** The sign-in form, with an error line when a previous try failed. */
export function loginForm(p: Record<string, string>, csrf: string, error = ''): string {
  return `${error ? `<p role="alert">${esc(error)}</p>` : ''}<form method="post">${hidden(p, csrf)}
<label>Login <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>`;
}

/** The consent question: the app's name, what its scopes allow, and Allow / Deny. */
export function consentForm(p: Record<string, string>, csrf: string, app: { name: string; scope: string }, scopes: string[]): string {
  const items = scopes.map((s) => `<li><code>${esc(s)}</code>${SCOPE_TEXT[s] ? ` — ${esc(SCOPE_TEXT[s])}` : ''}</li>`).join('');
  return `<p>The application <strong>${esc(app.name)}</strong> asks for access to your account. It will be able to:</p>
<ul>${items || '<li>act with no extra permissions</li>'}</ul>
<form method="post">${hidden(p, csrf)}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`;
}

/** The link that starts the authorization again (GET), for refusal pages. */
export function restartLink(p: Record<string, string>): string {
  const q = new URLSearchParams(['client_id', 'state', 'redirect_uri'].filter((k) => p[k]).map((k) => [k, p[k]]));
  return `<p><a href="/oauth/authorize/?${esc(q.toString())}">Start again</a></p>`;
}
