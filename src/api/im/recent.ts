/** im.recent.get, im.recent.list, im.recent.pin, im.recent.hide and im.recent.unread: the caller's recent list. */
import { defineMethod, Page, type CallContext } from '../../rest/registry.ts';
import { flag, has, int, str, type Params } from '../../rest/params.ts';
import { findChat } from '../../domain/chats.ts';
import { findUsers } from '../../domain/users.ts';
import { markUnread, membership, readTo } from '../../domain/read-state.ts';
import { chatMembers, hideRecent, recentEntries, setPinned, type RecentEntry, type RecentFilter } from '../../domain/recent.ts';
import { dialogIdFor } from '../../domain/types.ts';
import { dialogParam } from '../message-input.ts';
import { dialogOf } from '../im.dialog.ts';
import { wireChatDetails, wireRecentItem } from '../im.dialog.wire.ts';

/** An ATOM (ISO-8601) date parameter as Unix ms; undefined when absent or unreadable. */
function dateParam(p: Params, name: string): number | undefined {
  const raw = str(p, name).trim();
  if (!raw) return undefined;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The filters both list methods share. */
function filterOf(p: Params): RecentFilter {
  return { skipChat: flag(p, 'SKIP_CHAT'), skipDialog: flag(p, 'SKIP_DIALOG'), unreadOnly: flag(p, 'UNREAD_ONLY') };
}

/** Entries on the wire, with what their chat objects and users need fetched once for all. */
async function wireItems(ctx: CallContext, entries: RecentEntry[]): Promise<Record<string, unknown>[]> {
  const db = ctx.portal.db;
  const members = await chatMembers(db, entries.map((e) => e.chat.id));
  const userIds = entries.flatMap((e) => [Number(dialogIdFor(e.chat, ctx.user.id)) || 0, e.last?.author_id ?? 0]).filter((id) => id > 0);
  const users = await findUsers(db, userIds);
  return entries.map((e) => {
    const list = members.get(e.chat.id) ?? [];
    const chat = wireChatDetails(ctx.portal, e.chat, dialogIdFor(e.chat, ctx.user.id), {
      viewerId: ctx.user.id, members: list, counter: e.counter, lastReadId: Number(e.member.last_read_id), unreadId: e.firstUnreadId, upperRole: true,
    });
    // Own message: "delivered" once another member has read it; anyone else's: "received".
    const seen = e.last && e.last.author_id === ctx.user.id && list.some((m) => m.userId !== ctx.user.id && m.lastReadId >= e.last!.id);
    return wireRecentItem(ctx.portal, e, users, chat, seen ? 'delivered' : 'received');
  });
}

/** How far back LAST_SYNC_DATE may reach, as documented ("no older than 7 days"). */
const SYNC_WINDOW_MS = 7 * 24 * 3600 * 1000;

defineMethod({
  name: 'im.recent.get', scope: 'im', access: 'self',
  async handler(ctx, p) {
    // Parley has no open lines: ONLY_OPENLINES lists nothing and SKIP_OPENLINES skips nothing.
    if (flag(p, 'ONLY_OPENLINES')) return [];
    const filter: RecentFilter = { skipChat: flag(p, 'SKIP_CHAT'), skipDialog: flag(p, 'SKIP_DIALOG') };
    const since = [dateParam(p, 'LAST_UPDATE')];
    const sync = dateParam(p, 'LAST_SYNC_DATE');
    if (sync !== undefined) since.push(Math.max(sync, Date.now() - SYNC_WINDOW_MS));
    const known = since.filter((d): d is number => d !== undefined);
    if (known.length) filter.updatedSince = Math.max(...known);
    return wireItems(ctx, await recentEntries(ctx.portal.db, ctx.user.id, filter));
  },
});

/** Documented default and maximum page size of im.recent.list. */
const LIST_DEFAULT = 50;
const LIST_MAX = 200;

defineMethod({
  name: 'im.recent.list', scope: 'im', access: 'self',
  async handler(ctx, p) {
    let entries = await recentEntries(ctx.portal.db, ctx.user.id, filterOf(p));
    // LAST_MESSAGE_DATE (the seed) pages by date: older entries than the previous page's last; pins came on the first page.
    const before = dateParam(p, 'LAST_MESSAGE_DATE');
    if (before !== undefined) entries = entries.filter((e) => !Number(e.member.pinned) && e.dateActivity < before);
    // OFFSET and LIMIT (the English docs) page by position.
    const offset = Math.max(0, int(p, 'OFFSET'));
    const size = int(p, 'LIMIT') > 0 ? Math.min(int(p, 'LIMIT'), LIST_MAX) : LIST_DEFAULT;
    const page = entries.slice(offset, offset + size);
    const hasMore = offset + size < entries.length;
    // The documented envelope carries total -1 ("usually -1"): the list is paged by date, not counted.
    return new Page({ items: await wireItems(ctx, page), hasMore, hasMorePages: hasMore, messagesAutoDeleteConfigs: [] }, -1);
  },
});

/** The chat of DIALOG_ID and whether the caller has a place in it (open-chat visitors do not). */
async function ownEntry(ctx: CallContext, p: Params) {
  const chat = await dialogOf(ctx, p);
  const member = await membership(ctx.portal.db, chat.id, ctx.user.id);
  return { chat, member };
}

defineMethod({
  name: 'im.recent.pin', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const { chat, member } = await ownEntry(ctx, p);
    if (!member) return false;
    await setPinned(ctx.portal.db, chat.id, ctx.user.id, flag(p, 'PIN', true));
    return true;
  },
});

defineMethod({
  name: 'im.recent.hide', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const { chat, member } = await ownEntry(ctx, p);
    if (!member) return false;
    await hideRecent(ctx.portal.db, chat.id, ctx.user.id, Number(member.start_id));
    return true;
  },
});

defineMethod({
  name: 'im.recent.unread', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const ref = dialogParam(p);
    // Documented: false when the chat does not exist (a chat the caller may not see is still ACCESS_ERROR).
    if (ref.kind === 'chat' && !(await findChat(ctx.portal.db, ref.chatId))) return false;
    const { chat, member } = await ownEntry(ctx, p);
    if (!member) return false;
    const on = has(p, 'ACTION') ? flag(p, 'ACTION') : true;
    // ACTION=N removes the mark and, as documented, reads the dialog.
    if (on) await markUnread(ctx.portal.db, chat.id, ctx.user.id, true);
    else await readTo(ctx.portal.db, chat.id, ctx.user.id);
    return true;
  },
});
