/**
 * im.v2.File.upload / download over real HTTP: a user uploads Base64 bytes into a dialog (a message
 * with the file, its text, the File object), the other member downloads them through the answered
 * link and the bytes are compared; each documented error; the size cap applies before decoding.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { restJson, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';

const ANNA = 2;
const IVAN = 3;
let portal: Awaited<ReturnType<typeof testPortal>>;
let anna: string;
let ivan: string;
let maria: string;

before(async () => {
  portal = await testPortal({ fileMaxBytes: 64 * 1024 });
  anna = await webhookFor(portal, ANNA, 'im');
  ivan = await webhookFor(portal, IVAN, 'im');
  maria = await webhookFor(portal, 4, 'im');
});
after(async () => {
  await portal?.close();
});

const ok = async (base: string, method: string, params: Record<string, unknown>) => {
  const r = await restJson(base, method, params);
  assert.equal(r.status, 200, `${method}: ${JSON.stringify(r.body)}`);
  return r.body.result;
};
const refused = async (code: string, base: string, method: string, params: Record<string, unknown>) => {
  const r = await restJson(base, method, params);
  assert.equal(r.body.error, code, `${method}: ${JSON.stringify(r.body)}`);
  assert.equal(r.status, 400);
};

test('upload into a private dialog, download by the other member: the same bytes', async () => {
  const bytes = crypto.randomBytes(20_000);
  const up = await ok(anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { name: 'report.bin', content: bytes.toString('base64'), message: 'the report' } });
  assert.deepEqual(Object.keys(up), ['file', 'messageId', 'chatId', 'dialogId']);
  assert.equal(up.dialogId, String(IVAN));
  assert.equal(up.file.name, 'report.bin');
  assert.equal(up.file.size, bytes.length);
  assert.equal(up.file.chatId, up.chatId);
  assert.equal(up.file.authorId, ANNA);

  // Ivan sees the message with its text and the file.
  const history = await ok(ivan, 'im.dialog.messages.get', { DIALOG_ID: ANNA });
  const msg = history.messages.find((m: any) => m.id === up.messageId);
  assert.equal(msg.text, 'the report');
  assert.deepEqual(msg.params.FILE_ID.map(Number), [up.file.id]);

  const { downloadUrl } = await ok(ivan, 'im.v2.File.download', { dialogId: String(ANNA), fileId: up.file.id });
  const res = await fetch(downloadUrl);
  assert.equal(res.status, 200);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
});

test('documented errors: FILE_EMPTY, FILE_INVALID_CONTENT, FILE_TOO_LARGE, CHAT_NOT_FOUND, ACCESS_DENIED, FILE_NOT_FOUND', async () => {
  await refused('FILE_EMPTY', anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { name: 'a.txt' } });
  await refused('FILE_EMPTY', anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { content: 'aGk=' } });
  await refused('FILE_INVALID_CONTENT', anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { name: 'a.txt', content: 'not base64!' } });
  // Over the portal's file limit (64 KiB here, below the documented 100 MB).
  await refused('FILE_TOO_LARGE', anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { name: 'big.bin', content: crypto.randomBytes(70_000).toString('base64') } });
  await refused('CHAT_NOT_FOUND', anna, 'im.v2.File.upload', { dialogId: 'chatX', fields: { name: 'a.txt', content: 'aGk=' } });

  const chat = await ok(anna, 'im.chat.add', { TITLE: 'Files', USERS: [IVAN] });
  const up = await ok(anna, 'im.v2.File.upload', { dialogId: `chat${chat}`, fields: { name: 'a.txt', content: Buffer.from('hi').toString('base64') } });
  assert.equal(up.dialogId, `chat${chat}`);
  // Maria is no member: neither upload nor download.
  const denied = await restJson(maria, 'im.v2.File.upload', { dialogId: `chat${chat}`, fields: { name: 'a.txt', content: 'aGk=' } });
  assert.deepEqual([denied.status, denied.body.error], [403, 'ACCESS_DENIED']);
  const deniedDown = await restJson(maria, 'im.v2.File.download', { dialogId: `chat${chat}`, fileId: up.file.id });
  assert.equal(deniedDown.body.error, 'ACCESS_DENIED');
  // A file of another dialog, or none: FILE_NOT_FOUND.
  await refused('FILE_NOT_FOUND', ivan, 'im.v2.File.download', { dialogId: String(ANNA), fileId: up.file.id });
  await refused('FILE_NOT_FOUND', ivan, 'im.v2.File.download', { dialogId: `chat${chat}`, fileId: 999_999 });
  const link = (await ok(ivan, 'im.v2.File.download', { dialogId: `chat${chat}`, fileId: up.file.id })).downloadUrl;
  assert.equal(Buffer.from(await (await fetch(link)).arrayBuffer()).toString(), 'hi');
});
