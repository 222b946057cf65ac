/**
 * im.disk.folder.get, im.disk.file.commit, im.disk.file.delete, im.disk.file.save: a chat's file
 * folder, posting uploaded (or existing) files into the chat, deleting one's own file from a chat,
 * and copying a chat file to one's "Saved files".
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { int, list, pick, str, type Params } from '../../rest/params.ts';
import type { CallContext } from '../../rest/registry.ts';
import { isoDate } from '../../rest/envelope.ts';
import { findChat, isMember, openDialog } from '../../domain/chats.ts';
import type { Chat } from '../../domain/types.ts';
import {
  authorNames, canReadFile, chatFolder, copyFile, deleteFile, extensionOf, fileKind, fileUrls, findFile, isImage, postFiles,
  savedFolder, wireFile, type DiskFile,
} from '../../domain/files.ts';
import { capMessage, dialogParam } from '../message-input.ts';
import { runAction } from '../../domain/action.ts';

// CHAT_ID first, then DIALOG_ID ("only the first one is processed"); the caller must be a member.
async function memberChat(ctx: CallContext, p: Params): Promise<Chat> {
  const chatId = int(p, 'CHAT_ID');
  const dialog = str(p, 'DIALOG_ID').trim();
  const ref = chatId > 0 ? { kind: 'chat' as const, chatId } : dialog ? dialogParam(p) : fail('CHAT_ID_EMPTY');
  const chat = await runAction(ctx.portal, (trx) => openDialog(trx, ctx.user, ref, 'write'));
  return chat;
}

// A file id from FILE_ID (English docs) or DISK_ID (seed), or FILE_ID_EMPTY.
function fileIdParam(p: Params): number {
  const id = int(p, pick(p, 'FILE_ID') !== undefined ? 'FILE_ID' : 'DISK_ID');
  if (id <= 0) fail('FILE_ID_EMPTY');
  return id;
}

defineMethod({
  name: 'im.disk.folder.get', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chat = await memberChat(ctx, p);
    const folder = await chatFolder(ctx.portal.db, chat);
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
  async handler(ctx, p) {
    const chat = await memberChat(ctx, p);
    // UPLOAD_ID, then FILE_ID (English docs), then DISK_ID (seed): the first one sent is used; each may be a list.
    const key = ['UPLOAD_ID', 'FILE_ID', 'DISK_ID'].find((k) => pick(p, k) !== undefined);
    if (!key) fail('FILES_ERROR');
    const ids = list(p, key).map((v) => Number(v));
    if (!ids.length || ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) fail('SAVE_ERROR', 'File ID is empty or not a number');
    const db = ctx.portal.db;
    const files: DiskFile[] = [];
    for (const id of [...new Set(ids)]) {
      const f = await findFile(db, id);
      if (!f || !(await canReadFile(db, f, ctx.user.id))) fail('SAVE_ERROR', `File ${id} not found`);
      files.push(f);
    }
    const text = capMessage(str(p, 'MESSAGE').trim());
    // SILENT_MODE and AS_FILE matter for Open Lines and image compression, which Parley does not have: accepted, no effect.
    const posted = await runAction(ctx.portal, (trx) => postFiles(ctx.portal, trx, chat, ctx.user, files, text));
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
  async handler(ctx, p) {
    const chatId = int(p, 'CHAT_ID');
    if (chatId <= 0) fail('CHAT_ID_EMPTY');
    const fileId = fileIdParam(p);
    const db = ctx.portal.db;
    // As documented: false without access or for ids that do not match; true for a member who did
    // not send the file (nothing is deleted then).
    const chat = await findChat(db, chatId);
    if (!chat || !(await isMember(db, chat.id, ctx.user.id))) return false;
    const file = await findFile(db, fileId);
    if (!file || file.deleted || file.chat_id !== chat.id) return false;
    if (file.author_id !== ctx.user.id) return true;
    await runAction(ctx.portal, (trx) => deleteFile(ctx.portal, trx, file, ctx.user));
    return true;
  },
});

defineMethod({
  name: 'im.disk.file.save', scope: 'im', access: 'file', denied: 'FILE_SAVE_ERROR',
  async handler(ctx, p) {
    const fileId = fileIdParam(p);
    const db = ctx.portal.db;
    const file = await findFile(db, fileId);
    if (!file || !(await canReadFile(db, file, ctx.user.id))) fail('FILE_SAVE_ERROR');
    const saved = await runAction(ctx.portal, async (trx) => {
      const folder = await savedFolder(trx, ctx.user.id);
      return { folder, file: await copyFile(trx, file, folder, ctx.user) };
    });
    return { folder: { id: saved.folder.id, name: saved.folder.name }, file: { id: saved.file.id, name: saved.file.name } };
  },
});
