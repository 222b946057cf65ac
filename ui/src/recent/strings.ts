/** Strings of the recent list's row actions (hide, mark as unread or read), kept out of the shared dictionary. */
import { strings } from '../i18n.ts';

export const tr = strings({
  en: {
    actions: 'Actions: {name}', hide: 'Hide from the list', markUnread: 'Mark as unread', markRead: 'Mark as read',
    hidden: '“{name}” is hidden until a new message arrives', markedUnread: 'Marked as unread',
    unreadMark: 'Marked as unread',
  },
  ru: {
    actions: 'Действия: {name}', hide: 'Скрыть из списка', markUnread: 'Пометить непрочитанным', markRead: 'Пометить прочитанным',
    hidden: '«{name}» скрыт до нового сообщения', markedUnread: 'Помечено непрочитанным',
    unreadMark: 'Помечено непрочитанным',
  },
});
