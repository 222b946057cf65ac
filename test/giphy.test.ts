/**
 * imbot.Giphy.*: a real client of the Giphy API, pointed at a loopback server that speaks Giphy's
 * format; without a key the portal answers SERVICE_UNAVAILABLE.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { restForm, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';

const seen: URL[] = [];
let giphy: http.Server;
let giphyUrl: string;

const gif = (id: string) => ({
  id, images: {
    fixed_width_downsampled: { url: `https://media.example/${id}/200w_d.gif`, webp: `https://media.example/${id}/200w_d.webp` },
    fixed_height: { url: `https://media.example/${id}/200.gif`, webp: `https://media.example/${id}/200.webp` },
  },
});

before(async () => {
  giphy = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(url);
    res.setHeader('content-type', 'application/json');
    if (url.searchParams.get('api_key') !== 'test-key') {
      res.statusCode = 401;
      return res.end(JSON.stringify({ message: 'Invalid authentication credentials' }));
    }
    const limit = Number(url.searchParams.get('limit'));
    const ids = url.pathname === '/v1/gifs/trending' ? Array.from({ length: 20 }, (_, i) => `hot${i}`) : [`${url.searchParams.get('q')}1`, `${url.searchParams.get('q')}2`, 'x3'];
    res.end(JSON.stringify({ data: ids.slice(0, limit).map(gif), pagination: { count: limit }, meta: { status: 200 } }));
  });
  await new Promise<void>((r) => giphy.listen(0, '127.0.0.1', () => r()));
  giphyUrl = `http://127.0.0.1:${(giphy.address() as AddressInfo).port}`;
});

after(() => giphy.close());

test('search and popular GIFs come from the Giphy API in the documented pairs', async () => {
  const portal = await testPortal({ giphyKey: 'test-key', giphyUrl });
  try {
    const hook = await webhookFor(portal, 1, 'imbot');
    const found = await restForm(hook, 'imbot.Giphy.list', { filter: { search: 'cat' }, limit: 2, offset: 4 });
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.result, [
      { preview: 'https://media.example/cat1/200w_d.webp', original: 'https://media.example/cat1/200.webp' },
      { preview: 'https://media.example/cat2/200w_d.webp', original: 'https://media.example/cat2/200.webp' },
    ]);
    const q = seen.at(-1)!;
    assert.equal(q.pathname, '/v1/gifs/search');
    assert.equal(q.searchParams.get('q'), 'cat');
    assert.equal(q.searchParams.get('offset'), '4');
    const popular = await restForm(hook, 'imbot.Giphy.listPopular');
    assert.equal(popular.body.result.length, 15);
    assert.equal(seen.at(-1)!.pathname, '/v1/gifs/trending');
    const missing = await restForm(hook, 'imbot.Giphy.list', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'ERROR_ARGUMENT');
    assert.equal(missing.body.argument, 'filter.search');
  } finally {
    await portal.close();
  }
});

test('without a key, or with a key Giphy refuses, the methods answer SERVICE_UNAVAILABLE', async () => {
  for (const giphyKey of [undefined, 'wrong-key']) {
    const portal = await testPortal({ giphyKey, giphyUrl });
    try {
      const hook = await webhookFor(portal, 1, 'imbot');
      const before = seen.length;
      const r = await restForm(hook, 'imbot.Giphy.listPopular');
      assert.equal(r.status, 503);
      assert.equal(r.body.error, 'SERVICE_UNAVAILABLE');
      assert.equal(seen.length, giphyKey ? before + 1 : before, 'no request without a key');
    } finally {
      await portal.close();
    }
  }
});
