/**
 * One-time download links, as the Chatbots 2.0 File.download pages describe downloadUrl ("one-time
 * link … reuse is not guaranteed"): the signed token also carries a random nonce, and the first
 * download records it (table file_link_uses, migration 0034); any later use of the same link is
 * refused with FILE_LINK_USED. A bot that keeps and reuses such a link works by luck on Bitrix24;
 * on Parley it fails at once, in its own tests. The messenger's links (urlDownload / urlShow /
 * urlPreview of im.dialog.messages.get) stay reusable until they expire, as before.
 */
import crypto from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { fileLinkToken, fileLinkUrl, type DiskFile } from './files.ts';

declare module '../store/schema.ts' {
  interface Database { file_link_uses: FileLinkUsesTable }
}

/** A one-time link that was used: its nonce, and when the link would have expired (ms). */
export interface FileLinkUsesTable {
  nonce: string;
  expires_at: number;
}

/** A one-time download URL of `file` for `viewerId` (the same expiry as the file's other links). */
export async function oneTimeDownloadUrl(portal: Portal, file: DiskFile, viewerId: number): Promise<string> {
  const token = await fileLinkToken(portal, file, viewerId, crypto.randomBytes(16).toString('hex'));
  return fileLinkUrl(portal, file, 'download', token);
}

/**
 * Record the use of a one-time link; false when it was used before. One insert either way, so two
 * racing downloads of one link cannot both pass (the primary key lets only one row in).
 */
export async function useOnce(db: Db, nonce: string, expiresAtMs: number): Promise<boolean> {
  const r = await db.insertInto('file_link_uses').values({ nonce, expires_at: expiresAtMs })
    .onConflict((oc) => oc.column('nonce').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Forget the uses of links that have expired anyway (retention); how many rows went. */
export async function pruneLinkUses(db: Db, now: number): Promise<number> {
  const r = await db.deleteFrom('file_link_uses').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
