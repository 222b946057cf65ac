/**
 * Chat API, messages and files: im.message.like / share (and the gaps of add / update), the chat file
 * folder, disk.folder.uploadfile (base64 and uploadUrl + multipart), im.disk.file.commit / delete /
 * save, and downloads through the authorized URLs — over real HTTP, the file flow on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { restForm, restJson, testPortal } from './helpers/portal.ts';
import { webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk, http } from './helpers/rest-assert.ts';
import { wireFilesOf } from '../src/domain/files.ts';
import { withParts } from '../src/domain/messages.ts';

/** A PNG header that says `w`×`h` (enough for the portal to recognise and measure it). */
function png(w: number, h: number, pad = 0): Buffer {
  const b = Buffer.alloc(33 + pad);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(b, 0);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
}

const MAX = 4096;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`messages and files on ${dialect}`, () => {
    let portal: TestPortal;
    let anna: string;
    let ivan: string;
    let maria: string;
    let chat: number;
    let skip: string | undefined;

    before(async () => {
      const suite = await portalSuite(dialect, { fileMaxBytes: MAX });
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      [anna, ivan, maria] = await Promise.all([2, 3, 4].map((id) => webhookFor(portal, id, 'im,imbot,disk,task')));
      chat = expectOk(await restForm(anna, 'im.chat.add', { TITLE: 'Files', USERS: [3] }));
    });
    after(async () => {
      await portal?.close();
    });

    test('im.disk.folder.get: the chat folder by CHAT_ID or DIALOG_ID, for members only', async (t) => {
      if (skip) return t.skip(skip);
      const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: chat }));
      assert.equal(typeof folder.ID, 'number');
      assert.deepEqual(expectOk(await restJson(ivan, 'im.disk.folder.get', { DIALOG_ID: `chat${chat}` })), folder, 'one folder per chat');
      expectError(await restForm(anna, 'im.disk.folder.get', {}), 400, 'CHAT_ID_EMPTY');
      expectError(await restForm(anna, 'im.disk.folder.get', { DIALOG_ID: 'nonsense' }), 400, 'DIALOG_ID_EMPTY');
      expectError(await restForm(maria, 'im.disk.folder.get', { CHAT_ID: chat }), 403, 'ACCESS_ERROR');
    });

    test('upload (PHP-style base64), commit, list, download, save, delete', async (t) => {
      if (skip) return t.skip(skip);
      const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: chat })).ID;
      const bytes = png(72, 61, 100);
      const up = expectOk(await restForm(anna, 'disk.folder.uploadfile', {
        id: folder, data: { NAME: 'image.png' }, fileContent: ['image.png', bytes.toString('base64')],
      }));
      assert.equal(up.NAME, 'image.png');
      assert.equal(up.SIZE, String(bytes.length));
      assert.equal(up.PARENT_ID, String(folder));
      assert.equal(up.DELETE_TIME, null);
      assert.match(up.CREATE_TIME, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);

      const committed = expectOk(await restJson(anna, 'im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: up.ID, MESSAGE: 'Project documents' }));
      const file = committed.FILES[`upload${up.ID}`];
      assert.deepEqual(committed.DISK_ID, [String(up.ID)]);
      assert.equal(file.id, up.ID, 'an uploaded file is posted as it is');
      assert.equal(file.chatId, chat);
      assert.equal(file.type, 'image');
      assert.deepEqual(file.image, { width: 72, height: 61 });
      assert.equal(file.extension, 'png');
      assert.equal(file.authorId, 2);
      assert.equal(file.status, 'done');
      assert.equal(committed.FILE_MODELS[`upload${up.ID}`].size, bytes.length);
      // Every key of the documented file object (English docs' FILES.upload{id}, plus the seed's `preview`), and of FILE_MODELS.
      for (const key of ['id', 'chatId', 'date', 'type', 'preview', 'name', 'extension', 'size', 'image', 'status', 'progress', 'authorId',
        'authorName', 'urlPreview', 'urlShow', 'urlDownload', 'viewerAttrs', 'mediaUrl', 'isTranscribable', 'isVideoNote', 'isVoiceNote']) {
        assert.ok(key in file, `file object has ${key}`);
      }
      assert.match(file.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      assert.equal(typeof file.mediaUrl.preview['250'], 'string');
      for (const key of ['id', 'name', 'createTime', 'updateTime', 'deleteTime', 'code', 'xmlId', 'storageId', 'realObjectId', 'parentId',
        'deletedType', 'createdBy', 'updatedBy', 'deletedBy', 'uniqueCode', 'typeFile', 'globalContentVersion', 'fileId', 'size', 'etag', 'links']) {
        assert.ok(key in committed.FILE_MODELS[`upload${up.ID}`], `file model has ${key}`);
      }

      const page = expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` }));
      const msg = page.messages.find((m: any) => m.id === committed.MESSAGE_ID);
      assert.equal(msg.text, 'Project documents');
      assert.deepEqual(msg.params.FILE_ID, [up.ID], 'message params carry FILE_ID as Bitrix24 does');
      // The dialogs helper lists files through this function; here it is checked on the stored rows directly.
      const ivanUser = (await portal.portal.db.selectFrom('users').selectAll().where('id', '=', 3).executeTakeFirstOrThrow());
      const rows = await portal.portal.db.selectFrom('messages').selectAll().where('id', '=', committed.MESSAGE_ID).execute();
      const listed = await wireFilesOf(portal.portal, portal.portal.db, await withParts(portal.portal.db, rows), ivanUser);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].id, up.ID);

      // Downloads: ivan's signed URL works for ivan; the bytes are the upload's.
      const ivanFile = listed[0] as Record<string, string>;
      const dl = await fetch(ivanFile.urlDownload);
      assert.equal(dl.status, 200);
      assert.match(dl.headers.get('content-disposition') ?? '', /^attachment; filename="image.png"/);
      assert.deepEqual(Buffer.from(await dl.arrayBuffer()), bytes);
      const show = await fetch(ivanFile.urlShow);
      assert.equal(show.headers.get('content-type'), 'image/png');
      assert.match(show.headers.get('content-disposition') ?? '', /^inline/);
      expectError(await http(ivanFile.urlDownload.replace(/token=[^&]+/, 'token=forged.sig')), 401, 'INVALID_CREDENTIALS');
      expectError(await http(`${portal.url}/disk/file/${up.ID}/download`), 401, 'NO_AUTH_FOUND');

      // im.disk.file.save: a copy in ivan's "Saved files".
      const saved = expectOk(await restForm(ivan, 'im.disk.file.save', { FILE_ID: up.ID }));
      assert.equal(saved.folder.name, 'Saved files');
      assert.equal(saved.file.name, 'image.png');
      assert.notEqual(saved.file.id, up.ID);
      const again = expectOk(await restForm(ivan, 'im.disk.file.save', { DISK_ID: up.ID }));
      assert.equal(again.folder.id, saved.folder.id);
      assert.equal(again.file.name, 'image (1).png', 'a second copy gets a free name');
      expectError(await restForm(ivan, 'im.disk.file.save', {}), 400, 'FILE_ID_EMPTY');
      expectError(await restForm(maria, 'im.disk.file.save', { FILE_ID: up.ID }), 400, 'FILE_SAVE_ERROR');

      // im.disk.file.delete: only the sender deletes; others get true or false as documented.
      expectError(await restForm(anna, 'im.disk.file.delete', { FILE_ID: up.ID }), 400, 'CHAT_ID_EMPTY');
      expectError(await restForm(anna, 'im.disk.file.delete', { CHAT_ID: chat }), 400, 'FILE_ID_EMPTY');
      assert.equal(expectOk(await restForm(maria, 'im.disk.file.delete', { CHAT_ID: chat, FILE_ID: up.ID })), false);
      assert.equal(expectOk(await restForm(ivan, 'im.disk.file.delete', { CHAT_ID: chat, FILE_ID: up.ID })), true);
      assert.equal((await fetch(ivanFile.urlDownload)).status, 200, 'a member who did not send it deletes nothing');
      assert.equal(expectOk(await restForm(anna, 'im.disk.file.delete', { CHAT_ID: chat, DISK_ID: up.ID })), true);
      expectError(await http(ivanFile.urlDownload), 400, 'ERROR_NOT_FOUND');
      const after = expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` }));
      const left = after.messages.find((m: any) => m.id === committed.MESSAGE_ID);
      assert.equal(left.text, 'Project documents', 'the text stays');
      assert.equal(left.params.FILE_ID, undefined, 'the file is gone from the message');
      // The saved copy shares the bytes and still downloads.
      const copy = await portal.portal.db.selectFrom('disk_files').selectAll().where('id', '=', saved.file.id).executeTakeFirstOrThrow();
      assert.equal(copy.deleted, 0);
    });

    test('commit by FILE_ID copies a readable file; a file-only message dies with its file', async (t) => {
      if (skip) return t.skip(skip);
      const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: chat })).ID;
      const up = expectOk(await restJson(anna, 'disk.folder.uploadfile', {
        id: folder, data: { NAME: 'notes.txt' }, fileContent: ['notes.txt', Buffer.from('hello').toString('base64')],
      }));
      const first = expectOk(await restJson(anna, 'im.disk.file.commit', { DIALOG_ID: `chat${chat}`, FILE_ID: [up.ID] }));
      const f = first.FILES[`upload${up.ID}`];
      assert.equal(f.type, 'file');
      assert.equal(f.image, false);
      assert.equal(f.urlPreview, '');
      // A text file never renders on the portal's origin.
      const shown = await fetch(f.urlShow);
      assert.equal(shown.headers.get('content-type'), 'application/octet-stream');
      assert.equal(shown.headers.get('x-content-type-options'), 'nosniff');

      // Ivan posts the same file into his dialog with maria: a copy in that dialog's folder.
      const copy = expectOk(await restJson(ivan, 'im.disk.file.commit', { DIALOG_ID: '4', FILE_ID: up.ID }));
      const copied = Object.values(copy.FILES)[0] as any;
      assert.notEqual(copied.id, up.ID);
      assert.notEqual(copied.chatId, chat);
      const mariaView = expectOk(await restForm(maria, 'im.dialog.messages.get', { DIALOG_ID: 3 }));
      assert.deepEqual(mariaView.messages.find((m: any) => m.id === copy.MESSAGE_ID).params.FILE_ID, [copied.id]);

      // The file-only message becomes a deleted message when its only file goes.
      assert.equal(expectOk(await restForm(anna, 'im.disk.file.delete', { CHAT_ID: chat, FILE_ID: up.ID })), true);
      const page = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` }));
      const gone = page.messages.find((m: any) => m.id === first.MESSAGE_ID);
      assert.equal(gone.params.IS_DELETED, 'Y');
      // The copy in the other dialog is a file of its own.
      assert.equal((await fetch((Object.values(copy.FILES)[0] as any).urlDownload)).status, 200);

      expectError(await restForm(anna, 'im.disk.file.commit', { CHAT_ID: chat }), 400, 'FILES_ERROR');
      expectError(await restForm(anna, 'im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: 99999 }), 400, 'SAVE_ERROR');
      expectError(await restForm(anna, 'im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: '' }), 400, 'SAVE_ERROR');
      expectError(await restForm(anna, 'im.disk.file.commit', { UPLOAD_ID: up.ID }), 400, 'CHAT_ID_EMPTY');
      expectError(await restForm(anna, 'im.disk.file.commit', { DIALOG_ID: 'chatX', UPLOAD_ID: up.ID }), 400, 'DIALOG_ID_EMPTY');
      expectError(await restForm(maria, 'im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: up.ID }), 403, 'ACCESS_ERROR');
      // Maria cannot post a file of a chat she cannot read into her own dialog.
      const other = expectOk(await restJson(anna, 'disk.folder.uploadfile', {
        id: folder, data: { NAME: 'secret.txt' }, fileContent: ['secret.txt', Buffer.from('s').toString('base64')],
      }));
      expectError(await restForm(maria, 'im.disk.file.commit', { DIALOG_ID: '2', FILE_ID: other.ID }), 400, 'SAVE_ERROR');
    });

    test('disk.folder.uploadfile: uploadUrl with multipart, names, limits and errors', async (t) => {
      if (skip) return t.skip(skip);
      const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: chat })).ID;
      const step1 = expectOk(await restForm(anna, 'disk.folder.uploadfile', { id: folder }));
      assert.equal(step1.field, 'file');
      const form = new FormData();
      form.append(step1.field, new Blob([new Uint8Array(png(10, 20))]), 'photo.png');
      const step2 = await http(step1.uploadUrl, { method: 'POST', body: form });
      const uploaded = expectOk(step2);
      assert.equal(uploaded.NAME, 'photo.png');
      const committed = expectOk(await restForm(anna, 'im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: uploaded.ID }));
      assert.deepEqual(committed.FILES[`upload${uploaded.ID}`].image, { width: 10, height: 20 });

      // The file as a multipart part of the REST call itself (fileContent), as PHP clients post with CURLFile.
      const direct = new FormData();
      direct.append('id', String(folder));
      direct.append('data[NAME]', 'direct.png');
      direct.append('fileContent', new Blob([new Uint8Array(png(3, 4))]), 'direct.png');
      const posted = expectOk(await http(`${anna}disk.folder.uploadfile`, { method: 'POST', body: direct }));
      assert.equal(posted.NAME, 'direct.png');
      assert.equal(Number(posted.SIZE), png(3, 4).length);

      const forged = new FormData();
      forged.append('file', new Blob(['x']), 'x.txt');
      expectError(await http(`${portal.url}/disk/upload?token=abc.def`, { method: 'POST', body: forged }), 401, 'INVALID_CREDENTIALS');
      const tooBig = new FormData();
      tooBig.append('file', new Blob([new Uint8Array(MAX + 1)]), 'big.bin');
      expectError(await http(step1.uploadUrl, { method: 'POST', body: tooBig }), 400, 'ERROR_COULD_NOT_SAVE_FILE');

      const b64 = (s: string) => Buffer.from(s).toString('base64');
      // A name already in the folder: refused, unless generateUniqueName.
      expectError(await restJson(anna, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'photo.png' }, fileContent: ['photo.png', b64('a')] }), 400, 'ERROR_COULD_NOT_SAVE_FILE');
      const unique = expectOk(await restJson(anna, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'photo.png' }, fileContent: ['photo.png', b64('a')], generateUniqueName: true }));
      assert.equal(unique.NAME, 'photo (1).png');
      expectError(await restJson(anna, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'big.bin' }, fileContent: ['big.bin', Buffer.alloc(MAX + 1).toString('base64')] }), 400, 'ERROR_COULD_NOT_SAVE_FILE');
      expectError(await restJson(anna, 'disk.folder.uploadfile', { id: folder, fileContent: ['a.txt', b64('a')] }), 400, 'DISK_BASE_SERVICE_22001');
      expectError(await restJson(anna, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'a.txt' }, fileContent: ['a.txt', '***'] }), 400, 'ERROR_COULD_NOT_SAVE_FILE');
      expectError(await restJson(anna, 'disk.folder.uploadfile', { data: { NAME: 'a.txt' }, fileContent: ['a.txt', b64('a')] }), 400, 'ERROR_ARGUMENT');
      expectError(await restJson(anna, 'disk.folder.uploadfile', { id: 987654, data: { NAME: 'a.txt' }, fileContent: ['a.txt', b64('a')] }), 400, 'ERROR_NOT_FOUND');
      expectError(await restJson(maria, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'a.txt' }, fileContent: ['a.txt', b64('a')] }), 403, 'ACCESS_DENIED');
      // The scope is `disk`, as on Bitrix24.
      const imOnly = await webhookFor(portal, 2, 'im');
      expectError(await restJson(imOnly, 'disk.folder.uploadfile', { id: folder }), 401, 'insufficient_scope');
      // Blobs live under the configured files directory.
      assert.ok(fs.existsSync(portal.portal.config.filesDir));
    });

    test('a member who left loses the file links they had', async (t) => {
      if (skip) return t.skip(skip);
      const room = expectOk(await restForm(anna, 'im.chat.add', { TITLE: 'Leaving', USERS: [3] }));
      const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: room })).ID;
      const up = expectOk(await restJson(anna, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'a.png' }, fileContent: ['a.png', png(1, 1).toString('base64')] }));
      expectOk(await restJson(anna, 'im.disk.file.commit', { CHAT_ID: room, UPLOAD_ID: up.ID }));
      const page = expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: `chat${room}` }));
      const ivanUser = await portal.portal.db.selectFrom('users').selectAll().where('id', '=', 3).executeTakeFirstOrThrow();
      const rows = await portal.portal.db.selectFrom('messages').selectAll().where('chat_id', '=', room).execute();
      const [file] = await wireFilesOf(portal.portal, portal.portal.db, await withParts(portal.portal.db, rows), ivanUser) as Record<string, string>[];
      assert.ok(page.messages.length > 0);
      assert.equal((await fetch(file.urlDownload)).status, 200);
      await portal.portal.db.deleteFrom('chat_members').where('chat_id', '=', room).where('user_id', '=', 3).execute();
      expectError(await http(file.urlDownload), 403, 'ACCESS_ERROR');
    });
  });
}

describe('im.message.like, share, and the gaps of add / update', () => {
  let portal: TestPortal;
  let anna: string;
  let ivan: string;
  let maria: string;
  let chat: number;

  before(async () => {
    portal = await testPortal();
    [anna, ivan, maria] = await Promise.all([2, 3, 4].map((id) => webhookFor(portal, id, 'im,imbot,task')));
    chat = expectOk(await restForm(anna, 'im.chat.add', { TITLE: 'Likes', USERS: [3] }));
  });
  after(() => portal?.close());

  const paramsOf = async (hook: string, dialog: string, id: number) =>
    expectOk(await restForm(hook, 'im.dialog.messages.get', { DIALOG_ID: dialog })).messages.find((m: any) => m.id === id).params;

  test('im.message.like: plus, minus, auto, WITHOUT_CHANGES, and who may like', async () => {
    const id = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'like me' }));
    assert.equal(expectOk(await restForm(ivan, 'im.message.like', { MESSAGE_ID: id, ACTION: 'plus' })), true);
    assert.deepEqual((await paramsOf(anna, `chat${chat}`, id)).LIKE, [3]);
    expectError(await restForm(ivan, 'im.message.like', { MESSAGE_ID: id, ACTION: 'plus' }), 400, 'WITHOUT_CHANGES');
    assert.equal(expectOk(await restJson(ivan, 'im.message.like', { MESSAGE_ID: id })), true, 'no ACTION is auto: a toggle');
    assert.equal((await paramsOf(anna, `chat${chat}`, id)).LIKE, undefined);
    expectError(await restForm(ivan, 'im.message.like', { MESSAGE_ID: id, ACTION: 'minus' }), 400, 'WITHOUT_CHANGES');
    assert.equal(expectOk(await restForm(anna, 'im.message.like', { MESSAGE_ID: id, ACTION: 'auto' })), true);
    expectError(await restForm(ivan, 'im.message.like', {}), 400, 'MESSAGE_ID_ERROR');
    expectError(await restForm(ivan, 'im.message.like', { MESSAGE_ID: 999999 }), 400, 'MESSAGE_ID_ERROR');
    // A message of a chat one is not in is answered like a missing one (the documented code).
    expectError(await restForm(maria, 'im.message.like', { MESSAGE_ID: id }), 400, 'MESSAGE_ID_ERROR');
  });

  test('im.message.update: IS_EDITED marks an ATTACH change unless N; a new text always', async () => {
    const attach = [{ MESSAGE: 'first' }];
    const a = expectOk(await restJson(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'with attach', ATTACH: attach }));
    const b = expectOk(await restJson(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'quiet attach', ATTACH: attach }));
    expectOk(await restJson(anna, 'im.message.update', { MESSAGE_ID: a, ATTACH: [{ MESSAGE: 'second' }] }));
    expectOk(await restJson(anna, 'im.message.update', { MESSAGE_ID: b, ATTACH: [{ MESSAGE: 'second' }], IS_EDITED: 'N' }));
    assert.equal((await paramsOf(anna, `chat${chat}`, a)).IS_EDITED, 'Y');
    assert.equal((await paramsOf(anna, `chat${chat}`, b)).IS_EDITED, undefined);
    expectOk(await restForm(anna, 'im.message.update', { MESSAGE_ID: b, MESSAGE: 'new words', IS_EDITED: 'N' }));
    assert.equal((await paramsOf(anna, `chat${chat}`, b)).IS_EDITED, 'Y');
  });

  test('im.message.add: SYSTEM, REPLY_ID and its errors', async () => {
    const sys = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'system line', SYSTEM: 'Y' }));
    const page = expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` }));
    assert.equal(page.messages.find((m: any) => m.id === sys).system, true);
    const reply = expectOk(await restForm(ivan, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'answer', REPLY_ID: sys }));
    assert.equal((await paramsOf(ivan, `chat${chat}`, reply)).REPLY_ID, sys);
    const elsewhere = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: '3', MESSAGE: 'private' }));
    expectError(await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'x', REPLY_ID: elsewhere }), 400, 'REPLY_FROM_OTHER_CHAT_ERROR');
    expectError(await restForm(maria, 'im.message.add', { DIALOG_ID: '2', MESSAGE: 'x', REPLY_ID: sys }), 400, 'REPLY_ACCESS_ERROR');
  });

  test('im.message.share: CHAT and TASK create, POST and CALEND are not available, errors', async () => {
    const id = expectOk(await restForm(ivan, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'Prepare the [B]quarterly[/B] report' }));
    assert.equal(expectOk(await restForm(anna, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chat}`, TYPE: 'CHAT' })), true);
    const page = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` }));
    const note = page.messages.find((m: any) => /\[CHAT=\d+\]/.test(m.text));
    assert.ok(note, 'the dialog says a chat was made from the message');
    const newChat = Number(/\[CHAT=(\d+)\]/.exec(note.text)![1]);
    const made = expectOk(await restForm(ivan, 'im.dialog.get', { DIALOG_ID: `chat${newChat}` }));
    assert.equal(made.name, 'Prepare the quarterly report');
    const inside = expectOk(await restForm(ivan, 'im.dialog.messages.get', { DIALOG_ID: `chat${newChat}` }));
    assert.ok(inside.messages.some((m: any) => m.text.includes('Prepare the [B]quarterly[/B] report') && m.author_id === 2), 'the message is quoted');
    expectError(await restForm(maria, 'im.dialog.get', { DIALOG_ID: `chat${newChat}` }), 403, 'ACCESS_ERROR');

    assert.equal(expectOk(await restJson(anna, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chat}`, TYPE: 'TASK' })), true);
    const tasks = expectOk(await restForm(anna, 'task.item.list', {}));
    assert.ok(tasks.some((tk: any) => tk.TITLE === 'Prepare the quarterly report' && String(tk.RESPONSIBLE_ID) === '2'), JSON.stringify(tasks));

    expectError(await restForm(anna, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chat}`, TYPE: 'POST' }), 400, 'PARAMS_ERROR');
    expectError(await restForm(anna, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chat}`, TYPE: 'CALEND' }), 400, 'PARAMS_ERROR');
    expectError(await restForm(anna, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chat}`, TYPE: 'SOMETHING' }), 400, 'PARAMS_ERROR');
    expectError(await restForm(anna, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chat}` }), 400, 'PARAMS_ERROR');
    expectError(await restForm(anna, 'im.message.share', { DIALOG_ID: `chat${chat}`, TYPE: 'CHAT' }), 400, 'MESSAGE_ID_ERROR');
    expectError(await restForm(anna, 'im.message.share', { MESSAGE_ID: id, TYPE: 'CHAT' }), 400, 'DIALOG_ID_EMPTY');
    expectError(await restForm(maria, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chat}`, TYPE: 'CHAT' }), 403, 'ACCESS_ERROR');
    // A message of another dialog cannot be shared through this one.
    expectError(await restForm(anna, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: '3', TYPE: 'TASK' }), 400, 'MESSAGE_ID_ERROR');
  });
});
