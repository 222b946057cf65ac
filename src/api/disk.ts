/**
 * disk.folder.uploadfile — the upload step before im.disk.file.commit: into a chat's folder
 * (im.disk.folder.get) or the caller's own folder. With `fileContent` ([name, base64]) the file is
 * stored at once; without it the answer is `{field, uploadUrl}` and the file is POSTed there as
 * multipart (src/http/files.ts), as Bitrix24's Drive does.
 */
import fs from 'node:fs';
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { str, type Params } from '../rest/params.ts';
import { c } from '../rest/schema.ts';
import type { Portal } from '../portal.ts';
import { decodeBase64 } from '../domain/images.ts';
import { uploadedPart } from './file-param.ts';
import { saveBlob, saveBlobStream, sign, type StoredBlob } from '../domain/file-store.ts';
import { cleanName } from '../domain/files.ts';
import { saveOrFail, storeUpload, writableFolder, type UploadGrant } from '../domain/drive.ts';

/** How long an uploadUrl stays valid. */
const UPLOAD_URL_TTL_MS = 3600_000;

/** The file name of `data` (its NAME, cleaned of path parts; '' when none). */
function fileName(data: Params): string {
  return cleanName(str(data, 'NAME'));
}

/**
 * Store `fileContent`: a multipart file part is on disk already and is streamed into the store
 * instead of being read whole; otherwise it is `[name, base64]` or a bare base64 string.
 */
function storeContent(portal: Portal, content: unknown): Promise<StoredBlob> {
  const part = uploadedPart(content);
  const bytes = part ? undefined : decodeBase64(content);
  if (!part && !bytes) fail('ERROR_COULD_NOT_SAVE_FILE', 'fileContent must be [name, base64 content]');
  return saveOrFail(() => (part ? saveBlobStream(portal, fs.createReadStream(part.path)) : saveBlob(portal, bytes!)));
}

defineMethod({
  name: 'disk.folder.uploadfile', scope: 'disk', access: 'file', denied: 'ACCESS_DENIED',
  params: {
    // The folder, checked before anything else: ERROR_ARGUMENT, ERROR_NOT_FOUND or ACCESS_DENIED.
    id: c.int().map((id, ctx) => writableFolder(ctx.portal.db, ctx.user, id), 'integer'),
    generateUniqueName: c.flag(),
    data: c.object().map(fileName, 'object'),
    fileContent: c.raw('file'),
  },
  async handler(ctx, { id: folder, generateUniqueName: unique, data: name, fileContent: content }) {
    if (content === undefined || content === null || content === '') {
      const grant: UploadGrant = { kind: 'upload', folder: folder.id, user: ctx.user.id, unique, name, exp: ctx.portal.clock.now() + UPLOAD_URL_TTL_MS };
      const token = await sign(ctx.portal, JSON.stringify(grant));
      return { field: 'file', uploadUrl: `${ctx.portal.publicUrl}/disk/upload?token=${encodeURIComponent(token)}` };
    }
    if (!name) fail('DISK_BASE_SERVICE_22001');
    return storeUpload(ctx.portal, ctx.user, folder, await storeContent(ctx.portal, content), name, unique);
  },
});
