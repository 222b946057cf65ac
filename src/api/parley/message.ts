/**
 * parley.message.search: the web messenger's message search across every dialog the caller may
 * read (any client with scope `im` may call it, for its user): the words of FIND matched by their
 * stems, optionally in one dialog (DIALOG_ID) and from one author (AUTHOR_ID), newest first, paged
 * by LAST_ID. Each message comes with a snippet around its first matched word — plain text with
 * the matched words' ranges, and the same as HTML, escaped first and then marked — and the page
 * names its chats (title, DIALOG_ID) and the users it shows.
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { existingDialog } from '../../domain/chats.ts';
import { chatsOfResults, searchMessages, snippetFor } from '../../domain/message-search.ts';
import { findUsers } from '../../domain/users.ts';
import { dialogId } from '../codecs/dialogs.ts';
import { pageSize, position } from '../codecs/lists.ts';
import { phrase } from '../im/search.ts';
import { wireChat, wireDate, wireUser } from '../wire.ts';

defineMethod({
  name: 'parley.message.search', scope: 'im', access: 'read',
  params: {
    FIND: phrase(),
    // A dialog the caller may read (ACCESS_ERROR otherwise); a private dialog not begun yet has nothing to find.
    DIALOG_ID: c.optional(dialogId()).map((ref, ctx) => (ref ? existingDialog(ctx.portal.db, ctx.user, ref, 'read').then((chat) => chat ?? null) : undefined)),
    AUTHOR_ID: c.int(),
    LAST_ID: position('LAST_ID_STRING', "Last ID can't be string"),
    LIMIT: pageSize(20, 50),
  },
  async handler(ctx, input) {
    if (input.DIALOG_ID === null) return { messages: [], chats: [], users: [], more: false };
    const found = await searchMessages(ctx.portal, ctx.user.id, {
      text: input.FIND, chat: input.DIALOG_ID, authorId: input.AUTHOR_ID > 0 ? input.AUTHOR_ID : undefined, lastId: input.LAST_ID, limit: input.LIMIT,
    });
    const chats = await chatsOfResults(ctx.portal, ctx.user.id, found.messages.map((m) => m.chat_id));
    const dialogOf = new Map(chats.map((c) => [c.chat.id, c.dialogId]));
    const users = await findUsers(ctx.portal.db, [...found.messages.map((m) => m.author_id), ...chats.flatMap((c) => (c.peer ? [c.peer.id] : []))]);
    return {
      messages: found.messages.map((m) => {
        const snippet = snippetFor(m, found.query);
        return {
          id: m.id, chat_id: m.chat_id, dialog_id: dialogOf.get(m.chat_id) ?? `chat${m.chat_id}`, author_id: m.author_id,
          date: wireDate(m.created_at), text: m.text, snippet: snippet.text, snippet_marks: snippet.marks, snippet_html: snippet.html,
        };
      }),
      chats: chats.map(({ chat, dialogId: id, peer }) => {
        const wire = wireChat(ctx.portal, chat, id);
        const person = peer ? wireUser(ctx.portal, peer) : undefined;
        // A private dialog is shown as its other person: their name, picture and colour.
        return { id: chat.id, dialog_id: id, type: wire.type, title: person?.name ?? chat.title, avatar: person?.avatar ?? wire.avatar, color: person?.color ?? wire.color };
      }),
      users: [...users.values()].map((u) => wireUser(ctx.portal, u)),
      more: found.more,
    };
  },
});
