/**
 * The full chat object of im.dialog.get, as a user or a bot sees it: imbot.dialog.get answers the
 * same object for the calling bot, so both methods build it here (the methods: src/api/im/dialog.ts
 * and src/api/imbot.chat.ts).
 */
import { dialogIdFor, type Chat, type User } from '../domain/types.ts';
import { dialogBackground, dialogView } from '../domain/dialogs.ts';
import type { Portal } from '../portal.ts';
import { wireChatDetails } from './im.dialog.wire.ts';

/** The complete chat object of im.dialog.get as `viewer` (a user, or a bot for imbot.dialog.get) sees it. */
export async function chatDetailsAs(portal: Portal, chat: Chat, viewer: User): Promise<Record<string, unknown>> {
  const v = await dialogView(portal.db, chat, viewer.id);
  return wireChatDetails(portal, chat, dialogIdFor(chat, viewer.id), {
    viewerId: viewer.id, members: v.members, counter: v.counter, lastReadId: v.lastReadId, unreadId: v.firstUnreadId,
    messageCount: v.messageCount, names: v.names, lastMessage: v.lastMessage, background: await dialogBackground(portal.db, chat),
  });
}
