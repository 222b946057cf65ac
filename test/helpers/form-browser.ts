/**
 * A minimal browser for the portal's HTML forms (/oauth/authorize/): it keeps cookies, does not
 * follow redirects, and reads hidden fields so a test can submit a page's form as a person would.
 */

/** One answer: status, headers, body text, and the cookies it set. */
export interface Page { status: number; headers: Headers; text: string; setCookies: string[] }

/** A cookie jar bound to one portal, sending same-origin requests like the portal's own pages do. */
export class FormBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async send(url: string, init: RequestInit): Promise<Page> {
    const res = await fetch(new URL(url, this.base), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() } });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
    return { status: res.status, headers: res.headers, text: await res.text(), setCookies };
  }

  /** GET a path (with the jar's cookies). */
  get(path: string): Promise<Page> {
    return this.send(path, { method: 'GET' });
  }

  /** POST a form body to a path; `headers` add or override what a same-origin browser would send. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.send(path, {
      method: 'POST', body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.base).origin, 'sec-fetch-site': 'same-origin', ...headers },
    });
  }
}

/** The hidden fields of the first form on a page, by name. */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1]] = m[2].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  }
  return out;
}

/** The seeded credentials of a portal's data directory: login → { id, password }. */
export async function seededLogins(dataDir: string): Promise<Map<string, { id: number; password: string }>> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const rows = fs.readFileSync(path.join(dataDir, 'credentials.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  return new Map(rows.map((l) => {
    const [id, login, password] = l.split('\t');
    return [login, { id: Number(id), password }];
  }));
}
