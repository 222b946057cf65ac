/**
 * im.disk.folder.get, im.disk.file.commit, im.disk.file.delete, im.disk.file.save: a chat's file
 * folder, posting uploaded (or existing) files into the chat, deleting one's own file from a chat,
 * and copying a chat file to one's "Saved files".
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { has, int, list, str } from '../../rest/params.ts';
import type { CallContext } from '../../rest/registry.ts';
import { Codec, c } from '../../rest/schema.ts';
import { isoDate } from '../../rest/envelope.ts';
import type { DialogRef } from '../../domain/types.ts';
import { authorNames, chatFolder, extensionOf, fileKind, fileUrls, isImage, postFiles, wireFile, type DiskFile } from '../../domain/files.ts';
import { deleteChatFile, readableFiles, saveToMyFiles } from '../../domain/drive.ts';
import { dialogId, openFor } from '../codecs/dialogs.ts';
import { messageText } from '../codecs/messages.ts';
import { runAction } from '../../domain/action.ts';
import { linePosted } from '../../domain/lines/line-messages.ts';

// CHAT_ID first, then DIALOG_ID ("only the first one is processed"); the caller must be a member.
const memberChat = () => new Codec<DialogRef>('CHAT_ID', (p, name, ctx) => {
  const chatId = int(p, name);
  if (chatId > 0) return { kind: 'chat', chatId };
  if (str(p, 'DIALOG_ID').trim()) return dialogId().read(p, 'DIALOG_ID', ctx);
  fail('CHAT_ID_EMPTY');
}, true, 'CHAT_ID_EMPTY').map(openFor('write'));

// A file id from FILE_ID (English docs) or DISK_ID (seed), or FILE_ID_EMPTY.
const fileId = () => new Codec<number>('integer', (p, name) => {
  const id = int(p, has(p, name) ? name : 'DISK_ID');
  if (id <= 0) fail('FILE_ID_EMPTY');
  return id;
}, true, 'FILE_ID_EMPTY');

// UPLOAD_ID, then FILE_ID (English docs), then DISK_ID (seed): the first one sent is used; each may be a list.
const fileIds = () => new Codec<number[]>('array', (p) => {
  const key = ['UPLOAD_ID', 'FILE_ID', 'DISK_ID'].find((k) => has(p, k));
  if (!key) fail('FILES_ERROR');
  const ids = list(p, key).map((v) => Number(v));
  if (!ids.length || ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) fail('SAVE_ERROR', 'File ID is empty or not a number');
  return [...new Set(ids)];
}, true, 'FILES_ERROR');

defineMethod({
  name: 'im.disk.folder.get', scope: 'im', access: 'dialog',
  params: { CHAT_ID: memberChat() },
  async handler(ctx, { CHAT_ID: chat }) {
    // The folder is created on first use.
    const folder = await runAction(ctx.portal, (trx) => chatFolder(trx, chat));
    return { ID: folder.id };
  },
});

// Bitrix24's Drive type codes (TypeFile): 2 image, 3 video, 9 audio, 8 pdf, 7 unknown.
const TYPE_FILE = { image: 2, video: 3, audio: 9 } as const;
function typeFile(f: DiskFile): number {
  const kind = fileKind(f);
  if (kind !== 'file') return TYPE_FILE[kind];
  return extensionOf(f.name) === 'pdf' ? 8 : 7;
}

// The Drive model of a posted file (FILE_MODELS of im.disk.file.commit).
async function fileModel(ctx: CallContext, f: DiskFile): Promise<Record<string, unknown>> {
  const urls = await fileUrls(ctx.portal, f, ctx.user.id);
  return {
    id: f.id, name: f.name, createTime: isoDate(f.created_at), updateTime: isoDate(f.updated_at), deleteTime: null,
    code: null, xmlId: null, storageId: f.folder_id, realObjectId: f.id, parentId: f.folder_id, deletedType: 0,
    createdBy: String(f.author_id), updatedBy: String(f.author_id), deletedBy: '0', uniqueCode: f.blob.slice(0, 20),
    typeFile: typeFile(f), globalContentVersion: 1, fileId: f.id, size: f.size, etag: f.blob.slice(0, 32),
    links: { download: urls.download, showInGrid: urls.show, preview: isImage(f) ? urls.preview : '' },
  };
}

defineMethod({
  name: 'im.disk.file.commit', scope: 'im', access: 'dialog',
  params: {
    CHAT_ID: memberChat(),
    UPLOAD_ID: fileIds(),
    MESSAGE: messageText(),
    // SILENT_MODE and AS_FILE matter for Open Lines and image compression, which Parley does not have: accepted, no effect.
  },
  async handler(ctx, { CHAT_ID: chat, UPLOAD_ID: ids, MESSAGE: text }) {
    const db = ctx.portal.db;
    const files = await readableFiles(db, ctx.user.id, ids);
    const posted = await runAction(ctx.portal, async (trx) => {
      const done = await postFiles(ctx.portal, trx, chat, ctx.user, files, text);
      // In a line chat a file is a message like any other: it takes the session and goes out to the customer.
      if (chat.type === 'L') await linePosted(ctx.portal, trx, chat, ctx.user, done.message, done.files.map((f) => f.id));
      return done;
    });
    const names = await authorNames(db, posted.files);
    const FILES: Record<string, unknown> = {};
    const FILE_MODELS: Record<string, unknown> = {};
    for (const [i, f] of posted.files.entries()) {
      // Keyed by the id the caller sent, as Bitrix24 keys them by upload id.
      const keyId = `upload${files[i].id}`;
      FILES[keyId] = await wireFile(ctx.portal, f, ctx.user, names.get(f.author_id) ?? '');
      FILE_MODELS[keyId] = await fileModel(ctx, f);
    }
    return { FILES, DISK_ID: posted.files.map((f) => String(f.id)), FILE_MODELS, MESSAGE_ID: posted.message.id };
  },
});

defineMethod({
  name: 'im.disk.file.delete', scope: 'im', access: 'file', denied: false,
  params: { CHAT_ID: c.id('CHAT_ID_EMPTY'), FILE_ID: fileId() },
  // As documented: false without access or for ids that do not match (domain/drive.ts).
  handler: (ctx, input) => runAction(ctx.portal, (trx) => deleteChatFile(ctx.portal, trx, ctx.user, input.CHAT_ID, input.FILE_ID)),
});

defineMethod({
  name: 'im.disk.file.save', scope: 'im', access: 'file', denied: 'FILE_SAVE_ERROR',
  params: { FILE_ID: fileId() },
  async handler(ctx, { FILE_ID }) {
    const saved = await runAction(ctx.portal, (trx) => saveToMyFiles(trx, ctx.user, FILE_ID));
    return { folder: { id: saved.folder.id, name: saved.folder.name }, file: { id: saved.file.id, name: saved.file.name } };
  },
});
