/**
 * What `--log` (Fastify's request log) may print of a request: the URL with a webhook's code masked
 * and the values of secret query parameters (auth, access_token, refresh_token, client_secret, code,
 * webhook, file-URL token, password) replaced, so a log file is no credential store.
 */
import { maskCode } from '../auth/secret-hash.ts';

/** Query parameter names whose values never reach the log (also inside PHP brackets: auth[access_token]). */
const SECRET_PARAM = /pass|secret|token|auth|code|webhook/i;

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** A request URL as the log shows it. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  // /rest/{user}/{code}/…: the code is the webhook's password.
  const path = (q < 0 ? url : url.slice(0, q)).replace(/^(\/+rest\/+\d+\/+)([^/]+)/, (_m, head: string, code: string) => `${head}${maskCode(code)}`);
  if (q < 0) return path;
  const query = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    return eq >= 0 && SECRET_PARAM.test(decodeKey(key)) ? `${key}=(hidden)` : pair;
  }).join('&');
  return `${path}?${query}`;
}

/**
 * Free text (an error's message or stack, which Fastify sometimes words with the request URL) with
 * webhook codes masked and secret query values hidden.
 */
export function redactText(text: string): string {
  return text
    .replace(/(\/rest\/+\d+\/+)([^/\s"'?]+)/g, (_m, head: string, code: string) => `${head}${maskCode(code)}`)
    .replace(/([?&]([^=&\s"'#]*)=)([^&\s"'#]*)/g, (m, head: string, key: string) => (SECRET_PARAM.test(decodeKey(key)) ? `${head}(hidden)` : m));
}

/** Fastify's error serializer with URLs in the message and stack redacted. */
export function errorSerializer(err: Error & { code?: string; statusCode?: number }) {
  return {
    type: err?.constructor?.name ?? 'Error', message: redactText(String(err?.message ?? err)), stack: redactText(String(err?.stack ?? '')),
    code: err?.code, statusCode: err?.statusCode,
  };
}

/**
 * Pino's logMethod hook: a message string is redacted too, and an error logged without one (as
 * `err` or `{ err }`) gets its redacted message (pino would copy the raw one into `msg`).
 */
export function logMethodHook(this: unknown, args: unknown[], method: (...a: unknown[]) => void): void {
  const out = args.map((a) => (typeof a === 'string' ? redactText(a) : a));
  const first = out[0] as { err?: unknown } | undefined;
  const err = first instanceof Error ? first : first && typeof first === 'object' && first.err instanceof Error ? first.err : undefined;
  if (err && typeof out[1] !== 'string') out.splice(1, 0, redactText(err.message));
  method.apply(this, out);
}

/**
 * Fastify's request serializer with the URL redacted (the other fields are those Fastify logs by
 * default). `req.ip` is clientAddress()'s answer: the server gives Fastify the same proxy trust.
 */
export function requestSerializer(req: { method: string; url: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: req.method, url: redactUrl(req.url), hostname: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}
