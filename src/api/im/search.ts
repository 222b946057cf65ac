/**
 * im.search.user.list, im.search.chat.list, im.search.department.list and the caller's recent
 * picks: im.search.last.get / add / delete.
 */
import { defineMethod, Page, slice, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, str, type Params } from '../../rest/params.ts';
import { findChat } from '../../domain/chats.ts';
import { canSee } from '../../domain/chat-admin.ts';
import { chatMembers, type MemberFact } from '../../domain/recent.ts';
import { unreadCounters } from '../../domain/read-state.ts';
import { findUser, findUsers, fullName } from '../../domain/users.ts';
import { fullDepartmentName, loadTree } from '../../domain/departments.ts';
import { addLast, deleteLast, listLast, matches, MIN_PHRASE, searchChats, searchUsers } from '../../domain/search.ts';
import { parseDialogId, type Chat, type DialogRef } from '../../domain/types.ts';
import { pageWindow, requireIntranet, wireDepartments } from './department.ts';
import { wireChat, wireUser } from '../wire.ts';
import { muteList } from '../im.dialog.wire.ts';
import { isRowId } from '../../store/row-id.ts';

/** FIND, required and at least three characters long (the seed's FIND_SHORT). */
function phrase(p: Params): string {
  const find = str(p, 'FIND').trim();
  if ([...find].length < MIN_PHRASE) fail('FIND_SHORT');
  return find;
}

/** DIALOG_ID of im.search.last.add / delete; DIALOG_ID_EMPTY when missing or neither form. */
function dialogRef(p: Params): DialogRef {
  const ref = parseDialogId(str(p, 'DIALOG_ID'));
  if (!ref) fail('DIALOG_ID_EMPTY');
  return ref;
}

/** What the caller's view of a chat shows beyond the chat row. */
interface ChatState { members: MemberFact[]; me?: MemberFact; messages: number; counter: number; unreadId: number }

/**
 * The caller's view of each of a page of chats, in three queries whatever the page size: members
 * (read marker, role, mute list), message counts, and unread counters as im.counters.get and
 * im.recent.* count them (src/domain/read-state.ts).
 */
async function chatStates(ctx: CallContext, chats: Chat[]): Promise<Map<number, ChatState>> {
  const db = ctx.portal.db;
  const ids = chats.map((c) => c.id);
  if (!ids.length) return new Map();
  const [members, counted, unread] = await Promise.all([
    chatMembers(db, ids),
    db.selectFrom('messages').select((eb) => ['chat_id', eb.fn.countAll<number>().as('n')])
      .where('chat_id', 'in', ids).where('deleted', '=', 0).groupBy('chat_id').execute(),
    unreadCounters(db, ctx.user.id, ids),
  ]);
  const messages = new Map(counted.map((r) => [Number(r.chat_id), Number(r.n)]));
  const counters = new Map(unread.map((c) => [c.chatId, c]));
  return new Map(ids.map((id) => {
    const list = members.get(id) ?? [];
    const counter = counters.get(id);
    const state = { members: list, me: list.find((m) => m.userId === ctx.user.id), messages: messages.get(id) ?? 0, counter: counter?.count ?? 0, unreadId: counter?.firstUnreadId ?? 0 };
    return [id, state];
  }));
}

/** The chat object of im.search.chat.list: im.dialog.get's keys plus the caller's view (English docs). */
function wireFoundChat(ctx: CallContext, chat: Chat, s: ChatState): Record<string, unknown> {
  const member = !!s.me;
  const role = chat.owner_id === ctx.user.id ? 'owner' : s.me?.manager ? 'manager' : member ? 'member' : 'guest';
  return {
    ...wireChat(ctx.portal, chat, `chat${chat.id}`),
    parent_chat_id: 0,
    parent_message_id: 0,
    counter: s.counter,
    user_counter: s.members.length,
    message_count: s.messages,
    unread_id: s.unreadId,
    // What Parley lets a member do; a guest of an open chat may only read and join.
    restrictions: { avatar: member, rename: member, extend: member, call: false, mute: member, leave: member, leave_owner: member, send: member, user_list: true },
    last_id: s.me?.lastReadId ?? 0,
    marked_id: 0,
    disk_folder_id: 0,
    mute_list: muteList(s.members),
    public: '',
    role,
    entity_link: { type: chat.entity_type, url: '', id: chat.entity_id },
    text_field_enabled: true,
    background_id: null,
    permissions: { manage_users_add: 'member', manage_users_delete: 'manager', manage_ui: 'member', manage_settings: 'owner', manage_messages: 'member', can_post: 'member' },
    is_new: false,
  };
}

defineMethod({
  name: 'im.search.user.list', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    const find = phrase(p);
    // Parley has no business-tools licensing: BUSINESS=Y finds the people, not the bots.
    const found = await searchUsers(ctx.portal.db, find, flag(p, 'BUSINESS'));
    const { offset, limit } = pageWindow(p);
    const { page, total, next } = slice(found, offset, limit);
    // Keyed by user id; an empty result is [] (a PHP empty array).
    const items = page.length ? Object.fromEntries(page.map((u) => [String(u.id), wireUser(ctx.portal, u)])) : [];
    return new Page(items, total, next);
  },
});

defineMethod({
  name: 'im.search.chat.list', scope: 'im', access: 'self',
  async handler(ctx, p) {
    const find = phrase(p);
    const found = await searchChats(ctx.portal.db, ctx.user.id, find);
    const { offset, limit } = pageWindow(p);
    const { page, total, next } = slice(found, offset, limit);
    const states = await chatStates(ctx, page);
    return new Page(page.map((c) => wireFoundChat(ctx, c, states.get(c.id)!)), total, next);
  },
});

defineMethod({
  name: 'im.search.department.list', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    requireIntranet(ctx);
    const find = phrase(p);
    const tree = await loadTree(ctx.portal.db);
    const found = [...tree.values()].filter((d) => matches(find, [fullDepartmentName(tree, d.id)]));
    const { offset, limit } = pageWindow(p);
    const { page, total, next } = slice(found, offset, limit);
    return new Page(await wireDepartments(ctx, tree, page, flag(p, 'USER_DATA')), total, next);
  },
});

defineMethod({
  name: 'im.search.last.add', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const ref = dialogRef(p);
    if (ref.kind === 'user') {
      // An unknown user is not an error in Bitrix24: the answer is false (English docs).
      if (!(await findUser(ctx.portal.db, ref.userId))) return false;
    } else {
      // Group and open chats the caller may see; a private dialog is named by its user id instead.
      const chat = await findChat(ctx.portal.db, ref.chatId);
      if (!chat || chat.type === 'P' || !(await canSee(ctx.portal.db, chat, ctx.user.id))) fail('ACCESS_ERROR');
    }
    await addLast(ctx.portal.db, ctx.user.id, ref);
    return true;
  },
});

defineMethod({
  name: 'im.search.last.delete', scope: 'im', access: 'self',
  async handler(ctx, p) {
    return deleteLast(ctx.portal.db, ctx.user.id, dialogRef(p));
  },
});

defineMethod({
  name: 'im.search.last.get', scope: 'im', access: 'self',
  async handler(ctx, p) {
    const skipChat = flag(p, 'SKIP_CHAT');
    const skipDialog = flag(p, 'SKIP_DIALOG');
    const skipLines = flag(p, 'SKIP_OPENLINES');
    const db = ctx.portal.db;
    const refs = (await listLast(db, ctx.user.id)).map((k) => parseDialogId(k)).filter((r): r is DialogRef => !!r);
    const userIds = skipDialog ? [] : refs.flatMap((r) => (r.kind === 'user' ? [r.userId] : []));
    const chatIds = skipChat ? [] : refs.flatMap((r) => (r.kind === 'chat' && isRowId(r.chatId) ? [r.chatId] : []));
    // Every user, chat and member list the picks name, fetched once for the whole list.
    const [users, chats, members] = await Promise.all([
      findUsers(db, userIds),
      chatIds.length ? db.selectFrom('chats').selectAll().where('id', 'in', chatIds).execute() : [],
      chatMembers(db, chatIds),
    ]);
    const chatById = new Map(chats.map((c) => [c.id, c]));
    const out: Record<string, unknown>[] = [];
    for (const ref of refs) {
      if (ref.kind === 'user') {
        const u = users.get(ref.userId);
        if (skipDialog || !u || !u.active) continue;
        const user = wireUser(ctx.portal, u);
        out.push({ id: u.id, type: 'user', title: fullName(u), avatar: { url: user.avatar, color: user.color }, user });
        continue;
      }
      const chat = chatById.get(ref.chatId);
      const list = members.get(ref.chatId) ?? [];
      // A chat the caller left (or that went away) drops out of the list; open chats stay visible to all.
      if (skipChat || !chat || chat.type === 'P' || (chat.type !== 'O' && !list.some((m) => m.userId === ctx.user.id))) continue;
      if (skipLines && chat.entity_type === 'LINES') continue;
      const wire = wireChat(ctx.portal, chat, `chat${chat.id}`);
      out.push({ id: `chat${chat.id}`, type: 'chat', title: chat.title, avatar: { url: wire.avatar, color: wire.color }, chat: { ...wire, mute_list: muteList(list) } });
    }
    return out;
  },
});
