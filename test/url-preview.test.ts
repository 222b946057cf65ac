/**
 * URL previews over real HTTP: a loopback web server serves pages with <title> and og:* tags; a
 * portal allowed to fetch private addresses adds the rich link (URL_ID, URL_ONLY, a transparent
 * RICH_LINK attach) after the message is committed; URL_PREVIEW=N and a portal on default settings
 * never fetch; huge and silent pages neither hang the call nor the preview.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPortal, echoBot, restForm, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { buildRichLink, isPrivateAddress } from '../src/format/url-preview.ts';

/** What the page server saw: every request path, and which connections were closed by the client. */
const seen: string[] = [];
const closed = new Set<string>();
let bigBytes = 0;
let site: http.Server;
let base: string;

const PAGE = `<!doctype html><html><head>
<meta charset="utf-8"><title>Plain title</title>
<meta property="og:title" content="Parley &quot;Preview&quot; &mdash; caf&#233;">
<meta name="description" content="The meta description">
<meta property="og:description" content="The &lt;og&gt; description">
<meta property="og:image" content="/img/logo.png?size=2&amp;v=1">
</head><body>Hello</body></html>`;

function startSite(): Promise<void> {
  site = http.createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push(path);
    req.socket.once('close', () => closed.add(path));
    const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    if (path.startsWith('/page')) return html(PAGE);
    if (path.startsWith('/title-only')) return html('<html><head><title>  Only\n a   title </title></head></html>');
    if (path.startsWith('/redirect')) return res.writeHead(302, { location: '/page?via=redirect' }).end();
    if (path.startsWith('/loop')) return res.writeHead(302, { location: path }).end();
    if (path.startsWith('/image')) return res.writeHead(200, { 'content-type': 'image/png' }).end('PNG');
    if (path.startsWith('/big')) {
      // An endless page: whatever is read past the head must be refused by the client.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>Big page</title></head><body>');
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && bigBytes < 64 * 1024 * 1024) {
          bigBytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => closed.add(path));
      return pump();
    }
    if (path.startsWith('/slow')) return; // never answers
    res.writeHead(404).end();
  });
  return new Promise((resolve) => site.listen(0, '127.0.0.1', () => {
    base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    resolve();
  }));
}

before(startSite);
after(() => {
  site.closeAllConnections();
  site.close();
});

type Portal = Awaited<ReturnType<typeof testPortal>>;

/** Anna writes to Ivan; the message's params as Anna reads them. */
async function send(anna: string, message: string, extra: Record<string, unknown> = {}): Promise<number> {
  return expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: 3, MESSAGE: message, ...extra }));
}
async function params(anna: string, id: number, dialog: number | string = 3): Promise<any> {
  const history = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 50 }));
  return history.messages.find((m: any) => m.id === id)?.params;
}
const previewOf = (anna: string, id: number, dialog: number | string = 3) =>
  waitFor(`preview of ${id}`, async () => {
    const p = await params(anna, id, dialog);
    return p?.ATTACH ? p : undefined;
  });

describe('a portal allowed to fetch private addresses (urlPreviewPrivate)', () => {
  let portal: Portal;
  let anna: string;
  let bot: Child;

  before(async () => {
    portal = await testPortal({ urlPreviewPrivate: true });
    anna = await webhookFor(portal, 2);
  });
  after(async () => {
    await bot?.stop();
    await portal?.close();
  });

  test('a message that is only a link gets URL_ID, URL_ONLY and the RICH_LINK attach', async () => {
    const url = `${base}/page`;
    const id = await send(anna, url);
    const p = await previewOf(anna, id);
    assert.deepEqual(p, {
      URL_ID: [id],
      URL_ONLY: 'Y',
      ATTACH: [{
        ID: String(id),
        BLOCKS: [{ RICH_LINK: [{
          NAME: 'Parley "Preview" — café',
          LINK: url,
          DESC: 'The <og> description',
          PREVIEW: `${base}/img/logo.png?size=2&v=1`,
        }] }],
        COLOR: 'transparent',
      }],
    });
  });

  test('a link inside text: <title> when there are no og tags, no URL_ONLY; an attach of the message is kept', async () => {
    const id = await send(anna, `look at [URL=${base}/title-only]this[/URL], please`, { ATTACH: [{ MESSAGE: 'mine' }] });
    const p = await waitFor('the rich link', async () => {
      const q = await params(anna, id);
      return q?.URL_ID ? q : undefined;
    });
    assert.equal(p.URL_ONLY, undefined);
    assert.equal(p.ATTACH.length, 2);
    assert.deepEqual(p.ATTACH[0].BLOCKS, [{ MESSAGE: 'mine' }]);
    assert.deepEqual(p.ATTACH[1].BLOCKS, [{ RICH_LINK: [{ NAME: 'Only a title', LINK: `${base}/title-only` }] }]);
  });

  test('redirects are followed (and re-checked); a redirect loop and a non-HTML page give no preview', async () => {
    const id = await send(anna, `${base}/redirect`);
    const p = await previewOf(anna, id);
    assert.equal(p.ATTACH[0].BLOCKS[0].RICH_LINK[0].LINK, `${base}/redirect`);
    assert.equal(p.ATTACH[0].BLOCKS[0].RICH_LINK[0].NAME, 'Parley "Preview" — café');
    assert.ok(seen.includes('/page?via=redirect'));
    assert.equal(await buildRichLink(`${base}/loop`, { allowPrivate: true }), null);
    assert.equal(seen.filter((s) => s === '/loop').length, 4, 'the first request and at most 3 redirects');
    assert.equal(await buildRichLink(`${base}/image.png`, { allowPrivate: true }), null);
  });

  test('URL_PREVIEW=N: the page is never fetched', async () => {
    const off = await send(anna, `${base}/page?off=1`, { URL_PREVIEW: 'N' });
    // A later message with previews on shows the pipeline ran past the first one.
    const on = await send(anna, `${base}/page?on=1`);
    await previewOf(anna, on);
    assert.ok(!seen.includes('/page?off=1'));
    assert.deepEqual(await params(anna, off), { URL_PREVIEW: 'N' });
  });

  test('an edit to a new link replaces the old preview', async () => {
    const id = await send(anna, `${base}/page?edit=1`);
    await previewOf(anna, id);
    assert.equal(expectOk(await restForm(anna, 'im.message.update', { MESSAGE_ID: id, MESSAGE: `${base}/title-only?edit=2` })), true);
    const p = await waitFor('the new preview', async () => {
      const q = await params(anna, id);
      return q?.ATTACH?.[0]?.BLOCKS[0].RICH_LINK[0].NAME === 'Only a title' ? q : undefined;
    });
    assert.equal(p.ATTACH.length, 1);
    assert.deepEqual(p.URL_ID, [id]);
    assert.equal(p.IS_EDITED, 'Y');
  });

  test('a huge page is read only up to its head: the preview comes and the server is cut off', async () => {
    const id = await send(anna, `${base}/big`);
    const p = await previewOf(anna, id);
    assert.equal(p.ATTACH[0].BLOCKS[0].RICH_LINK[0].NAME, 'Big page');
    await waitFor('the big page connection closed', async () => closed.has('/big'));
    assert.ok(bigBytes < 16 * 1024 * 1024, `the client stopped reading (${bigBytes} bytes sent)`);
  });

  test('a page that never answers does not hold the call, and the fetch gives up', async () => {
    const id = await send(anna, `${base}/slow`);
    // The REST answer came although the page has not answered (and never will).
    assert.ok(id > 0);
    await waitFor('the slow request', async () => seen.includes('/slow'));
    await waitFor('the slow request abandoned', async () => closed.has('/slow'), 10_000);
    assert.equal((await params(anna, id)).ATTACH, undefined);
    const next = await send(anna, `${base}/page?after=slow`);
    await previewOf(anna, next);
  });

  test('a bot\'s message (imbot.message.add) gets its preview too', async () => {
    bot = await echoBot();
    const { botId, install } = await installEchoBot(portal, bot);
    const id = expectOk(await restForm(`${portal.url}/rest/`, 'imbot.message.add', { auth: install.auth.access_token, BOT_ID: botId, DIALOG_ID: 2, MESSAGE: `${base}/page?bot=1` }));
    const p = await previewOf(anna, id, botId);
    assert.equal(p.URL_ONLY, 'Y');
    assert.equal(p.ATTACH[0].COLOR, 'transparent');
  });
});

describe('a portal on default settings', () => {
  let portal: Portal;
  let anna: string;

  before(async () => {
    portal = await testPortal();
    anna = await webhookFor(portal, 2);
  });
  after(() => portal?.close());

  test('a loopback link is not fetched, by address or by a name that resolves to loopback', async () => {
    const byIp = await send(anna, `${base}/page?strict=ip`);
    const byName = await send(anna, `${base.replace('127.0.0.1', 'localhost')}/page?strict=name`);
    // The guard itself, awaited: refused without a request.
    assert.equal(await buildRichLink(`${base}/page?strict=direct`), null);
    assert.equal(await buildRichLink(`${base.replace('127.0.0.1', 'localhost')}/page?strict=direct-name`), null);
    assert.equal(await buildRichLink(`${base.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/page?strict=mapped`), null);
    // Give the portal's own (unawaited) attempts the time the awaited ones needed, then check.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(seen.filter((s) => s.includes('strict=')), []);
    assert.equal((await params(anna, byIp)).ATTACH, undefined);
    assert.equal((await params(anna, byName)).ATTACH, undefined);
  });

  test('only http and https are fetched', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://127.0.0.1:70/']) {
      assert.equal(await buildRichLink(url, { allowPrivate: true }), null, url);
    }
  });

  test('private, loopback, link-local and reserved addresses are recognized, public ones are not', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
      '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:c0a8:101::1', '2001:db8::1', 'fec0::1']) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8', '2606:4700::1111']) {
      assert.equal(isPrivateAddress(ip), false, ip);
    }
  });
});
