/**
 * What the Drive methods do with files, with their access rules: uploading into a folder
 * (disk.folder.uploadfile, and the uploadUrl it answers, served by src/http/files.ts), and the chat
 * files of im.disk.* (which files a commit may post, deleting one's own file from a chat, copying a
 * chat file to one's "Saved files"). The file model itself: ./files.ts.
 */
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { fail } from '../errors.ts';
import { driveFile } from '../wire/drive-file.ts';
import { runAction } from './action.ts';
import { findChat, isMember } from './chats.ts';
import { FileTooLarge, type StoredBlob } from './file-store.ts';
import {
  addFile, canReadFile, canWriteFolder, copyFile, deleteFile, fileUrls, findFile, findFolder, releaseBlob, savedFolder,
  type DiskFile, type Folder,
} from './files.ts';
import type { User } from './types.ts';

/** What an uploadUrl token carries: the folder, the uploader, generateUniqueName, an optional name, expiry. */
export interface UploadGrant { kind: 'upload'; folder: number; user: number; unique: boolean; name: string; exp: number }

/** The folder named by `id` that `user` may add files to, or the documented error. */
export async function writableFolder(db: Db, user: User, id: number): Promise<Folder> {
  if (id <= 0) fail('ERROR_ARGUMENT', 'Invalid value of parameter { Parameter #0 }');
  const folder = await findFolder(db, id);
  if (!folder) fail('ERROR_NOT_FOUND', `Could not find entity with id \`${id}\``);
  if (!(await canWriteFolder(db, folder, user.id))) fail('ACCESS_DENIED');
  return folder;
}

/** Store bytes, turning the size limit into the documented save error. */
export async function saveOrFail<T extends StoredBlob>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (err) {
    if (err instanceof FileTooLarge) fail('ERROR_COULD_NOT_SAVE_FILE', err.message);
    throw err;
  }
}

/** The Drive file object of disk.folder.uploadfile (src/wire/drive-file.ts), its URLs signed for the viewer. */
export async function wireDiskFile(portal: Portal, file: DiskFile, viewerId: number): Promise<Record<string, unknown>> {
  return driveFile(file, await fileUrls(portal, file, viewerId));
}

/**
 * Put stored bytes into a folder and answer the Drive file object. A name already in the folder is
 * refused unless `unique` (generateUniqueName), as on Bitrix24's Drive; the refused bytes are released.
 */
export async function storeUpload(portal: Portal, user: User, folder: Folder, blob: StoredBlob, name: string, unique: boolean): Promise<Record<string, unknown>> {
  const added = await runAction(portal, (trx) => addFile(trx, folder, user, blob, name, unique));
  if (added === 'NAME_TAKEN') {
    await releaseBlob(portal, portal.db, blob.key);
    fail('ERROR_COULD_NOT_SAVE_FILE', `A file named "${name}" already exists in this folder (pass generateUniqueName=true for a free name)`);
  }
  return wireDiskFile(portal, added, user.id);
}

/** The files of `ids` that `userId` may read, for a commit: SAVE_ERROR naming the first one that is not. */
export async function readableFiles(db: Db, userId: number, ids: number[]): Promise<DiskFile[]> {
  const files: DiskFile[] = [];
  for (const id of ids) {
    const f = await findFile(db, id);
    if (!f || !(await canReadFile(db, f, userId))) fail('SAVE_ERROR', `File ${id} not found`);
    files.push(f);
  }
  return files;
}

/**
 * Delete `actor`'s own file from a chat. As documented: false without access or for ids that do not
 * match; true for a member who did not send the file (nothing is deleted then).
 */
export async function deleteChatFile(portal: Portal, db: Db, actor: User, chatId: number, fileId: number): Promise<boolean> {
  const chat = await findChat(db, chatId);
  if (!chat || !(await isMember(db, chat.id, actor.id))) return false;
  const file = await findFile(db, fileId);
  if (!file || file.deleted || file.chat_id !== chat.id) return false;
  if (file.author_id !== actor.id) return true;
  await deleteFile(portal, db, file, actor);
  return true;
}

/** Copy a file `user` may read into their "Saved files" folder; FILE_SAVE_ERROR otherwise. */
export async function saveToMyFiles(db: Db, user: User, fileId: number): Promise<{ folder: Folder; file: DiskFile }> {
  const file = await findFile(db, fileId);
  if (!file || !(await canReadFile(db, file, user.id))) fail('FILE_SAVE_ERROR');
  const folder = await savedFolder(db, user.id);
  return { folder, file: await copyFile(db, file, folder, user) };
}
