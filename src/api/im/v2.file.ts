/**
 * im.v2.File.upload / download (chat-bots-v2/im.v2/files): the calling user puts a file into a
 * dialog in one call — the bytes in `fields.content` as Base64, stored like any chat file, and a
 * message carrying it (with `fields.message` as its text; api/chat-file-upload.ts) — and gets a
 * download link for a file of a dialog.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { canReadFile, findFile } from '../../domain/files.ts';
import { oneTimeDownloadUrl } from '../../domain/file-links-once.ts';
import { postUpload, storeUpload } from '../chat-file-upload.ts';
import { dialogFor } from '../codecs/dialogs.ts';
import { dialogIdFor } from '../../wire/dialog-id.ts';

defineMethod({
  name: 'im.v2.File.upload', scope: 'im', access: 'dialog', denied: 'ACCESS_DENIED',
  params: { dialogId: dialogFor('write'), fields: c.object() },
  async handler(ctx, { dialogId: chat, fields }) {
    const up = await storeUpload(ctx, fields);
    const { file, messageId } = await postUpload(ctx, ctx.user, chat, up);
    return { file, messageId, chatId: chat.id, dialogId: dialogIdFor(chat, ctx.user.id) };
  },
});

defineMethod({
  name: 'im.v2.File.download', scope: 'im', access: 'file', denied: 'FILE_NOT_FOUND',
  params: { dialogId: dialogFor('read'), fileId: c.int() },
  async handler(ctx, { dialogId: chat, fileId }) {
    // Only a file of that dialog (a file of another chat, even one the caller reads, is not found there).
    const file = fileId > 0 ? await findFile(ctx.portal.db, fileId) : undefined;
    if (!file || file.deleted || file.chat_id !== chat.id || !(await canReadFile(ctx.portal.db, file, ctx.user.id))) fail('FILE_NOT_FOUND');
    // A one-time link signed for the caller (file-links-once.ts), as the docs describe downloadUrl.
    return { downloadUrl: await oneTimeDownloadUrl(ctx.portal, file, ctx.user.id) };
  },
});
