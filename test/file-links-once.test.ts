/**
 * File.download of Chatbots 2.0 (im.v2 and imbot.v2) answers a one-time downloadUrl, as its pages
 * say: the first GET serves the file, any later one is 410 FILE_LINK_USED (a HEAD uses nothing up);
 * racing GETs of one link serve it once; each call makes a new link; a link whose nonce was changed
 * is refused; the messenger's urlDownload stays reusable; retention forgets the uses of expired
 * links. On SQLite and PostgreSQL (the use is recorded in the database, for every node).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restJson } from './helpers/portal.ts';
import { portalSuite, webhookFor, type Dialect, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { pruneExpired } from '../src/domain/retention.ts';

const ANNA = 2;
const IVAN = 3;

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`one-time File.download links on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    let anna: string;
    let ivan: string;
    let fileId = 0;
    const ok = async (base: string, method: string, params: Record<string, unknown>) => expectOk(await restJson(base, method, params));
    const link = async () => (await ok(ivan, 'im.v2.File.download', { dialogId: String(ANNA), fileId })).downloadUrl as string;

    before(async () => {
      const s = await portalSuite(dialect);
      if ('skip' in s) return void (skip = s.skip);
      p = s;
      anna = await webhookFor(p, ANNA, 'imbot,im');
      ivan = await webhookFor(p, IVAN, 'im');
      const up = await ok(anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { name: 'once.txt', content: Buffer.from('only once').toString('base64') } });
      fileId = up.file.id;
    });
    after(async () => {
      await p?.close();
    });

    test('the first GET serves the file, the second is 410 FILE_LINK_USED; a HEAD first uses nothing up', async (t) => {
      if (skip) return t.skip(skip);
      const url = await link();
      assert.equal((await fetch(url, { method: 'HEAD' })).status, 200);
      const first = await fetch(url);
      assert.equal(first.status, 200);
      assert.equal(await first.text(), 'only once');
      const again = await fetch(url);
      assert.equal(again.status, 410);
      const body = await again.json();
      assert.equal(body.error, 'FILE_LINK_USED');
      assert.match(body.error_description, /File\.download again/);
      // A new call, a new link.
      const fresh = await link();
      assert.notEqual(fresh, url);
      assert.equal(await (await fetch(fresh)).text(), 'only once');
    });

    test('five racing GETs of one link: one is served, four are refused', async (t) => {
      if (skip) return t.skip(skip);
      const url = await link();
      const statuses = (await Promise.all(Array.from({ length: 5 }, () => fetch(url).then(async (r) => (await r.arrayBuffer(), r.status))))).sort();
      assert.deepEqual(statuses, [200, 410, 410, 410, 410]);
    });

    test('a bot\'s imbot.v2.File.download link is one-time too; a link with another nonce is not valid', async (t) => {
      if (skip) return t.skip(skip);
      const botId = (await ok(anna, 'imbot.v2.Bot.register', { botToken: `once_${dialect}`, fields: { code: `once_${dialect}`, eventMode: 'fetch', properties: { name: 'Once' } } })).bot.id;
      const sent = await ok(anna, 'im.v2.File.upload', { dialogId: String(botId), fields: { name: 'for-bot.txt', content: Buffer.from('to the bot').toString('base64') } });
      const url = (await ok(anna, 'imbot.v2.File.download', { botId, botToken: `once_${dialect}`, dialogId: String(ANNA), fileId: sent.file.id })).downloadUrl as string;
      assert.equal(await (await fetch(url)).text(), 'to the bot');
      assert.equal((await fetch(url)).status, 410);
      // The token is signed: a changed nonce (to make the link look new) breaks the signature.
      const token = new URL(url).searchParams.get('token')!;
      const [body, mac] = token.split('.');
      const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace(/[0-9a-f]{32}$/, 'f'.repeat(32))).toString('base64url');
      const res = await fetch(url.replace(encodeURIComponent(token), encodeURIComponent(`${forged}.${mac}`)));
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error, 'INVALID_CREDENTIALS');
    });

    test('the messenger\'s urlDownload stays reusable; retention forgets uses once their links expired', async (t) => {
      if (skip) return t.skip(skip);
      const history = await ok(ivan, 'im.dialog.messages.get', { DIALOG_ID: ANNA });
      const file = history.files.find((f: any) => Number(f.id) === fileId);
      for (let i = 0; i < 2; i++) assert.equal(await (await fetch(file.urlDownload)).text(), 'only once');
      const uses = Number((await p.portal.db.selectFrom('file_link_uses').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(uses, 4, 'one row per one-time link used above (two, one raced, the bot\'s); none for urlDownload');
      const soon = await pruneExpired(p.portal.db, p.portal.config, Date.now());
      assert.equal(soon.linkUses, 0, 'not before the links expire');
      const later = await pruneExpired(p.portal.db, p.portal.config, Date.now() + (p.portal.config.fileUrlTtl + 7200) * 1000);
      assert.equal(later.linkUses, uses);
    });
  });
}
