/** Strings of the open dialog's paging down from the first unread message, kept out of the shared dictionary. */
import { strings } from '../i18n.ts';

export const tp = strings({
  en: { unreadSeparator: 'Unread messages', jumpLatest: 'Jump to the latest messages', loadingNewer: 'Loading newer messages…' },
  ru: { unreadSeparator: 'Непрочитанные сообщения', jumpLatest: 'К последним сообщениям', loadingNewer: 'Загрузка новых сообщений…' },
});
