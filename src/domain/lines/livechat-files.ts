/**
 * Files in the website live chat. A visitor's upload is stored in their line chat's folder as a file
 * of their customer user and posted as their message (it comes into the line as a connector
 * customer's message with files does, customers.ts). What the visitor gets of a message's files is a
 * small object whose `url` is a download link signed for that visitor, that file and an expiry
 * (PARLEY_FILE_URL_TTL, as the messenger's links): `/widget/<code>/files/<id>/<name>?token=…`. The
 * route that serves it (src/http/widget-files.ts) asks `visitorFile` again at each download, so a
 * link opens only a file of a message the visitor may see in their own chat.
 */
import crypto from 'node:crypto';
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Line } from './config.ts';
import { findChat } from '../chats.ts';
import { findUser } from '../users.ts';
import { addFile, chatFolder, fileUrlExpiry, findFile, type DiskFile } from '../files.ts';
import { sign, type StoredBlob } from '../file-store.ts';
import { receiveCustomerMessage } from './customers.ts';
import { livechatConnector } from './livechat.ts';
import { visitorMessages, type Visitor, type WidgetFile, type WidgetMessage } from './livechat-store.ts';

/** The largest file (bytes) and the most files one widget upload takes; the size is also held to PARLEY_FILE_MAX_BYTES. */
export const LIVECHAT_FILE_CAPS = { bytes: 10 * 1024 * 1024, count: 5 } as const;

/** The per-file cap in force: the widget's, or the portal's PARLEY_FILE_MAX_BYTES when that is smaller. */
export const widgetFileMax = (portal: Portal) => Math.min(LIVECHAT_FILE_CAPS.bytes, portal.config.fileMaxBytes);

const payloadOf = (fileId: number, visitorId: number, exp: number) => `lcfile:${fileId}:${visitorId}:${exp}`;

/** The signed download URL of `file` for `visitor` of `line`. */
export async function visitorFileUrl(portal: Portal, line: Line, visitor: Visitor, file: Pick<DiskFile, 'id' | 'name'>): Promise<string> {
  const exp = fileUrlExpiry(portal.config.fileUrlTtl, portal.clock.now());
  const token = encodeURIComponent(await sign(portal, payloadOf(file.id, Number(visitor.id), exp)));
  return `${portal.publicUrl}/widget/${line.livechat_code}/files/${file.id}/${encodeURIComponent(file.name)}?token=${token}`;
}

/** What a verified widget file token says about `fileId`: its visitor, or that it has expired; undefined when it is not one for this file. */
export function visitorFileToken(payload: string | undefined, fileId: number, now: number): { visitorId: number } | { expired: true } | undefined {
  const m = /^lcfile:(\d+):(\d+):(\d+)$/.exec(payload ?? '');
  if (!m || Number(m[1]) !== fileId) return undefined;
  return Number(m[3]) * 1000 <= now ? { expired: true } : { visitorId: Number(m[2]) };
}

/**
 * The file `fileId` if `visitor` may fetch it now: not deleted, in their own line chat, and carried by
 * a message they can see there (their own, or one that went out to them: ol_message_links; an
 * operator's silent-mode message never went out, so its files stay inside).
 */
export async function visitorFile(db: Db, visitor: Visitor, fileId: number): Promise<DiskFile | undefined> {
  const file = await findFile(db, fileId);
  if (!file || file.deleted || Number(file.chat_id) !== Number(visitor.chat_id) || !file.message_id) return undefined;
  const seen = await db.selectFrom('message_files').innerJoin('messages', 'messages.id', 'message_files.message_id')
    .innerJoin('ol_message_links', 'ol_message_links.message_id', 'messages.id')
    .select('messages.id').where('message_files.file_id', '=', file.id).where('messages.chat_id', '=', visitor.chat_id)
    .where('ol_message_links.chat_id', '=', visitor.chat_id).where('messages.deleted', '=', 0).executeTakeFirst();
  return seen ? file : undefined;
}

/** The widget's `files` of each message id (only files of the visitor's chat, not deleted), in the order posted. */
export async function widgetFilesOf(portal: Portal, line: Line, visitor: Visitor, messageIds: number[]): Promise<Map<number, WidgetFile[]>> {
  const out = new Map<number, WidgetFile[]>();
  if (!messageIds.length) return out;
  const rows = await portal.db.selectFrom('message_files').innerJoin('disk_files', 'disk_files.id', 'message_files.file_id')
    .select(['message_files.message_id', 'disk_files.id', 'disk_files.name', 'disk_files.size', 'disk_files.mime'])
    .where('message_files.message_id', 'in', messageIds).where('disk_files.chat_id', '=', visitor.chat_id).where('disk_files.deleted', '=', 0)
    .orderBy('message_files.message_id').orderBy('message_files.position').execute();
  for (const r of rows) {
    const f: WidgetFile = {
      id: Number(r.id), name: r.name, size: Number(r.size), type: r.mime.startsWith('image/') ? 'image' : 'file',
      url: await visitorFileUrl(portal, line, visitor, { id: Number(r.id), name: r.name }),
    };
    const list = out.get(Number(r.message_id)) ?? [];
    list.push(f);
    out.set(Number(r.message_id), list);
  }
  return out;
}

/** The visitor's messages as visitorMessages reads them, each with its files and their signed URLs. */
export async function widgetMessages(portal: Portal, visitor: Visitor, line: Line, opts: { afterId?: number; ids?: number[]; limit: number }): Promise<WidgetMessage[]> {
  const messages = await visitorMessages(portal.db, visitor, line, opts);
  const files = await widgetFilesOf(portal, line, visitor, messages.map((m) => m.id));
  for (const m of messages) {
    const f = files.get(m.id);
    if (f) m.files = f;
  }
  return messages;
}

/** One stored upload of a visitor: its bytes and its (cleaned) name. */
export interface VisitorUpload { blob: StoredBlob; name: string }

/**
 * The visitor sends files (with optional text): each becomes a file of their line chat's folder
 * (a free name picked), and one message of theirs carries them into the line. Answers the message id.
 */
export async function visitorSendsFiles(portal: Portal, db: Db, visitor: Visitor, line: Line, uploads: VisitorUpload[], text: string): Promise<number> {
  const chat = await findChat(db, visitor.chat_id);
  const user = await findUser(db, visitor.user_id);
  if (!chat || !user) throw new Error(`live-chat visitor ${visitor.id} has lost their chat or user`);
  const folder = await chatFolder(db, chat);
  const files: DiskFile[] = [];
  for (const u of uploads) {
    const added = await addFile(db, folder, user, u.blob, u.name, true);
    if (added === 'NAME_TAKEN') throw new Error('a unique name was asked for');
    files.push(added);
  }
  const connector = await livechatConnector(db);
  const customer = await db.selectFrom('ol_customers').selectAll().where('id', '=', visitor.customer_id).executeTakeFirstOrThrow();
  const ids = files.map((f) => f.id);
  const got = await receiveCustomerMessage(portal, db, connector, line, { id: customer.ext_user_id, name: visitor.name }, { id: customer.ext_chat_id },
    { extId: `w${crypto.randomBytes(8).toString('hex')}`, text, files: ids });
  await db.updateTable('disk_files').set({ message_id: got.message.id }).where('id', 'in', ids).execute();
  return got.message.id;
}
