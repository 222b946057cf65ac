/**
 * Presence: the status a user chose (online, dnd, away, break), since when they are idle ("away"
 * set automatically), and when they last used the portal — the values im.user.get shows.
 */
import type { Generated } from 'kysely';
import type { Db } from '../store/db.ts';
import type { User } from './types.ts';
import { queuePush } from '../realtime/push-log.ts';

declare module '../store/schema.ts' {
  interface UsersTable {
    /** Chosen status: online, dnd, away or break. */
    status: Generated<string>;
    /** Unix ms since when the user is idle; 0 when not idle. */
    idle_at: Generated<number>;
    /** Unix ms of the user's last REST call (recorded at most once a minute); 0 when never. */
    last_activity_at: Generated<number>;
  }
}

/** The statuses a user may choose, as Bitrix24 names them. */
export const STATUSES = ['online', 'dnd', 'away', 'break'] as const;
/** One of STATUSES. */
export type Status = (typeof STATUSES)[number];

/** Whether a string is a status a user may choose (case-sensitive, as in Bitrix24). */
export const isStatus = (s: string): s is Status => (STATUSES as readonly string[]).includes(s);

/**
 * Tell the open clients of everyone who shares a chat with the user (and the user's own other
 * clients) that their presence changed; they read it again with im.user.get.
 */
async function presenceChanged(db: Db, userId: number): Promise<void> {
  const rows = await db.selectFrom('chat_members as mine').innerJoin('chat_members as other', 'other.chat_id', 'mine.chat_id')
    .select('other.user_id').distinct().where('mine.user_id', '=', userId).execute();
  await queuePush(db, [userId, ...rows.map((r) => Number(r.user_id))], 'presence', { userId });
}

/** Set the user's chosen status. */
export async function setStatus(db: Db, userId: number, status: Status): Promise<void> {
  await db.updateTable('users').set({ status }).where('id', '=', userId).execute();
  await presenceChanged(db, userId);
}

/** Mark the user idle since `minutesAgo` minutes. */
export async function startIdle(db: Db, userId: number, minutesAgo: number, now = Date.now()): Promise<void> {
  await db.updateTable('users').set({ idle_at: now - minutesAgo * 60_000 }).where('id', '=', userId).execute();
  await presenceChanged(db, userId);
}

/** Clear the user's idle mark. */
export async function endIdle(db: Db, userId: number): Promise<void> {
  await db.updateTable('users').set({ idle_at: 0 }).where('id', '=', userId).execute();
  await presenceChanged(db, userId);
}

/** How stale the recorded activity may get before a call writes it again: one write a minute per user at most. */
const ACTIVITY_GRANULARITY_MS = 60_000;

/**
 * Record that `user` is using the portal now. Cheap on the hot path: the stored time is only
 * rewritten when it is a minute old, so a busy bot costs one UPDATE a minute. Updates the row
 * object too, so the same call already shows the new time.
 */
export async function touchActivity(db: Db, user: User, now = Date.now()): Promise<void> {
  if (now - (user.last_activity_at ?? 0) < ACTIVITY_GRANULARITY_MS) return;
  user.last_activity_at = now;
  await db.updateTable('users').set({ last_activity_at: now }).where('id', '=', user.id).execute();
}
