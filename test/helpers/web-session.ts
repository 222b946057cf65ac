/**
 * The web messenger's session endpoints over real HTTP, as a browser would call them: POST
 * /web/login (optionally from another loopback source address, for the per-address limits), GET
 * /web/token and POST /web/password with a session cookie.
 */
import http from 'node:http';

/** An answer of a /web endpoint: status, Retry-After, JSON body, and the session cookie it set. */
export interface WebAnswer { status: number; retryAfter: string | undefined; body: any; cookie: string | undefined }

/** A JSON request to `url` with the session `cookie`, from `localAddress` when given. */
export function webJson(url: string, method: 'GET' | 'POST', body: unknown, opts: { cookie?: string; localAddress?: string } = {}): Promise<WebAnswer> {
  const data = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method, localAddress: opts.localAddress, agent: false,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body: JSON.parse(text),
        cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
      }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** POST /web/login as JSON, optionally from another loopback source address. */
export function login(base: string, body: unknown, localAddress?: string): Promise<WebAnswer> {
  return webJson(`${base}/web/login`, 'POST', body, { localAddress });
}

/** Sign in and answer the session cookie (fails the test when the sign-in does not succeed). */
export async function session(base: string, who: { login: string; password: string }, localAddress?: string): Promise<string> {
  const res = await login(base, who, localAddress);
  if (res.status !== 200 || !res.cookie) throw new Error(`sign-in of ${who.login}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.cookie;
}

/** GET /web/token with a session cookie. */
export function token(base: string, cookie: string): Promise<WebAnswer> {
  return webJson(`${base}/web/token`, 'GET', undefined, { cookie });
}

/** POST /web/password with a session cookie (none: as a token-only client calls it). */
export function changePassword(base: string, cookie: string | undefined, body: unknown, localAddress?: string): Promise<WebAnswer> {
  return webJson(`${base}/web/password`, 'POST', body, { cookie, localAddress });
}
