/**
 * disk.folder.uploadfile — the upload step before im.disk.file.commit: into a chat's folder
 * (im.disk.folder.get) or the caller's own folder. With `fileContent` ([name, base64]) the file is
 * stored at once; without it the answer is `{field, uploadUrl}` and the file is POSTed there as
 * multipart (src/http/files.ts), as Bitrix24's Drive does.
 */
import fs from 'node:fs';
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { flag, int, obj, pick, str } from '../rest/params.ts';
import { isoDate } from '../rest/envelope.ts';
import type { Portal } from '../portal.ts';
import type { User } from '../domain/types.ts';
import { decodeBase64 } from '../domain/images.ts';
import { uploadedPart } from './file-param.ts';
import { FileTooLarge, saveBlob, saveBlobStream, sign, type StoredBlob } from '../domain/file-store.ts';
import { addFile, canWriteFolder, cleanName, fileUrls, findFolder, releaseBlob, type DiskFile, type Folder } from '../domain/files.ts';
import { runAction } from '../domain/action.ts';

/** How long an uploadUrl stays valid. */
const UPLOAD_URL_TTL_MS = 3600_000;

/** The Drive file object of disk.folder.uploadfile (upper-case keys, ids of owners as strings). */
export async function wireDiskFile(portal: Portal, file: DiskFile, viewerId: number): Promise<Record<string, unknown>> {
  const urls = await fileUrls(portal, file, viewerId);
  return {
    ID: file.id,
    NAME: file.name,
    CODE: null,
    STORAGE_ID: String(file.folder_id),
    TYPE: 'file',
    PARENT_ID: String(file.folder_id),
    DELETED_TYPE: 0,
    GLOBAL_CONTENT_VERSION: 1,
    FILE_ID: file.id,
    SIZE: String(file.size),
    CREATE_TIME: isoDate(file.created_at),
    UPDATE_TIME: isoDate(file.updated_at),
    DELETE_TIME: null,
    CREATED_BY: String(file.author_id),
    UPDATED_BY: String(file.author_id),
    DELETED_BY: null,
    DOWNLOAD_URL: urls.download,
    DETAIL_URL: urls.show,
  };
}

/** The folder named by `id` that `user` may add files to, or the documented error. */
export async function writableFolder(portal: Portal, user: User, id: number): Promise<Folder> {
  if (id <= 0) fail('ERROR_ARGUMENT', 'Invalid value of parameter { Parameter #0 }');
  const folder = await findFolder(portal.db, id);
  if (!folder) fail('ERROR_NOT_FOUND', `Could not find entity with id \`${id}\``);
  if (!(await canWriteFolder(portal.db, folder, user.id))) fail('ACCESS_DENIED');
  return folder;
}

/**
 * Put stored bytes into a folder and answer the Drive file object. A name already in the folder is
 * refused unless `unique` (generateUniqueName), as on Bitrix24's Drive.
 */
export async function storeUpload(portal: Portal, user: User, folder: Folder, blob: StoredBlob, name: string, unique: boolean): Promise<Record<string, unknown>> {
  const added = await runAction(portal, (trx) => addFile(trx, folder, user, blob, name, unique));
  if (added === 'NAME_TAKEN') {
    await releaseBlob(portal, portal.db, blob.key);
    fail('ERROR_COULD_NOT_SAVE_FILE', `A file named "${name}" already exists in this folder (pass generateUniqueName=true for a free name)`);
  }
  return wireDiskFile(portal, added, user.id);
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

/** What an uploadUrl token carries: the folder, the uploader, generateUniqueName, an optional name, expiry. */
export interface UploadGrant { kind: 'upload'; folder: number; user: number; unique: boolean; name: string; exp: number }

defineMethod({
  name: 'disk.folder.uploadfile', scope: 'disk', access: 'file', denied: 'ACCESS_DENIED',
  async handler(ctx, p) {
    const folder = await writableFolder(ctx.portal, ctx.user, int(p, 'id'));
    const unique = flag(p, 'generateUniqueName');
    const name = cleanName(str(obj(p, 'data'), 'NAME'));
    const content = pick(p, 'fileContent');
    if (content === undefined || content === null || content === '') {
      const grant: UploadGrant = { kind: 'upload', folder: folder.id, user: ctx.user.id, unique, name, exp: Date.now() + UPLOAD_URL_TTL_MS };
      const token = await sign(ctx.portal, JSON.stringify(grant));
      return { field: 'file', uploadUrl: `${ctx.portal.publicUrl}/disk/upload?token=${encodeURIComponent(token)}` };
    }
    if (!name) fail('DISK_BASE_SERVICE_22001');
    // A multipart file part is on disk already: stream it into the store instead of reading it whole.
    const part = uploadedPart(content);
    const bytes = part ? undefined : decodeBase64(content);
    if (!part && !bytes) fail('ERROR_COULD_NOT_SAVE_FILE', 'fileContent must be [name, base64 content]');
    const blob = await saveOrFail(() => (part ? saveBlobStream(ctx.portal, fs.createReadStream(part.path)) : saveBlob(ctx.portal, bytes!)));
    return storeUpload(ctx.portal, ctx.user, folder, blob, name, unique);
  },
});
