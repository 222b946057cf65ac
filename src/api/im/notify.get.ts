/**
 * im.notify.get: the caller's notifications page by page (confirm notifications first, then the
 * rest, newest first), in the English docs' shape — how a client lists the notification centre.
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { pick } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { bbcodeToHtml } from '../../format/bbcode-render.ts';
import { findUsers } from '../../domain/users.ts';
import {
  awaitsConfirm, buttonsOf, listNotifications, notificationTotals, tagOwnerForm, type Notification, type NotifyCursor,
} from '../../domain/notifications.ts';
import { isMention } from '../../domain/mentions.ts';
import { wireDate, wireUser } from '../wire.ts';
import { position } from '../codecs/lists.ts';

/** Bitrix24's notify_type values: CONFIRM 1, FROM (a person) 2, SYSTEM 4. */
const NOTIFY_TYPE = { confirm: 1, personal: 2, system: 4 } as const;

/**
 * Parley keeps notifications in their own table, not in a per-user system chat; `chat_id` is 0 so
 * the documented key is there without naming a chat that does not exist.
 */
export const NO_CHAT = 0;

/** One notification in im.notify.get's shape. */
export function wireNotification(n: Notification, convertText: boolean): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (n.attach) params.ATTACH = JSON.parse(n.attach);
  if (n.answerable) params.CAN_ANSWER = 'Y';
  const mention = isMention(n);
  const out: Record<string, unknown> = {
    id: n.id,
    chat_id: NO_CHAT,
    author_id: n.author_id,
    date: wireDate(n.created_at),
    notify_type: awaitsConfirm(n) ? NOTIFY_TYPE.confirm : NOTIFY_TYPE[n.kind as 'personal' | 'system'] ?? NOTIFY_TYPE.personal,
    notify_module: mention ? 'im' : 'rest',
    notify_event: mention ? 'mention' : 'rest_notify',
    notify_tag: tagOwnerForm(n.tag_scope, n.tag),
    notify_sub_tag: tagOwnerForm(n.tag_scope, n.sub_tag),
    notify_title: '',
    setting_name: mention ? 'im|mention' : 'rest|rest_notify',
    text: convertText ? bbcodeToHtml(n.text) : n.text,
    notify_read: n.is_read ? 'Y' : 'N',
    params: Object.keys(params).length ? params : null,
  };
  // "JSON keyboard for confirmation type notifications. This field is not always present."
  if (awaitsConfirm(n)) out.notify_buttons = JSON.stringify(buttonsOf(n).map((b) => ({ TITLE: b.title, VALUE: b.value, TYPE: b.type })));
  return out;
}

/** LIMIT of a notification page: 1 to 50, 50 when absent or zero. */
export function pageLimit(): Codec<number> {
  return c.int().map((v) => Math.min(50, Math.max(1, v || 50)));
}

// LAST_ID and LAST_TYPE come together (LAST_ID_AND_LAST_TYPE); then LAST_ID must be digits.
function cursorStart(): Codec<number | undefined> {
  const id = position('LAST_ID_STRING');
  return new Codec<number | undefined>(id.type, (p, name, ctx) => {
    const given = (v: unknown) => v !== undefined && v !== null && v !== '';
    if (given(pick(p, name)) !== given(pick(p, 'LAST_TYPE'))) fail('LAST_ID_AND_LAST_TYPE');
    return id.read(p, name, ctx);
  }, false, 'LAST_ID_AND_LAST_TYPE');
}

/** The users object of the authors of `rows` (im.notify.get and im.notify.history.search). */
export async function authors(ctx: CallContext, rows: Notification[]): Promise<Record<string, unknown>[]> {
  const ids = [...new Set(rows.map((n) => n.author_id).filter((id) => id > 0))];
  const users = await findUsers(ctx.portal.db, ids);
  return ids.flatMap((id) => (users.has(id) ? [wireUser(ctx.portal, users.get(id)!)] : []));
}

defineMethod({
  name: 'im.notify.get', scope: 'im', access: 'self',
  params: { LAST_ID: cursorStart(), LAST_TYPE: c.int(), LIMIT: pageLimit(), CONVERT_TEXT: c.flag() },
  async handler(ctx, input) {
    // LAST_TYPE 1 continues the confirm stage, any other the regular one.
    const cursor: NotifyCursor | undefined = input.LAST_ID === undefined ? undefined
      : { lastId: input.LAST_ID, stage: input.LAST_TYPE === 1 ? 'confirm' : 'regular' };
    const db = ctx.portal.db;
    const rows = await listNotifications(db, ctx.user.id, input.LIMIT, cursor);
    const page = { notifications: rows.map((n) => wireNotification(n, input.CONVERT_TEXT)), users: await authors(ctx, rows) };
    const totals = await notificationTotals(db, ctx.user.id);
    // "If the user has no system notification chat or it has no messages, only notifications and users."
    if (!totals.total) return page;
    return { total_count: totals.total, total_unread_count: totals.unread, chat_id: NO_CHAT, ...page };
  },
});
