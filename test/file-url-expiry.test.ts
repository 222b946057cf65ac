/**
 * Signed file URLs expire (issue 8, finding 12): urlDownload/urlShow/urlPreview work for
 * PARLEY_FILE_URL_TTL (24 hours by default; a minute here, on a test clock moved past it), then answer 410 FILE_LINK_EXPIRED as JSON; the
 * same file read again through REST has a fresh, working URL; the web messenger's session cookie
 * still opens an expired link (pictures on a page left open), a leaked link alone does not; links
 * made before expiry existed are expired; access is still checked at download.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { restForm, restJson, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { expectError, expectOk, http } from './helpers/rest-assert.ts';
import { makePng } from './helpers/png.ts';
import { fileUrlExpiry } from '../src/domain/files.ts';
import { sign } from '../src/domain/file-store.ts';
import { TestClock } from './helpers/clock.ts';

test('a link lives at least the lifetime and at most one step (1/24 of it, up to an hour) longer, and is stable within a step', () => {
  const now = Date.UTC(2026, 0, 1, 10, 17, 3);
  const exp = fileUrlExpiry(86_400, now);
  assert.ok(exp * 1000 - now >= 86_400_000 && exp * 1000 - now <= 90_000_000, String(exp * 1000 - now));
  assert.equal(fileUrlExpiry(86_400, now + 60_000), exp, 'the same URL a minute later');
  assert.equal(exp % 3600, 0);
  assert.equal(fileUrlExpiry(2, now), Math.floor(now / 1000) + 2);
});

describe('an expired file link', () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let anna: string;
  let chat: number;
  let fileId: number;
  const clock = new TestClock();

  before(async () => {
    portal = await testPortal({ fileUrlTtl: 60 }, { clock });
    anna = await webhookFor(portal, 2, 'im,disk');
    chat = expectOk(await restForm(anna, 'im.chat.add', { USERS: [3], TITLE: 'Pictures' }));
    const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: chat })).ID;
    const up = expectOk(await restForm(anna, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'pic.png' }, fileContent: ['pic.png', makePng(8, 8).toString('base64')] }));
    fileId = up.ID;
    expectOk(await restJson(anna, 'im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: up.ID, MESSAGE: 'a picture' }));
  });
  after(() => portal?.close());

  const fileOf = async (hook: string) => {
    const page = expectOk(await restForm(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` }));
    return page.files.find((f: any) => f.id === fileId) as { urlDownload: string; urlShow: string; urlPreview: string };
  };
  const signIn = async () => {
    const line = fs.readFileSync(path.join(portal.dataDir, 'credentials.txt'), 'utf8').split('\n').find((l) => l.split('\t')[0] === '2')!.split('\t');
    const res = await fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: line[1], password: line[2] }) });
    assert.equal(res.status, 200);
    return (res.headers.get('set-cookie') ?? '').split(';')[0];
  };

  test('answers 410 FILE_LINK_EXPIRED; a fresh read through REST works again', async () => {
    const old = await fileOf(anna);
    for (const u of [old.urlDownload, old.urlShow, old.urlPreview]) assert.equal((await fetch(u)).status, 200, u);
    clock.advance(61_000);
    for (const u of [old.urlDownload, old.urlShow, old.urlPreview]) {
      const res = await http(u);
      expectError(res, 410, 'FILE_LINK_EXPIRED');
      assert.match(res.body.error_description, /expired.*fresh link/);
    }
    const fresh = await fileOf(anna);
    assert.notEqual(fresh.urlDownload, old.urlDownload);
    const dl = await fetch(fresh.urlDownload);
    assert.equal(dl.status, 200);
    assert.equal((await dl.arrayBuffer()).byteLength, makePng(8, 8).length);
  });

  test('the messenger\'s session still opens an expired picture; access is checked for that session\'s user', async () => {
    const old = await fileOf(anna);
    clock.advance(61_000);
    const cookie = await signIn();
    const res = await fetch(old.urlPreview, { headers: { cookie } });
    assert.equal(res.status, 200, 'the page left open keeps its pictures');
    assert.equal(res.headers.get('content-type'), 'image/png');
    // An expired link of a chat the session's user is not in stays closed.
    const maria = await webhookFor(portal, 4, 'im,disk');
    const other = expectOk(await restForm(maria, 'im.chat.add', { USERS: [3], TITLE: 'Not Anna\'s' }));
    const folder = expectOk(await restForm(maria, 'im.disk.folder.get', { CHAT_ID: other })).ID;
    const up = expectOk(await restForm(maria, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'x.png' }, fileContent: ['x.png', makePng(4, 4).toString('base64')] }));
    expectOk(await restJson(maria, 'im.disk.file.commit', { CHAT_ID: other, UPLOAD_ID: up.ID }));
    const page = expectOk(await restForm(maria, 'im.dialog.messages.get', { DIALOG_ID: `chat${other}` }));
    const mariaFile = page.files.find((f: any) => f.id === up.ID);
    clock.advance(61_000);
    expectError(await http(mariaFile.urlDownload, { headers: { cookie } }), 403, 'ACCESS_ERROR');
    expectError(await http(mariaFile.urlDownload), 410, 'FILE_LINK_EXPIRED');
  });

  test('a link signed without an expiry (made before links expired) is expired; a tampered expiry is not valid', async () => {
    const legacy = encodeURIComponent(await sign(portal.portal, `file:${fileId}:2`));
    expectError(await http(`${portal.url}/disk/file/${fileId}/download?token=${legacy}`), 410, 'FILE_LINK_EXPIRED');
    const fresh = await fileOf(anna);
    const token = decodeURIComponent(/token=([^&]+)/.exec(fresh.urlDownload)![1]);
    const [body, mac] = token.split('.');
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace(/:\d+$/, ':99999999999')).toString('base64url');
    expectError(await http(`${portal.url}/disk/file/${fileId}/download?token=${encodeURIComponent(`${forged}.${mac}`)}`), 401, 'INVALID_CREDENTIALS');
  });
});
