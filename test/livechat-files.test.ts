/**
 * Files both ways in the website live chat, over real HTTP and a real WebSocket, on SQLite and
 * PostgreSQL: a visitor uploads (POST /widget/<code>/files) → the operator reads it as the messenger
 * does (im.dialog.messages.get `files`, its urlDownload) → the operator sends a file into the line
 * chat (disk.folder.uploadfile + im.disk.file.commit) → the visitor gets it live and in history and
 * downloads it by its signed URL. Another visitor's link, a tampered or expired link, a file of
 * another chat: refused. Over-size and too many files: refused before the body is read in full.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocket } from 'ws';
import { restForm, restJson, waitFor } from './helpers/portal.ts';
import { addUser, portalSuite, webhookFor, type Dialect, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { TestClock } from './helpers/clock.ts';

const SHOP = 'https://shop.example.com';
/** The portal's PARLEY_FILE_MAX_BYTES here: below the widget's own cap, so it is the one in force. */
const MAX = 64 * 1024;
const BOUNDARY = 'parleytestboundary';

const filePart = (name: string, bytes: Buffer) => Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: application/octet-stream\r\n\r\n`), bytes, Buffer.from('\r\n'),
]);

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`live-chat files on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    let ann: string;
    let annId: number;
    let code: string;
    const clock = new TestClock();

    before(async () => {
      const s = await portalSuite(dialect, { fileMaxBytes: MAX }, { clock });
      if ('skip' in s) return void (skip = s.skip);
      p = s;
      const admin = await webhookFor(p, 1, 'imopenlines,im');
      annId = await addUser(p, { name: 'Ann', lastName: 'Support' });
      ann = await webhookFor(p, annId, 'imopenlines,im,disk');
      const lineId = expectOk(await restJson(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Shop help', QUEUE: [annId], LIVECHAT_ORIGINS: [SHOP] } }));
      code = expectOk(await restJson(admin, 'imopenlines.config.get', { CONFIG_ID: lineId })).LIVECHAT_CODE;
    });
    after(() => p?.close());

    const widget = (pathname: string) => `${p.url}/widget/${code}/${pathname}`;
    const newVisitor = async (name: string) => {
      const r = await fetch(widget('visitor'), { method: 'POST', headers: { origin: SHOP, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
      assert.equal(r.status, 200);
      return (await r.json()) as { token: string; visitorId: number };
    };
    const upload = async (token: string, files: [string, Buffer][], text?: string) => {
      const form = new FormData();
      if (text !== undefined) form.append('text', text);
      for (const [name, bytes] of files) form.append('file', new Blob([new Uint8Array(bytes)]), name);
      const r = await fetch(widget('files'), { method: 'POST', headers: { origin: SHOP, authorization: `Bearer ${token}` }, body: form });
      return { status: r.status, body: await r.json() as any };
    };
    const history = async (token: string) => {
      const r = await fetch(widget('history'), { headers: { origin: SHOP, authorization: `Bearer ${token}` } });
      return (await r.json()).messages as any[];
    };
    const live = (token: string) => new Promise<{ ws: WebSocket; got: any[] }>((resolve, reject) => {
      const ws = new WebSocket(`${p.url.replace(/^http/, 'ws')}/widget/${code}/live`, ['parley-widget', token], { headers: { origin: SHOP } });
      const got: any[] = [];
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      ws.once('open', () => resolve({ ws, got }));
      ws.once('error', reject);
    });
    const chatOf = async (visitorId: number) => Number((await p.portal.db.selectFrom('ol_livechat_visitors').select('chat_id').where('id', '=', visitorId).executeTakeFirstOrThrow()).chat_id);
    // A request whose body is written only in part, left open: the answer must come without the rest.
    const partial = (headers: Record<string, string>, chunks: Buffer[]) => new Promise<{ status: number; body: any; sent: number }>((resolve, reject) => {
      const req = http.request(widget('files'), { method: 'POST', headers: { origin: SHOP, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers } });
      let sent = 0;
      req.on('response', (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString()), sent });
        });
      });
      req.on('error', reject);
      for (const c of chunks) {
        req.write(c);
        sent += c.length;
      }
    });

    test('a visitor uploads, the operator reads it; the operator sends a file, the visitor gets it live and in history', async (t) => {
      if (skip) return t.skip(skip);
      const v = await newVisitor('Mia');
      const sock = await live(v.token);
      await waitFor('hello', async () => sock.got.find((m) => m.type === 'hello'));
      const receipt = Buffer.from('%PDF-1.4 the receipt of order 42\n');
      const sent = await upload(v.token, [['receipt.pdf', receipt]], 'My receipt');
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const chatId = await chatOf(v.visitorId);
      await waitFor('Ann in the line chat', async () => (await p.portal.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).where('user_id', '=', annId).executeTakeFirst()));

      // The operator reads it as the messenger does: the message's FILE_ID and the dialog's files, downloaded by urlDownload.
      const dialog = expectOk(await restForm(ann, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }));
      const msg = dialog.messages.find((m: any) => m.id === sent.body.id);
      assert.equal(msg.text, 'My receipt');
      assert.equal(msg.params.FILE_ID.length, 1);
      const f = dialog.files.find((x: any) => x.id === msg.params.FILE_ID[0]);
      assert.equal(f.name, 'receipt.pdf');
      assert.equal(f.size, receipt.length);
      assert.equal(f.chatId, chatId);
      assert.deepEqual(Buffer.from(await (await fetch(f.urlDownload)).arrayBuffer()), receipt);
      // The visitor sees their own file in history, with a link of their own.
      const mine = (await history(v.token)).find((m) => m.id === sent.body.id);
      assert.deepEqual(mine.files.map((x: any) => [x.name, x.size, x.type]), [['receipt.pdf', receipt.length, 'file']]);

      // The operator answers with a file, as the messenger sends one (upload into the chat folder, then commit).
      const folder = expectOk(await restForm(ann, 'im.disk.folder.get', { CHAT_ID: chatId })).ID;
      const label = Buffer.from('shipping label 42');
      const up = expectOk(await restJson(ann, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'label.txt' }, fileContent: ['label.txt', label.toString('base64')], generateUniqueName: true }));
      const commit = expectOk(await restForm(ann, 'im.disk.file.commit', { CHAT_ID: chatId, UPLOAD_ID: up.ID, MESSAGE: 'Here is your label' }));
      const got = await waitFor('the operator\'s file, live', async () => sock.got.find((m) => m.type === 'message' && m.message.id === commit.MESSAGE_ID));
      assert.equal(got.message.author.kind, 'operator');
      assert.equal(got.message.text, 'Here is your label');
      assert.equal(got.message.files.length, 1);
      const lf = got.message.files[0];
      assert.deepEqual([lf.name, lf.size, lf.type], ['label.txt', label.length, 'file']);
      assert.ok(lf.url.startsWith(`${p.url}/widget/${code}/files/${lf.id}/label.txt?token=`));
      const dl = await fetch(lf.url);
      assert.equal(dl.status, 200);
      assert.match(dl.headers.get('content-disposition') ?? '', /^attachment/);
      assert.deepEqual(Buffer.from(await dl.arrayBuffer()), label);
      const inHistory = (await history(v.token)).find((m) => m.id === commit.MESSAGE_ID);
      assert.deepEqual(inHistory.files.map((x: any) => x.id), [lf.id]);
      sock.ws.close();
    });

    test('links: another visitor\'s, tampered, for another file, of another chat, expired — refused', async (t) => {
      if (skip) return t.skip(skip);
      const a = await newVisitor('Alice');
      const b = await newVisitor('Bob');
      const sa = await upload(a.token, [['alice.txt', Buffer.from('secret of Alice')]]);
      const sb = await upload(b.token, [['bob.txt', Buffer.from('Bob here')]]);
      assert.equal(sa.status, 200);
      assert.equal(sb.status, 200);
      const fa = (await history(a.token)).find((m) => m.id === sa.body.id).files[0];
      const fb = (await history(b.token)).find((m) => m.id === sb.body.id).files[0];
      assert.ok((await history(b.token)).every((m) => !(m.files ?? []).some((x: any) => x.id === fa.id)), 'Bob\'s history has nothing of Alice\'s');
      assert.equal((await fetch(fa.url)).status, 200);
      const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
      // Bob's link with Alice's file id in the path: the signature names Bob's file only.
      const swapped = await fetch(`${p.url}/widget/${code}/files/${fa.id}/alice.txt?token=${encodeURIComponent(tokenOf(fb.url))}`);
      assert.equal(swapped.status, 403);
      assert.equal((await swapped.json()).error, 'WIDGET_FILE_LINK');
      // A payload rewritten to Alice's file, with Bob's signature: the signature no longer matches.
      const [body, mac] = tokenOf(fb.url).split('.');
      const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace(`lcfile:${fb.id}:`, `lcfile:${fa.id}:`)).toString('base64url');
      assert.equal((await fetch(`${p.url}/widget/${code}/files/${fa.id}/x?token=${forged}.${mac}`)).status, 403);
      const flipped = tokenOf(fa.url).slice(0, -2) + (tokenOf(fa.url).endsWith('AA') ? 'BB' : 'AA');
      assert.equal((await fetch(`${p.url}/widget/${code}/files/${fa.id}/x?token=${encodeURIComponent(flipped)}`)).status, 403);
      assert.equal((await fetch(`${p.url}/widget/${code}/files/${fa.id}/x`)).status, 403);
      // A file of the operator's in another chat: never reachable through the widget, whatever link is brought.
      const group = expectOk(await restForm(ann, 'im.chat.add', { TITLE: 'Internal', USERS: [1] }));
      const folder = expectOk(await restForm(ann, 'im.disk.folder.get', { CHAT_ID: group })).ID;
      const up = expectOk(await restJson(ann, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'plan.txt' }, fileContent: ['plan.txt', Buffer.from('internal').toString('base64')] }));
      expectOk(await restForm(ann, 'im.disk.file.commit', { CHAT_ID: group, UPLOAD_ID: up.ID }));
      assert.equal((await fetch(`${p.url}/widget/${code}/files/${up.ID}/plan.txt?token=${encodeURIComponent(tokenOf(fa.url))}`)).status, 403);
      // A link from a foreign site's script (it sends an Origin) is refused as every widget route is.
      assert.equal((await fetch(fa.url, { headers: { origin: 'https://evil.example.net' } })).status, 403);
      // Past PARLEY_FILE_URL_TTL the link is gone; history hands out a fresh one.
      clock.advance((p.portal.config.fileUrlTtl + 3600) * 1000);
      const expired = await fetch(fa.url);
      assert.equal(expired.status, 410);
      assert.equal((await expired.json()).error, 'FILE_LINK_EXPIRED');
      const fresh = (await history(a.token)).find((m) => m.id === sa.body.id).files[0];
      assert.notEqual(fresh.url, fa.url);
      assert.equal(await (await fetch(fresh.url)).text(), 'secret of Alice');
    });

    test('limits: over-size and too many files refused before the body is read in full; nothing stays stored', async (t) => {
      if (skip) return t.skip(skip);
      const v = await newVisitor('Lim');
      const before = await history(v.token);
      const auth = { authorization: `Bearer ${v.token}` };
      // A declared length past the caps: refused from the headers, only the first bytes sent.
      const declared = await partial({ ...auth, 'content-length': String(50 * 1024 * 1024) }, [filePart('big.bin', Buffer.alloc(1024))]);
      assert.deepEqual([declared.status, declared.body.error], [413, 'WIDGET_FILE_TOO_LARGE']);
      // No length declared (chunked): the part that passes the cap stops the reading; the body is never finished.
      const streamed = await partial(auth, [filePart('big.bin', Buffer.alloc(MAX + 1024, 7)).subarray(0, MAX + 512)]);
      assert.deepEqual([streamed.status, streamed.body.error], [413, 'WIDGET_FILE_TOO_LARGE']);
      // Six small files where five are allowed: refused at the sixth, the body left open.
      const many = await partial(auth, Array.from({ length: 6 }, (_, i) => filePart(`f${i}.txt`, Buffer.from(`file ${i}`))));
      assert.deepEqual([many.status, many.body.error], [400, 'WIDGET_TOO_MANY_FILES']);
      // Through fetch too (a whole body): one byte over is 413; exactly the cap is taken.
      assert.equal((await upload(v.token, [['over.bin', Buffer.alloc(MAX + 1, 1)]])).status, 413);
      assert.equal((await upload(v.token, [['none.txt', Buffer.alloc(0)]])).status, 200);
      const ok = await upload(v.token, [['max.bin', Buffer.alloc(MAX, 2)]]);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal((await upload(v.token, [])).body.error, 'WIDGET_FILE');
      const bad = await fetch(widget('files'), { method: 'POST', headers: { origin: SHOP, 'content-type': 'application/json' }, body: '{}' });
      assert.equal(bad.status, 401, 'no token: refused before anything');
      // The refused requests left no message and no file: only the two taken uploads were posted.
      const after = await history(v.token);
      assert.equal(after.filter((m) => m.author.kind === 'visitor').length - before.filter((m) => m.author.kind === 'visitor').length, 2);
      const rows = await p.portal.db.selectFrom('disk_files').select('name').where('chat_id', '=', await chatOf(v.visitorId)).execute();
      assert.deepEqual(rows.map((r) => r.name).sort(), ['max.bin', 'none.txt']);
      // …and no bytes: the store holds no temporary file and no blob of the refused parts.
      const tmp = path.join(p.portal.config.filesDir, 'tmp');
      await waitFor('temporary files removed', async () => !fs.existsSync(tmp) || fs.readdirSync(tmp).length === 0);
    });
  });
}
