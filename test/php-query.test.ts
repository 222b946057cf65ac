import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery, normalize, buildQuery } from '../src/rest/php-query.ts';

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
