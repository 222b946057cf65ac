/**
 * Files of messages (im.disk.*, disk.folder.uploadfile): each chat has a folder, each user a "Saved
 * files" folder; a file is uploaded into a folder, then committed into its chat as a message that
 * carries it (message_files; FILE_ID in its params, as Bitrix24's do). Who may read a file: whoever may read its chat (members;
 * everyone for open chats), or the owner of a personal folder. Also the file object of
 * im.dialog.messages.get's `files` and im.disk.file.commit, with its authorized URLs.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { isoDate } from '../wire/dates.ts';
import { findChat, isMember } from './chats.ts';
import { canSee } from './chat-admin.ts';
import { findUsers, fullName } from './users.ts';
import { imageInfo } from './images.ts';
import { deleteMessage, editMessage, findMessage, postMessage } from './messages.ts';
import { removeBlob, sign, type StoredBlob } from './file-store.ts';
import type { Chat, Message, MessageView, User } from './types.ts';
import { isRowId } from '../store/row-id.ts';

/** A folder: a chat's (chat_id set) or a user's "Saved files" (owner_id set). */
export interface DiskFoldersTable {
  id: Generated<number>;
  name: string;
  chat_id: number;
  owner_id: number;
  created_at: number;
}

/** A file in a folder; `blob` names its bytes in the file store. */
export interface DiskFilesTable {
  id: Generated<number>;
  folder_id: number;
  /** The folder's chat (0 in a personal folder), kept here so access checks need one row. */
  chat_id: number;
  name: string;
  mime: string;
  blob: string;
  size: number;
  /** Pixel size for images; 0 otherwise. */
  width: number;
  height: number;
  author_id: number;
  /** The message that posted it into its chat; 0 while only uploaded. */
  message_id: number;
  deleted: number;
  created_at: number;
  updated_at: number;
}

declare module '../store/schema.ts' {
  interface Database { disk_folders: DiskFoldersTable; disk_files: DiskFilesTable }
}

/** A folder row. */
export type Folder = Selectable<DiskFoldersTable>;
/** A file row. */
export type DiskFile = Selectable<DiskFilesTable>;

/** Name of every user's folder for files saved from chats. */
export const SAVED_FOLDER_NAME = 'Saved files';

/** Find a folder by id. */
export async function findFolder(db: Db, id: number): Promise<Folder | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('disk_folders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Find a file (deleted or not) by id. */
export async function findFile(db: Db, id: number): Promise<DiskFile | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('disk_files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The folder of a chat, created on first use. */
export async function chatFolder(db: Db, chat: Chat): Promise<Folder> {
  const found = await db.selectFrom('disk_folders').selectAll().where('chat_id', '=', chat.id).executeTakeFirst();
  if (found) return found;
  return db.insertInto('disk_folders').values({ name: `Chat ${chat.id}`, chat_id: chat.id, owner_id: 0, created_at: Date.now() })
    .returningAll().executeTakeFirstOrThrow();
}

/** A user's "Saved files" folder, created on first use. */
export async function savedFolder(db: Db, userId: number): Promise<Folder> {
  const found = await db.selectFrom('disk_folders').selectAll().where('owner_id', '=', userId).where('chat_id', '=', 0).executeTakeFirst();
  if (found) return found;
  return db.insertInto('disk_folders').values({ name: SAVED_FOLDER_NAME, chat_id: 0, owner_id: userId, created_at: Date.now() })
    .returningAll().executeTakeFirstOrThrow();
}

/** Whether a user may add files to a folder: a member of its chat, or the owner of a personal folder. */
export async function canWriteFolder(db: Db, folder: Folder, userId: number): Promise<boolean> {
  return folder.chat_id ? isMember(db, folder.chat_id, userId) : folder.owner_id === userId;
}

/** Whether a user may read (download, copy) a file that is not deleted. */
export async function canReadFile(db: Db, file: DiskFile, userId: number): Promise<boolean> {
  if (file.deleted) return false;
  if (!file.chat_id) {
    const folder = await findFolder(db, file.folder_id);
    return folder?.owner_id === userId;
  }
  const chat = await findChat(db, file.chat_id);
  return !!chat && (await canSee(db, chat, userId));
}

/** A file name without path parts or control characters; '' when nothing is left. */
export function cleanName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[\u0000-\u001f\u007f]/g, '').split(/[\\/]/).at(-1)!.trim().slice(0, 255);
}

async function nameTaken(db: Db, folderId: number, name: string): Promise<boolean> {
  const row = await db.selectFrom('disk_files').select('id').where('folder_id', '=', folderId).where('name', '=', name)
    .where('deleted', '=', 0).executeTakeFirst();
  return !!row;
}

// "report.pdf" → "report (1).pdf", "report (2).pdf", … as Bitrix24's Drive numbers copies.
async function uniqueName(db: Db, folderId: number, name: string): Promise<string> {
  if (!(await nameTaken(db, folderId, name))) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let i = 1; ; i++) {
    const candidate = `${stem} (${i})${ext}`;
    if (!(await nameTaken(db, folderId, candidate))) return candidate;
  }
}

/** Why a file could not be added. */
export type AddProblem = 'NAME_TAKEN';

/** Put stored bytes into a folder as a new file; 'NAME_TAKEN' when the name exists and `unique` is off. */
export async function addFile(db: Db, folder: Folder, author: User, blob: StoredBlob, name: string, unique: boolean): Promise<DiskFile | AddProblem> {
  if (!unique && (await nameTaken(db, folder.id, name))) return 'NAME_TAKEN';
  const image = imageInfo(blob.head);
  const now = Date.now();
  return db.insertInto('disk_files').values({
    folder_id: folder.id, chat_id: folder.chat_id, name: unique ? await uniqueName(db, folder.id, name) : name,
    mime: image?.type ?? 'application/octet-stream', blob: blob.key, size: blob.size,
    width: image?.width ?? 0, height: image?.height ?? 0, author_id: author.id, message_id: 0, deleted: 0, created_at: now, updated_at: now,
  }).returningAll().executeTakeFirstOrThrow();
}

/** Copy a file into another folder as `user` (the bytes are shared); a free name is picked. */
export async function copyFile(db: Db, file: DiskFile, folder: Folder, user: User): Promise<DiskFile> {
  const now = Date.now();
  return db.insertInto('disk_files').values({
    folder_id: folder.id, chat_id: folder.chat_id, name: await uniqueName(db, folder.id, file.name), mime: file.mime, blob: file.blob,
    size: file.size, width: file.width, height: file.height, author_id: user.id, message_id: 0, deleted: 0, created_at: now, updated_at: now,
  }).returningAll().executeTakeFirstOrThrow();
}

/**
 * Post files into a chat as one message from `author` (text optional) carrying them. Files
 * already uploaded into this chat's folder by the author and not yet posted are used as they are;
 * any other file is copied into the folder first. Returns the message and the files as posted.
 */
export async function postFiles(portal: Portal, db: Db, chat: Chat, author: User, files: DiskFile[], text: string): Promise<{ message: Message; files: DiskFile[] }> {
  const folder = await chatFolder(db, chat);
  const posted: DiskFile[] = [];
  for (const f of files) {
    const own = f.folder_id === folder.id && f.author_id === author.id && !f.message_id;
    posted.push(own ? f : await copyFile(db, f, folder, author));
  }
  const ids = posted.map((f) => f.id);
  const message = await postMessage(portal, db, chat, author, { text, files: ids });
  await db.updateTable('disk_files').set({ message_id: message.id }).where('id', 'in', ids).execute();
  return { message, files: posted.map((f) => ({ ...f, message_id: message.id })) };
}

/**
 * Delete a file from its chat as `actor`. The file's message loses it; a message left with nothing
 * (no text, no other file, no attach) becomes a deleted message, as Bitrix24 shows "Message deleted".
 */
export async function deleteFile(portal: Portal, db: Db, file: DiskFile, actor: User): Promise<void> {
  await db.updateTable('disk_files').set({ deleted: 1, updated_at: Date.now() }).where('id', '=', file.id).execute();
  const message = file.message_id ? await findMessage(db, file.message_id) : undefined;
  if (message && !message.deleted) {
    const rest = (await messageFileIds(db, message.id)).filter((id) => id !== file.id);
    if (!rest.length && !message.text.trim() && message.attach === null && message.url_attach === null) await deleteMessage(db, message, actor, false);
    else await editMessage(db, message, actor, { files: rest });
  }
  await releaseBlob(portal, db, file.blob);
}

/** The ids of a message's files, in the order they were posted. */
export async function messageFileIds(db: Db, messageId: number): Promise<number[]> {
  const rows = await db.selectFrom('message_files').select('file_id').where('message_id', '=', messageId).orderBy('position').execute();
  return rows.map((r) => Number(r.file_id));
}

/** Remove stored bytes once no live file uses them (copies share them; an upload refused before it became a file). */
export async function releaseBlob(portal: Portal, db: Db, key: string): Promise<void> {
  const user = await db.selectFrom('disk_files').select('id').where('blob', '=', key).where('deleted', '=', 0).executeTakeFirst();
  if (!user) removeBlob(portal, key);
}

const KIND_BY_EXT: Record<string, 'video' | 'audio'> = {
  mp4: 'video', webm: 'video', mov: 'video', avi: 'video', mkv: 'video',
  mp3: 'audio', ogg: 'audio', wav: 'audio', m4a: 'audio', flac: 'audio',
};

/** The extension of a name, lower-cased, without the dot ('' when none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Whether the file's bytes were recognised as a picture. */
export const isImage = (f: Pick<DiskFile, 'mime'>) => f.mime.startsWith('image/');

/** What a file is to the messenger: a recognised picture, video or audio by its extension, else a plain file. */
export function fileKind(f: Pick<DiskFile, 'mime' | 'name'>): 'image' | 'video' | 'audio' | 'file' {
  if (isImage(f)) return 'image';
  const kind = KIND_BY_EXT[extensionOf(f.name)];
  return kind === 'video' || kind === 'audio' ? kind : 'file';
}

/**
 * When a file URL made now stops working, in Unix seconds: at least the configured lifetime away,
 * rounded up to a step of 1/24 of it (at most an hour), so the URLs of one file stay the same for a
 * while and browsers can cache the picture instead of fetching it again on every re-read.
 */
export function fileUrlExpiry(ttlSeconds: number, now: number): number {
  const step = Math.min(3600, Math.max(1, Math.floor(ttlSeconds / 24)));
  return Math.ceil((Math.floor(now / 1000) + ttlSeconds) / step) * step;
}

/**
 * The signed token of a file link made now: it names the file, the viewer and the link's expiry,
 * then `nonce` when given (a one-time link, file-links-once.ts). tokenViewer reads it back.
 */
export async function fileLinkToken(portal: Portal, file: DiskFile, viewerId: number, nonce?: string): Promise<string> {
  const exp = fileUrlExpiry(portal.config.fileUrlTtl, portal.clock.now());
  return sign(portal, `file:${file.id}:${viewerId}:${exp}${nonce ? `:${nonce}` : ''}`);
}

/** The URL of a file in `mode` (download, show, preview), authorized by `token` (fileLinkToken's). */
export const fileLinkUrl = (portal: Portal, file: DiskFile, mode: string, token: string): string =>
  `${portal.publicUrl}/disk/file/${file.id}/${mode}/${encodeURIComponent(file.name)}?token=${encodeURIComponent(token)}`;

/** The three authorized URLs of a file for one viewer, under one token. */
export async function fileUrls(portal: Portal, file: DiskFile, viewerId: number): Promise<{ download: string; show: string; preview: string }> {
  const token = await fileLinkToken(portal, file, viewerId);
  return { download: fileLinkUrl(portal, file, 'download', token), show: fileLinkUrl(portal, file, 'show', token), preview: fileLinkUrl(portal, file, 'preview', token) };
}

/**
 * What a signed file token says about a file: its viewer (with the nonce and expiry of a one-time
 * link, file-links-once.ts), or that it has expired.
 */
export type TokenViewer = { viewer: number; once?: { nonce: string; expiresAt: number } } | { expired: true };

/**
 * Who a token signed by `fileUrls` (or `oneTimeDownloadUrl`) names for a file, or that it has
 * expired; undefined when it is not such a token for this file. Tokens without an expiry (made
 * before links expired) count as expired.
 */
export function tokenViewer(payload: string | undefined, fileId: number, now: number): TokenViewer | undefined {
  const m = /^file:(\d+):(\d+)(?::(\d+)(?::([0-9a-f]{32}))?)?$/.exec(payload ?? '');
  if (!m || Number(m[1]) !== fileId) return undefined;
  if (m[3] === undefined || Number(m[3]) * 1000 <= now) return { expired: true };
  return m[4] ? { viewer: Number(m[2]), once: { nonce: m[4], expiresAt: Number(m[3]) * 1000 } } : { viewer: Number(m[2]) };
}

/** The file object of im.dialog.messages.get `files` and im.disk.file.commit `FILES`, for `viewer`. */
export async function wireFile(portal: Portal, file: DiskFile, viewer: User, authorName: string): Promise<Record<string, unknown>> {
  const urls = await fileUrls(portal, file, viewer.id);
  const type = fileKind(file);
  const image = type === 'image';
  return {
    id: file.id,
    chatId: file.chat_id,
    date: isoDate(file.created_at),
    type,
    // The seed's example still has `preview` (empty); the English docs dropped it.
    preview: '',
    name: file.name,
    extension: extensionOf(file.name),
    size: file.size,
    image: image ? { width: file.width, height: file.height } : false,
    status: 'done',
    progress: 100,
    authorId: file.author_id,
    authorName,
    urlPreview: image ? urls.preview : '',
    urlShow: image ? urls.show : urls.download,
    urlDownload: urls.download,
    viewerAttrs: {
      viewer: '', viewerType: image ? 'image' : 'cloud-document', src: urls.download, viewerResized: '',
      objectId: String(file.id), viewerGroupBy: String(file.chat_id), imChatId: file.chat_id, title: file.name,
      actions: JSON.stringify([{ type: 'download' }]),
    },
    mediaUrl: image ? { preview: { 250: urls.preview } } : [],
    isTranscribable: false,
    isVideoNote: false,
    isVoiceNote: false,
  };
}

/** Authors' display names for a set of files. */
export async function authorNames(db: Db, files: DiskFile[]): Promise<Map<number, string>> {
  const users = await findUsers(db, files.map((f) => f.author_id));
  return new Map([...users].map(([id, u]) => [id, fullName(u)]));
}

/** The `files` list of im.dialog.messages.get for these messages, as `viewer` may download them. */
export async function wireFilesOf(portal: Portal, db: Db, messages: MessageView[], viewer: User): Promise<Record<string, unknown>[]> {
  // The messages come with their file ids (withParts): no second look at message_files.
  const wanted = new Map(messages.filter((m) => !m.deleted).flatMap((m) => m.file_ids.map((id) => [id, m.chat_id] as const)));
  if (!wanted.size) return [];
  const rows = await db.selectFrom('disk_files').selectAll().where('id', 'in', [...wanted.keys()]).where('deleted', '=', 0).execute();
  // A file belongs to the chat of the message naming it; anything else is not this dialog's to show.
  const files = rows.filter((f) => wanted.get(f.id) === f.chat_id).sort((a, b) => b.id - a.id);
  const names = await authorNames(db, files);
  return Promise.all(files.map((f) => wireFile(portal, f, viewer, names.get(f.author_id) ?? '')));
}
