/** im.counters.get: the caller's unread counters, counted from the messages at the moment of the call. */
import { defineMethod } from '../../rest/registry.ts';
import { unreadCounters } from '../../domain/read-state.ts';
import { unreadNotificationCount } from '../../domain/notifications.ts';

// Bitrix24 encodes an empty PHP array as [] even where it is a map.
const map = (m: Record<string, number>) => (Object.keys(m).length ? m : []);

defineMethod({
  name: 'im.counters.get', scope: 'im', access: 'self',
  params: {},
  async handler(ctx) {
    const db = ctx.portal.db;
    const [chats, notify] = await Promise.all([unreadCounters(db, ctx.user.id), unreadNotificationCount(db, ctx.user.id)]);
    const chat: Record<string, number> = {};
    const muted: Record<string, number> = {};
    const dialog: Record<string, number> = {};
    const lines: Record<string, number> = {};
    let linesTotal = 0;
    const chatUnread: number[] = [];
    const dialogUnread: number[] = [];
    let chatTotal = 0;
    let dialogTotal = 0;
    for (const c of chats) {
      // A chat marked unread by hand counts as one even without unread messages.
      const weight = Math.max(c.count, c.markedUnread ? 1 : 0);
      if (c.type === 'P') {
        const [a, b] = (c.privateKey ?? '0:0').split(':').map(Number);
        const companion = a === ctx.user.id ? b : a;
        if (c.count) dialog[companion] = c.count;
        if (c.markedUnread) dialogUnread.push(companion);
        dialogTotal += weight;
      } else if (c.type === 'L') {
        // Line chats (open lines) are counted apart: LINES per chat and TYPE.LINES, both in ALL.
        if (c.count) lines[c.chatId] = c.count;
        linesTotal += weight;
      } else if (c.muted) {
        // Muted chats are reported apart and left out of the totals, as the English docs' CHAT_MUTED shows.
        if (c.count) muted[c.chatId] = c.count;
      } else {
        if (c.count) chat[c.chatId] = c.count;
        if (c.markedUnread) chatUnread.push(c.chatId);
        chatTotal += weight;
      }
    }
    const messenger = chatTotal + dialogTotal + linesTotal;
    return {
      TYPE: { ALL: messenger + notify, NOTIFY: notify, CHAT: chatTotal, LINES: linesTotal, DIALOG: dialogTotal, MESSENGER: messenger },
      CHAT: map(chat),
      CHAT_MUTED: map(muted),
      CHAT_UNREAD: chatUnread,
      LINES: map(lines),
      DIALOG: map(dialog),
      DIALOG_UNREAD: dialogUnread,
    };
  },
});
