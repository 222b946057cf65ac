/**
 * imbot.v2.File.upload / download (chat-bots-v2/imbot.v2/files): a v2 bot puts a file into a dialog
 * it is in — Base64 `fields.content`, one message with the file (api/chat-file-upload.ts, as
 * im.v2.File.upload) — and gets a download link for a file of a chat it is a member of.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail, RestError } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { parseDialogId } from '../../domain/types.ts';
import { findUser } from '../../domain/users.ts';
import { runAction } from '../../domain/action.ts';
import { openDialog } from '../../domain/chats.ts';
import { canReadFile, findFile } from '../../domain/files.ts';
import { oneTimeDownloadUrl } from '../../domain/file-links-once.ts';
import { dialogIdFor } from '../../wire/dialog-id.ts';
import { postUpload, storeUpload } from '../chat-file-upload.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';

defineMethod({
  name: 'imbot.v2.File.upload', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), fields: c.object() },
  async handler(ctx, { botId: bot, dialogId, fields }) {
    const to = parseDialogId(dialogId);
    const actor = await findUser(ctx.portal.db, bot.id);
    // As Chat.Message.send: a dialog the bot is not in (or none) is ACCESS_DENIED.
    if (!to || !actor) fail('ACCESS_DENIED', 'Access denied');
    const chat = await runAction(ctx.portal, (trx) => openDialog(trx, actor, to, 'write')).catch((err) => {
      if (err instanceof RestError) fail('ACCESS_DENIED', 'Access denied');
      throw err;
    });
    const up = await storeUpload(ctx, fields);
    const { file, messageId } = await postUpload(ctx, actor, chat, up);
    return { file, messageId, chatId: chat.id, dialogId: dialogIdFor(chat, bot.id) };
  },
});

defineMethod({
  name: 'imbot.v2.File.download', scope: 'imbot', access: 'botv2', denied: 'FILE_ACCESS_ERROR',
  params: { botToken: botToken(), botId: ownBot(), fileId: c.int() },
  async handler(ctx, { botId: bot, fileId }) {
    const file = fileId > 0 ? await findFile(ctx.portal.db, fileId) : undefined;
    if (!file || file.deleted) fail('FILE_NOT_FOUND');
    if (!(await canReadFile(ctx.portal.db, file, bot.id))) fail('FILE_ACCESS_ERROR');
    // A one-time link signed for the bot's user (file-links-once.ts), as the docs describe downloadUrl.
    return { downloadUrl: await oneTimeDownloadUrl(ctx.portal, file, bot.id) };
  },
});
