/**
 * Uploading into a Drive folder, the two ways disk.folder.uploadfile takes a file: its content in the
 * call (api/disk.folder.ts), or an uploadUrl the file is POSTed to as multipart (http/files.ts), whose
 * signed token carries an UploadGrant. Both check the folder and store the bytes the same way here.
 */
import type { Portal } from '../portal.ts';
import { fail } from '../errors.ts';
import type { User } from './types.ts';
import { FileTooLarge, type StoredBlob } from './file-store.ts';
import { addFile, canWriteFolder, findFolder, releaseBlob, type DiskFile, type Folder } from './files.ts';
import { runAction } from './action.ts';

/** What an uploadUrl token carries: the folder, the uploader, generateUniqueName, an optional name, expiry. */
export interface UploadGrant { kind: 'upload'; folder: number; user: number; unique: boolean; name: string; exp: number }

/** The folder named by `id` that `user` may add files to, or the documented error. */
export async function writableFolder(portal: Portal, user: User, id: number): Promise<Folder> {
  if (id <= 0) fail('ERROR_ARGUMENT', 'Invalid value of parameter { Parameter #0 }');
  const folder = await findFolder(portal.db, id);
  if (!folder) fail('ERROR_NOT_FOUND', `Could not find entity with id \`${id}\``);
  if (!(await canWriteFolder(portal.db, folder, user.id))) fail('ACCESS_DENIED');
  return folder;
}

/**
 * Put stored bytes into a folder. A name already in the folder is refused unless `unique`
 * (generateUniqueName), as on Bitrix24's Drive; the refused bytes are released.
 */
export async function storeUpload(portal: Portal, user: User, folder: Folder, blob: StoredBlob, name: string, unique: boolean): Promise<DiskFile> {
  const added = await runAction(portal, (trx) => addFile(trx, folder, user, blob, name, unique));
  if (added === 'NAME_TAKEN') {
    await releaseBlob(portal, portal.db, blob.key);
    fail('ERROR_COULD_NOT_SAVE_FILE', `A file named "${name}" already exists in this folder (pass generateUniqueName=true for a free name)`);
  }
  return added;
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
