/**
 * im.dialog.messages.search: messages of one chat found by the words of their text (from three
 * characters on; a shorter SEARCH_MESSAGE searches no text, as the docs say), by date, paged by
 * LAST_ID in ID order. Who may read the chat may search it: a member (in the history they see) or
 * anyone in an open chat. Words match by their stems, Russian and English (src/text/terms.ts).
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { pick } from '../../rest/params.ts';
import { c } from '../../rest/schema.ts';
import { parseTaskDate } from '../../wire/dates.ts';
import { wireParams } from '../../wire/message.ts';
import { v2Message } from '../../wire/v2-entities.ts';
import { findChat } from '../../domain/chats.ts';
import { canSee } from '../../domain/chat-admin.ts';
import { wireFilesOf } from '../../domain/files.ts';
import { chatMembers, type MemberFact } from '../../domain/recent.ts';
import { repliedMessages, searchMessages } from '../../domain/message-search.ts';
import { findUsers, fullName } from '../../domain/users.ts';
import type { MessageView, User } from '../../domain/types.ts';
import { chatId } from '../codecs/dialogs.ts';
import { pageSize, position } from '../codecs/lists.ts';
import { answerUser } from '../bots-v2.wire.ts';

const DAY_MS = 86_400_000;

/** A date parameter (ISO 8601, RFC 3339); undefined when absent or unreadable — then it filters nothing. */
const date = () => c.trimmed().map((raw) => (raw ? parseTaskDate(raw) ?? undefined : undefined), 'datetime');

/** The User object of this answer: the Chatbots 2.0 one with the keys the method's docs add. */
function searchUser(ctx: CallContext, u: User): Record<string, unknown> {
  const base = answerUser(ctx.portal, u);
  // Parley keeps no phones, no mobile or desktop activity and no bot data for a user, and has no Bitrix24.Network.
  return { ...base, avatarHr: base.avatar, network: false, mobileLastDate: false, desktopLastDate: false, phones: [], botData: null };
}

/** A found message as the docs show it: the Message object, both spellings of its ids, and how it was read. */
function searchMessage(m: MessageView, viewerId: number, members: MemberFact[]): Record<string, unknown> {
  const params = wireParams(m);
  const me = members.find((x) => x.userId === viewerId);
  const readers = members.filter((x) => x.userId !== m.author_id && x.lastReadId >= m.id);
  const unread = !!me && m.author_id !== viewerId && m.id > me.lastReadId;
  return {
    ...v2Message(m, params, readers.some((x) => x.userId !== viewerId)),
    // An empty PARAMS is PHP's empty array.
    params: Object.keys(params).length ? params : [],
    chat_id: m.chat_id, author_id: m.system ? 0 : m.author_id, uuid: null, block: null,
    unread, viewed: m.author_id === viewerId || (!!me && me.lastReadId >= m.id), viewedCount: readers.length,
  };
}

/** The docs' reactions of each message that has some: counters and users by code, and the caller's own. */
function reactionsOf(messages: MessageView[], viewerId: number): Record<string, unknown>[] {
  return messages.filter((m) => m.liked_by.length).map((m) => {
    const counters: Record<string, number> = {};
    const users: Record<string, number[]> = {};
    for (const id of m.liked_by) {
      const code = m.reactions[id] ?? 'like';
      counters[code] = (counters[code] ?? 0) + 1;
      (users[code] ??= []).push(id);
    }
    const own = m.reactions[viewerId];
    return { messageId: m.id, reactionCounters: counters, reactionUsers: users, ownReactions: own ? [own] : [] };
  });
}

defineMethod({
  name: 'im.dialog.messages.search', scope: 'im', access: 'read',
  params: {
    CHAT_ID: chatId("CHAT_ID can't be empty").map(async (id, ctx) => {
      const chat = await findChat(ctx.portal.db, id);
      if (!chat || !(await canSee(ctx.portal.db, chat, ctx.user.id))) fail('ACCESS_ERROR', 'You do not have access to this chat');
      return chat;
    }),
    // "Search for this parameter is performed for strings longer than 2 characters."
    SEARCH_MESSAGE: c.trimmed().map((s) => ([...s].length > 2 ? s : undefined)),
    DATE_FROM: date(),
    DATE_TO: date(),
    DATE: date(),
    ORDER: c.object().map((o) => (String(pick(o, 'ID') ?? '').trim().toUpperCase() === 'ASC' ? 'asc' as const : 'desc' as const)),
    // Documented default 50, at most 200.
    LIMIT: pageSize(50, 200),
    LAST_ID: position('LAST_ID_STRING', "Last ID can't be string"),
  },
  async handler(ctx, input) {
    const chat = input.CHAT_ID;
    // DATE: the 24 hours from that moment, within DATE_FROM / DATE_TO when those are given too.
    const from = Math.max(input.DATE_FROM ?? -Infinity, input.DATE ?? -Infinity);
    const to = Math.min(input.DATE_TO ?? Infinity, input.DATE === undefined ? Infinity : input.DATE + DAY_MS - 1);
    const found = await searchMessages(ctx.portal, ctx.user.id, {
      text: input.SEARCH_MESSAGE, chat, order: input.ORDER, lastId: input.LAST_ID, limit: input.LIMIT,
      from: Number.isFinite(from) ? from : undefined, to: Number.isFinite(to) ? to : undefined,
    });
    const members = (await chatMembers(ctx.portal.db, [chat.id])).get(chat.id) ?? [];
    const additional = await repliedMessages(ctx.portal, ctx.user.id, chat, found.messages);
    const all = [...found.messages, ...additional];
    const reactions = reactionsOf(found.messages, ctx.user.id);
    const people = await findUsers(ctx.portal.db, [...all.map((m) => m.author_id), ...found.messages.flatMap((m) => m.liked_by)].filter((id) => id > 0));
    const authors = [...new Set(all.map((m) => m.author_id))].flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
    const reacted = [...new Set(found.messages.flatMap((m) => m.liked_by))].flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
    return {
      users: authors.map((u) => searchUser(ctx, u)),
      files: await wireFilesOf(ctx.portal, ctx.portal.db, all, ctx.user),
      additionalMessages: additional.map((m) => searchMessage(m, ctx.user.id, members)),
      copilot: null,
      stickers: [],
      reactions,
      tariffRestrictions: { isHistoryLimitExceeded: false },
      usersShort: reacted.map((u) => ({ id: u.id, name: fullName(u), avatar: searchUser(ctx, u).avatar })),
      messages: found.messages.map((m) => searchMessage(m, ctx.user.id, members)),
    };
  },
});
