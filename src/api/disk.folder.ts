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
import { decodeBase64 } from '../domain/images.ts';
import { uploadedPart } from './file-param.ts';
import { saveBlob, saveBlobStream, sign } from '../domain/file-store.ts';
import { cleanName, fileUrls } from '../domain/files.ts';
import { saveOrFail, storeUpload, writableFolder, type UploadGrant } from '../domain/uploads.ts';
import { driveFile } from '../wire/drive-file.ts';

/** How long an uploadUrl stays valid. */
const UPLOAD_URL_TTL_MS = 3600_000;

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
    const file = await storeUpload(ctx.portal, ctx.user, folder, blob, name, unique);
    return driveFile(file, await fileUrls(ctx.portal, file, ctx.user.id));
  },
});
