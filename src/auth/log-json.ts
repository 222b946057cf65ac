/**
 * A value as the REST call log stores it: JSON with the secrets taken out (the rules of
 * secret-redact.ts) and cut to a length. Written for the hot path, where a redacted copy of every
 * call's whole result was a tenth of the portal's CPU under load (issue 10): a value whose JSON no key
 * or file rule can apply to (most) is written by native JSON.stringify, as its answer was; the others
 * go through the rules' walk, which stops once past the length the log keeps.
 *
 * Key and file rules apply while the JSON is written (a secret-named key's value, base64 content,
 * bytes); secrets by value are then replaced in the text, which holds every string verbatim (JSON
 * escapes only quotes, backslashes and control characters, so each secret is also searched for in
 * its escaped form).
 */
import type { Db } from '../store/db.ts';
import { maskCode } from './secret-hash.ts';
import { bytesMarker, hasToJson, HIDDEN, KNOWN_MIN, looksLikeFile, SECRET_KEY, storedSecrets, WEBHOOK_PATH } from './secret-redact.ts';

/**
 * JSON text being written, with a budget: once past it the rest of the value is not visited. A
 * string is always written whole, so a secret inside one is whole in the text when the secrets are
 * replaced; the cut comes after that, and never keeps half of one.
 */
class Budgeted {
  private readonly parts: string[] = [];
  length = 0;
  constructor(readonly budget: number) {}
  get full(): boolean {
    return this.length > this.budget;
  }
  push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }
  text(): string {
    return this.parts.join('');
  }
}

function write(value: unknown, key: string, out: Budgeted): void {
  if (out.full) return;
  if (value !== null && typeof value === 'object' && hasToJson(value) && !ArrayBuffer.isView(value)) {
    // A value that says how it is logged (a multipart part on disk: "(file: N bytes)"), as JSON.stringify would.
    return write((value as { toJSON(k: string): unknown }).toJSON(key), key, out);
  }
  if (typeof value === 'string') return out.push(JSON.stringify(looksLikeFile(value) ? bytesMarker(value) : value));
  if (typeof value === 'number') return out.push(Number.isFinite(value) ? String(value) : 'null');
  if (typeof value === 'boolean') return out.push(String(value));
  if (typeof value === 'bigint') return out.push(String(value));
  if (value === null || value === undefined || typeof value !== 'object') return out.push('null');
  if (ArrayBuffer.isView(value)) return out.push(JSON.stringify(`(${value.byteLength} bytes)`));
  if (Array.isArray(value)) {
    // fileContent: [name, base64] — the content goes whatever its length.
    const file = /^filecontent$/i.test(key) && value.length === 2 && typeof value[1] === 'string';
    out.push('[');
    for (let i = 0; i < value.length && !out.full; i++) {
      if (i) out.push(',');
      if (file && i === 1) out.push(JSON.stringify(bytesMarker(value[1] as string)));
      else write(value[i], String(i), out);
    }
    return out.push(']');
  }
  out.push('{');
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (out.full) break;
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out.push(`${first ? '' : ','}${JSON.stringify(k)}:`);
    first = false;
    if (SECRET_KEY.test(k)) out.push(JSON.stringify(HIDDEN));
    else write(v, k, out);
  }
  out.push('}');
}

/** Anything in JSON text that the key and file rules could apply to: a secret-like word, file content, bytes. */
const MAY_NEED_RULES = /pass|secret|token|"auth"|filecontent|"type":"Buffer"/i;
const BASE64_STRING = /"[A-Za-z0-9+/_-]{64,}={0,2}"/;

/**
 * The value's JSON when no key or file rule can apply to it — most calls: a secret-named key or file
 * content would show in the text — else undefined (then it is written by the rules). Native
 * JSON.stringify of a whole page of messages costs a sixth of the rule-checking walk of its first
 * 8,000 characters.
 */
function plainJson(value: unknown): string | undefined {
  const text = JSON.stringify(value ?? null) ?? 'null';
  return MAY_NEED_RULES.test(text) || BASE64_STRING.test(text) ? undefined : text;
}

/** `text` with the webhook codes masked and every secret hidden. */
function hideSecrets(text: string, secrets: string[]): string {
  let out = text.replace(WEBHOOK_PATH, (_m, head: string, code: string) => `${head}${maskCode(code)}`);
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join(HIDDEN);
    }
  }
  return out;
}

/**
 * Each of `values` as logged JSON of at most its `max` characters (a longer one is cut and marked).
 * `known` are the caller's own secrets (its access token or webhook code, its app's client_secret
 * and application_token); the store is asked about any other value that looks like a secret.
 */
export async function logJson(db: Db, values: { value: unknown; max: number }[], known: (string | undefined)[]): Promise<string[]> {
  const drafts = values.map(({ value, max }) => {
    const whole = plainJson(value);
    if (whole !== undefined) return { text: whole, cut: false, max };
    const out = new Budgeted(max);
    write(value, '', out);
    return { text: out.text(), cut: out.full, max };
  });
  const stored = await storedSecrets(db, drafts.map((d) => d.text));
  const secrets = [...new Set([...known.filter((k): k is string => !!k && k.length >= KNOWN_MIN), ...stored])]
    .sort((a, b) => b.length - a.length); // longest first, so a secret inside another goes whole
  return drafts.map(({ text, cut, max }) => {
    const clean = hideSecrets(text, secrets);
    if (!cut && clean.length <= max) return clean;
    return `${clean.slice(0, max)}…(cut: longer than ${max} characters)`;
  });
}
