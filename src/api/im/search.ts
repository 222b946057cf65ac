/**
 * im.search.user.list, im.search.chat.list, im.search.department.list and the caller's recent
 * picks: im.search.last.get / add / delete.
 */
import { defineMethod, Page, slice, type CallContext } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { chatStates, type ChatState } from '../../domain/dialogs.ts';
import { fullName } from '../../domain/users.ts';
import { fullDepartmentName, loadTree } from '../../domain/departments.ts';
import { deleteLast, lastPicks, matches, MIN_PHRASE, pickDialog, searchChats, searchUsers } from '../../domain/search.ts';
import type { Chat } from '../../domain/types.ts';
import { wireDepartments } from './department.ts';
import { intranetCaller } from '../codecs/callers.ts';
import { dialogId } from '../codecs/dialogs.ts';
import { offset, pageSize } from '../codecs/lists.ts';
import { wireChat, wireUser } from '../wire.ts';
import { muteList } from '../im.dialog.wire.ts';

/** FIND, required and at least three characters long (the seed's FIND_SHORT). */
export const phrase = () => c.trimmed().require((v) => [...v].length >= MIN_PHRASE, 'FIND_SHORT');

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
    // A bot may turn the composer off (imbot.v2.Chat.TextField.enabled).
    text_field_enabled: Number(chat.text_field_enabled ?? 1) !== 0,
    background_id: null,
    permissions: { manage_users_add: 'member', manage_users_delete: 'manager', manage_ui: 'member', manage_settings: 'owner', manage_messages: 'member', can_post: 'member' },
    is_new: false,
  };
}

defineMethod({
  name: 'im.search.user.list', scope: 'im', access: 'portal',
  // Parley has no business-tools licensing: BUSINESS=Y finds the people, not the bots.
  params: { FIND: phrase(), BUSINESS: c.flag(), OFFSET: offset(), LIMIT: pageSize(10, 50) },
  async handler(ctx, input) {
    const found = await searchUsers(ctx.portal.db, ctx.user, input.FIND, input.BUSINESS);
    const { page, total, next } = slice(found, input.OFFSET, input.LIMIT);
    // Keyed by user id; an empty result is [] (a PHP empty array).
    const items = page.length ? Object.fromEntries(page.map((u) => [String(u.id), wireUser(ctx.portal, u)])) : [];
    return new Page(items, total, next);
  },
});

defineMethod({
  name: 'im.search.chat.list', scope: 'im', access: 'self',
  params: { FIND: phrase(), OFFSET: offset(), LIMIT: pageSize(10, 50) },
  async handler(ctx, input) {
    const found = await searchChats(ctx.portal.db, ctx.user.id, input.FIND);
    const { page, total, next } = slice(found, input.OFFSET, input.LIMIT);
    const states = await chatStates(ctx.portal.db, ctx.user.id, page.map((chat) => chat.id));
    return new Page(page.map((chat) => wireFoundChat(ctx, chat, states.get(chat.id)!)), total, next);
  },
});

defineMethod({
  name: 'im.search.department.list', scope: 'im', access: 'portal',
  params: { _caller: intranetCaller(), FIND: phrase(), OFFSET: offset(), LIMIT: pageSize(10, 50), USER_DATA: c.flag() },
  async handler(ctx, input) {
    const tree = await loadTree(ctx.portal.db);
    const found = [...tree.values()].filter((d) => matches(input.FIND, [fullDepartmentName(tree, d.id)]));
    const { page, total, next } = slice(found, input.OFFSET, input.LIMIT);
    return new Page(await wireDepartments(ctx, tree, page, input.USER_DATA), total, next);
  },
});

defineMethod({
  name: 'im.search.last.add', scope: 'im', access: 'read',
  params: { DIALOG_ID: dialogId() },
  handler: (ctx, { DIALOG_ID: ref }) => runAction(ctx.portal, (trx) => pickDialog(trx, ctx.user.id, ref)),
});

defineMethod({
  name: 'im.search.last.delete', scope: 'im', access: 'self',
  params: { DIALOG_ID: dialogId() },
  handler: (ctx, { DIALOG_ID: ref }) => runAction(ctx.portal, (trx) => deleteLast(trx, ctx.user.id, ref)),
});

defineMethod({
  name: 'im.search.last.get', scope: 'im', access: 'self',
  params: { SKIP_CHAT: c.flag(), SKIP_DIALOG: c.flag(), SKIP_OPENLINES: c.flag() },
  async handler(ctx, input) {
    const picks = await lastPicks(ctx.portal.db, ctx.user.id, { skipChat: input.SKIP_CHAT, skipDialog: input.SKIP_DIALOG, skipLines: input.SKIP_OPENLINES });
    return picks.map((pick) => {
      if (pick.kind === 'user') {
        const user = wireUser(ctx.portal, pick.user);
        return { id: pick.user.id, type: 'user', title: fullName(pick.user), avatar: { url: user.avatar, color: user.color }, user };
      }
      const { chat } = pick;
      const wire = wireChat(ctx.portal, chat, `chat${chat.id}`);
      return { id: `chat${chat.id}`, type: 'chat', title: chat.title, avatar: { url: wire.avatar, color: wire.color }, chat: { ...wire, mute_list: muteList(pick.members) } };
    });
  },
});
