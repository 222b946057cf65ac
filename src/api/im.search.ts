/**
 * im.search.user.list, im.search.chat.list, im.search.department.list and the caller's recent
 * picks: im.search.last.get / add / delete.
 */
import { defineMethod, Page, type CallContext } from '../rest/registry.ts';
import { fail } from '../rest/errors.ts';
import { flag, str, type Params } from '../rest/params.ts';
import { findChat, isMember } from '../domain/chats.ts';
import { unreadCounters } from '../domain/read-state.ts';
import { findUser, findUsers, fullName } from '../domain/users.ts';
import { fullDepartmentName, loadTree } from '../domain/departments.ts';
import { addLast, deleteLast, listLast, matches, MIN_PHRASE, searchChats, searchUsers } from '../domain/search.ts';
import { parseDialogId, type Chat, type DialogRef } from '../domain/types.ts';
import { pageWindow, requireIntranet, slice, wireDepartments } from './im.department.ts';
import { wireChat, wireUser } from './wire.ts';

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

/** What the caller's membership says about a chat: their read marker, role, and the chat's counts. */
async function chatState(ctx: CallContext, chat: Chat) {
  const db = ctx.portal.db;
  const members = await db.selectFrom('chat_members').select(['user_id', 'manager', 'muted', 'last_read_id'])
    .where('chat_id', '=', chat.id).execute();
  const me = members.find((m) => m.user_id === ctx.user.id);
  const counted = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chat_id', '=', chat.id).where('deleted', '=', 0).executeTakeFirstOrThrow();
  // Counters as im.counters.get and im.recent.* count them (src/domain/read-state.ts).
  const [unread] = me ? await unreadCounters(db, ctx.user.id, [chat.id]) : [];
  const counter = unread?.count ?? 0;
  const unreadId = unread?.firstUnreadId ?? 0;
  const muted = members.filter((m) => m.muted).map((m) => [String(m.user_id), true]);
  const role = chat.owner_id === ctx.user.id ? 'owner' : me?.manager ? 'manager' : me ? 'member' : 'guest';
  return { me, members: members.length, messages: Number(counted.n), counter, unreadId, muteList: muted.length ? Object.fromEntries(muted) : [], role };
}

/** The chat object of im.search.chat.list: im.dialog.get's keys plus the caller's view (English docs). */
async function wireFoundChat(ctx: CallContext, chat: Chat): Promise<Record<string, unknown>> {
  const s = await chatState(ctx, chat);
  const member = !!s.me;
  return {
    ...wireChat(ctx.portal, chat, `chat${chat.id}`),
    parent_chat_id: 0,
    parent_message_id: 0,
    counter: s.counter,
    user_counter: s.members,
    message_count: s.messages,
    unread_id: s.unreadId,
    // What Parley lets a member do; a guest of an open chat may only read and join.
    restrictions: { avatar: member, rename: member, extend: member, call: false, mute: member, leave: member, leave_owner: member, send: member, user_list: true },
    last_id: s.me?.last_read_id ?? 0,
    marked_id: 0,
    disk_folder_id: 0,
    mute_list: s.muteList,
    public: '',
    role: s.role,
    entity_link: { type: chat.entity_type, url: '', id: chat.entity_id },
    text_field_enabled: true,
    background_id: null,
    permissions: { manage_users_add: 'member', manage_users_delete: 'manager', manage_ui: 'member', manage_settings: 'owner', manage_messages: 'member', can_post: 'member' },
    is_new: false,
  };
}

defineMethod({
  name: 'im.search.user.list', scope: 'im',
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
  name: 'im.search.chat.list', scope: 'im',
  async handler(ctx, p) {
    const find = phrase(p);
    const found = await searchChats(ctx.portal.db, ctx.user.id, find);
    const { offset, limit } = pageWindow(p);
    const { page, total, next } = slice(found, offset, limit);
    const items = [];
    for (const c of page) items.push(await wireFoundChat(ctx, c));
    return new Page(items, total, next);
  },
});

defineMethod({
  name: 'im.search.department.list', scope: 'im',
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

/** Whether the caller may see a chat: a member, or the chat is open. */
async function canSee(ctx: CallContext, chat: Chat | undefined): Promise<boolean> {
  if (!chat || chat.type === 'P') return false;
  return chat.type === 'O' || isMember(ctx.portal.db, chat.id, ctx.user.id);
}

defineMethod({
  name: 'im.search.last.add', scope: 'im',
  async handler(ctx, p) {
    const ref = dialogRef(p);
    if (ref.kind === 'user') {
      // An unknown user is not an error in Bitrix24: the answer is false (English docs).
      if (!(await findUser(ctx.portal.db, ref.userId))) return false;
    } else if (!(await canSee(ctx, await findChat(ctx.portal.db, ref.chatId)))) fail('ACCESS_ERROR');
    await addLast(ctx.portal.db, ctx.user.id, ref);
    return true;
  },
});

defineMethod({
  name: 'im.search.last.delete', scope: 'im',
  async handler(ctx, p) {
    return deleteLast(ctx.portal.db, ctx.user.id, dialogRef(p));
  },
});

defineMethod({
  name: 'im.search.last.get', scope: 'im',
  async handler(ctx, p) {
    const skipChat = flag(p, 'SKIP_CHAT');
    const skipDialog = flag(p, 'SKIP_DIALOG');
    const skipLines = flag(p, 'SKIP_OPENLINES');
    const refs = (await listLast(ctx.portal.db, ctx.user.id)).map((k) => parseDialogId(k)).filter((r): r is DialogRef => !!r);
    const users = await findUsers(ctx.portal.db, refs.flatMap((r) => (r.kind === 'user' ? [r.userId] : [])));
    const out: Record<string, unknown>[] = [];
    for (const ref of refs) {
      if (ref.kind === 'user') {
        const u = users.get(ref.userId);
        if (skipDialog || !u || !u.active) continue;
        const user = wireUser(ctx.portal, u);
        out.push({ id: u.id, type: 'user', title: fullName(u), avatar: { url: user.avatar, color: user.color }, user });
        continue;
      }
      const chat = await findChat(ctx.portal.db, ref.chatId);
      // A chat the caller left (or that went away) drops out of the list.
      if (skipChat || !chat || !(await canSee(ctx, chat))) continue;
      if (skipLines && chat.entity_type === 'LINES') continue;
      const wire = wireChat(ctx.portal, chat, `chat${chat.id}`);
      const { muteList } = await chatState(ctx, chat);
      out.push({ id: `chat${chat.id}`, type: 'chat', title: chat.title, avatar: { url: wire.avatar, color: wire.color }, chat: { ...wire, mute_list: muteList } });
    }
    return out;
  },
});
