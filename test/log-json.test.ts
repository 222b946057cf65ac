/**
 * The call log's JSON (src/auth/log-json.ts): the same text JSON.stringify writes when nothing is
 * secret or long, secrets out by key and by value, file content as a size, long values cut and
 * marked — and a secret running across the cut never half-kept.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { logJson } from '../src/auth/log-json.ts';
import { sqlitePortalFor, webhookFor } from './helpers/suite.ts';

describe('call log JSON', () => {
  const portal = sqlitePortalFor();

  const one = async (value: unknown, max = 8000, known: string[] = []) => (await logJson(portal().portal.db, [{ value, max }], known))[0];

  test('plain values come out as JSON.stringify writes them', async () => {
    const samples: unknown[] = [
      null, undefined, 0, -1.5, Number.NaN, true, 'text "quoted" \\ \n', [], {}, [1, 'two', null, undefined, { a: [] }],
      { a: 1, b: undefined, c: () => 1, d: { e: 'f', g: [true] } }, new Date(0), { nested: Object.assign(Object.create(null), { x: '1' }) },
    ];
    for (const v of samples) assert.equal(await one(v), JSON.stringify(v ?? null) ?? 'null', JSON.stringify(v));
  });

  test('secret-named keys, known secrets, webhook codes and file content are hidden', async () => {
    const hook = await webhookFor(portal(), 1);
    const code = hook.split('/').at(-2)!;
    const base64 = Buffer.alloc(300, 7).toString('base64');
    const text = await one({
      PASSWORD: 'pw', nested: { client_secret: 'cs', list: [{ access_token: 't' }] }, AUTH: 'x',
      said: `my hook ${hook} and code ${code}`, mine: 'own-secret-12345 inside', fileContent: ['a.bin', base64], blob: base64,
      bytes: new Uint8Array(5),
    }, 8000, ['own-secret-12345']);
    const logged = JSON.parse(text);
    assert.equal(logged.PASSWORD, '(hidden)');
    assert.equal(logged.nested.client_secret, '(hidden)');
    assert.equal(logged.nested.list[0].access_token, '(hidden)');
    assert.equal(logged.AUTH, '(hidden)');
    assert.ok(!text.includes(code), 'the stored webhook code is found by value');
    assert.ok(!text.includes('own-secret-12345'));
    assert.match(logged.mine, /^\(hidden\) inside$/);
    assert.deepEqual(logged.fileContent, ['a.bin', '(300 bytes)']);
    assert.equal(logged.blob, '(300 bytes)');
    assert.equal(logged.bytes, '(5 bytes)');
  });

  test('a long value is cut and marked, whether the rules apply to it or not', async () => {
    const plain = Array.from({ length: 200_000 }, (_, i) => ({ id: i, text: `message ${i}` }));
    const text = await one(plain, 1000);
    assert.equal(text, `${JSON.stringify(plain).slice(0, 1000)}…(cut: longer than 1000 characters)`);
    // A secret-named key sends the value through the rules' walk, cut the same way.
    const ruled = Array.from({ length: 200_000 }, (_, i) => ({ id: i, password: `p${i}` }));
    const cut = await one(ruled, 1000);
    assert.ok(cut.startsWith('[{"id":0,"password":"(hidden)"},{"id":1,"password":"(hidden)"}'), cut.slice(0, 80));
    assert.match(cut, /…\(cut: longer than 1000 characters\)$/);
    assert.ok(cut.length <= 1000 + 40);
  });

  test('a secret running across the cut is hidden whole, not half kept', async () => {
    const secret = 'abcdef0123456789abcdef0123456789';
    for (let at = 980; at <= 1000; at += 4) {
      const value = { lead: 'x'.repeat(at - 10), s: secret };
      const text = await one(value, 1000, [secret]);
      for (let len = 8; len <= secret.length; len++) assert.ok(!text.includes(secret.slice(0, len)), `cut at ${at}: ${len} characters kept`);
    }
  });
});
