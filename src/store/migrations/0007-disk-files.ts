/**
 * Chat files (im.disk.*, disk.folder.uploadfile): folders — one per chat, one "Saved files" per
 * user — and the files in them. File bytes live in the file store (src/domain/file-store.ts); a row
 * names its blob by content hash, so copies (im.disk.file.save, commit by FILE_ID) share the bytes.
 */
import { int, text, withId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  let t = withId(db.schema.createTable('disk_folders'), caps);
  for (const c of ['name']) t = text(t, c);
  for (const c of ['chat_id', 'owner_id', 'created_at']) t = int(t, c);
  await t.execute();
  await db.schema.createIndex('disk_folders_chat').on('disk_folders').columns(['chat_id']).execute();
  await db.schema.createIndex('disk_folders_owner').on('disk_folders').columns(['owner_id']).execute();

  t = withId(db.schema.createTable('disk_files'), caps);
  for (const c of ['name', 'mime', 'blob']) t = text(t, c);
  for (const c of ['folder_id', 'chat_id', 'size', 'width', 'height', 'author_id', 'message_id', 'deleted', 'created_at', 'updated_at']) t = int(t, c);
  await t.execute();
  await db.schema.createIndex('disk_files_folder').on('disk_files').columns(['folder_id', 'name']).execute();
  await db.schema.createIndex('disk_files_blob').on('disk_files').columns(['blob']).execute();
};
export default step;
