/**
 * Notifications (im.notify.*): messages that land in a user's notification centre, not in a dialog.
 * A notification is personal (it has an author) or system (it has none); it may carry buttons (a
 * "confirm" notification, answered once with one button's value) or accept a quick text answer.
 * Tags are scoped to the app that sent them: a new notification with the same tag for the same user
 * replaces the earlier one. Contract with im.counters.get: `unreadNotificationCount` (the NOTIFY counter).
 */
import type { ExpressionBuilder, Generated, Selectable } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Db } from '../store/db.ts';
import { queuePush } from '../realtime/push-log.ts';
import { isRowId, MAX_ROW_ID } from '../store/row-id.ts';

/** Row of the notifications table (migration 0009). */
export interface NotificationsTable {
  id: Generated<number>;
  /** Recipient. */
  user_id: number;
  /** Sender of a personal notification; 0 for a system one. */
  author_id: number;
  /** The app that sent it (0: a webhook). */
  app_id: number;
  /** 'personal' | 'system'. */
  kind: string;
  text: string;
  /** Text for e-mail and other outside channels; '' = the text. */
  message_out: string;
  /** JSON of the normalized ATTACH, '' when none. */
  attach: string;
  /** Whose tags these are: 'app:<id>', 'client:<CLIENT_ID>', or '' (a webhook without CLIENT_ID). */
  tag_scope: string;
  tag: string;
  sub_tag: string;
  /** JSON list of {title, value, type}; '' when the notification has no buttons. */
  buttons: string;
  /** 1: the recipient may send a quick text answer. */
  answerable: number;
  /** The chosen button's value or the last quick answer; '' until answered. */
  answer: string;
  is_read: number;
  created_at: number;
  /** The chat and message a mention notification points at (migration 0031); 0 for the ones apps send. */
  chat_id: Generated<number>;
  message_id: Generated<number>;
}

declare module '../store/schema.ts' {
  interface Database { notifications: NotificationsTable }
}

/** A stored notification. */
export type Notification = Selectable<NotificationsTable>;

/** Who sent a notification. */
export type NotifyKind = 'personal' | 'system';

/** A button of a confirm notification. */
export interface NotifyButton { title: string; value: string; type: string }

/** What a new notification is made of. */
export interface NewNotification {
  userId: number;
  authorId: number;
  appId: number;
  kind: NotifyKind;
  text: string;
  messageOut: string;
  attach: unknown[] | null;
  tagScope: string;
  tag: string;
  subTag: string;
  buttons: NotifyButton[];
  answerable: boolean;
  /** The chat message it points at (a mention's); none for the notifications apps send. */
  chatId?: number;
  messageId?: number;
}

// The SQL twins of awaitsConfirm: a notification waiting for a button press, and every other one.
type NotifyWhere = ExpressionBuilder<Database, 'notifications'>;
const pending = (eb: NotifyWhere) => eb.and([eb('buttons', '!=', ''), eb('answer', '=', '')]);
const settled = (eb: NotifyWhere) => eb.or([eb('buttons', '=', ''), eb('answer', '!=', '')]);

/** Whether a notification still waits for a button to be pressed (the documented CONFIRM type). */
export function awaitsConfirm(n: Pick<Notification, 'buttons' | 'answer'>): boolean {
  return n.buttons !== '' && n.answer === '';
}

/** The buttons of a notification as stored. */
export function buttonsOf(n: Pick<Notification, 'buttons'>): NotifyButton[] {
  return n.buttons ? (JSON.parse(n.buttons) as NotifyButton[]) : [];
}

/**
 * Store a notification and return its id. A TAG replaces every earlier notification of the same
 * app (tag scope) with that tag for the same recipient; run it in the caller's transaction.
 */
export async function addNotification(db: Db, n: NewNotification): Promise<number> {
  if (n.tag) {
    await db.deleteFrom('notifications').where('user_id', '=', n.userId).where('tag_scope', '=', n.tagScope)
      .where('tag', '=', n.tag).execute();
  }
  const row = await db.insertInto('notifications').values({
    user_id: n.userId, author_id: n.authorId, app_id: n.appId, kind: n.kind, text: n.text, message_out: n.messageOut,
    attach: n.attach ? JSON.stringify(n.attach) : '', tag_scope: n.tagScope, tag: n.tag, sub_tag: n.subTag,
    buttons: n.buttons.length ? JSON.stringify(n.buttons) : '', answerable: n.answerable ? 1 : 0, answer: '',
    is_read: 0, created_at: Date.now(), chat_id: n.chatId ?? 0, message_id: n.messageId ?? 0,
  }).returning('id').executeTakeFirstOrThrow();
  await queuePush(db, [n.userId], 'notify', { notifyId: Number(row.id) });
  return Number(row.id);
}

/** One notification by id. */
export async function findNotification(db: Db, id: number): Promise<Notification | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Who is asking to delete: the calling user and the tag scope of their app. */
export interface Deleter { userId: number; tagScope: string }

/**
 * Whether `who` may delete a notification: its recipient may always; otherwise the app that sent it
 * (same tag scope), or its author when it was sent without an app.
 */
export function mayDelete(n: Notification, who: Deleter): boolean {
  if (n.user_id === who.userId) return true;
  if (n.tag_scope) return n.tag_scope === who.tagScope;
  return !who.tagScope && n.author_id === who.userId;
}

/** Tell the users' open clients that their notification counter changed (another tab read, deleted, answered). */
async function countersChanged(db: Db, userIds: number[]): Promise<void> {
  await queuePush(db, userIds, 'counters', { notify: true });
}

/**
 * Delete one notification if `who` may (see mayDelete); false when it is missing or not theirs to
 * delete, which the API answers alike.
 */
export async function deleteNotificationBy(db: Db, id: number, who: Deleter): Promise<boolean> {
  const n = await findNotification(db, id);
  if (!n || !mayDelete(n, who)) return false;
  await deleteNotification(db, id);
  return true;
}

/** Delete one notification by id. */
export async function deleteNotification(db: Db, id: number): Promise<void> {
  const gone = await db.deleteFrom('notifications').where('id', '=', id).returning('user_id').execute();
  await countersChanged(db, gone.map((r) => Number(r.user_id)));
}

/** Delete every notification of an app's tag scope with this TAG (or SUB_TAG); how many went. */
export async function deleteTagged(db: Db, tagScope: string, field: 'tag' | 'sub_tag', value: string): Promise<number> {
  const gone = await db.deleteFrom('notifications').where('tag_scope', '=', tagScope).where(field, '=', value).returning('user_id').execute();
  await countersChanged(db, gone.map((r) => Number(r.user_id)));
  return gone.length;
}

/**
 * Mark a user's notifications read (or unread): only `id` when `onlyCurrent`, else every one with
 * an id at or above it (as the English docs describe ONLY_CURRENT). Confirm notifications stay
 * unread until a button is pressed.
 */
export async function markRead(db: Db, userId: number, id: number, onlyCurrent: boolean, read: boolean): Promise<void> {
  // An id past the row-id range names no notification, and none comes after it.
  if (id > MAX_ROW_ID) return;
  let q = db.updateTable('notifications').set({ is_read: read ? 1 : 0 }).where('user_id', '=', userId).where(settled);
  q = onlyCurrent ? q.where('id', '=', id) : q.where('id', '>=', id);
  await q.execute();
  await countersChanged(db, [userId]);
}

/** Mark the listed notifications of a user read or unread, leaving confirm notifications alone. */
export async function markListRead(db: Db, userId: number, ids: number[], read: boolean): Promise<void> {
  ids = ids.filter(isRowId);
  if (!ids.length) return;
  await db.updateTable('notifications').set({ is_read: read ? 1 : 0 }).where('user_id', '=', userId)
    .where('id', 'in', ids).where(settled).execute();
  await countersChanged(db, [userId]);
}

/** Mark all of a user's notifications read (except confirm ones); the unread count after. */
export async function markAllRead(db: Db, userId: number): Promise<number> {
  await markRead(db, userId, 0, false, true);
  return unreadNotificationCount(db, userId);
}

/** How many notifications a user has, and how many of them are unread. */
export async function notificationTotals(db: Db, userId: number): Promise<{ total: number; unread: number }> {
  const row = await db.selectFrom('notifications').where('user_id', '=', userId)
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>('is_read').as('read')]).executeTakeFirst();
  const total = Number(row?.total ?? 0);
  return { total, unread: total - Number(row?.read ?? 0) };
}

/** How many unread notifications a user has. */
export async function unreadNotificationCount(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').where('user_id', '=', userId).where('is_read', '=', 0)
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Where a page of im.notify.get continues: after `lastId` in the confirm stage or the regular one. */
export interface NotifyCursor { lastId: number; stage: 'confirm' | 'regular' }

/**
 * One page of a user's notifications, newest first: those awaiting a button first, then the rest
 * (the two stages im.notify.get pages through). Ids grow with time, so id order is date order.
 */
export async function listNotifications(db: Db, userId: number, limit: number, cursor?: NotifyCursor): Promise<Notification[]> {
  const out: Notification[] = [];
  if (!cursor || cursor.stage === 'confirm') {
    let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where(pending);
    if (cursor) q = q.where('id', '<', cursor.lastId);
    out.push(...(await q.orderBy('id', 'desc').limit(limit).execute()));
  }
  if (out.length < limit) {
    let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where(settled);
    if (cursor?.stage === 'regular') q = q.where('id', '<', cursor.lastId);
    out.push(...(await q.orderBy('id', 'desc').limit(limit - out.length).execute()));
  }
  return out;
}

/**
 * The recipient's quick answer: stored (the last one wins) and the notification read. False when the
 * notification is not the user's or does not take answers.
 */
export async function answerNotification(db: Db, userId: number, id: number, text: string): Promise<boolean> {
  const n = await findNotification(db, id);
  if (!n || n.user_id !== userId || !n.answerable) return false;
  await db.updateTable('notifications').set({ answer: text, is_read: 1 }).where('id', '=', id).execute();
  await countersChanged(db, [userId]);
  return true;
}

/**
 * The recipient presses a button: its value is stored once and the notification read. The pressed
 * button, or null when the notification is not the user's, has no such button or was answered.
 */
export async function confirmNotification(db: Db, userId: number, id: number, value: string): Promise<NotifyButton | null> {
  const n = await findNotification(db, id);
  if (!n || n.user_id !== userId || !awaitsConfirm(n)) return null;
  const button = buttonsOf(n).find((b) => b.value === value);
  if (!button) return null;
  // The `answer = ''` guard makes two racing presses settle on one value.
  const res = await db.updateTable('notifications').set({ answer: value, is_read: 1 }).where('id', '=', id)
    .where('answer', '=', '').executeTakeFirst();
  if (!Number(res.numUpdatedRows)) return null;
  await countersChanged(db, [userId]);
  return button;
}

/** What im.notify.history.search filters by; every given part must match. */
export interface NotifySearch {
  /** Lower-cased text the notification's text must contain. */
  text: string;
  /** Whether a notification of Parley's one type (app notifications) matches the type filters. */
  typeMatches: boolean;
  /** [from, to) in Unix ms, or null. */
  range: [number, number] | null;
  authors: number[];
  /** A raw or app-prefixed tag, '' for any. */
  groupTag: string;
}

/**
 * One page of a user's notifications matching `filter`, newest first, after `lastId` (0: from the
 * newest), and how many match in all. Text matching happens here rather than in SQL so that
 * non-ASCII text compares case-insensitively on both backends.
 */
export async function searchNotifications(db: Db, userId: number, filter: NotifySearch, limit: number, lastId: number):
  Promise<{ rows: Notification[]; total: number }> {
  if (!filter.typeMatches) return { rows: [], total: 0 };
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (filter.range) q = q.where('created_at', '>=', filter.range[0]).where('created_at', '<', filter.range[1]);
  if (filter.authors.length) q = q.where('author_id', 'in', filter.authors);
  const matches = (n: Notification) => (!filter.text || n.text.toLowerCase().includes(filter.text))
    && (!filter.groupTag || n.tag === filter.groupTag || tagOwnerForm(n.tag_scope, n.tag) === filter.groupTag);
  const all = (await q.orderBy('id', 'desc').execute()).filter(matches);
  const rows = all.filter((n) => !lastId || n.id < lastId).slice(0, limit);
  return { rows, total: all.length };
}

/** A tag as recipients see it: prefixed with the app that set it ("MP|<app>|TAG"), or as sent. */
export function tagOwnerForm(tagScope: string, tag: string): string {
  // The portal's own notifications (mentions, tag scope `im`) carry their tags as Bitrix24 writes them.
  if (!tag || !tagScope || !tagScope.includes(':')) return tag;
  return `MP|${tagScope.slice(tagScope.indexOf(':') + 1)}|${tag}`;
}
