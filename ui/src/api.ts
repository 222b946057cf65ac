/**
 * The SPA's only way to the portal: the public REST methods with an access token of the built-in web
 * app, fetched from /web/token with the session cookie and fetched again when the portal says it
 * expired. No method here is private to the UI.
 */

/** A REST error as Bitrix24 reports it. */
export class RestError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message || code);
  }
}

/** Thrown when there is no signed-in session: the UI shows the sign-in screen. */
export class NotSignedIn extends Error {}

interface Token { access_token: string; expires_at: number; user_id: number }

let token: Token | null = null;
let pending: Promise<Token> | null = null;

/** The current access token, fetched (once, however many callers wait) when missing, near expiry or `force`d. */
export async function accessToken(force = false): Promise<Token> {
  if (!force && token && token.expires_at - Date.now() > 30_000) return token;
  pending ??= (async () => {
    try {
      const res = await fetch('/web/token', { credentials: 'same-origin', cache: 'no-store' });
      if (res.status === 401) throw new NotSignedIn();
      if (!res.ok) throw new RestError('TOKEN_ERROR', `token: HTTP ${res.status}`, res.status);
      const body = (await res.json()) as { access_token: string; expires_in: number; user_id: number };
      token = { access_token: body.access_token, user_id: body.user_id, expires_at: Date.now() + body.expires_in * 1000 };
      return token;
    } finally {
      pending = null;
    }
  })();
  return pending;
}

/** The whole envelope of a call (for `total` and `next`). */
export async function callEnvelope<T>(method: string, params: Record<string, unknown> = {}): Promise<{ result: T; total?: number; next?: number }> {
  for (let attempt = 0; ; attempt++) {
    const t = await accessToken(attempt > 0);
    const res = await fetch(`/rest/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, auth: t.access_token }),
      credentials: 'omit',
    });
    let body: Record<string, unknown>;
    try {
      body = await res.json();
    } catch {
      throw new RestError('BAD_RESPONSE', `${method}: HTTP ${res.status}`, res.status);
    }
    if (body.error) {
      const code = String(body.error);
      // A token that expired or was revoked: a fresh one from the session, and the call once more.
      if ((code === 'expired_token' || code === 'invalid_token') && attempt === 0) continue;
      throw new RestError(code, String(body.error_description ?? ''), res.status);
    }
    return body as { result: T; total?: number; next?: number };
  }
}

/** Call a REST method and return its `result`. */
export async function call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
  return (await callEnvelope<T>(method, params)).result;
}

/** Sign in with a login and password; the portal answers with a session cookie. */
export async function signIn(login: string, password: string): Promise<number> {
  const res = await fetch('/web/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'same-origin',
    body: JSON.stringify({ login, password }),
  });
  const body = await res.json();
  if (!res.ok) throw new RestError(body.error ?? 'ERROR', body.error_description ?? '', res.status);
  token = null;
  return Number(body.user_id);
}

/**
 * Change the signed-in user's password (POST /web/password, with the session cookie: no token can).
 * This session stays; the user's messenger tokens were revoked, so the next call fetches a new one.
 */
export async function changePassword(current: string, next: string): Promise<void> {
  const res = await fetch('/web/password', {
    method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'same-origin',
    body: JSON.stringify({ current_password: current, new_password: next }),
  });
  const body = await res.json();
  if (!res.ok) throw new RestError(body.error ?? 'ERROR', body.error_description ?? '', res.status);
  token = null;
}

/** End the session and forget the token. */
export async function signOut(): Promise<void> {
  await fetch('/web/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin' });
  token = null;
}
