/**
 * What the logs may keep of a value: the REST call log (a call's parameters and result) and the
 * event log (a handler's response). It lives with the credentials because recognising the portal's
 * secrets means looking them up where they are stored. Secrets go by key (passwords,
 * secrets, tokens, `auth`) and by value: a webhook URL's code is masked, any value holding a secret
 * of the caller or one the portal recognises (an access or refresh token, a webhook code, an OAuth
 * code, a session id, a placement frame's APP_SID, an app's client_secret or application_token, the
 * file-URL key) is hidden, and file content (base64 strings, bytes) becomes a "(N bytes)" marker.
 */
import type { Db } from '../store/db.ts';
import { hashSecret, maskCode } from './secret-hash.ts';

/** Parameter names whose values never reach the log (passwords, secrets, tokens). */
export const SECRET_KEY = /pass|secret|token|^auth$/i;
/** A webhook URL's path: /rest/{user}/{code}/ (the code is the webhook's password). */
export const WEBHOOK_PATH = /(\/rest\/\d+\/)([A-Za-z0-9_]{6,})(?=\/)/g;
/** Runs of hex as long as the shortest secret the portal issues (a webhook code: 16 characters). */
export const HEX_RUN = /[0-9a-f]{16,}/gi;
/** File content as Bitrix24 methods take it (fileContent, avatars): base64 of at least BASE64_MIN characters. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const BASE64_MIN = 64;
/** Candidates checked against the store per call (a value with more is not worth a bigger query). */
const CANDIDATES_MAX = 100;
export const HIDDEN = '(hidden)';
/** Secrets of the caller shorter than this are not searched for (a wrong code "1" must not hide every 1). */
export const KNOWN_MIN = 8;

/** The "(N bytes)" marker of base64 content. */
export function bytesMarker(b64: string): string {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return `(${Math.floor((b64.length * 3) / 4) - pad} bytes)`;
}

export function looksLikeFile(s: string): boolean {
  // Pure hex is a token or a hash, not file content (and is checked as a secret instead).
  return s.length >= BASE64_MIN && BASE64.test(s) && !/^[0-9a-f]+$/i.test(s);
}

export const hasToJson = (value: object) => typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** Every string in a value, for the candidate scan. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !hasToJson(value)) for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** The hex runs of the values that the store knows as secrets. */
export async function storedSecrets(db: Db, values: string[]): Promise<Set<string>> {
  const runs = new Set<string>();
  for (const s of values) {
    if (looksLikeFile(s)) continue;
    for (const m of s.match(HEX_RUN) ?? []) {
      if (runs.size >= CANDIDATES_MAX) break;
      runs.add(m);
    }
  }
  if (!runs.size) return new Set();
  const plain = [...runs];
  const byHash = new Map(plain.map((p) => [hashSecret(p), p]));
  const hashes = [...byHash.keys()];
  const found = new Set<string>();
  const add = (hash: string) => found.add(byHash.get(hash)!);
  for (const r of await db.selectFrom('tokens').select(['access_hash', 'refresh_hash'])
    .where((eb) => eb.or([eb('access_hash', 'in', hashes), eb('refresh_hash', 'in', hashes)])).execute()) {
    if (byHash.has(r.access_hash)) add(r.access_hash);
    if (byHash.has(r.refresh_hash)) add(r.refresh_hash);
  }
  for (const r of await db.selectFrom('webhooks').select('code_hash').where('code_hash', 'in', hashes).execute()) add(r.code_hash);
  for (const r of await db.selectFrom('oauth_codes').select('code_hash').where('code_hash', 'in', hashes).execute()) add(r.code_hash);
  for (const r of await db.selectFrom('sessions').select('id_hash').where('id_hash', 'in', hashes).execute()) add(r.id_hash);
  // A placement frame's APP_SID (migration 0024): it asks for that user's tokens of the app.
  for (const r of await db.selectFrom('placement_frames').select('sid_hash').where('sid_hash', 'in', hashes).execute()) add(r.sid_hash);
  for (const r of await db.selectFrom('apps').select(['client_secret', 'application_token'])
    .where((eb) => eb.or([eb('client_secret', 'in', plain), eb('application_token', 'in', plain)])).execute()) {
    for (const v of [r.client_secret, r.application_token]) if (runs.has(v)) found.add(v);
  }
  const key = await db.selectFrom('settings').select('value').where('key', '=', 'file_url_secret').where('value', 'in', plain).executeTakeFirst();
  if (key) found.add(key.value);
  return found;
}

function redactString(s: string, secrets: string[]): string {
  if (looksLikeFile(s)) return bytesMarker(s);
  let out = s.replace(WEBHOOK_PATH, (_m, head: string, code: string) => `${head}${maskCode(code)}`);
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(HIDDEN);
  return out;
}

function walk(value: unknown, secrets: string[], key = ''): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (ArrayBuffer.isView(value)) return `(${value.byteLength} bytes)`;
  if (Array.isArray(value)) {
    // fileContent: [name, base64] — the content goes whatever its length.
    if (/^filecontent$/i.test(key) && value.length === 2 && typeof value[1] === 'string') return [walk(value[0], secrets), bytesMarker(value[1])];
    return value.map((v) => walk(v, secrets));
  }
  if (!value || typeof value !== 'object') return value;
  // A value that says how it is logged (a multipart part on disk: "(file: N bytes)") is kept as it says.
  if (hasToJson(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? HIDDEN : walk(v, secrets, k)]));
}

/**
 * A copy of a call's parameters or result fit for the log. `known` are the caller's own secrets
 * (its access token or webhook code, its app's client_secret and application_token).
 */
export async function redactForLog(db: Db, values: unknown[], known: (string | undefined)[]): Promise<unknown[]> {
  const stored = await storedSecrets(db, strings(values));
  const secrets = [...new Set([...known.filter((k): k is string => !!k && k.length >= KNOWN_MIN), ...stored])]
    .sort((a, b) => b.length - a.length); // longest first, so a secret inside another goes whole
  return values.map((v) => walk(v, secrets));
}

/** Names of form fields whose values are secrets wherever they sit (auth[access_token], …[client_secret]): SECRET_KEY without `auth`, whose fields are shown. */
const FORM_SECRET_KEY = /pass|secret|token/i;

// A form-encoded part decoded as PHP reads it ('+' is a space); a malformed escape is kept as it is.
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * A form-encoded body (an event POST) fit for the log, still form-encoded and in its order: the
 * value of every field named like a secret (the last `[name]` of its key: access_token,
 * refresh_token, application_token, client_secret, …) becomes HIDDEN, and so does any other value's
 * occurrence of those values, of `known` or of a secret the store recognises (storedSecrets).
 */
export async function redactFormBody(db: Db, body: string, known: (string | undefined)[]): Promise<string> {
  const fields = body ? body.split('&').map((p) => {
    const at = p.indexOf('=');
    return at < 0 ? { key: p, eq: false, raw: '', value: '' } : { key: p.slice(0, at), eq: true, raw: p.slice(at + 1), value: formDecode(p.slice(at + 1)) };
  }) : [];
  const found: string[] = [];
  const open = fields.filter((f) => {
    const name = formDecode(f.key);
    const last = /\[([^\]]*)\]$/.exec(name)?.[1] ?? name;
    if (!FORM_SECRET_KEY.test(last)) return true;
    found.push(f.value);
    f.raw = HIDDEN;
    return false;
  });
  const stored = await storedSecrets(db, open.map((f) => f.value));
  const secrets = [...new Set([...known, ...found, ...stored].filter((k): k is string => !!k && k.length >= KNOWN_MIN))]
    .sort((a, b) => b.length - a.length);
  for (const f of open) {
    if (!secrets.some((s) => f.value.includes(s))) continue;
    let v = f.value;
    for (const s of secrets) v = v.split(s).join(HIDDEN);
    f.raw = encodeURIComponent(v);
  }
  return fields.map((f) => (f.eq || f.raw ? `${f.key}=${f.raw}` : f.key)).join('&');
}
