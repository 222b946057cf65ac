/**
 * The frames the messenger opened for placements. Each gets an APP_SID: a random name the frame
 * repeats in every message to its parent and that the parent shows to parley.placement.auth to get the
 * frame fresh tokens. Only its hash is stored, with the user and binding it was opened for, and it
 * lapses after FRAME_TTL_MS (a working day: a frame left open longer is reopened).
 */
import type { Db } from '../store/db.ts';
import { hashSecret, secret } from '../auth/secret-hash.ts';
import { findPlacement, type Placement } from './placements.ts';

/** How long an APP_SID may ask for tokens. */
export const FRAME_TTL_MS = 8 * 3600_000;

/** What a frame shows: a binding of an app, or (placement id 0) the app's own page, opened by a frame's openApplication. */
export interface FrameOf { placementId: number; appId: number }

/** Remember a new frame for `userId`; answers its APP_SID (32 hex characters, as Bitrix24's). */
export async function openFrame(db: Db, what: FrameOf, userId: number, now: number): Promise<string> {
  // Lapsed frames go as new ones open, so the table holds only the live ones (and a few just lapsed).
  await db.deleteFrom('placement_frames').where('expires_at', '<', now).execute();
  const sid = secret(16);
  await db.insertInto('placement_frames').values({
    sid_hash: hashSecret(sid), placement_id: what.placementId, app_id: what.appId, user_id: userId, expires_at: now + FRAME_TTL_MS, created_at: now,
  }).execute();
  return sid;
}

/**
 * What a live frame of `userId` shows: its app, and the binding unless it is the app's own page; undefined
 * when the APP_SID is unknown, lapsed, someone else's, or its binding was removed.
 */
export async function frameOf(db: Db, sid: string, userId: number, now: number): Promise<{ appId: number; placement?: Placement } | undefined> {
  const row = await db.selectFrom('placement_frames').selectAll().where('sid_hash', '=', hashSecret(sid)).executeTakeFirst();
  if (!row || Number(row.user_id) !== userId || Number(row.expires_at) <= now) return undefined;
  if (Number(row.placement_id) === 0) return { appId: Number(row.app_id) };
  const placement = await findPlacement(db, Number(row.placement_id));
  return placement ? { appId: Number(placement.app_id), placement } : undefined;
}
