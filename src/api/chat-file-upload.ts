/**
 * One file put into a chat in one call, as im.v2.File.upload and imbot.v2.File.upload do it: the
 * bytes from `fields.content` (Base64) — their size checked on the Base64 text before anything is
 * decoded, against the documented 100 MB or the portal's own file limit when lower — stored like any
 * chat file, and a message by `actor` carrying it with `fields.message` as its text.
 */
import { fail } from '../errors.ts';
import { str, type Params } from '../rest/params.ts';
import type { CallContext } from '../rest/registry.ts';
import type { Chat, User } from '../domain/types.ts';
import { runAction } from '../domain/action.ts';
import { addFile, authorNames, chatFolder, cleanName, postFiles, wireFile } from '../domain/files.ts';
import { FileTooLarge, saveBlob, type StoredBlob } from '../domain/file-store.ts';
import { linePosted } from '../domain/lines/line-messages.ts';
import { messageText } from './codecs/messages.ts';

/** The documented upper bound of one file. */
const DOC_MAX_BYTES = 100 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A checked and stored upload: its name, its bytes on disk, the message's text. */
export interface Upload { name: string; blob: StoredBlob; text: string }

/** Read and store `fields` (name, content, message): FILE_EMPTY, FILE_TOO_LARGE, FILE_INVALID_CONTENT. */
export async function storeUpload(ctx: CallContext, fields: Params): Promise<Upload> {
  const name = cleanName(str(fields, 'name'));
  const content = str(fields, 'content').replace(/\s+/g, '');
  if (!name || !content) fail('FILE_EMPTY');
  const limit = Math.min(DOC_MAX_BYTES, ctx.portal.config.fileMaxBytes);
  // Before decoding: the bytes a Base64 text of this length holds (padding allowed for).
  if (Math.floor((content.length * 3) / 4) > limit + 2) fail('FILE_TOO_LARGE');
  if (content.length % 4 === 1 || !BASE64.test(content)) fail('FILE_INVALID_CONTENT');
  const bytes = Buffer.from(content, 'base64');
  if (bytes.length > limit) fail('FILE_TOO_LARGE');
  let blob: StoredBlob;
  try {
    blob = await saveBlob(ctx.portal, bytes);
  } catch (err) {
    if (err instanceof FileTooLarge) fail('FILE_TOO_LARGE');
    throw err;
  }
  const text = await messageText().read({ MESSAGE: str(fields, 'message') }, 'MESSAGE', ctx);
  return { name, blob, text };
}

/** Post a stored upload into `chat` as `actor`; answers the File object (as `viewer` sees it) and the message's id. */
export async function postUpload(ctx: CallContext, actor: User, chat: Chat, up: Upload): Promise<{ file: Record<string, unknown>; messageId: number }> {
  const posted = await runAction(ctx.portal, async (trx) => {
    const file = await addFile(trx, await chatFolder(trx, chat), actor, up.blob, up.name, true);
    if (typeof file === 'string') fail('FILE_EMPTY');
    const done = await postFiles(ctx.portal, trx, chat, actor, [file], up.text);
    if (chat.type === 'L') await linePosted(ctx.portal, trx, chat, actor, done.message, done.files.map((f) => f.id));
    return done;
  });
  const [file] = posted.files;
  const names = await authorNames(ctx.portal.db, posted.files);
  return { file: await wireFile(ctx.portal, file, actor, names.get(file.author_id) ?? ''), messageId: posted.message.id };
}
