/**
 * Assertions on REST answers as Bitrix24 shapes them: an error is exactly `{error, error_description}`
 * with its HTTP status (no `result`, no `time`); a success is `{result, time}` with status 200.
 */
import assert from 'node:assert/strict';

/** A REST answer: HTTP status and decoded JSON body. */
export interface RestAnswer { status: number; body: any }

/** Any HTTP request to the portal, answered as status + JSON (for GET, raw bodies, headers, multipart). */
export async function http(url: string, init: RequestInit = {}): Promise<RestAnswer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${init.method ?? 'GET'} ${url} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

/** Assert an error answer: the code, the HTTP status, a non-empty description and no result/time. */
export function expectError(res: RestAnswer, status: number, code: string): void {
  const seen = JSON.stringify(res.body);
  assert.equal(res.body?.error, code, `expected ${code}, got ${seen}`);
  assert.equal(res.status, status, `HTTP status of ${code}: ${seen}`);
  assert.equal(typeof res.body.error_description, 'string', `error_description of ${code}`);
  assert.notEqual(res.body.error_description.trim(), '', `error_description of ${code} is empty`);
  assert.ok(!('result' in res.body), `an error carries no result: ${seen}`);
  assert.ok(!('time' in res.body), `an error carries no time: ${seen}`);
}

/** Assert a successful answer and return its `result`. */
export function expectOk(res: RestAnswer): any {
  const seen = JSON.stringify(res.body);
  assert.equal(res.status, 200, `expected success, got ${res.status} ${seen}`);
  assert.equal(res.body?.error, undefined, `expected success, got ${seen}`);
  assert.ok('result' in res.body, `success carries result: ${seen}`);
  assert.ok('time' in res.body, `success carries time: ${seen}`);
  return res.body.result;
}
