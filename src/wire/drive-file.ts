/**
 * The Drive file object Bitrix24's Drive answers for an uploaded file (upper-case keys, owner ids as
 * strings): disk.folder.uploadfile with fileContent answers it (api/), and so does the uploadUrl it
 * hands out when the file is POSTed there (http/files.ts).
 */
import { isoDate } from './dates.ts';

/** What the object says about a stored file. */
export interface DriveFileFields {
  id: number;
  name: string;
  folder_id: number;
  size: number;
  author_id: number;
  created_at: number;
  updated_at: number;
}

/** The Drive file object of `file`, with its download and detail URLs (signed for the viewer). */
export function driveFile(file: DriveFileFields, urls: { download: string; show: string }): Record<string, unknown> {
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
