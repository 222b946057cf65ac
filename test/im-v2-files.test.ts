/**
 * im.v2.File.upload / download and imbot.v2.File.upload / download over real HTTP: a user (or a v2
 * bot) uploads Base64 bytes into a dialog (a message with the file, its text, the File object), the
 * other side downloads them through the answered link and the bytes are compared; each documented
 * error; the size cap applies before decoding.
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
  anna = await webhookFor(portal, ANNA, 'imbot,im');
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

test('imbot.v2.File: a bot uploads into its dialog with a user and downloads the user\'s file; its errors', async () => {
  const token = 'files_bot_token';
  const botId = (await ok(anna, 'imbot.v2.Bot.register', { botToken: token, fields: { code: 'files_bot', eventMode: 'fetch', properties: { name: 'Files' } } })).bot.id;
  const asBot = (method: string, params: Record<string, unknown>) => restJson(anna, method, { botId, botToken: token, ...params });
  await ok(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hi bot' });

  const bytes = crypto.randomBytes(5000);
  const up = await asBot('imbot.v2.File.upload', { dialogId: String(ANNA), fields: { name: 'from-bot.bin', content: bytes.toString('base64'), message: 'here you go' } });
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.deepEqual(Object.keys(up.body.result), ['file', 'messageId', 'chatId', 'dialogId']);
  assert.equal(up.body.result.dialogId, String(ANNA));
  assert.equal(up.body.result.file.authorId, botId);
  const link = (await ok(anna, 'im.v2.File.download', { dialogId: String(botId), fileId: up.body.result.file.id })).downloadUrl;
  assert.deepEqual(Buffer.from(await (await fetch(link)).arrayBuffer()), bytes);

  const mine = crypto.randomBytes(3000);
  const annaUp = await ok(anna, 'im.v2.File.upload', { dialogId: String(botId), fields: { name: 'for-bot.bin', content: mine.toString('base64') } });
  const got = await asBot('imbot.v2.File.download', { fileId: annaUp.file.id });
  assert.equal(got.status, 200, JSON.stringify(got.body));
  assert.deepEqual(Buffer.from(await (await fetch(got.body.result.downloadUrl)).arrayBuffer()), mine);

  // A file of Anna and Ivan's dialog: the bot is no member there.
  const other = await ok(anna, 'im.v2.File.upload', { dialogId: String(IVAN), fields: { name: 'private.txt', content: 'aGk=' } });
  const noAccess = await asBot('imbot.v2.File.download', { fileId: other.file.id });
  assert.deepEqual([noAccess.status, noAccess.body.error], [403, 'FILE_ACCESS_ERROR']);
  const none = await asBot('imbot.v2.File.download', { fileId: 999_999 });
  assert.deepEqual([none.status, none.body.error], [400, 'FILE_NOT_FOUND']);
  // A group chat the bot is not in (a private dialog with a user it may open, as Chat.Message.send does).
  const group = await ok(anna, 'im.chat.add', { TITLE: 'No bots', USERS: [IVAN] });
  const notIn = await asBot('imbot.v2.File.upload', { dialogId: `chat${group}`, fields: { name: 'x.txt', content: 'aGk=' } });
  assert.deepEqual([notIn.status, notIn.body.error], [403, 'ACCESS_DENIED']);
  const empty = await asBot('imbot.v2.File.upload', { dialogId: String(ANNA), fields: { name: 'x.txt' } });
  assert.equal(empty.body.error, 'FILE_EMPTY');
  const noToken = await restJson(anna, 'imbot.v2.File.upload', { botId, dialogId: String(ANNA), fields: { name: 'x.txt', content: 'aGk=' } });
  assert.equal(noToken.body.error, 'BOT_TOKEN_NOT_SPECIFIED');
});
