/** im.recent.get, im.recent.list, im.recent.pin, im.recent.hide and im.recent.unread: the caller's recent list. */
import { defineMethod, Page, type CallContext } from '../../rest/registry.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findChat, openDialog } from '../../domain/chats.ts';
import { findUsers } from '../../domain/users.ts';
import { markUnread, membership, readTo } from '../../domain/read-state.ts';
import { chatMembers, hideRecent, recentEntries, setPinned, type RecentEntry, type RecentFilter } from '../../domain/recent.ts';
import { dialogIdFor } from '../../domain/types.ts';
import { dialogId, openedDialog } from '../codecs/dialogs.ts';
import { offset, pageSize } from '../codecs/lists.ts';
import { wireChatDetails, wireRecentItem } from '../im.dialog.wire.ts';
import { wireDate } from '../wire.ts';
import { lastSession, type Session } from '../../domain/lines/sessions.ts';

/** An ATOM (ISO-8601) date as Unix ms; undefined when absent or unreadable (then it filters nothing). */
const atomDate = (): Codec<number | undefined> => c.trimmed().map((raw) => {
  const ms = raw ? Date.parse(raw) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}, 'ATOM date');

/** Entries on the wire, with what their chat objects and users need fetched once for all. */
async function wireItems(ctx: CallContext, entries: RecentEntry[]): Promise<Record<string, unknown>[]> {
  const db = ctx.portal.db;
  const members = await chatMembers(db, entries.map((e) => e.chat.id));
  const userIds = entries.flatMap((e) => [Number(dialogIdFor(e.chat, ctx.user.id)) || 0, e.last?.author_id ?? 0]).filter((id) => id > 0);
  const users = await findUsers(db, userIds);
  const sessions = await lineSessions(ctx, entries);
  return entries.map((e) => {
    const list = members.get(e.chat.id) ?? [];
    const chat = wireChatDetails(ctx.portal, e.chat, dialogIdFor(e.chat, ctx.user.id), {
      viewerId: ctx.user.id, members: list, counter: e.counter, lastReadId: Number(e.member.last_read_id), unreadId: e.firstUnreadId, upperRole: true,
    });
    // Own message: "delivered" once another member has read it; anyone else's: "received".
    const seen = e.last && e.last.author_id === ctx.user.id && list.some((m) => m.userId !== ctx.user.id && m.lastReadId >= e.last!.id);
    const item = wireRecentItem(ctx.portal, e, users, chat, seen ? 'delivered' : 'received');
    const s = sessions.get(e.chat.id);
    if (e.chat.type !== 'L') return item;
    // A line chat's item carries its current session: `lines` after `chat`, as the seed's example has it.
    const { user, options, ...rest } = item;
    return { ...rest, lines: { id: s?.id ?? 0, status: s?.status ?? 0, date_create: wireDate(s?.created_at ?? e.chat.created_at) }, user, options };
  });
}

/** The newest session of each line chat among `entries`. */
async function lineSessions(ctx: CallContext, entries: RecentEntry[]): Promise<Map<number, Session>> {
  const out = new Map<number, Session>();
  for (const e of entries) {
    if (e.chat.type !== 'L') continue;
    const s = await lastSession(ctx.portal.db, e.chat.id);
    if (s) out.set(e.chat.id, s);
  }
  return out;
}

/** The open-line filters of the recent methods: SKIP_OPENLINES, ONLY_OPENLINES, SKIP_UNDISTRIBUTED_OPENLINES (sessions still in the queue or with the bot). */
async function lineFilter(ctx: CallContext, entries: RecentEntry[], f: { skip?: boolean; only?: boolean; skipUndistributed?: boolean }): Promise<RecentEntry[]> {
  let out = entries;
  if (f.skip) out = out.filter((e) => e.chat.type !== 'L');
  if (f.only) out = out.filter((e) => e.chat.type === 'L');
  if (f.skipUndistributed) {
    const sessions = await lineSessions(ctx, out);
    out = out.filter((e) => e.chat.type !== 'L' || sessions.get(e.chat.id)?.stage !== 'queue');
  }
  return out;
}

/** How far back LAST_SYNC_DATE may reach, as documented ("no older than 7 days"). */
const SYNC_WINDOW_MS = 7 * 24 * 3600 * 1000;

defineMethod({
  name: 'im.recent.get', scope: 'im', access: 'self',
  params: {
    ONLY_OPENLINES: c.flag(),
    SKIP_OPENLINES: c.flag(),
    SKIP_CHAT: c.flag(),
    SKIP_DIALOG: c.flag(),
    LAST_UPDATE: atomDate(),
    LAST_SYNC_DATE: atomDate(),
  },
  async handler(ctx, input) {
    const filter: RecentFilter = { skipChat: input.SKIP_CHAT, skipDialog: input.SKIP_DIALOG };
    const sync = input.LAST_SYNC_DATE;
    const since = [input.LAST_UPDATE, sync === undefined ? undefined : Math.max(sync, Date.now() - SYNC_WINDOW_MS)];
    const known = since.filter((d): d is number => d !== undefined);
    if (known.length) filter.updatedSince = Math.max(...known);
    const entries = await lineFilter(ctx, await recentEntries(ctx.portal.db, ctx.user.id, filter), { skip: input.SKIP_OPENLINES, only: input.ONLY_OPENLINES });
    return wireItems(ctx, entries);
  },
});

defineMethod({
  name: 'im.recent.list', scope: 'im', access: 'self',
  params: {
    SKIP_CHAT: c.flag(),
    SKIP_DIALOG: c.flag(),
    UNREAD_ONLY: c.flag(),
    SKIP_OPENLINES: c.flag(),
    SKIP_UNDISTRIBUTED_OPENLINES: c.flag(),
    // The seed pages by date: entries older than the previous page's last; pins came on the first page.
    LAST_MESSAGE_DATE: atomDate(),
    // The English docs page by position; LIMIT defaults to 50, at most 200.
    OFFSET: offset(),
    LIMIT: pageSize(50, 200),
  },
  async handler(ctx, input) {
    let entries = await recentEntries(ctx.portal.db, ctx.user.id, { skipChat: input.SKIP_CHAT, skipDialog: input.SKIP_DIALOG, unreadOnly: input.UNREAD_ONLY });
    entries = await lineFilter(ctx, entries, { skip: input.SKIP_OPENLINES, skipUndistributed: input.SKIP_UNDISTRIBUTED_OPENLINES });
    const before = input.LAST_MESSAGE_DATE;
    if (before !== undefined) entries = entries.filter((e) => !Number(e.member.pinned) && e.dateActivity < before);
    const page = entries.slice(input.OFFSET, input.OFFSET + input.LIMIT);
    const hasMore = input.OFFSET + input.LIMIT < entries.length;
    // The documented envelope carries total -1 ("usually -1"): the list is paged by date, not counted.
    return new Page({ items: await wireItems(ctx, page), hasMore, hasMorePages: hasMore, messagesAutoDeleteConfigs: [] }, -1);
  },
});

defineMethod({
  name: 'im.recent.pin', scope: 'im', access: 'read',
  params: { DIALOG_ID: openedDialog('read'), PIN: c.flag(true) },
  handler: (ctx, { DIALOG_ID: chat, PIN: pin }) => runAction(ctx.portal, async (trx) => {
    // An open chat's visitor has no place in the list to pin: false.
    if (!(await membership(trx, chat.id, ctx.user.id))) return false;
    await setPinned(trx, chat.id, ctx.user.id, pin);
    return true;
  }),
});

defineMethod({
  name: 'im.recent.hide', scope: 'im', access: 'read',
  params: { DIALOG_ID: openedDialog('read') },
  handler: (ctx, { DIALOG_ID: chat }) => runAction(ctx.portal, async (trx) => {
    const member = await membership(trx, chat.id, ctx.user.id);
    if (!member) return false;
    await hideRecent(trx, chat.id, ctx.user.id, Number(member.start_id));
    return true;
  }),
});

defineMethod({
  name: 'im.recent.unread', scope: 'im', access: 'read',
  // ACTION=N removes the mark and, as documented, reads the dialog; absent, it sets the mark.
  params: { DIALOG_ID: dialogId(), ACTION: c.optional(c.flag()) },
  handler: (ctx, { DIALOG_ID: ref, ACTION: action }) => runAction(ctx.portal, async (trx) => {
    // Documented: false when the chat does not exist (a chat the caller may not see is still ACCESS_ERROR).
    if (ref.kind === 'chat' && !(await findChat(trx, ref.chatId))) return false;
    const chat = await openDialog(trx, ctx.user, ref, 'read');
    if (!(await membership(trx, chat.id, ctx.user.id))) return false;
    if (action ?? true) await markUnread(trx, chat.id, ctx.user.id, true);
    else await readTo(trx, chat.id, ctx.user.id);
    return true;
  }),
});
