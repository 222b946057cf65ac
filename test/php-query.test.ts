import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery as parseRaw, normalize as normalizeRaw, buildQuery, PHP_ARRAY_PROTO } from '../src/wire/php-query.ts';
import { RestError } from '../src/errors.ts';
import { parseJsonInput } from '../src/wire/json-input.ts';
import { MAX_INPUT_NESTING, MAX_INPUT_VARS } from '../src/wire/limits.ts';

// Parsed objects are null-prototype; compare their plain JSON form.
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const parseQuery = (q: string) => parseRaw(q);
const normalize = (v: unknown) => plain(normalizeRaw(v));

test('parse_str semantics: nesting, appends, dots in names, last value wins', () => {
  const q = parseQuery('a[]=1&a[]=2&b[x][0]=q&b[x][1]=r&c=1&c=2&d[5]=z&e.f=1&g+h=2&ATTACH[0][LINK][NAME]=Hi+there&m=%D0%BF');
  assert.deepEqual(normalize(q), {
    a: ['1', '2'],
    b: { x: ['q', 'r'] },
    c: '2',
    d: { 5: 'z' },
    e_f: '1',
    g_h: '2',
    ATTACH: [{ LINK: { NAME: 'Hi there' } }],
    m: 'п',
  });
});

test('appending after explicit indices continues from the largest one', () => {
  assert.deepEqual(normalize(parseQuery('a[3]=x&a[]=y')), { a: { 3: 'x', 4: 'y' } });
});

test('malformed escapes and empty pairs do not throw', () => {
  assert.deepEqual(normalize(parseQuery('a=%E0%A4%A&&b')), { a: '\u00e0\u00a4%A', b: '' });
});

test('http_build_query: booleans, nulls, empty arrays, nesting', () => {
  const body = buildQuery({ event: 'X', data: { BOT: { 5: { id: 1 } }, L: [1, 2], t: true, f: false, n: null, e: [] }, s: 'a b&c' });
  assert.equal(decodeURIComponent(body.replace(/\+/g, ' ')), 'event=X&data[BOT][5][id]=1&data[L][0]=1&data[L][1]=2&data[t]=1&data[f]=0&s=a b&c');
  assert.deepEqual(normalize(parseQuery(body)), { event: 'X', data: { BOT: { 5: { id: '1' } }, L: ['1', '2'], t: '1', f: '0' }, s: 'a b&c' });
});

test('prototype keys are dropped at every level and nothing reaches Object.prototype', () => {
  const q = parseRaw('__proto__[ATTACH][0][MESSAGE]=x&a[__proto__][b]=1&constructor[prototype][TITLE]=X&b[prototype]=2&ok=1');
  assert.deepEqual(plain(q), { ok: '1' });
  // Parsed objects never reach Object.prototype: their own prototype is frozen and has none.
  assert.equal(Object.getPrototypeOf(q), PHP_ARRAY_PROTO);
  assert.equal(Object.getPrototypeOf(parseRaw('a[b]=1').a), PHP_ARRAY_PROTO);
  assert.equal(Object.getPrototypeOf(PHP_ARRAY_PROTO), null);
  assert.ok(Object.isFrozen(PHP_ARRAY_PROTO));
  // …and convert like PHP arrays instead of throwing, as a bare null-prototype object would.
  assert.equal(String(parseRaw('a[b]=1').a), 'Array');
  assert.ok(Number.isNaN(Number(parseRaw('a[b]=1').a)));
  assert.equal(({} as Record<string, unknown>).ATTACH, undefined);
  assert.equal(({} as Record<string, unknown>).TITLE, undefined);
  const j = normalizeRaw(JSON.parse('{"__proto__":{"KEYBOARD":[1]},"x":{"constructor":{"prototype":{"y":1}},"z":2}}')) as Record<string, unknown>;
  assert.deepEqual(plain(j), { x: { z: 2 } });
  assert.equal(({} as Record<string, unknown>).KEYBOARD, undefined);
});

test(`max_input_vars: ${MAX_INPUT_VARS} variables pass, one more is INVALID_REQUEST`, () => {
  const at = Array.from({ length: MAX_INPUT_VARS }, (_, i) => `v${i}=1`).join('&');
  assert.equal(Object.keys(parseRaw(at)).length, MAX_INPUT_VARS);
  assert.throws(() => parseRaw(`${at}&one=more`), (e: unknown) => e instanceof RestError && e.code === 'INVALID_REQUEST' && e.status === 400 && /max_input_vars/.test(e.description));
});

test(`max_input_nesting_level: ${MAX_INPUT_NESTING} levels pass, one more is INVALID_REQUEST`, () => {
  const name = (n: number) => 'a' + '[x]'.repeat(n);
  assert.deepEqual(JSON.stringify(parseRaw(`${name(MAX_INPUT_NESTING)}=1`)).split('"x"').length - 1, MAX_INPUT_NESTING);
  assert.throws(() => parseRaw(`${name(MAX_INPUT_NESTING + 1)}=1`), (e: unknown) => e instanceof RestError && e.code === 'INVALID_REQUEST' && /nesting/.test(e.description));
  // A very long name with a million brackets fails fast instead of walking them all.
  const t0 = performance.now();
  assert.throws(() => parseRaw(`${name(1_000_000)}=1`), RestError);
  assert.ok(performance.now() - t0 < 5_000);
});

test('appends are linear: 1,000 a[]= items, each appended after the largest key', () => {
  const q = parseRaw(Array.from({ length: MAX_INPUT_VARS }, () => 'a[]=1').join('&'));
  assert.equal((normalizeRaw(q) as { a: unknown[] }).a.length, MAX_INPUT_VARS);
  assert.deepEqual(normalize(parseRaw('a[-5]=x&a[]=y&a[07]=z&a[]=w')), { a: { '-5': 'x', 0: 'y', '07': 'z', 1: 'w' } });
});

test('JSON input: nesting beyond json_decode\'s 512 is invalid, as PHP answers null', () => {
  assert.deepEqual(plain(parseJsonInput('[[[1]]]')), [[[1]]]);
  assert.equal(parseJsonInput('['.repeat(513) + ']'.repeat(513)), undefined);
  assert.notEqual(parseJsonInput('['.repeat(512) + ']'.repeat(512)), undefined);
  assert.deepEqual(plain(parseJsonInput('{"s":"[[[[{{{{\\"","n":1}')), { s: '[[[[{{{{"', n: 1 });
  assert.equal(parseJsonInput('{bad'), undefined);
});
