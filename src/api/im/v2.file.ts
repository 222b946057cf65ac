/**
 * im.v2.File.upload / download (chat-bots-v2/im.v2/files): the calling user puts a file into a
 * dialog in one call — the bytes in `fields.content` as Base64, stored like any chat file, and a
 * message carrying it (with `fields.message` as its text) — and gets a download link for a file of
 * a dialog. The size is checked on the Base64 text before anything is decoded: the documented
 * 100 MB, or the portal's own file limit (PARLEY_FILE_MAX_BYTES) when lower.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail, RestError } from '../../errors.ts';
import { str } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import type { Chat } from '../../domain/types.ts';
import { runAction } from '../../domain/action.ts';
import { addFile, authorNames, canReadFile, chatFolder, cleanName, findFile, fileUrls, postFiles, wireFile } from '../../domain/files.ts';
import { FileTooLarge, saveBlob } from '../../domain/file-store.ts';
import { linePosted } from '../../domain/lines/line-messages.ts';
import { messageText } from '../codecs/messages.ts';
import { dialogId, openFor } from '../codecs/dialogs.ts';
import { dialogIdFor } from '../../wire/dialog-id.ts';

/** The documented upper bound of one file. */
const DOC_MAX_BYTES = 100 * 1024 * 1024;

/** `dialogId` opened for writing (upload) or reading (download): CHAT_NOT_FOUND when malformed, ACCESS_DENIED without access. */
const dialogFor = (mode: 'read' | 'write') => new Codec<Chat>('DIALOG_ID', async (p, name, ctx) => {
  const ref = await dialogId('CHAT_NOT_FOUND').read(p, name, ctx);
  try {
    return await openFor(mode)(ref, ctx);
  } catch (err) {
    if (err instanceof RestError) fail('ACCESS_DENIED');
    throw err;
  }
}, true, 'CHAT_NOT_FOUND');

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

defineMethod({
  name: 'im.v2.File.upload', scope: 'im', access: 'dialog', denied: 'ACCESS_DENIED',
  params: { dialogId: dialogFor('write'), fields: c.object() },
  async handler(ctx, { dialogId: chat, fields }) {
    const name = cleanName(str(fields, 'name'));
    const content = str(fields, 'content').replace(/\s+/g, '');
    if (!name || !content) fail('FILE_EMPTY');
    const limit = Math.min(DOC_MAX_BYTES, ctx.portal.config.fileMaxBytes);
    // Before decoding: the bytes a Base64 text of this length holds.
    if (Math.floor((content.length * 3) / 4) > limit + 2) fail('FILE_TOO_LARGE');
    if (content.length % 4 === 1 || !BASE64.test(content)) fail('FILE_INVALID_CONTENT');
    const bytes = Buffer.from(content, 'base64');
    if (bytes.length > limit) fail('FILE_TOO_LARGE');
    const blob = await saveBlob(ctx.portal, bytes).catch((err) => (err instanceof FileTooLarge ? fail('FILE_TOO_LARGE') : Promise.reject(err)));
    const text = await messageText().read({ MESSAGE: str(fields, 'message') }, 'MESSAGE', ctx);
    const posted = await runAction(ctx.portal, async (trx) => {
      const file = await addFile(trx, await chatFolder(trx, chat), ctx.user, blob, name, true);
      if (typeof file === 'string') fail('FILE_EMPTY');
      const done = await postFiles(ctx.portal, trx, chat, ctx.user, [file], text);
      if (chat.type === 'L') await linePosted(ctx.portal, trx, chat, ctx.user, done.message, done.files.map((f) => f.id));
      return done;
    });
    const [file] = posted.files;
    const names = await authorNames(ctx.portal.db, posted.files);
    return {
      file: await wireFile(ctx.portal, file, ctx.user, names.get(file.author_id) ?? ''),
      messageId: posted.message.id, chatId: chat.id, dialogId: dialogIdFor(chat, ctx.user.id),
    };
  },
});

defineMethod({
  name: 'im.v2.File.download', scope: 'im', access: 'file', denied: 'FILE_NOT_FOUND',
  params: { dialogId: dialogFor('read'), fileId: c.int() },
  async handler(ctx, { dialogId: chat, fileId }) {
    // Only a file of that dialog (a file of another chat, even one the caller reads, is not found there).
    const file = fileId > 0 ? await findFile(ctx.portal.db, fileId) : undefined;
    if (!file || file.deleted || file.chat_id !== chat.id || !(await canReadFile(ctx.portal.db, file, ctx.user.id))) fail('FILE_NOT_FOUND');
    // A signed link for the caller, living PARLEY_FILE_URL_TTL (Parley's links are not one-time).
    return { downloadUrl: (await fileUrls(ctx.portal, file, ctx.user.id)).download };
  },
});
